import Foundation
import Logging
import Wire

/// The thin shell around ``SchedulerCore``: it feeds the core inputs, queues the core's
/// decisions for ``StateWriter``, and keeps one outbound stream per connected agent.
///
/// All core mutations happen on this actor, synchronously, so they are totally ordered; their
/// store changes leave in that same order through one FIFO.
public actor CoordinatorEngine {
    public typealias Outbox = AgentOutbox

    private var core: SchedulerCore
    private var schedules: ScheduleBook
    private var credentials: [AgentID: AgentCredential]
    private let clock: @Sendable () -> SchedulerTime
    private let logger: Logger
    private var sessions: [AgentID: (sessionID: String, outbox: Outbox)] = [:]
    let writes = WriteQueue()
    private var failure: String?
    /// Why the store cannot be written now (a full disk); changes are refused until it can.
    private(set) var unwritable: String?

    /// Loads the store's state and resumes the queue.
    public init(
        store: any SweeplineStore, configuration: SchedulerConfiguration,
        clock: @escaping @Sendable () -> SchedulerTime = SchedulerClock.now, logger: Logger
    ) async throws {
        let state = try await store.recover()
        self.core = SchedulerCore(configuration: configuration, recovering: state, at: clock())
        self.schedules = ScheduleBook(state.schedules)
        self.credentials = Dictionary(uniqueKeysWithValues: state.credentials.map { ($0.agentID, $0) })
        self.clock = clock
        self.logger = logger
        let onAgents = state.jobs.filter { $0.state.isOnAgent }.count
        logger.info(
            "recovered store",
            metadata: ["jobs": "\(state.jobs.count)", "onAgents": "\(onAgents)", "agents": "\(state.agents.count)"])
    }

    public var configuration: SchedulerConfiguration { core.configuration }

    // MARK: Operators (each returns once its changes are durable)

    public func submit(_ specs: [JobSpec]) async throws -> [JobID] {
        try checkHealthy()
        let (ids, decision) = core.submit(specs, at: clock())
        try await commit(decision)
        return ids
    }

    public func cancel(_ id: JobID) async throws -> CancelResult {
        try checkHealthy()
        let (result, decision) = core.cancel(id, at: clock())
        try await commit(decision)
        return result
    }

    /// `false` when the agent is unknown.
    public func drain(_ agentID: AgentID, reason: String) async throws -> Bool {
        try checkHealthy()
        guard let decision = core.drain(agentID, reason: reason, at: clock()) else { return false }
        try await commit(decision)
        return true
    }

    public func undrain(_ agentID: AgentID) async throws -> Bool {
        try checkHealthy()
        guard let decision = core.undrain(agentID, at: clock()) else { return false }
        try await commit(decision)
        return true
    }

    // MARK: Agent credentials

    /// What `enroll` and `rotate` did.
    public enum EnrolmentResult: Sendable, Equatable {
        case minted(EnrolmentResponse)
        /// The id breaks ``AgentIDRule``: no agent could ever say `hello` with it.
        case invalidID(String)
        /// `enroll` of an agent that has a credential, or `rotate` of one that has none.
        case refused(String)
    }

    /// Mints the first credential of `agentID`; refused when it already has one (rotate it instead).
    public func enroll(_ agentID: AgentID) async throws -> EnrolmentResult {
        try checkHealthy()
        if let problem = AgentIDRule.problem(with: agentID) { return .invalidID(problem) }
        guard credentials[agentID] == nil else {
            return .refused("agent \(agentID) is already enrolled; rotate its credential to get a new secret")
        }
        return .minted(try await mint(agentID))
    }

    /// Replaces the credential of `agentID`: the old secret stops working for new connections at
    /// once, while a connection that already said `hello` keeps running.
    public func rotate(_ agentID: AgentID) async throws -> EnrolmentResult {
        try checkHealthy()
        guard credentials[agentID] != nil else {
            return .refused("agent \(agentID) is not enrolled; enroll it first")
        }
        return .minted(try await mint(agentID))
    }

    /// Revokes the credential of `agentID` and closes its connection; `false` when it had none.
    /// Its jobs are handled as for any lost agent (requeued once their leases expire).
    public func revoke(_ agentID: AgentID) async throws -> Bool {
        try checkHealthy()
        guard credentials[agentID] != nil else { return false }
        try await commit(Decision(changes: [.credentialRevoked(agentID)]))
        credentials[agentID] = nil
        sessions[agentID]?.outbox.finish()
        logger.notice("agent credential revoked", metadata: ["agent": "\(agentID)"])
        return true
    }

    public var enrolledAgents: [EnrolledAgent] {
        credentials.values.sorted { $0.agentID < $1.agentID }.map {
            EnrolledAgent(agent: $0.agentID, enrolledAt: $0.enrolledAt)
        }
    }

    /// Whether `secret` is the current credential of `agentID`.
    public func admits(_ agentID: AgentID, secret: String) -> Bool {
        // An unknown id still costs a digest, so timing does not tell which ids are enrolled.
        let credential =
            credentials[agentID] ?? AgentCredential(agentID: agentID, secretDigest: "", enrolledAt: .distantPast)
        return credential.admits(secret)
    }

    private func mint(_ agentID: AgentID) async throws -> EnrolmentResponse {
        let (secret, credential) = AgentCredential.mint(for: agentID, at: clock().wall)
        // Taken before the write so that a second enrolment of the same id, arriving while this
        // one commits, is refused; no one holds the secret until this returns.
        let previous = credentials.updateValue(credential, forKey: agentID)
        do {
            try await commit(Decision(changes: [.credential(credential)]))
        } catch {
            credentials[agentID] = previous
            throw error
        }
        logger.notice("agent credential minted", metadata: ["agent": "\(agentID)"])
        return EnrolmentResponse(agent: agentID, secret: secret, enrolledAt: credential.enrolledAt)
    }

    // MARK: Schedules

    /// Adds the sweep's schedule, or replaces the one of the same name; nothing runs now.
    public func addSchedule(_ spec: SweepSpec) async throws -> ScheduleSummary {
        try checkHealthy()
        let schedule = schedules.upsert(spec, at: clock().wall)
        try await commit(Decision(changes: [.schedule(schedule)]))
        return summary(of: schedule)
    }

    /// `false` when there is no schedule of that name.
    public func removeSchedule(_ name: String) async throws -> Bool {
        try checkHealthy()
        guard schedules.remove(name) else { return false }
        try await commit(Decision(changes: [.scheduleRemoved(name: name)]))
        return true
    }

    public func scheduleSummaries() -> [ScheduleSummary] {
        schedules.schedules.values.sorted { $0.name < $1.name }.map(summary)
    }

    /// Starts every scheduled sweep whose time has come, each occurrence once: its jobs and the
    /// record that it started commit in one transaction. Returns the sweep runs started.
    @discardableResult
    public func startDueSchedules() async throws -> [String] {
        try checkHealthy()
        let now = clock()
        let due = schedules.takeDue(at: now.wall)
        guard !due.isEmpty else { return [] }
        var decision = Decision()
        for run in due {
            let (_, submitted) = core.submit(SweepExpansion.jobs(run.schedule.spec, sweepID: run.sweepID), at: now)
            decision.merge(submitted)
            decision.changes.append(
                .scheduleStarted(
                    name: run.schedule.name, occurrence: run.occurrence, sweepID: run.sweepID, previous: run.previous))
            logger.info(
                "scheduled sweep started",
                metadata: [
                    "schedule": "\(run.schedule.name)", "sweep": "\(run.sweepID)", "occurrence": "\(run.occurrence)",
                    "missedWhileDown": "\(run.missed)",
                ])
        }
        try await commit(decision)
        return due.map(\.sweepID)
    }

    private func summary(of schedule: StoredSchedule) -> ScheduleSummary {
        let jobs = SweepExpansion.jobs(schedule.spec, sweepID: "")
        return ScheduleSummary(
            name: schedule.name, cron: schedule.spec.schedule?.cron ?? "",
            timeZone: schedule.spec.schedule?.timeZone ?? "",
            createdAt: schedule.createdAt, lastRunAt: schedule.lastOccurrence, lastSweepID: schedule.lastSweepID,
            nextRunAt: schedules.nextRun(of: schedule.name), jobs: jobs.count,
            points: jobs.reduce(0) { $0 + ($1.benchmark?.points.count ?? 0) })
    }

    // MARK: Agents

    public func agentConnected(_ hello: Hello, sessionID: String, outbox: Outbox) {
        if let previous = sessions[hello.agentID] {
            logger.warning(
                "agent connected again; closing its previous session", metadata: ["agent": "\(hello.agentID)"])
            previous.outbox.finish()
        }
        sessions[hello.agentID] = (sessionID, outbox)
        enqueue(core.agentConnected(hello, sessionID: sessionID, at: clock()))
    }

    public func agentDisconnected(_ agentID: AgentID, sessionID: String) {
        if sessions[agentID]?.sessionID == sessionID { sessions[agentID] = nil }
        enqueue(core.agentDisconnected(agentID, sessionID: sessionID, at: clock()))
    }

    /// Handles one frame from a connected agent. Records go through ``ingest(_:from:)`` instead.
    public func handle(_ frame: Frame, from agentID: AgentID) {
        let now = clock()
        switch frame {
        case .heartbeat(let heartbeat): enqueue(core.heartbeat(agentID, heartbeat, at: now))
        case .accepted(let attempt): enqueue(core.accepted(agentID, attempt, at: now))
        case .log(let lines):
            // While the store is full, log text would only pile up in memory.
            if unwritable == nil { enqueue(core.log(agentID, lines, at: now)) }
        case .finished(let finished): enqueue(core.finished(agentID, finished, at: now))
        case .error(let reason):
            logger.warning("agent reported an error", metadata: ["agent": "\(agentID)", "reason": "\(reason.reason)"])
        case .unknown(let type):
            logger.info("ignoring frame of unknown type", metadata: ["agent": "\(agentID)", "type": "\(type)"])
        default:
            logger.warning(
                "ignoring frame an agent should not send", metadata: ["agent": "\(agentID)", "type": "\(frame.type)"])
        }
    }

    /// Stores a batch of records if its attempt is current, and returns the reply for the agent.
    public func ingest(_ records: Records, from agentID: AgentID) async throws -> Frame {
        let attempt = JobAttempt(jobID: records.jobID, attempt: records.attempt)
        let ack = Frame.recordsAck(RecordsAck(jobID: records.jobID, attempt: records.attempt, upToSeq: records.seq))
        switch core.checkRecords(agentID, attempt, seq: records.seq) {
        case .duplicate:
            return ack
        case .stale(let current):
            return .stale(Stale(jobID: records.jobID, attempt: records.attempt, current: current))
        case .outOfOrder(let next):
            throw ProtocolViolation.recordsOutOfOrder(attempt, seq: records.seq, next: next)
        case .store:
            try checkHealthy()
            let batch = RecordBatch(
                jobID: records.jobID, attempt: records.attempt, seq: records.seq, agentID: agentID,
                records: records.records, dropped: records.dropped, receivedAt: clock().wall)
            // Through the same queue as every decision: one group commit, and a decision queued
            // after these records (the attempt's end) commits after them.
            let stored = try await withCheckedThrowingContinuation { continuation in
                writes.push(StateWriter.Write(changes: [.records(batch)], frames: [], done: .records(continuation)))
            }
            switch stored {
            case .stored, .duplicate:
                core.recordsStored(attempt, seq: records.seq)
                return ack
            case .stale:
                return .stale(
                    Stale(jobID: records.jobID, attempt: records.attempt, current: core.job(records.jobID)?.attempt))
            }
        }
    }

    public func tick() {
        enqueue(core.tick(at: clock()))
    }

    // MARK: Reading

    public func snapshot() -> FleetSnapshot {
        let jobs = Array(core.jobs.values)
        let agents = core.agentIDs.compactMap { id -> AgentStatus? in
            guard let record = core.agentRecord(id) else { return nil }
            return AgentStatus(
                record: record, connected: core.isConnected(id), busyGPUs: core.busyGPUs(of: id),
                jobs: core.jobs(on: id))
        }
        return FleetSnapshot(
            jobs: jobs, agents: agents, progress: core.progress,
            failure: failure ?? unwritable.map { "the store cannot be written now: \($0)" })
    }

    public func job(_ id: JobID) -> Job? { core.job(id) }

    public func progress(of id: JobID) -> JobProgress? { core.progress[id] }

    // MARK: Writing

    private func checkHealthy() throws {
        if let failure { throw CoordinatorFailure(reason: failure) }
        if let unwritable { throw StoreUnavailable(reason: unwritable) }
    }

    /// The writer holds a write the store refused for now: refuse new changes (operators get
    /// 503, agents an error frame and resend once they reconnect) but keep serving reads.
    func storeUnwritable(_ reason: String) {
        unwritable = reason
    }

    func storeWritableAgain() {
        unwritable = nil
    }

    private func enqueue(_ decision: Decision, done: CheckedContinuation<Void, any Error>? = nil) {
        guard !decision.isEmpty || done != nil else { return }
        let frames = decision.frames.compactMap { outbound in
            sessions[outbound.agentID].map { ($0.outbox, outbound.frame) }
        }
        writes.push(StateWriter.Write(changes: decision.changes, frames: frames, done: done.map { .decision($0) }))
    }

    private func commit(_ decision: Decision) async throws {
        try await withCheckedThrowingContinuation { enqueue(decision, done: $0) }
    }

    /// The store failed: refuse further changes, and fail what is waiting.
    func writerFailed(_ error: any Error) {
        failure = "\(error)"
        writes.finish(failing: error)
        for session in sessions.values { session.outbox.finish() }
        sessions = [:]
    }
}

/// The store cannot be written for now (a full disk): nothing new is accepted until it can.
public struct StoreUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public var description: String {
        "the coordinator's store cannot be written now (\(reason)); nothing new is accepted until it can, everything acknowledged is safe, and reads still work"
    }
}

/// The store failed and the coordinator stopped accepting changes; restart it once the cause is fixed.
public struct CoordinatorFailure: Error, CustomStringConvertible {
    public var reason: String
    public var description: String {
        "coordinator stopped accepting changes after a store failure: \(reason); everything acknowledged is safe; restart it once the cause is fixed"
    }
}

/// The monotonic and wall clocks of this process.
public enum SchedulerClock {
    private static let origin = ContinuousClock.now

    @Sendable public static func now() -> SchedulerTime {
        SchedulerTime(monotonic: (ContinuousClock.now - origin).inSeconds, wall: Date())
    }
}
