import Foundation
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct CoordinatorCrashTests {
    @Test func coordinatorKilledMidRun_andRestartedOnTheSameStore_losesNoRecord_andFinishesEveryJobOnce() async throws {
        try await Fleet.run(run)
    }

    private func run(_ fleet: Fleet) async throws {
        try await fleet.startCoordinator(leaseSeconds: 3, recoveryGraceSeconds: 20)
        try await fleet.startAgent("agent-a", gpus: 3)
        try await fleet.startAgent("agent-b", gpus: 3)
        try await fleet.waitForAgents(2)
        // 6 s a job: reading twelve jobs' stored counts before the kill takes seconds on a
        // loaded machine, and at 2 s a job every one caught mid-stream had finished by then.
        let ids = try await fleet.submit(fleet.exampleJobs("crash", count: 12, records: 40, intervalMs: 150))

        // Mid-run: some jobs done, some streaming. Note what the store already holds.
        _ = try await eventually("records to be flowing") {
            let jobs = try await fleet.jobs()
            return jobs.contains { ($0.progress?.recordsProduced ?? 0) > 10 } ? true : nil
        }
        var storedBefore: [JobID: (attempt: Attempt, records: Int)] = [:]
        for id in ids {
            let detail = try await fleet.job(id)
            if let count = detail.records.last { storedBefore[id] = (count.attempt, count.records) }
        }
        #expect(storedBefore.values.contains { $0.records > 0 })
        fleet.coordinator!.kill(SIGKILL)
        _ = try await fleet.coordinator!.waitForExit()
        try await Task.sleep(for: .milliseconds(700))  // agents keep working, buffering, reconnecting
        try await fleet.startCoordinator(leaseSeconds: 3, recoveryGraceSeconds: 20)

        let jobs = try await fleet.waitUntilSettled()
        #expect(jobs.map(\.job.id) == ids)
        // Jobs caught mid-stream were reclaimed by their agents (`holding`) and kept their attempt.
        let reclaimed = jobs.filter { summary in
            guard let before = storedBefore[summary.job.id] else { return false }
            return before.records < 40 && summary.job.attempt == before.attempt
        }
        #expect(!reclaimed.isEmpty, "some job was mid-stream at the crash and finished on the same attempt")
        for summary in jobs {
            let id = summary.job.id
            #expect(summary.job.state == .succeeded, "\(id): \(summary.job.detail)")
            let detail = try await fleet.job(id)
            #expect(detail.history.filter { $0.state == .succeeded }.count == 1, "\(id) finished exactly once")
            // Nothing stored before the crash is gone.
            if let before = storedBefore[id] {
                let now = detail.records.first { $0.attempt == before.attempt }?.records ?? 0
                #expect(
                    now >= before.records,
                    "\(id) attempt \(before.attempt): \(now) records, \(before.records) before the crash")
            }
            // The final attempt holds every record exactly once.
            let records = try await fleet.records(id, attempt: summary.job.attempt)
            #expect(records.compactMap { $0["request"]?.doubleValue }.map(Int.init) == Array(1...40), "\(id)")
        }
    }
}
