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

    @Test func benchOverHTTPS_verifiesTheServersCertificate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sweepline-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl made a self-signed certificate")

        let engine = try ManagedProcess(
            name: "sim-engine-tls",
            arguments: [
                "sim-engine", "--hardware", "B200-HGX", "--model", "gpt-oss-120b", "--precision", "fp4", "--port", "0",
                "--max-model-len", "2048", "--time-scale", "50", "--tls-certificate", certificate, "--tls-key", key,
            ],
            directory: directory)
        defer { engine.kill(SIGTERM) }
        let line = try await engine.waitForLine(containing: "serving on")
        let url = String(line.split(separator: " ").last!)
        #expect(url.hasPrefix("https://"))

        let arguments = [
            "bench", "--base-url", url, "--model", "gpt-oss-120b", "--isl", "64", "--osl", "8", "--concurrency", "2",
            "--requests-per-concurrency", "2", "--warmups-per-concurrency", "0",
        ]
        let trusted = try ManagedProcess(
            name: "bench-trusted", arguments: arguments + ["--ca-file", certificate], directory: directory)
        #expect(try await trusted.waitForExit(timeout: .seconds(60)) == 0, "\(trusted.log)")
        #expect(trusted.output.contains { $0.hasPrefix("Successful requests:") && $0.hasSuffix(" 4") })

        let untrusted = try ManagedProcess(name: "bench-untrusted", arguments: arguments, directory: directory)
        #expect(try await untrusted.waitForExit(timeout: .seconds(60)) != 0)
        #expect(untrusted.log.contains("CERTIFICATE_VERIFY_FAILED"), "\(untrusted.log)")
    }
}
