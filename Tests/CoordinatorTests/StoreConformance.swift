import Foundation
import Testing
import Wire

@testable import Coordinator

/// The contract of ``SweeplineStore``: every implementation (SQLite today, PostgreSQL next) runs
/// these checks against a fresh, empty store.
struct StoreCheck: Sendable, CustomStringConvertible {
    var description: String
    var run: @Sendable (any SweeplineStore) async throws -> Void

    static let wall = Date(timeIntervalSince1970: 1_800_000_000)

    static func job(_ seq: Int, state: JobState = .queued, attempt: Attempt = 1, agent: AgentID? = nil) -> Job {
        Job(
            id: Job.id(forSubmitSeq: seq), submitSeq: seq,
            spec: JobSpec(name: "job-\(seq)", gpus: 1, command: CommandWorkload(argv: ["true"])),
            state: state, attempt: attempt, agentID: agent, gpus: agent == nil ? [] : [0], submittedAt: wall,
            updatedAt: wall)
    }

    static func batch(_ job: Job, seq: Int, attempt: Attempt? = nil, count: Int = 3) -> RecordBatch {
        RecordBatch(
            jobID: job.id, attempt: attempt ?? job.attempt, seq: seq, agentID: job.agentID ?? "a",
            records: RecordsJSON((0..<count).map { .object(["seq": .number(Double(seq)), "i": .number(Double($0))]) }),
            dropped: seq == 2 ? 5 : 0,
            receivedAt: wall)
    }

