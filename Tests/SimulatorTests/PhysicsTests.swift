import Catalog
import OffThePool
import Results
import Testing
import Wire

@testable import Simulator

/// The simulated engine behaves like a GPU serving a model.
@Suite struct PhysicsTests {
    static let catalog = try! Catalog.builtIn()

    static func summary(
        _ hardware: String, _ model: String, _ precision: Precision, tp: Int, concurrency: Int, isl: Int, osl: Int,
        requests: Int? = nil
    ) async throws -> PointSummary {
        // A virtual run: seconds of CPU in a debug build, on a thread of its own.
        try await offThePool {
            try computeSummary(
                hardware, model, precision, tp: tp, concurrency: concurrency, isl: isl, osl: osl, requests: requests)
        }
    }

    static func computeSummary(
        _ hardware: String, _ model: String, _ precision: Precision, tp: Int, concurrency: Int, isl: Int, osl: Int,
        requests: Int?
    ) throws -> PointSummary {
        let deployment = Deployment(
            hardware: try catalog.hardware(hardware), model: try catalog.model(model), precision: precision, tp: tp)
        let load = ClosedLoopLoad(
            concurrency: concurrency, requests: requests ?? 4 * concurrency, warmups: concurrency, inputLength: isl,
            outputLength: osl, recordGaps: false)
        let records = try VirtualRun.closedLoop(
            load, deployment: deployment, configuration: EngineConfiguration(maxModelLen: isl + osl))
        return PointSummary(records: records, gpus: tp)
    }

    @Test func batchOneTPOT_isTheWeightsOverEffectiveBandwidth() async throws {
        let h200 = try Self.catalog.hardware("H200-SXM")
        let llama = try Self.catalog.model("Llama-3.3-70B-Instruct")
        let factors = EfficiencyFactors.forGeneration(h200.generation)
        let summary = try await Self.summary(
            "H200-SXM", "Llama-3.3-70B-Instruct", .fp8, tp: 1, concurrency: 1, isl: 128, osl: 128, requests: 3)
        // 70.6 GB of FP8 weights streamed once per token; the step overhead on top.
        let weightsOverBandwidth = llama.weightBytes(.fp8) / (h200.hbmBytesPerSecond * factors.memory)
        let expected = weightsOverBandwidth + factors.stepOverheadSeconds
        #expect(
            abs(summary.tpot.median - expected) / expected < 0.02,
            "TPOT \(summary.tpot.median) s, expected \(expected) s")
    }

    @Test func moreConcurrency_raisesThroughputPerGPU_andLowersInteractivity() async throws {
        var points: [PointSummary] = []
        for concurrency in [1, 4, 16, 64, 128] {
            points.append(
                try await Self.summary(
                    "H200-SXM", "Llama-3.3-70B-Instruct", .fp8, tp: 8, concurrency: concurrency, isl: 256, osl: 256))
        }
        for (lower, higher) in zip(points, points.dropFirst()) {
            #expect(higher.tokensPerSecondPerGPU > lower.tokensPerSecondPerGPU)
            #expect(higher.interactivity < lower.interactivity)
        }
    }

    @Test func gptOSSOnH100_atConcurrency64_ordersTPOTAsPublished() async throws {
        // Published (vLLM): TP8 7.36 ms < TP4 9.89 ms < TP2 15.21 ms.
        var tpot: [Double] = []
        for tp in [8, 4, 2] {
            tpot.append(
                try await Self.summary("H100-SXM", "gpt-oss-120b", .fp4, tp: tp, concurrency: 64, isl: 1024, osl: 1024)
                    .tpot.median)
        }
        #expect(tpot[0] < tpot[1] && tpot[1] < tpot[2], "TP8 \(tpot[0]), TP4 \(tpot[1]), TP2 \(tpot[2])")
    }

    @Test func aSeedRepeatsTheRun_andAnotherSeedDoesNot() async throws {
        let deployment = Deployment(
            hardware: try Self.catalog.hardware("B200-HGX"), model: try Self.catalog.model("gpt-oss-120b"),
            precision: .fp4, tp: 1)
        func run(_ seed: UInt64) async throws -> [RequestRecord] {
            try await offThePool {
                try VirtualRun.closedLoop(
                    ClosedLoopLoad(concurrency: 8, inputLength: 512, outputLength: 64, seed: seed),
                    deployment: deployment, configuration: EngineConfiguration(maxModelLen: 1024))
            }
        }
        let seven = try await run(7)
        #expect(try await run(7) == seven)
        #expect(try await run(8) != seven)
    }
}
