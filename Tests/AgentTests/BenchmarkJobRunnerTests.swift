import Foundation
import LoadGenerator
import Testing
import Wire

@testable import Agent

#if canImport(Glibc)
import Glibc
#endif

/// The `benchmark` job kind with the simulated engine in process, and the launch adapter's
/// refusals. A launched real server is tested end to end (EndToEndTests/BenchmarkJobTests).
@Suite struct BenchmarkJobRunnerTests {
    static let sim = SimulatedEngine(
        hardware: "B200-HGX", model: "gpt-oss-120b", precision: .fp4, maxModelLen: 4096, timeScale: 200)

    static func job(
        _ workload: BenchmarkWorkload, gpus: [Int] = [0], vendor: GPUVendor = .declared,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> AssignedJob {
        AssignedJob(
            jobID: "j-000007", attempt: 1,
            spec: JobSpec(name: "bench", kind: .benchmark, gpus: gpus.count, benchmark: workload), gpus: gpus,
            vendor: vendor, baseEnvironment: environment)
    }

    static func records(_ output: JobOutput) throws -> [BenchmarkRecord] {
        try output.records.take(maxItems: 100_000, maxBytes: 1 << 30).items.map {
            try JSONDecoder().decode(BenchmarkRecord.self, from: Data($0.utf8))
        }
    }

    static func logText(_ output: JobOutput) -> String {
        output.log.take(maxItems: 100_000, maxBytes: 1 << 30).items.joined(separator: "\n")
    }

    @Test func measuresEachPointInOrder_streamingRequestsThenTheirReport() async throws {
        let dataset = RandomDataset(inputLength: 64, outputLength: 16, rangeRatio: 1)
        let points = [2, 4].map { concurrency in
            PointPlan(
                load: .closedLoop(concurrency: concurrency), dataset: dataset, requests: 3 * concurrency, warmups: 1)
        }
        let output = JobOutput()
        let (outcome, detail) = await BenchmarkJobRunner().run(
            Self.job(BenchmarkWorkload(engine: .sim(Self.sim), points: points)), output: output, cancel: CancelSignal())
        #expect(outcome == .succeeded, "\(detail)\n\(Self.logText(output))")
        #expect(output.points.withLock { $0 } == 2)
        let records = try Self.records(output)
        var requests: [Int: [RequestRecord]] = [:]
        var reports: [PointReport] = []
        for record in records {
            switch record {
            case .request(let point, let request):
                #expect(reports.count == point, "a point's requests come before its report")
                requests[point, default: []].append(request)
            case .point(let report): reports.append(report)
            }
        }
        #expect(reports.map(\.point) == [0, 1])
        #expect(requests[0]?.count == 6)
        #expect(requests[1]?.count == 12)
        for request in requests.values.joined() {
            #expect(request.succeeded)
            #expect(request.inputTokens == 64, "prompts of exact length, counted by the server")
            #expect(request.outputTokens == 16)
        }
        #expect(reports[0].plan == points[0])
        #expect(reports[0].result["completed"] == .number(6))
        #expect(reports[0].result["ttfts"] == nil, "per-request lists stay in the request records")
        #expect(reports[0].client != nil)
        #expect(Self.logText(output).contains("counted by tokenize"))
    }

    /// A stand-in for `nvidia-smi --query-gpu=… -lms 1000`: the same lines, five times a second.
    static let fakeNvidiaSMI = """
        #!/bin/sh
        while true; do
          t=$(date '+%Y/%m/%d %H:%M:%S.%3N')
          echo "$t, 0, 300.00, 1980, 61, 97"
          echo "$t, 1, 100.00, 1980, 55, 80"
          sleep 0.2
        done
        """

    @Test func onRealGPUs_eachPointCarriesItsMeasuredEnergy() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fake-smi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let tool = directory.appendingPathComponent("nvidia-smi").path
        try Self.fakeNvidiaSMI.write(toFile: tool, atomically: true, encoding: .utf8)
        chmod(tool, 0o755)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = directory.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let plan = PointPlan(
            load: .closedLoop(concurrency: 2),
            dataset: RandomDataset(inputLength: 64, outputLength: 400, rangeRatio: 1),
            requests: 4, warmups: 0)
        let output = JobOutput()
        let (outcome, detail) = await BenchmarkJobRunner().run(
            Self.job(
                BenchmarkWorkload(engine: .sim(Self.sim), points: [plan]), gpus: [0, 1], vendor: .nvidia,
                environment: environment), output: output, cancel: CancelSignal())
        #expect(outcome == .succeeded, "\(detail)")
        guard case .point(let report)? = try Self.records(output).last else {
            Issue.record("the point's report comes last")
            return
        }
        let energy = try #require(report.energy)
        #expect(energy.isComplete, "\(energy.missing)")
        #expect(abs((energy.meanWatts ?? 0) - 400) < 1, "300 W + 100 W")
        #expect(abs((energy.energyJoules ?? 0) - 400 * (energy.end - energy.start)) < 1)
        #expect(!report.invalidReasons.contains { $0.hasPrefix("power telemetry") })
    }

