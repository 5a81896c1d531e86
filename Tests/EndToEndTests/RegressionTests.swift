import Coordinator
import Foundation
import Shared
import Testing

@testable import Agent

/// The nightly question: did the same points get slower? Two runs of a simulated deployment,
/// the second with the engine made slower (no CUDA graphs: a larger per-step overhead),
/// aggregated as the coordinator does and compared.
@Suite struct RegressionTests {
    static func results(cudaGraphs: Bool) throws -> [PointResult] {
        let engine = SimulatedEngine(
            hardware: "H200-SXM", model: "Llama-3.3-70B-Instruct", precision: .fp8, tp: 8, cudaGraphs: cudaGraphs,
            virtual: true)
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
        let (simulated, configuration) = try SimulatedEngineAdapter.deployment(engine)
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

    @Test func aSlowerEngine_isFlaggedAsARegression_atEveryPoint() throws {
        let baseline = try Self.results(cudaGraphs: true)
        let comparison = SweepComparison(baseline: baseline, candidate: try Self.results(cudaGraphs: false))
        #expect(comparison.rows.count == 2)
        #expect(comparison.regressions.count == 2, "\(comparison.rows.map { ($0.pointKey, $0.throughputChange) })")
        #expect(comparison.rows.allSatisfy { $0.regressions.contains("tok/s/user") })
        let same = SweepComparison(baseline: baseline, candidate: try Self.results(cudaGraphs: true))
        #expect(same.regressions.isEmpty, "the same engine twice is not a regression")
    }
}
