import Catalog
import Foundation
import Simulator
import Wire

/// An InferenceMAX-v1-sized sweep in virtual time: 3 models × 7 GPU types × 3 ISL/OSL pairs ×
/// tp 1–8 × concurrency 4–256, 10 × concurrency requests a point (2 × concurrency warm-ups).
enum SimulatedSweep {
    struct Job: Sendable {
        var deployment: Deployment
        var load: ClosedLoopLoad
    }

    static func run() async throws {
        print("\n== simulated sweep: InferenceMAX v1 size, virtual time ==")
        let catalog = try Catalog.builtIn()
        let precisions: [String: Precision] = [
            "Llama-3.3-70B-Instruct": .fp8, "DeepSeek-R1-0528": .fp8, "gpt-oss-120b": .fp4,
        ]
        var jobs: [Job] = []
        var refused = 0
        for (modelName, precision) in precisions.sorted(by: { $0.key < $1.key }) {
            for hardwareName in catalog.hardware.keys.sorted() {
                for (isl, osl) in [(1024, 1024), (1024, 8192), (8192, 1024)] {
                    for tp in [1, 2, 4, 8] {
                        let deployment = Deployment(
                            hardware: try catalog.hardware(hardwareName), model: try catalog.model(modelName),
                            precision: precision, tp: tp)
                        do {
                            _ = try MemoryPlan(
                                deployment: deployment, configuration: EngineConfiguration(maxModelLen: isl + osl))
                        } catch {
                            refused += 7
                            continue
                        }
                        for concurrency in [4, 8, 16, 32, 64, 128, 256] {
                            jobs.append(
                                Job(
                                    deployment: deployment,
                                    load: ClosedLoopLoad(
                                        concurrency: concurrency, inputLength: isl, outputLength: osl, recordGaps: false
                                    )))
                        }
                    }
                }
            }
        }
        let started = ContinuousClock.now
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let allJobs = jobs
        let (requests, tokens) = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var requests = 0
                    var tokens = 0
                    for job in stride(from: worker, to: allJobs.count, by: workers).map({ allJobs[$0] }) {
                        let records = try VirtualRun.closedLoop(
                            job.load, deployment: job.deployment,
                            configuration: EngineConfiguration(
                                maxNumSeqs: 256, maxModelLen: job.load.inputLength + job.load.outputLength))
                        requests += records.count
                        tokens += records.reduce(0) { $0 + $1.outputTokens }
                    }
                    return (requests, tokens)
                }
            }
            return try await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        }
        let elapsed = seconds(ContinuousClock.now - started)
        print("points:           \(jobs.count) simulated (\(refused) refused: the deployment does not fit)")
        print("requests:         \(requests) measured, \(tokens) output tokens generated in virtual time")
        print("wall time:        \(String(format: "%.1f", elapsed)) s on \(workers) cores (target: under 60 s)")
    }
}
