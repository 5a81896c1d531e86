import Coordinator
import Foundation
import Results
import SweeplineCLI
import Testing

/// Nightly runs of one sweep, the engine made 5 % slower from the ninth on: the change point
/// is found and dated, `status` and the API show it open, `history` draws it, `compare` calls
/// the slower run a regression and two runs of the same engine none, and the report has the
/// trends. The simulated engine in virtual time, so fourteen runs take seconds.
@Suite struct HistoryEndToEndTests {
    static func sweep(slowdown: Double) -> String {
        """
        sweep:
          name: nightly
          workload: {promptsPerConcurrency: 8, warmupsPerConcurrency: 1, rangeRatio: 1, seed: 7}
          entries:
            - model: Llama-3.3-70B-Instruct
              engine: {kind: sim, virtual: true, slowdown: \(slowdown)}
              precision: fp8
              hardware: H200-SXM
              scenarios: [{isl: 1024, osl: 128}]
              search: {tp: [1], concurrency: [4]}
        """
    }

    @Test func aStepInANightlySeries_isFoundDatedAndReported() async throws {
        try await Fleet.run { fleet in
            try await fleet.startCoordinator()
            try await fleet.startAgent("gpu-h200", gpus: 8, model: "SIM-H200")
            try await fleet.waitForAgents(1)
            var runs: [String] = []
            for night in 0..<14 {
                let response: SweepSubmitResponse = try await fleet.client.post(
                    "/v1/sweeps", body: Data(Self.sweep(slowdown: night < 8 ? 1 : 1.05).utf8))
                let id = try #require(response.sweepID)
                runs.append(id)
                _ = try await eventually("night \(night) to finish", timeout: .seconds(60)) {
                    let sweeps: [SweepSummary] = try await fleet.client.get("/v1/sweeps")
                    return sweeps.first { $0.sweepID == id && $0.isFinished }
                }
            }
            let results: [PointResult] = try await fleet.client.get("/v1/sweeps/\(runs[0])/results")
            let key = try #require(results.first?.pointKey)
            #expect(results.allSatisfy { $0.isValid }, "\(results.map(\.invalidReasons))")

            let open: [OpenChangePoint] = try await fleet.client.get("/v1/changepoints")
            let slower = try #require(open.first { $0.changePoint.metric == .interactivity }, "\(open)")
            #expect(slower.pointKey == key && slower.sweepName == "nightly")
            #expect(slower.changePoint.index == 8 && slower.changePoint.sweepID == runs[8], "\(slower)")
            #expect(abs(slower.changePoint.change - (1 / 1.05 - 1)) < 0.01)

            let status = try await cli(fleet, "status", ["status"])
            #expect(status.output.contains { $0.hasPrefix("CHANGED  \(key) tok/s/user -4.") }, "\(status.output)")
            let history = try await cli(fleet, "history", ["history", key])
            #expect(history.output.contains { $0.hasPrefix("\(key) over 14 runs of sweep nightly") })
            #expect(history.output.contains { $0.hasPrefix("OPEN  tok/s/user -4.") && $0.contains(runs[8]) })
            #expect(history.output.contains { $0.hasPrefix(runs[8]) && $0.contains("▲ tok/s/user") })

            let regressed = try await cli(fleet, "compare-regressed", ["compare", runs[7], runs[8]], exit: 3)
            #expect(
                regressed.output.contains { $0.contains("REGRESSION: tok/s/GPU, tok/s/user") }, "\(regressed.output)")
            let same = try await cli(fleet, "compare-same", ["compare", runs[0], runs[1]])
            #expect(same.output.contains { $0.hasPrefix("1 points compared: 0 regressions") }, "\(same.output)")
            let loose = try await cli(fleet, "compare-loose", ["compare", runs[8], "--effect", "10"])
            #expect(loose.output.contains { $0.contains("no change") }, "a 5 % change is below an effect of 10 %")

            let report = fleet.path("nightly.html")
            _ = try await cli(fleet, "report", ["report", runs[13], "-o", report])
            let page = try String(contentsOfFile: report, encoding: .utf8)
            #expect(page.contains("<svg class=\"trend\"") && page.contains("open change point"))
            // How many requests a 5 % change needs, from the latest run: the simulation is
            // deterministic, so what the file gives is enough.
            let file = fleet.path("nightly.yaml")
            try Self.sweep(slowdown: 1.05).write(toFile: file, atomically: true, encoding: .utf8)
            let plan = try await cli(fleet, "plan", ["plan", file, "--against", "latest", "--detect", "ttft=20"])
            #expect(plan.output.contains { $0.hasPrefix(key) && $0.hasSuffix("enough") }, "\(plan.output)")
            #expect(plan.output.contains { $0.contains("for a change of tok/s/GPU 5 %") && $0.contains("TTFT 20 %") })
            let lone = try await cli(fleet, "plan-without-run", ["plan", file, "--detect", "5"], exit: 64)
            #expect(lone.log.contains("--detect and --effect need --against"), "\(lone.log)")

            // Queries that mean nothing are refused, naming what.
            for (path, says) in [
                ("/v1/sweeps/\(runs[8])/baseline?effect=fast", "effect `fast`"),
                ("/v1/sweeps/\(runs[8])/baseline?fdr=90", "false-discovery rate"),
                ("/v1/history?point=\(key)&runs=1", "runs=1"), ("/v1/history", "?point="),
            ] {
                let refusal = try await #require(throws: APIError.self) { try await fleet.client.send(.GET, path) }
                #expect(refusal.status == 400 && refusal.message.contains(says), "\(path): \(refusal)")
            }

            let unknown = try await cli(fleet, "history-unknown", ["history", "no/such/point"], exit: 1)
            #expect(unknown.log.contains("404") && unknown.log.contains("no/such/point"), "\(unknown.log)")
        }
    }

    func cli(_ fleet: Fleet, _ name: String, _ arguments: [String], exit: Int32 = 0) async throws -> ManagedProcess {
        let process = try ManagedProcess(
            name: name,
            arguments: arguments + [
                "--url", "http://127.0.0.1:\(fleet.httpPort)", "--token-file", fleet.path("operator.token"),
            ], directory: fleet.directory)
        #expect(try await process.waitForExit(timeout: .seconds(60)) == exit, "\(process.log)")
        return process
    }
}