    @Test func onRealGPUsWithoutTheirTool_powerTelemetryIsMissing_andThePointInvalid() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/nonexistent"
        let plan = PointPlan(
            load: .closedLoop(concurrency: 1), dataset: RandomDataset(inputLength: 8, outputLength: 8, rangeRatio: 1),
            requests: 1, warmups: 0)
        let output = JobOutput()
        _ = await BenchmarkJobRunner().run(
            Self.job(
                BenchmarkWorkload(engine: .sim(Self.sim), points: [plan]), gpus: [0], vendor: .nvidia,
                environment: environment), output: output, cancel: CancelSignal())
        guard case .point(let report)? = try Self.records(output).last else {
            Issue.record("the point's report comes last")
            return
        }
        #expect(report.invalidReasons.contains { $0.hasPrefix("power telemetry expected and missing") })
    }

    @Test func aDurationLimit_stopsStartingRequests() async throws {
        let plan = PointPlan(
            load: .closedLoop(concurrency: 2),
            dataset: RandomDataset(inputLength: 64, outputLength: 2000, rangeRatio: 1),
            requests: 1000, warmups: 0, durationSeconds: 0.3)
        let output = JobOutput()
        let started = ContinuousClock.now
        let (outcome, _) = await BenchmarkJobRunner().run(
            Self.job(BenchmarkWorkload(engine: .sim(Self.sim), points: [plan])), output: output, cancel: CancelSignal())
        #expect(outcome == .succeeded)
        // Loose for a loaded CI machine: without the limit, 1,000 requests of 2,000 tokens would
        // take many minutes; the request count below is the sharp check.
        #expect(ContinuousClock.now - started < .seconds(60))
        let requests = try Self.records(output).filter { if case .request = $0 { true } else { false } }
        #expect(requests.count >= 2 && requests.count < 1000)
    }

    @Test func anEngineThatExitsBeforeItIsReady_failsTheJob_withItsLastLines() async {
        let workload = BenchmarkWorkload(
            engine: .launch(
                LaunchedEngine(argv: ["sh", "-c", "echo loading weights; echo out of memory >&2; exit 3"], model: "m")),
            points: [.closedLoop(concurrency: 1, dataset: RandomDataset(inputLength: 8, outputLength: 8))])
        let output = JobOutput()
        let (outcome, detail) = await BenchmarkJobRunner().run(
            Self.job(workload), output: output, cancel: CancelSignal())
        #expect(outcome == .failed)
        #expect(
            detail.contains("the launch engine did not come up: the engine exited (exit code 3) before it was ready"))
        #expect(detail.contains("out of memory"))
        #expect(Self.logText(output).contains("[engine] loading weights"))
    }

    @Test func anEngineThatNeverAnswers_timesOut() async {
        let workload = BenchmarkWorkload(
            engine: .launch(LaunchedEngine(argv: ["sleep", "300"], model: "m", readinessTimeoutSeconds: 0.5)),
            points: [.closedLoop(concurrency: 1, dataset: RandomDataset(inputLength: 8, outputLength: 8))])
        let started = ContinuousClock.now
        let (outcome, detail) = await BenchmarkJobRunner().run(
            Self.job(workload), output: JobOutput(), cancel: CancelSignal())
        #expect(outcome == .failed)
        #expect(detail.contains("did not answer 200 on /health within 0.5 s"))
        // Far below the engine's 300 s, far above what a loaded CI machine takes (17 s seen with
        // the whole suite running beside it): the engine was killed, not waited for.
        #expect(ContinuousClock.now - started < .seconds(60), "the sleeping engine was killed, not waited for")
    }

    @Test func anUnreachableEndpoint_failsTheJob_namingIt() async {
        let workload = BenchmarkWorkload(
            engine: .endpoint(EndpointEngine(baseURL: "http://127.0.0.1:9", model: "m")),
            points: [.closedLoop(concurrency: 1, dataset: RandomDataset(inputLength: 8, outputLength: 8))])
        let (outcome, detail) = await BenchmarkJobRunner().run(
            Self.job(workload), output: JobOutput(), cancel: CancelSignal())
        #expect(outcome == .failed)
        #expect(detail.contains("endpoint http://127.0.0.1:9 does not answer"))
    }

    @Test func argvTemplates_getThePortModelAndGPUs() {
        #expect(
            LaunchedEngineProcess.expand(
                ["vllm", "serve", "{model}", "--port", "{port}", "-tp", "{gpus}", "--host={host}"], port: 8123,
                host: "127.0.0.1", model: "org/m", gpus: 8)
                == ["vllm", "serve", "org/m", "--port", "8123", "-tp", "8", "--host=127.0.0.1"])
    }

    @Test func promptsOfTheWordVocabulary_haveExactlyTheirLength_andDistinctPrefixes() {
        let vocabulary = PromptVocabulary.wordPerToken
        for length in [4, 5, 100, 1024] {
            #expect(vocabulary.promptWords(index: 17, tokens: length).count == length)
        }
        let prefixes = Set((0..<5000).map { vocabulary.promptWords(index: $0, tokens: 8).prefix(4) })
        #expect(prefixes.count == 5000)
        let calibrated = PromptVocabulary(words: ["a", "b", "c"], overhead: 1, source: "tokenize")
        #expect(calibrated.promptWords(index: 0, tokens: 10).count == 9, "the BOS token counts toward the length")
    }
}
