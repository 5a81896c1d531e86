import Foundation
import GRDB
import Wire

/// The embedded store: one SQLite file in WAL mode with `synchronous = FULL`, so a committed
/// transaction survives `kill -9` and power loss alike.
///
/// Each ``apply(_:)`` is one transaction. Grouping many agents' record batches and decisions
/// into one transaction, so that they share an fsync, is the coordinator's ``StateWriter``'s job.
public final class SQLiteStore: SweeplineStore {
    public let path: String
    /// Internal, not private: tests fill the "disk" through it (`PRAGMA max_page_count`).
    let pool: DatabasePool
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        // A busy reader must not fail a writer; wait for it instead.
        configuration.busyMode = .timeout(10)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError(store: path, operation: "open", underlying: error)
        }
    }

    /// Versioned schema. Never edit a migration that has shipped: add the next one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-jobs-agents-records") { db in
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        id TEXT PRIMARY KEY,
                        submit_seq INTEGER NOT NULL UNIQUE,
                        state TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        agent_id TEXT,
                        body TEXT NOT NULL
                    );
                    CREATE INDEX jobs_by_state ON jobs(state, submit_seq);
                    CREATE TABLE job_events (
                        id INTEGER PRIMARY KEY,
                        job_id TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        at REAL NOT NULL,
                        state TEXT NOT NULL,
                        agent_id TEXT,
                        detail TEXT NOT NULL
                    );
                    CREATE INDEX job_events_by_job ON job_events(job_id, id);
                    CREATE TABLE job_logs (
                        id INTEGER PRIMARY KEY,
                        job_id TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        at REAL NOT NULL,
                        line TEXT NOT NULL
                    );
                    CREATE INDEX job_logs_by_job ON job_logs(job_id, id);
                    CREATE TABLE record_batches (
                        job_id TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        seq INTEGER NOT NULL,
                        agent_id TEXT NOT NULL,
                        record_count INTEGER NOT NULL,
                        dropped INTEGER NOT NULL,
                        received_at REAL NOT NULL,
                        records TEXT NOT NULL,
                        PRIMARY KEY (job_id, attempt, seq)
                    ) WITHOUT ROWID;
                    CREATE TABLE agents (
                        id TEXT PRIMARY KEY,
                        body TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2-schedules") { db in
            try db.execute(
                sql: """
                    CREATE TABLE schedules (
                        name TEXT PRIMARY KEY,
                        body TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        last_occurrence REAL,
                        last_sweep_id TEXT
                    );
                    """)
        }
        migrator.registerMigration("v3-agent-credentials") { db in
            try db.execute(
                sql: """
                    CREATE TABLE agent_credentials (
                        agent_id TEXT PRIMARY KEY,
                        secret_digest TEXT NOT NULL,
                        enrolled_at REAL NOT NULL
                    );
                    """)
        }
        return migrator
    }

    @discardableResult
    public func apply(_ changes: [StoreChange]) async throws -> [RecordAppendResult] {
        guard !changes.isEmpty else { return [] }
        let rows = try changes.map(encode)
        do {
            return try await pool.write { db in try rows.compactMap { try $0.write(db) } }
        } catch {
            // No room (a full disk; a quota, which SQLite reports as a failed write): SQLite
            // rolls the whole transaction back, so the same write can be tried again once there
            // is. Not other I/O errors: after a failed fsync the kernel may have dropped the
            // pages, and a retry could report lost data as stored.
            let code = (error as? DatabaseError)?.extendedResultCode
            let transient = code?.primaryResultCode == .SQLITE_FULL || code == .SQLITE_IOERR_WRITE
            throw StoreError(store: path, operation: Self.describe(changes), underlying: error, isTransient: transient)
        }
    }

    /// "write of 3 state changes", "append of records j-000001#1 seq 4", or both.
    private static func describe(_ changes: [StoreChange]) -> String {
        let batches = changes.compactMap { if case .records(let batch) = $0 { batch } else { nil } }
        let state = changes.count - batches.count
        var parts: [String] = []
        if state > 0 { parts.append("write of \(state) state changes") }
        if batches.count == 1 { parts.append("append of records \(batches[0].jobAttempt) seq \(batches[0].seq)") }
        if batches.count > 1 { parts.append("append of \(batches.count) record batches") }
        return parts.joined(separator: " and ")
    }

    public func recover() async throws -> RecoveredState {
        try await read("recovery") { db in
            let jobs = try String.fetchAll(db, sql: "SELECT body FROM jobs ORDER BY submit_seq").map(self.decodeJob)
            let agents = try String.fetchAll(db, sql: "SELECT body FROM agents ORDER BY id").map {
                try self.decoder.decode(AgentRecord.self, from: Data($0.utf8))
            }
            var stored: [JobAttempt: [Int]] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT b.job_id, b.attempt, b.seq FROM record_batches b
                    JOIN jobs j ON j.id = b.job_id AND j.attempt = b.attempt
                    WHERE j.state IN ('assigned', 'running', 'canceling')
                    ORDER BY b.job_id, b.seq
                    """)
            for row in rows {
                stored[JobAttempt(jobID: row["job_id"], attempt: row["attempt"]), default: []].append(row["seq"])
            }
            let schedules = try Row.fetchAll(
                db, sql: "SELECT body, created_at, last_occurrence, last_sweep_id FROM schedules ORDER BY name"
            ).map { row in
                StoredSchedule(
                    spec: try self.decoder.decode(SweepSpec.self, from: Data((row["body"] as String).utf8)),
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    lastOccurrence: (row["last_occurrence"] as Double?).map(Date.init(timeIntervalSince1970:)),
                    lastSweepID: row["last_sweep_id"])
            }
            let credentials = try Row.fetchAll(
                db, sql: "SELECT agent_id, secret_digest, enrolled_at FROM agent_credentials ORDER BY agent_id"
            ).map { row in
                AgentCredential(
                    agentID: row["agent_id"], secretDigest: row["secret_digest"],
                    enrolledAt: Date(timeIntervalSince1970: row["enrolled_at"]))
            }
            return RecoveredState(
                jobs: jobs, agents: agents, storedSeqs: stored, schedules: schedules, credentials: credentials)
        }
    }

    public func jobs(state: JobState?, limit: Int) async throws -> [Job] {
        try await read("list jobs") { db in
            let bodies: [String]
            if let state {
                bodies = try String.fetchAll(
                    db, sql: "SELECT body FROM jobs WHERE state = ? ORDER BY submit_seq LIMIT ?",
                    arguments: [state.rawValue, limit])
            } else {
                bodies = try String.fetchAll(
                    db, sql: "SELECT body FROM jobs ORDER BY submit_seq LIMIT ?", arguments: [limit])
            }
            return try bodies.map(self.decodeJob)
        }
    }

    public func job(_ id: JobID) async throws -> Job? {
        try await read("read job \(id)") { db in
            try String.fetchOne(db, sql: "SELECT body FROM jobs WHERE id = ?", arguments: [id]).map(self.decodeJob)
        }
    }

    public func history(of id: JobID) async throws -> [JobEvent] {
        try await read("history of \(id)") { db in
            try Row.fetchAll(
                db, sql: "SELECT attempt, at, state, agent_id, detail FROM job_events WHERE job_id = ? ORDER BY id",
                arguments: [id]
            ).map { row in
                JobEvent(
                    jobID: id, attempt: row["attempt"], at: Date(timeIntervalSince1970: row["at"]),
                    state: JobState(rawValue: row["state"]) ?? .queued, agentID: row["agent_id"], detail: row["detail"])
            }
        }
    }

    public func logTail(of id: JobID, lines: Int) async throws -> [LogLine] {
        try await read("log of \(id)") { db in
            try Row.fetchAll(
                db, sql: "SELECT attempt, at, line FROM job_logs WHERE job_id = ? ORDER BY id DESC LIMIT ?",
                arguments: [id, lines]
            ).reversed().map { row in
                LogLine(attempt: row["attempt"], at: Date(timeIntervalSince1970: row["at"]), line: row["line"])
            }
        }
    }

    public func recordCounts(of id: JobID) async throws -> [RecordCount] {
        try await read("record counts of \(id)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT attempt, COUNT(*) AS batches, SUM(record_count) AS records, SUM(dropped) AS dropped
                    FROM record_batches WHERE job_id = ? GROUP BY attempt ORDER BY attempt
                    """, arguments: [id]
            ).map { row in
                RecordCount(
                    attempt: row["attempt"], batches: row["batches"], records: row["records"], dropped: row["dropped"])
            }
        }
    }

    public func records(of id: JobID, attempt: Attempt) async throws -> [JSONValue] {
        try await read("records of \(id)#\(attempt)") { db in
            try String.fetchAll(
                db, sql: "SELECT records FROM record_batches WHERE job_id = ? AND attempt = ? ORDER BY seq",
                arguments: [id, attempt]
            ).flatMap { try self.decoder.decode([JSONValue].self, from: Data($0.utf8)) }
        }
    }

    public func records(of id: JobID, attempt: Attempt, afterSeq: Int, limit: Int) async throws -> RecordPage {
        try await read("records of \(id)#\(attempt) after seq \(afterSeq)") { db in
            var records: [JSONValue] = []
            var lastSeq: Int?
            // A cursor, so the batches past the page are never read.
            let rows = try Row.fetchCursor(
                db,
                sql:
                    "SELECT seq, records FROM record_batches WHERE job_id = ? AND attempt = ? AND seq > ? ORDER BY seq",
                arguments: [id, attempt, afterSeq])
            while let row = try rows.next() {
                if records.count >= limit { return RecordPage(records: records, moreAfterSeq: lastSeq) }
                records += try self.decoder.decode([JSONValue].self, from: Data((row["records"] as String).utf8))
                lastSeq = row["seq"]
            }
            return RecordPage(records: records, moreAfterSeq: nil)
        }
    }

    public func agents() async throws -> [AgentRecord] {
        try await read("list agents") { db in
            try String.fetchAll(db, sql: "SELECT body FROM agents ORDER BY id").map {
                try self.decoder.decode(AgentRecord.self, from: Data($0.utf8))
            }
        }
    }

    // MARK: Internals

    private func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws
        -> T
    {
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError(store: path, operation: operation, underlying: error)
        }
    }

    private func decodeJob(_ body: String) throws -> Job {
        try decoder.decode(Job.self, from: Data(body.utf8))
    }

    private func encode(_ change: StoreChange) throws -> EncodedChange {
        switch change {
        case .job(let job):
            return .job(job, body: String(decoding: try encoder.encode(job), as: UTF8.self))
        case .event(let event):
            return .event(event)
        case .agent(let agent):
            return .agent(agent.id, body: String(decoding: try encoder.encode(agent), as: UTF8.self))
        case .log(let attempt, let at, let lines):
            return .log(attempt, at: at, lines: lines)
        case .schedule(let schedule):
            return .schedule(schedule, body: String(decoding: try encoder.encode(schedule.spec), as: UTF8.self))
        case .scheduleRemoved(let name):
            return .scheduleRemoved(name)
        case .scheduleStarted(let name, let occurrence, let sweepID, let previous):
            return .scheduleStarted(name, occurrence: occurrence, sweepID: sweepID, previous: previous)
        case .records(let batch):
            return .records(batch, json: batch.records.text)
        case .credential(let credential):
            return .credential(credential)
        case .credentialRevoked(let agentID):
            return .credentialRevoked(agentID)
        }
    }
}