    static let all: [StoreCheck] = [
        StoreCheck(description: "jobs round-trip and list by state in submission order") { store in
            let jobs = [job(1), job(2, state: .running, agent: "a"), job(3)]
            try await store.apply(jobs.map { .job($0) })
            #expect(try await store.job(jobs[1].id) == jobs[1])
            #expect(try await store.job("j-999999") == nil)
            #expect(try await store.jobs(state: .queued, limit: 10).map(\.id) == [jobs[0].id, jobs[2].id])
            #expect(try await store.jobs(state: nil, limit: 2).map(\.id) == [jobs[0].id, jobs[1].id])
        },
        StoreCheck(description: "an older attempt never overwrites a newer one") { store in
            try await store.apply([.job(job(1, state: .queued, attempt: 2))])
            try await store.apply([.job(job(1, state: .running, attempt: 1, agent: "late"))])
            let stored = try await store.job(Job.id(forSubmitSeq: 1))
            #expect(stored?.attempt == 2)
            #expect(stored?.state == .queued)
            try await store.apply([.job(job(1, state: .running, attempt: 2, agent: "b"))])
            #expect(try await store.job(Job.id(forSubmitSeq: 1))?.state == .running)
        },
        StoreCheck(description: "records: stored once, duplicates ignored, fenced by attempt and state") { store in
            let running = job(1, state: .running, attempt: 2, agent: "a")
            try await store.apply([.job(running), .job(job(2))])
            #expect(try await store.appendRecords(batch(running, seq: 1)) == .stored)
            #expect(try await store.appendRecords(batch(running, seq: 2)) == .stored)
            #expect(try await store.appendRecords(batch(running, seq: 1)) == .duplicate)
            #expect(try await store.appendRecords(batch(running, seq: 3, attempt: 1)) == .stale, "older attempt")
            #expect(try await store.appendRecords(batch(job(2), seq: 1)) == .stale, "job not on an agent")
            #expect(try await store.appendRecords(batch(job(9), seq: 1)) == .stale, "unknown job")
            let records = try await store.records(of: running.id, attempt: 2)
            #expect(records.count == 6)
            #expect(records.first?["seq"] == .number(1))
            #expect(records.last?["seq"] == .number(2))
            #expect(
                try await store.recordCounts(of: running.id) == [
                    RecordCount(attempt: 2, batches: 2, records: 6, dropped: 5)
                ])
            #expect(try await store.records(of: running.id, attempt: 1).isEmpty)
        },
        StoreCheck(description: "records page by whole batches, and a page says whether more follow") { store in
            let running = job(1, state: .running, agent: "a")
            try await store.apply([.job(running)] + (1...5).map { .records(batch(running, seq: $0)) })
            var seen: [JSONValue] = []
            var after = 0
            var pages = 0
            while true {
                let page = try await store.records(of: running.id, attempt: 1, afterSeq: after, limit: 4)
                seen += page.records
                pages += 1
                guard let next = page.moreAfterSeq else { break }
                #expect(page.records.count == 6, "two whole batches of three reach the limit of four")
                after = next
            }
            #expect(pages == 3)
            #expect(seen == (try await store.records(of: running.id, attempt: 1)))
            #expect(try await store.records(of: running.id, attempt: 1, afterSeq: 5, limit: 4).records.isEmpty)
        },
        StoreCheck(description: "records and state changes in one transaction, in order, each batch answered") {
            store in
            let running = job(1, state: .running, agent: "a")
            var finished = running
            finished.state = .succeeded
            let results = try await store.apply([
                .job(running), .records(batch(running, seq: 1)), .job(finished), .records(batch(running, seq: 2)),
            ])
            #expect(results == [.stored, .stale], "the batch after the job ended is refused")
            #expect(try await store.recordCounts(of: running.id).first?.batches == 1)
            #expect(try await store.apply([.job(job(2))]).isEmpty)
        },
        StoreCheck(description: "records from many concurrent writers are all stored") { store in
            let jobs = (1...20).map { job($0, state: .running, agent: "a") }
            try await store.apply(jobs.map { .job($0) })
            try await withThrowingTaskGroup(of: RecordAppendResult.self) { group in
                for job in jobs {
                    for seq in 1...10 {
                        group.addTask { try await store.appendRecords(batch(job, seq: seq, count: 50)) }
                    }
                }
                for try await result in group { #expect(result == .stored) }
            }
            for job in jobs { #expect(try await store.recordCounts(of: job.id).first?.records == 500) }
        },
        StoreCheck(description: "history and log tail keep their order") { store in
            let id = Job.id(forSubmitSeq: 1)
            try await store.apply(
                [.job(job(1))]
                    + [JobState.queued, .assigned, .running].map {
                        .event(JobEvent(jobID: id, attempt: 1, at: wall, state: $0, agentID: "a", detail: $0.rawValue))
                    })
            try await store.apply([
                .log(JobAttempt(jobID: id, attempt: 1), at: wall, lines: (1...30).map { "line \($0)" })
            ])
            #expect(try await store.history(of: id).map(\.state) == [.queued, .assigned, .running])
            #expect(try await store.logTail(of: id, lines: 3).map(\.line) == ["line 28", "line 29", "line 30"])
        },
        StoreCheck(description: "agents are upserted") { store in
            let inventory = Inventory(hostname: "h", vendor: .declared, gpus: [], cpuCores: 2)
            var agent = AgentRecord(
                id: "a", instanceID: "1", agentVersion: "v", inventory: inventory, labels: [:], drainReason: nil,
                firstSeenAt: wall, lastSeenAt: wall)
            try await store.apply([.agent(agent)])
            agent.drainReason = "maintenance"
            try await store.apply([.agent(agent)])
            #expect(try await store.agents() == [agent])
        },
        StoreCheck(description: "recovery returns jobs, agents and the stored batches of running attempts") { store in
            let running = job(1, state: .running, attempt: 2, agent: "a")
            try await store.apply([.job(job(1, state: .running, attempt: 1, agent: "a"))])
            _ = try await store.appendRecords(batch(job(1, state: .running, attempt: 1, agent: "a"), seq: 9))
            try await store.apply([.job(running), .job(job(2))])
            _ = try await store.appendRecords(batch(running, seq: 1))
            _ = try await store.appendRecords(batch(running, seq: 2))
            let state = try await store.recover()
            #expect(state.jobs.map(\.id) == [running.id, Job.id(forSubmitSeq: 2)])
            #expect(state.storedSeqs == [JobAttempt(jobID: running.id, attempt: 2): [1, 2]])
        },
        StoreCheck(
            description:
                "a schedule's occurrence starts once: a second start from the same previous is refused with its jobs"
        ) {
            store in
            let spec = SweepSpec(
                name: "nightly", entries: [], schedule: SweepSchedule(cron: "0 2 * * *", timeZone: "Europe/Berlin"))
            try await store.apply([.schedule(StoredSchedule(spec: spec, createdAt: wall))])
            let occurrence = wall.addingTimeInterval(3600)
            try await store.apply([
                .job(job(1)), .scheduleStarted(name: "nightly", occurrence: occurrence, sweepID: "sw-a", previous: nil),
            ])
            // A second coordinator that decided from the same state is refused, all or nothing.
            await #expect(throws: (any Error).self) {
                try await store.apply([
                    .job(job(2)),
                    .scheduleStarted(name: "nightly", occurrence: occurrence, sweepID: "sw-b", previous: nil),
                ])
            }
            let state = try await store.recover()
            #expect(state.jobs.map(\.submitSeq) == [1])
            #expect(state.schedules.map(\.lastSweepID) == ["sw-a"])
            #expect(state.schedules.first?.lastOccurrence == occurrence)
            // Replacing the schedule keeps what already ran; removing it forgets it.
            try await store.apply([.schedule(StoredSchedule(spec: spec, createdAt: occurrence))])
            #expect(try await store.recover().schedules.first?.lastOccurrence == occurrence)
            #expect(try await store.recover().schedules.first?.createdAt == occurrence)
            try await store.apply([.scheduleRemoved(name: "nightly")])
            #expect(try await store.recover().schedules.isEmpty)
        },
    ]
}

@Suite struct SQLiteStoreConformanceTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sweepline-test-\(UUID().uuidString).db").path
    }

    @Test(arguments: StoreCheck.all)
    func conforms(_ check: StoreCheck) async throws {
        let path = Self.temporaryPath()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await check.run(try SQLiteStore(path: path))
    }

    @Test func reopeningTheFile_findsEverythingCommitted() async throws {
        let path = Self.temporaryPath()
        do {
            let store = try SQLiteStore(path: path)
            try await store.apply([.job(StoreCheck.job(1, state: .running, agent: "a"))])
            _ = try await store.appendRecords(StoreCheck.batch(StoreCheck.job(1, state: .running, agent: "a"), seq: 1))
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.recover().jobs.count == 1)
        #expect(try await reopened.records(of: Job.id(forSubmitSeq: 1), attempt: 1).count == 3)
    }

    @Test func aFileThatIsNotADatabase_isRefusedNamingThePath() throws {
        let path = Self.temporaryPath()
        try "not a database, just text".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try SQLiteStore(path: path)
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("open")
        }
    }
}
