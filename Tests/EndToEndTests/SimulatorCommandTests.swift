import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `sweepline sim-engine` and `sweepline bench` as processes, the way a user runs them.
@Suite(.serialized) struct RealTimeSimulatorCommandTests {
    @Test func benchAgainstSimEngine_writesVLLMShapedResults() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sweepline-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let engine = try ManagedProcess(
            name: "sim-engine",
            arguments: [
                "sim-engine", "--hardware", "H200-SXM", "--model", "Llama-3.3-70B-Instruct", "--tp", "8", "--port", "0",
                "--max-model-len", "4096",
            ],
            directory: directory)
        defer { engine.kill(SIGTERM) }
        let line = try await engine.waitForLine(containing: "serving on")
        let url = String(line.split(separator: " ").last!)
        #expect(engine.output.first?.contains("KV cache 116.2 GB/GPU = 354637 blocks") == true)

        let output = directory.appendingPathComponent("result.json").path
        let bench = try ManagedProcess(
            name: "bench",
            arguments: [
                "bench", "--base-url", url, "--model", "Llama-3.3-70B-Instruct", "--isl", "128", "--osl", "16",
                "--concurrency", "2,4",
                "--requests-per-concurrency", "3", "--warmups-per-concurrency", "1", "--gpus", "8", "--output", output,
            ], directory: directory)
        #expect(try await bench.waitForExit(timeout: .seconds(60)) == 0, "\(bench.log)")
        let results = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [[String: Any]])
        #expect(results.count == 2)
        #expect(
            results.map { $0["completed"] as? Int } == [6, 12],
            "errors: \(results.map { $0["errors"] ?? "" })\n\(engine.log)")
        #expect(results.map { $0["max_concurrency"] as? Int } == [2, 4])
        #expect(
            results.allSatisfy { ($0["median_tpot_ms"] as? Double ?? 0) > 5 },
            "a 70B model on H200s takes milliseconds per token")
        #expect(bench.output.contains { $0.contains("Serving Benchmark Result") })
    }

    @Test func aDeploymentThatDoesNotFit_isRefusedWithTheArithmetic() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sweepline-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let engine = try ManagedProcess(
            name: "sim-engine-refused",
            arguments: [
                "sim-engine", "--hardware", "H100-SXM", "--model", "DeepSeek-R1-0528", "--tp", "8", "--port", "0",
            ],
            directory: directory)
        #expect(try await engine.waitForExit() != 0)
        #expect(engine.log.contains("weights 671.0 GB / 8 = 83.9 GB per GPU"))
    }
}