/// A change with its JSON already encoded, ready to write inside a transaction.
private enum EncodedChange: Sendable {
    case job(Job, body: String)
    case event(JobEvent)
    case agent(AgentID, body: String)
    case log(JobAttempt, at: Date, lines: [String])
    case schedule(StoredSchedule, body: String)
    case scheduleRemoved(String)
    case scheduleStarted(String, occurrence: Date, sweepID: String, previous: Date?)
    case records(RecordBatch, json: String)
    case credential(AgentCredential)
    case credentialRevoked(AgentID)

    /// Writes the change; for records, says what became of them.
    func write(_ db: Database) throws -> RecordAppendResult? {
        switch self {
        case .job(let job, let body):
            // Fencing: an older attempt never overwrites a newer one.
            try db.cachedStatement(
                sql: """
                    INSERT INTO jobs (id, submit_seq, state, attempt, agent_id, body) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET state = excluded.state, attempt = excluded.attempt,
                        agent_id = excluded.agent_id, body = excluded.body
                    WHERE excluded.attempt >= jobs.attempt
                    """
            ).execute(arguments: [job.id, job.submitSeq, job.state.rawValue, job.attempt, job.agentID, body])
        case .event(let event):
            try db.cachedStatement(
                sql: "INSERT INTO job_events (job_id, attempt, at, state, agent_id, detail) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [
                event.jobID, event.attempt, event.at.timeIntervalSince1970, event.state.rawValue, event.agentID,
                event.detail,
            ])
        case .agent(let id, let body):
            try db.cachedStatement(
                sql: "INSERT INTO agents (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body"
            ).execute(arguments: [id, body])
        case .log(let attempt, let at, let lines):
            let statement = try db.cachedStatement(
                sql: "INSERT INTO job_logs (job_id, attempt, at, line) VALUES (?, ?, ?, ?)")
            for line in lines {
                try statement.execute(arguments: [attempt.jobID, attempt.attempt, at.timeIntervalSince1970, line])
            }
        case .schedule(let schedule, let body):
            try db.cachedStatement(
                sql: """
                    INSERT INTO schedules (name, body, created_at) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET body = excluded.body, created_at = excluded.created_at
                    """
            ).execute(arguments: [schedule.name, body, schedule.createdAt.timeIntervalSince1970])
        case .scheduleRemoved(let name):
            try db.cachedStatement(sql: "DELETE FROM schedules WHERE name = ?").execute(arguments: [name])
        case .scheduleStarted(let name, let occurrence, let sweepID, let previous):
            try db.cachedStatement(
                sql: """
                    UPDATE schedules SET last_occurrence = ?, last_sweep_id = ?
                    WHERE name = ? AND last_occurrence IS ?
                    """
            ).execute(arguments: [occurrence.timeIntervalSince1970, sweepID, name, previous?.timeIntervalSince1970])
            guard db.changesCount == 1 else {
                throw ScheduleStartConflict(name: name, occurrence: occurrence, expectedPrevious: previous)
            }
        case .records(let batch, let json):
            return try Self.insert(batch, json: json, db)
        case .credential(let credential):
            try db.cachedStatement(
                sql: """
                    INSERT INTO agent_credentials (agent_id, secret_digest, enrolled_at) VALUES (?, ?, ?)
                    ON CONFLICT(agent_id) DO UPDATE SET
                        secret_digest = excluded.secret_digest, enrolled_at = excluded.enrolled_at
                    """
            ).execute(arguments: [
                credential.agentID, credential.secretDigest, credential.enrolledAt.timeIntervalSince1970,
            ])
        case .credentialRevoked(let agentID):
            try db.cachedStatement(sql: "DELETE FROM agent_credentials WHERE agent_id = ?").execute(arguments: [agentID]
            )
        }
        return nil
    }

    private static func insert(_ batch: RecordBatch, json: String, _ db: Database) throws -> RecordAppendResult {
        // Fencing at the store: only the current attempt of a job that an agent holds.
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO record_batches
                    (job_id, attempt, seq, agent_id, record_count, dropped, received_at, records)
                SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (
                    SELECT 1 FROM jobs WHERE id = ? AND attempt = ? AND state IN ('assigned', 'running', 'canceling'))
                """
        ).execute(arguments: [
            batch.jobID, batch.attempt, batch.seq, batch.agentID, batch.records.count, batch.dropped,
            batch.receivedAt.timeIntervalSince1970, json, batch.jobID, batch.attempt,
        ])
        if db.changesCount > 0 { return .stored }
        let exists =
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM record_batches WHERE job_id = ? AND attempt = ? AND seq = ?",
                arguments: [batch.jobID, batch.attempt, batch.seq]) ?? false
        return exists ? .duplicate : .stale
    }
}

/// A schedule's start was refused: the store no longer holds the occurrence it started from
/// (another coordinator started it, or the schedule was removed).
struct ScheduleStartConflict: Error, CustomStringConvertible {
    var name: String
    var occurrence: Date
    var expectedPrevious: Date?

    var description: String {
        let previous = expectedPrevious.map { "\($0)" } ?? "none"
        return
            "schedule \(name): refused to start its occurrence of \(occurrence): the store's last occurrence is no longer \(previous)"
    }
}
