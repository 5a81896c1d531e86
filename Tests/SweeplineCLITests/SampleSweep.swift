import Foundation
import Results
import Wire

/// Hand-made sweep results for the report tests: one point at a time, or a realistic sweep of
/// three hardware groups whose per-user speed falls and per-GPU throughput rises with concurrency.
enum SampleSweep {
    static func point(
        model: String = "Llama-3.3-70B", hardware: String, engine: String = "vllm", precision: String = "fp8",
        tp: Int, concurrency: Int, inputLength: Int = 1024, outputLength: Int = 1024, interactivity: Double,
        throughput: Double, ttft: Double = 200, usdPerGPUHour: Double = 2, allInKilowatts: Double = 1.75,
        invalidReasons: [String] = []
    ) -> PointResult {
        var figures = PointFigures(PointSummary(records: [], gpus: tp))
        figures.completed = 10 * concurrency
        figures.failed = invalidReasons.isEmpty ? 0 : concurrency / 2
        figures.durationSeconds = 120
        figures.interactivity = interactivity
        figures.tokensPerSecondPerGPU = throughput
        let outputShare = Double(outputLength) / Double(inputLength + outputLength)
        figures.outputTokensPerSecondPerGPU = throughput * outputShare
        figures.inputTokensPerSecondPerGPU = throughput * (1 - outputShare)
        figures.totalTokenThroughput = throughput * Double(tp)
        figures.outputThroughput = figures.outputTokensPerSecondPerGPU * Double(tp)
        figures.medianTTFTMilliseconds = ttft
        figures.meanTTFTMilliseconds = ttft * 1.1
        figures.p99TTFTMilliseconds = ttft * 1.9
        figures.medianTPOTMilliseconds = 1000 / interactivity
        figures.p99TPOTMilliseconds = 1300 / interactivity
        figures.achievedConcurrency = Double(concurrency) * 0.97
        let tiers = ["neocloud_own": usdPerGPUHour, "hyperscaler_own": usdPerGPUHour * 0.8]
        return PointResult(
            sweepID: "sweep-1", sweepName: "sample", pointKey: "\(hardware)-\(engine)-tp\(tp)-c\(concurrency)",
            repeatIndex: 0,
            deployment: DeploymentKey(
                model: model, engine: engine, precision: precision, hardware: hardware, gpus: tp, tp: tp),
            inputLength: inputLength, outputLength: outputLength, concurrency: concurrency, requestRate: nil,
            figures: figures,
            economics: PointEconomics(figures: figures, usdPerGPUHour: tiers, allInKilowatts: allInKilowatts),
            invalidReasons: invalidReasons,
            provenance: Provenance(
                jobID: "job-\(hardware.lowercased())-tp\(tp)-c\(concurrency)", attempt: 1, agentID: "agent-1",
                gpus: nil, engine: nil, clientVersion: "0.1.0", seed: 42, measuredAt: nil))
    }

    /// About fifty points of Llama 3.3 70B on H200, B200 and MI325X at two scenarios, three of
    /// them invalid. The figures follow a simple batching model (per-user speed falls as the
    /// batch grows, per-GPU throughput rises) with a little deterministic jitter.
    static func realistic() -> [PointResult] {
        struct Hardware {
            var name: String
            var engine: String
            var singleUserSpeed: Double
            var prefillSpeed: Double
            var usdPerGPUHour: Double
            var allInKilowatts: Double
            var tps: [Int]
        }
        let hardware = [
            Hardware(
                name: "H200-SXM", engine: "vllm", singleUserSpeed: 45, prefillSpeed: 1.0, usdPerGPUHour: 2.3,
                allInKilowatts: 1.75, tps: [2, 8]),
            Hardware(
                name: "B200-SXM", engine: "sglang", singleUserSpeed: 70, prefillSpeed: 1.8, usdPerGPUHour: 3.4,
                allInKilowatts: 2.17, tps: [1, 4]),
            Hardware(
                name: "MI325X", engine: "sglang", singleUserSpeed: 40, prefillSpeed: 0.9, usdPerGPUHour: 1.9,
                allInKilowatts: 1.95, tps: [2, 8]),
        ]
        let invalid: [String: String] = [
            "H200-SXM-tp2-c256-1024": "failed requests 3.1% > 1% threshold (HTTP 503 from the engine)",
            "MI325X-tp8-c128-1024": "client saturated: event-loop lag p99 48 ms > 10 ms",
            "B200-SXM-tp4-c64-8192": "engine restarted during the point (exit 137)",
        ]
        var jitterSeed = 0.0
        func jitter() -> Double {
            jitterSeed += 1
            return 1 + 0.06 * sin(jitterSeed * 12.9898)
        }
        var results: [PointResult] = []
        for (inputLength, concurrencies) in [(1024, [4, 8, 16, 32, 64, 128, 256]), (8192, [4, 16, 64, 256])] {
            for gpu in hardware {
                for tp in gpu.tps where inputLength == 1024 || tp != gpu.tps.first {
                    for concurrency in concurrencies {
                        // Wider tensor parallelism serves each user faster but saturates at a
                        // lower batch per GPU, so narrow deployments win at low interactivity.
                        let tpFactor = pow(Double(tp), 0.6)
                        let batchPressure = pow(Double(concurrency) / (14 * pow(Double(tp), 0.3)), 0.7)
                        let prefillDrag = inputLength == 1024 ? 1.0 : 1.5
                        let interactivity =
                            gpu.singleUserSpeed * tpFactor / (1 + batchPressure * prefillDrag) * jitter()
                        let tokensPerRequest = Double(inputLength + 1024) / 1024
                        let throughput = Double(concurrency) * interactivity * tokensPerRequest / Double(tp) * 0.92
                        let prefillMilliseconds = Double(inputLength) * 0.03 / (gpu.prefillSpeed * tpFactor)
                        let ttft =
                            (35 + prefillMilliseconds * pow(1 + Double(concurrency) / (16 * Double(tp)), 1.3))
                            * jitter()
                        let key = "\(gpu.name)-tp\(tp)-c\(concurrency)-\(inputLength)"
                        results.append(
                            point(
                                model: "Llama-3.3-70B-Instruct", hardware: gpu.name, engine: gpu.engine, tp: tp,
                                concurrency: concurrency, inputLength: inputLength, outputLength: 1024,
                                interactivity: interactivity, throughput: throughput, ttft: ttft,
                                usdPerGPUHour: gpu.usdPerGPUHour, allInKilowatts: gpu.allInKilowatts,
                                invalidReasons: invalid[key].map { [$0] } ?? []))
                    }
                }
            }
        }
        return results
    }
}
