import Catalog
import Foundation
import Testing
import Wire

@testable import Coordinator

/// A sweep's point results come from the stored request records; the agent's own summary is
/// only checked against them.
@Suite struct PointAggregationTests {
    static let deployment = DeploymentKey(
        model: "m", engine: "sim", precision: "fp8", hardware: "B200-HGX", gpus: 2, tp: 2)

    static func job(points: Int) -> Job {
        let dataset = RandomDataset(inputLength: 100, outputLength: 11, rangeRatio: 1)
        let plans = (0..<points).map { _ in PointPlan.closedLoop(concurrency: 1, dataset: dataset) }.map {
            var plan = $0
            plan.requests = 2
            plan.warmups = 0
            return plan
        }
        let spec = JobSpec(
            name: "j", kind: .benchmark, gpus: 2,
            benchmark: BenchmarkWorkload(
                engine: .sim(SimulatedEngine(hardware: "B200-HGX", model: "m")), points: plans, gpusForThroughput: 2),
            sweep: SweepMembership(
                sweepID: "sw-1", sweepName: "s", deployment: deployment,
                points: (0..<points).map { SweepPoint(key: "m/p\($0)", repeatIndex: 0) }))
        return Job(
            id: "j-000001", submitSeq: 1, spec: spec, state: .succeeded, attempt: 2, agentID: "gpu-1",
            submittedAt: Date(), updatedAt: Date())
    }

    /// Two requests of 11 tokens each, one after the other: 1 s each, first token at 0.1 s.
    static func requests(point: Int) -> [BenchmarkRecord] {
        (0..<2).map { index in
            let start = Double(index)
            return .request(
                point: point,
                RequestRecord(
                    requestID: index, start: start, firstToken: start + 0.1, lastToken: start + 1.1, inputTokens: 100,
                    outputTokens: 11, interTokenGaps: Array(repeating: 0.1, count: 10), requestedOutputTokens: 11))
        }
    }

    static func report(point: Int, completed: Int, outputThroughput: Double, engineFailure: String? = nil)
        -> BenchmarkRecord
    {
        .point(
            PointReport(
                point: point, plan: job(points: 1).spec.benchmark!.points[0],
                result: .object([
                    "completed": .number(Double(completed)), "output_throughput": .number(outputThroughput),
                ]),
                invalidReasons: [], client: nil, engineFailure: engineFailure, engine: "simulated m"))
    }

    @Test func figuresCostAndProvenance_comeFromTheStoredRecords() throws {
        let hardware = try Catalog.builtIn().hardware("B200-HGX")
        let results = PointAggregation.results(
            job: Self.job(points: 1),
            records: Self.requests(point: 0) + [Self.report(point: 0, completed: 2, outputThroughput: 22 / 2.1)],
            agent: nil, hardware: hardware)
        let result = try #require(results.first)
        #expect(result.isValid, "\(result.invalidReasons)")
        #expect(result.pointKey == "m/p0")
        #expect(result.figures.completed == 2)
        #expect(abs(result.figures.durationSeconds - 2.1) < 1e-9)
        #expect(abs(result.figures.tokensPerSecondPerGPU - 222 / 2.1 / 2) < 1e-9, "input and output over 2 GPUs")
        #expect(abs(result.figures.interactivity - 10) < 1e-9, "1000 / 100 ms TPOT")
        #expect(result.economics?.costs["hyperscaler_own"]?.usdPerGPUHour == 1.95)
        #expect(result.provenance.jobID == "j-000001" && result.provenance.attempt == 2)
        #expect(result.provenance.agentID == "gpu-1")
        #expect(result.provenance.engine == "simulated m")
    }

    @Test func whereTheAgentAndTheRecordsDisagree_thePointIsInvalid() throws {
        let results = PointAggregation.results(
            job: Self.job(points: 1),
            records: Self.requests(point: 0) + [Self.report(point: 0, completed: 3, outputThroughput: 50)], agent: nil,
            hardware: nil)
        let reasons = try #require(results.first).invalidReasons
        #expect(reasons.contains("the agent counted 3 completed requests, the stored records 2"))
        #expect(reasons.contains { $0.hasPrefix("the agent measured 50.0 output tok/s, the stored records give 10.5") })
    }

    @Test func aPointWithoutItsSummary_orWithADeadEngine_isInvalid_andAnUnmeasuredPointIsAbsent() throws {
        let records =
            Self.requests(point: 0)
            + [Self.report(point: 0, completed: 2, outputThroughput: 22 / 2.1, engineFailure: "exit code 1")]
            + Self.requests(point: 1)
        let results = PointAggregation.results(job: Self.job(points: 3), records: records, agent: nil, hardware: nil)
        #expect(results.map(\.pointKey) == ["m/p0", "m/p1"], "point 2 was never measured")
        #expect(results[0].invalidReasons == ["engine failed during the point: exit code 1"])
        #expect(results[1].invalidReasons == ["the job ended before the agent summarised the point"])
    }
}
