import Catalog
import Coordinator
import Foundation
import OffThePool
import Results
import Simulator
import SweeplineCLI
import Testing
import Wire

@testable import Agent

/// The nightly question: did the same points get slower? Two runs of a simulated deployment,
/// the second with the engine made slower (no CUDA graphs: a larger per-step overhead),
/// aggregated as the coordinator does and compared.
@Suite struct RegressionTests {
    /// A virtual run of two points, on a thread of its own (``offThePool(_:)``).
    static func results(cudaGraphs: Bool, slowdown: Double? = nil) async throws -> [PointResult] {
        try await offThePool { try computeResults(cudaGraphs: cudaGraphs, slowdown: slowdown) }
    }

    static func computeResults(cudaGraphs: Bool, slowdown: Double?) throws -> [PointResult] {
        let engine = SimulatedEngine(
            hardware: "H200-SXM", model: "Llama-3.3-70B-Instruct", precision: .fp8, tp: 8, cudaGraphs: cudaGraphs,
            virtual: true, slowdown: slowdown)
        let deployment = DeploymentKey(
            model: engine.model, engine: "sim", precision: "fp8", hardware: engine.hardware, gpus: 8, tp: 8)
        let scenario = Scenario(isl: 1024, osl: 256)
        let plans = [4, 32].map {
            PointPlan.closedLoop(
                concurrency: $0, dataset: RandomDataset(inputLength: scenario.isl, outputLength: scenario.osl))
        }
        let spec = JobSpec(
            name: "nightly", kind: .benchmark, gpus: 8,
            benchmark: BenchmarkWorkload(engine: .sim(engine), points: plans, gpusForThroughput: 8),
            sweep: SweepMembership(
                sweepID: "sw", sweepName: "nightly", deployment: deployment,
                points: [4, 32].map {
                    SweepPoint(key: SweepExpansion.pointKey(deployment, scenario, concurrency: $0), repeatIndex: 0)
                }))
        var records: [BenchmarkRecord] = []
        let (simulated, configuration) = try engine.resolved(in: Catalog.builtIn())
        for (index, plan) in plans.enumerated() {
            let measurement = try VirtualPoints.measure(
                plan, deployment: simulated, configuration: configuration, gpus: 8)
            records += measurement.records.map { .request(point: index, $0) }
            records.append(
                .point(
                    measurement.report(
                        point: index,
                        settings: .init(date: "", backend: "", model: "", maxConcurrency: nil, requestRate: nil))))
        }
        let job = Job(id: "j-1", submitSeq: 1, spec: spec, state: .succeeded, submittedAt: Date(), updatedAt: Date())
        return PointAggregation.results(job: job, records: records, agent: nil, hardware: nil)
    }

    @Test func aSlowerEngine_isFlaggedAsARegression_atEveryPoint_andAOnePercentSlowerOneIsNot() async throws {
        let baseline = try await Self.results(cudaGraphs: true)
        let comparison = SweepComparison(baseline: baseline, candidate: try await Self.results(cudaGraphs: false))
        #expect(comparison.rows.count == 2)
        #expect(comparison.regressions.count == 2, "\(comparison.rows.map { ($0.pointKey, $0.metrics) })")
        #expect(comparison.rows.allSatisfy { $0.regressions.contains(.interactivity) })
        let same = SweepComparison(baseline: baseline, candidate: try await Self.results(cudaGraphs: true))
        #expect(same.regressions.isEmpty, "the same engine twice is not a regression")

        // The rehearsed regression of `slowdown`: every step 5 % slower is flagged, tok/s/user
        // down by 1 − 1/1.05; 1 % slower is within the 3 % effect and is not.
        let slower = SweepComparison(
            baseline: baseline, candidate: try await Self.results(cudaGraphs: true, slowdown: 1.05))
        #expect(slower.regressions.count == 2, "\(slower.rows.map(\.metrics))")
        for row in slower.rows {
            let interactivity = try #require(row.metric(.interactivity))
            #expect(abs(interactivity.change - (1 / 1.05 - 1)) < 0.005, "\(interactivity)")
        }
        let slightly = SweepComparison(
            baseline: baseline, candidate: try await Self.results(cudaGraphs: true, slowdown: 1.01))
        #expect(slightly.regressions.isEmpty, "\(slightly.rows.map(\.metrics))")
    }

    static func run(_ id: String, cudaGraphs: Bool) async throws -> [PointResult] {
        try await results(cudaGraphs: cudaGraphs).map { result in
            var result = result
            result.sweepID = id
            return result
        }
    }

    /// A nightly run is judged per point against the last earlier run in which that point was
    /// valid, and the regressions reach the report.
    @Test func aNightlyRun_isJudgedAgainstTheLastValidRunOfEachPoint() async throws {
        let monday = try await Self.run("sw-mon", cudaGraphs: true)
        var tuesday = try await Self.run("sw-tue", cudaGraphs: true)
        tuesday[1].invalidReasons = ["client saturated"]
        let wednesday = try await Self.run("sw-wed", cudaGraphs: false)

        let judged = BaselineComparison(
            sweepID: "sw-wed", sweepName: "nightly", candidate: wednesday,
            earlier: [.init(sweepID: "sw-tue", results: tuesday), .init(sweepID: "sw-mon", results: monday)])
        #expect(judged.baselineSweeps == [monday[0].pointKey: "sw-tue", monday[1].pointKey: "sw-mon"])
        #expect(judged.regressions.count == 2, "the slower engine regressed at every point")
        #expect(judged.withoutBaseline.isEmpty)
        #expect(SweepRegressionNote(judged).baselineSweepIDs == ["sw-mon", "sw-tue"])

        let steady = BaselineComparison(
            sweepID: "sw-tue", sweepName: "nightly", candidate: tuesday,
            earlier: [.init(sweepID: "sw-mon", results: monday)])
        #expect(steady.regressions.isEmpty && steady.comparison.rows.count == 1, "only the valid point is compared")
        let first = BaselineComparison(sweepID: "sw-mon", sweepName: "nightly", candidate: monday, earlier: [])
        #expect(first.comparison.rows.isEmpty && first.withoutBaseline.count == 2)

        let page = SweepReport.html(sweepName: "nightly", results: wednesday, generatedAt: "now", baseline: judged)
        #expect(page.contains("Against the baseline"))
        #expect(page.contains("2 of 2 compared points regressed."))
        #expect(page.contains("<tr class=\"regressed\">"))
    }
}
