import Foundation
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// Real processes on loopback: a coordinator and two `sweepline agent`s.
@Suite(.serialized) struct AgentFailoverTests {
    @Test func twentyJobs_agentKilledMidJob_jobFinishesOnTheOtherAsAttempt2_andLateRecordsAreRefused() async throws {
        try await Fleet.run(run)
    }

    private func run(_ fleet: Fleet) async throws {
        try await fleet.startCoordinator(leaseSeconds: 3)
        try await fleet.startAgent("agent-a", gpus: 2)
        try await fleet.startAgent("agent-b", gpus: 2)
        try await fleet.waitForAgents(2)
        let ids = try await fleet.submit(fleet.exampleJobs("e2e", count: 20, records: 30, intervalMs: 120))
        #expect(ids.count == 20)

        // A job on agent-a that has streamed some records, then agent-a dies without a word.
        // Not one near its end: on a loaded machine it could finish before the kill lands.
        let victim = try await eventually("a job with records on agent-a") {
            try await fleet.jobs().first {
                $0.job.agentID == "agent-a" && $0.job.state == .running
                    && (4...15).contains($0.progress?.recordsProduced ?? 0)
            }?.job
        }
        fleet.agents["agent-a"]!.kill(SIGKILL)

        let moved = try await eventually("\(victim.id) to run again on agent-b", timeout: .seconds(30)) {
            let job = try await fleet.job(victim.id).job
            return job.attempt == 2 && job.agentID == "agent-b" && job.state.isOnAgent ? job : nil
        }
        #expect(moved.retriesUsed.agentLosses == 1)

        // The dead attempt's records arrive late (an agent that comes back and replays them):
        // the coordinator answers `stale` and stores nothing.
        let late = Frame.records(
            Records(
                jobID: victim.id, attempt: 1, seq: 999, records: RecordsJSON([.object(["late": .bool(true)])]),
                dropped: 0))
        let raw = try await fleet.rawAgent()
        let bytes = try RawAgent.bytes([
            RawAgent.hello(
                "agent-a", token: try await fleet.enroll("agent-a"), holding: [JobAttempt(jobID: victim.id, attempt: 1)]
            ),
            late,
        ])
        let (answers, _) = try await raw.exchange(bytes, quiet: .seconds(1))
        #expect(answers.first.map { if case .welcome = $0 { true } else { false } } == true)
        #expect(answers.contains(.stale(Stale(jobID: victim.id, attempt: 1, current: 2))))
        #expect(!answers.contains { if case .recordsAck = $0 { true } else { false } })

        let jobs = try await fleet.waitUntilSettled()
        #expect(jobs.count == 20)
        #expect(
            jobs.allSatisfy { $0.job.state == .succeeded },
            "\(jobs.map { "\($0.job.id) \($0.job.state) \($0.job.detail)" })")
        let finished = try await fleet.job(victim.id)
        #expect(finished.job.attempt == 2)
        #expect(finished.job.agentID == "agent-b")
        #expect(try await fleet.records(victim.id, attempt: 1).allSatisfy { $0["late"] == nil })
        // Every job's final attempt stored each of its 30 records exactly once.
        for summary in jobs {
            let records = try await fleet.records(summary.job.id, attempt: summary.job.attempt)
            let requests = records.compactMap { $0["request"]?.doubleValue }.map(Int.init)
            #expect(requests == Array(1...30), "\(summary.job.id)")
            #expect(Set(records.compactMap { $0["gpus"]?.stringValue }).count == 1)
        }
    }
}
