import Coordinator
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The operator commands, run as a person would run them, against a live fleet.
@Suite(.serialized) struct OperatorCommandTests {
    @Test func drainCancelWatchAndJSON_andAGracefulAgentShutdownRequeuesItsJob() async throws {
        try await Fleet.run(run)
    }

    /// Runs `sweepline ARGS` and returns (exit status, stdout).
    private func sweepline(_ fleet: Fleet, _ arguments: [String]) async throws -> (Int32, String) {
        let process = try ManagedProcess(
            name: "cli-\(arguments[0])-\(UUID().uuidString.prefix(4))",
            arguments: arguments + [
                "--url", "http://127.0.0.1:\(fleet.httpPort)", "--token-file", fleet.path("operator.token"),
            ],
            directory: fleet.directory)
        let status = try await process.waitForExit(timeout: .seconds(60))
        try await Task.sleep(for: .milliseconds(50))  // the last stdout bytes
        return (status, process.output.joined(separator: "\n"))
    }

    private func run(_ fleet: Fleet) async throws {
        try await fleet.startCoordinator(leaseSeconds: 3)
        try await fleet.startAgent("node-1", gpus: 1)
        try await fleet.startAgent("node-2", gpus: 1)
        try await fleet.waitForAgents(2)

        // Drain node-2: everything goes to node-1.
        let (drainStatus, drainOutput) = try await sweepline(fleet, ["drain", "node-2", "--reason", "PSU swap"])
        #expect(drainStatus == 0)
        #expect(drainOutput.contains("node-2: drained (PSU swap)"))
        let (_, agentsJSON) = try await sweepline(fleet, ["agents", "--format", "json"])
        let agents = try JSONDecoder.iso8601.decode([AgentStatus].self, from: Data(agentsJSON.utf8))
        #expect(agents.first { $0.record.id == "node-2" }?.record.drainReason == "PSU swap")

        let file = fleet.path("jobs.yaml")
        try
            (fleet.exampleJobs("op", count: 3, records: 20, intervalMs: 300)
            + "\n  - name: forever\n    gpus: 1\n    priority: -1\n    command: {argv: [sleep, \"300\"]}\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let (submitStatus, submitOutput) = try await sweepline(fleet, ["submit", file])
        #expect(submitStatus == 0)
        #expect(submitOutput.contains("submitted 4 job(s)"))
        let running = try await eventually("a job running on node-1") {
            try await fleet.jobs().first { $0.job.state == .running }?.job
        }
        #expect(running.agentID == "node-1")

        // Undrain; then stop node-1 gracefully mid-job: its job comes back, free of the
        // workload budget, and finishes on node-2.
        #expect(try await sweepline(fleet, ["undrain", "node-2"]).0 == 0)
        fleet.agents["node-1"]!.kill(SIGTERM)
        #expect(try await fleet.agents["node-1"]!.waitForExit() == 0)
        let moved = try await eventually("\(running.id) to finish on node-2", timeout: .seconds(60)) {
            let job = try await fleet.job(running.id).job
            return job.state == .succeeded ? job : nil
        }
        #expect(moved.agentID == "node-2")
        #expect(moved.attempt == 2)
        #expect(moved.retriesUsed.workloadFailures == 0)

        // The endless job: cancel it once it runs (SIGTERM to its process group).
        let forever = try await eventually("the endless job to run", timeout: .seconds(60)) {
            try await fleet.jobs().first { $0.job.spec.name == "forever" && $0.job.state == .running }?.job
        }
        let (cancelStatus, cancelOutput) = try await sweepline(fleet, ["cancel", forever.id])
        #expect(cancelStatus == 0)
        #expect(cancelOutput.contains("\(forever.id): canceling"))

        // `watch --until-done` on a pipe prints plain lines and exits 0 (nothing failed).
        let (watchStatus, watchOutput) = try await sweepline(fleet, ["watch", "--until-done", "--interval", "0.2"])
        #expect(watchStatus == 0)
        #expect(watchOutput.contains("succeeded=3"))
        #expect(watchOutput.contains("canceled=1"))
        #expect(!watchOutput.contains("\u{1B}["), "no terminal codes on a pipe")

        let (_, jobsJSON) = try await sweepline(fleet, ["jobs", "--state", "canceled", "--format", "json"])
        let canceled = try JSONDecoder.iso8601.decode([JobSummary].self, from: Data(jobsJSON.utf8))
        #expect(canceled.map(\.job.id) == [forever.id])
        let (_, detail) = try await sweepline(fleet, ["job", running.id])
        #expect(detail.contains("interrupted on node-1"))
        #expect(detail.contains("attempt 2: 20 in 20 batches"))
        let (statusCode, status) = try await sweepline(fleet, ["status"])
        #expect(statusCode == 0)
        #expect(status.contains("agents  1 connected of 2 known"))
        let (unknownStatus, _) = try await sweepline(fleet, ["job", "j-999999"])
        #expect(unknownStatus != 0)
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
