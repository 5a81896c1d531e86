import Coordinator
import Foundation
import Results
import Testing

/// A sweep from its file to its report, through a coordinator and two agent processes that run
/// the simulated engine as processes of their own, as an operator would drive it.
@Suite struct SweepEndToEndTests {
    static let sweep = """
        sweep:
          name: e2e
          workload: {promptsPerConcurrency: 2, warmupsPerConcurrency: 0, rangeRatio: 1}
          entries:
            - model: gpt-oss-120b
              engine: {kind: sim, timeScale: 100}
              precision: fp4
              hardware: H200-SXM
              scenarios: [{isl: 256, osl: 32}]
              search: {tp: [1, 2], concurrency: [2, 8]}
            - model: gpt-oss-120b
              engine: {kind: sim, timeScale: 100}
              precision: fp4
              hardware: B200-HGX
              scenarios: [{isl: 256, osl: 32}]
              search: {tp: [1, 2], concurrency: [2, 8]}
        """

    func cli(_ fleet: Fleet, _ name: String, _ arguments: [String], local: Bool = false) async throws -> ManagedProcess
    {
        let connection = ["--url", "http://127.0.0.1:\(fleet.httpPort)", "--token-file", fleet.path("operator.token")]
        let process = try ManagedProcess(
            name: name, arguments: arguments + (local ? [] : connection), directory: fleet.directory)
        #expect(try await process.waitForExit(timeout: .seconds(60)) == 0, "\(process.log)")
        return process
    }

    @Test func aSweepRunsOnTwoAgents_andItsResultsFrontiersAndReportComeFromTheStoredRecords() async throws {
        try await Fleet.run { fleet in
            try await fleet.startCoordinator()
            try await fleet.startAgent("gpu-h200", gpus: 2, model: "SIM-H200")
            try await fleet.startAgent("gpu-b200", gpus: 2, model: "SIM-B200")
            try await fleet.waitForAgents(2)
            let file = fleet.path("sweep.yaml")
            try Self.sweep.write(toFile: file, atomically: true, encoding: .utf8)

            let plan = try await cli(fleet, "plan", ["plan", file], local: true)
            #expect(plan.output.contains { $0.hasPrefix("4 jobs, 8 points") }, "\(plan.output)")
            let submit = try await cli(fleet, "submit", ["submit", file])
            let line = try #require(submit.output.first { $0.hasPrefix("submitted sweep ") })
            let sweepID = String(line.split(separator: " ")[2])

            let summary = try await eventually("the sweep to finish", timeout: .seconds(120)) {
                let sweeps: [SweepSummary] = try await fleet.client.get("/v1/sweeps")
                return sweeps.first { $0.sweepID == sweepID && $0.isFinished }
            }
            #expect(summary.jobStates == ["succeeded": 4], "\(fleet.logs)")

            let results: [PointResult] = try await fleet.client.get("/v1/sweeps/\(sweepID)/results")
            #expect(results.count == 8)
            for result in results {
                #expect(result.figures.completed == 2 * (result.concurrency ?? 0))
                #expect(result.figures.failed == 0)
                let agent = result.deployment.hardware == "H200-SXM" ? "gpu-h200" : "gpu-b200"
                #expect(result.provenance.agentID == agent, "the GPU selector placed the job")
                #expect(result.provenance.engine?.contains("sim-engine") == true, "the agent launched the engine")
                #expect(result.economics?.costs["neocloud_own"] != nil)
                // Every point says how sure it is, from its own requests.
                let intervals = result.figures.intervals
                #expect(intervals?.sampleSize == result.figures.completed)
                if result.figures.completed >= 6 {
                    #expect(intervals?.medianTTFTMilliseconds?.contains(result.figures.medianTTFTMilliseconds) == true)
                }
            }
            #expect(Set(results.map(\.pointKey)).count == 8)

            let csv = try await cli(fleet, "results-csv", ["results", sweepID, "--format", "csv"])
            #expect(csv.output.count == 9, "a header and one line per point")
            #expect(csv.output.first?.hasSuffix(",tok_s_gpu_ci_low,tok_s_gpu_ci_high") == true)
            let pareto = try await cli(fleet, "pareto", ["pareto", sweepID])
            // Every group with a valid point has a frontier; under load the client self-check may
            // invalidate a whole group, which then has none.
            for group in Set(results.filter(\.isValid).map(\.deployment.frontierGroup)) {
                #expect(pareto.output.contains { $0.contains(group) }, "\(group) missing from \(pareto.output)")
            }
            let report = fleet.path("report.html")
            _ = try await cli(fleet, "report", ["report", sweepID, "-o", report])
            let html = try String(contentsOfFile: report, encoding: .utf8)
            #expect(html.contains("<svg"))
            #expect(html.contains("gpt-oss-120b"))

            try await rerunIsComparedWithItsBaseline(fleet, file: file, first: sweepID)
            try await aScheduledSweepIsListedAndRemoved(fleet, file: file)
        }
    }

