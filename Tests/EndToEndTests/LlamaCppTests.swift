import Foundation
import LoadGenerator
import Testing
import Wire

@testable import Agent

#if canImport(Glibc)
import Glibc
#endif

/// A real inference engine: llama.cpp's C++ server (PyPI `xllamacpp`) with SmolLM2-135M on the
/// CPU, one thread, started through the `launch` adapter as an agent would start vLLM.
/// `scripts/python-env` provides it; `scripts/test` runs that first. Named RealTime… so it runs
/// alone: the engine needs the core it decodes on.
@Suite(.serialized) struct RealTimeLlamaCppTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized

    /// The virtual environment's python, made by `scripts/python-env` when it is not there yet.
    static func python() throws -> String {
        if let python = ProcessInfo.processInfo.environment["SWEEPLINE_PYTHON"] { return python }
        let process = Process()
        process.executableURL = repository.appendingPathComponent("scripts/python-env")
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let path = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !path.isEmpty else {
            throw EngineStartFailed("scripts/python-env failed (exit \(process.terminationStatus))")
        }
        return path
    }

    struct Setup {
        let directory: URL
        let python: String

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sweepline-llama-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            python = try RealTimeLlamaCppTests.python()
        }

        var pid: pid_t? {
            (try? String(contentsOf: directory.appendingPathComponent("engine.pid"), encoding: .utf8))
                .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }

        func job(requests: Int, outputLength: Int) -> AssignedJob {
            let server = RealTimeLlamaCppTests.repository.appendingPathComponent("scripts/llama-server.py").path
            let engine = LaunchedEngine(
                argv: [
                    "sh", "-c",
                    "echo $$ > \(directory.path)/engine.pid; exec \(python) \(server) --port {port} --parallel 4 --threads 1 --alias {model}",
                ],
                model: "SmolLM2-135M-Instruct", readinessTimeoutSeconds: 120, stopGraceSeconds: 5)
            let plan = PointPlan(
                load: .closedLoop(concurrency: 4),
                dataset: RandomDataset(inputLength: 100, outputLength: outputLength, rangeRatio: 1), requests: requests,
                warmups: 0, requestTimeoutSeconds: 120)
            return AssignedJob(
                jobID: "j-000011", attempt: 1,
                spec: JobSpec(
                    name: "llama", kind: .benchmark,
                    benchmark: BenchmarkWorkload(engine: .launch(engine), points: [plan])),
                gpus: [], vendor: .nvidia, baseEnvironment: ProcessInfo.processInfo.environment)
        }
    }

    static func records(_ output: JobOutput) throws -> (requests: [RequestRecord], reports: [PointReport]) {
        var requests: [RequestRecord] = []
        var reports: [PointReport] = []
        for line in output.records.take(maxItems: 100_000, maxBytes: 1 << 30).items {
            switch try JSONDecoder().decode(BenchmarkRecord.self, from: Data(line.utf8)) {
            case .request(_, let record): requests.append(record)
            case .point(let report): reports.append(report)
            }
        }
        return (requests, reports)
    }

    @Test func aPointAtConcurrency4_countsTokensFromUsage_andAgreesWithTheServersTimings() async throws {
        let setup = try Setup()
        let output = JobOutput()
        let (outcome, detail) = await BenchmarkJobRunner().run(
            setup.job(requests: 8, outputLength: 32), output: output, cancel: CancelSignal())
        let log = output.log.take(maxItems: 10_000, maxBytes: 1 << 30).items
        #expect(outcome == .succeeded, "\(detail)\n\(log.suffix(30).joined(separator: "\n"))")
        #expect(log.contains { $0.contains("counted by tokenize") }, "llama.cpp's /tokenize calibrated the prompts")
        let (requests, reports) = try Self.records(output)
        #expect(requests.count == 8)
        #expect(reports.count == 1)
        for request in requests {
            #expect(request.succeeded, "\(request.error ?? "")")
            #expect(!request.outputTokensEstimated, "tokens come from usage")
            #expect(request.outputTokens == 32)
            #expect(request.inputTokens == 100, "a prompt of exactly the asked length, by the server's own count")
            let engine = try #require(request.engine, "llama.cpp sends its timings")
            let clientTPOT = try #require(request.tpot)
            let engineTPOT = try #require(engine.timePerOutputToken)
            // Both clocks see the same decode steps; the client adds only socket and parse time.
            #expect(abs(clientTPOT - engineTPOT) < 0.005, "client \(clientTPOT) s, engine \(engineTPOT) s")
            // TTFT covers the prompt phase the engine timed, plus waiting for a batch and HTTP.
            #expect(request.ttft >= engine.promptMilliseconds / 1000 - 0.001)
        }
        let ttft = reports[0].result["mean_ttft_ms"]
        #expect(ttft != nil && ttft != .null)
    }

    @Test func aServerKilledMidPoint_invalidatesThePoint_andKeepsWhatWasMeasured() async throws {
        let setup = try Setup()
        let output = JobOutput()
        let running = Task {
            await BenchmarkJobRunner().run(
                setup.job(requests: 200, outputLength: 24), output: output, cancel: CancelSignal())
        }
        try await eventually("four requests measured", timeout: .seconds(120)) {
            output.records.produced >= 4 ? true : nil
        }
        kill(try #require(setup.pid), SIGKILL)
        let (outcome, detail) = await running.value
        #expect(outcome == .failed)
        #expect(detail.contains("the engine failed during point 0: the engine process ended (killed by signal 9)"))
        let (requests, reports) = try Self.records(output)
        #expect(requests.filter(\.succeeded).count >= 4, "what was measured before the kill is kept")
        let report = try #require(reports.first)
        #expect(
            report.invalidReasons.contains(
                "engine failed during the point: the engine process ended (killed by signal 9)"))
    }

    @Test func cancellingMidPoint_endsTheServer() async throws {
        let setup = try Setup()
        let output = JobOutput()
        let cancel = CancelSignal()
        let running = Task {
            await BenchmarkJobRunner().run(setup.job(requests: 200, outputLength: 24), output: output, cancel: cancel)
        }
        try await eventually("a request measured", timeout: .seconds(120)) {
            output.records.produced >= 1 ? true : nil
        }
        let pid = try #require(setup.pid)
        cancel.cancel(graceSeconds: 5)
        let (outcome, _) = await running.value
        #expect(outcome == .canceled)
        #expect(!LaunchedEngineTests.isAlive(pid))
    }
}