    /// The same sweep again: the API, `sweeps`, `status`, `compare` and the report judge it
    /// against the first run.
    func rerunIsComparedWithItsBaseline(_ fleet: Fleet, file: String, first: String) async throws {
        let submit = try await cli(fleet, "submit-again", ["submit", file])
        let line = try #require(submit.output.first { $0.hasPrefix("submitted sweep ") })
        let second = String(line.split(separator: " ")[2])
        let summary = try await eventually("the second run to finish", timeout: .seconds(120)) {
            let sweeps: [SweepSummary] = try await fleet.client.get("/v1/sweeps")
            return sweeps.first { $0.sweepID == second && $0.isFinished }
        }
        let note = try #require(summary.baseline, "a finished rerun is judged against the earlier run")
        let comparison: BaselineComparison = try await fleet.client.get("/v1/sweeps/\(second)/baseline")
        #expect(note.compared == comparison.comparison.rows.count)
        #expect(comparison.baselineSweeps.values.allSatisfy { $0 == first })
        let firstAgainstNothing: BaselineComparison = try await fleet.client.get("/v1/sweeps/\(first)/baseline")
        #expect(firstAgainstNothing.comparison.rows.isEmpty, "the first run has no baseline")

        // Under CI load a point may really change: `compare` says so with exit 3.
        let compare = try ManagedProcess(
            name: "compare-baseline",
            arguments: [
                "compare", second, "--url", "http://127.0.0.1:\(fleet.httpPort)", "--token-file",
                fleet.path("operator.token"),
            ], directory: fleet.directory)
        let code = try await compare.waitForExit(timeout: .seconds(60))
        #expect(code == (comparison.regressions.isEmpty ? 0 : 3), "\(compare.log)")
        #expect(compare.output.contains { $0.contains("points compared") } || comparison.comparison.rows.isEmpty)

        let status = try await cli(fleet, "status", ["status"])
        let flagged = status.output.contains { $0.hasPrefix("REGRESSED  sweep e2e \(second)") }
        #expect(flagged == !comparison.regressions.isEmpty, "\(status.output)")
        let report = fleet.path("report-2.html")
        _ = try await cli(fleet, "report-2", ["report", second, "-o", report])
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("Against the baseline"))
    }

    func aScheduledSweepIsListedAndRemoved(_ fleet: Fleet, file: String) async throws {
        let scheduled = fleet.path("nightly.yaml")
        try Self.sweep.replacingOccurrences(
            of: "  name: e2e\n",
            with: "  name: e2e-nightly\n  schedule: {cron: \"0 3 * * *\", timeZone: Europe/Berlin}\n"
        ).write(toFile: scheduled, atomically: true, encoding: .utf8)
        let submit = try await cli(fleet, "submit-scheduled", ["submit", scheduled])
        #expect(submit.output.contains { $0.hasPrefix("scheduled sweep `e2e-nightly` (0 3 * * * Europe/Berlin)") })
        let schedules: [ScheduleSummary] = try await fleet.client.get("/v1/schedules")
        #expect(schedules.map(\.name) == ["e2e-nightly"])
        #expect(schedules.first?.nextRunAt.map { $0 > Date() } == true)
        #expect(schedules.first?.lastSweepID == nil, "nothing runs on submission")
        let listed = try await cli(fleet, "schedules", ["schedules"])
        #expect(listed.output.contains { $0.hasPrefix("e2e-nightly") && $0.contains("Europe/Berlin") })
        _ = try await cli(fleet, "unschedule", ["schedules", "--remove", "e2e-nightly"])
        let left: [ScheduleSummary] = try await fleet.client.get("/v1/schedules")
        #expect(left.isEmpty)
    }
}
