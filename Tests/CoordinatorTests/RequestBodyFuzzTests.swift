import Foundation
import Fuzzing
import Testing
import Wire

@testable import Coordinator

/// Random and mutated job and sweep files through the parsers behind `POST /v1/jobs` and
/// `POST /v1/sweeps`: each parses or is refused with a `YAMLFileError`, in bounded time, with
/// expansion caps holding (never more jobs than the cap). Bounded in inputs and time for CI.
@Suite struct RequestBodyFuzzTests {
    static let jobFile = """
        jobs:
          - name: llama-70b-tp8
            count: 2
            gpus: 8
            gpuModel: H200
            labels: {rack: r12}
            priority: 3
            command:
              argv: [python, bench.py, --tp, "8"]
              env: {HF_HOME: /models}
              timeoutSeconds: 600
        """

    /// Async, yielding every few inputs, so it does not hold a thread the other tests share.
    @Test func mutatedJobAndSweepFiles_parseOrAreRefused_neverCrash() async {
        var mutator = Mutator(seedFromEnvironment: ProcessInfo.processInfo.environment)
        print("RequestBodyFuzzTests seed \(mutator.seed) (SWEEPLINE_FUZZ_SEED replays it)")
        let seeds = [Array(Self.jobFile.utf8), Array(SweepFileTests.example.utf8)]
        // A floor of rounds however loaded the machine (a starved task may get few turns
        // before the deadline), and a deadline past it so a slow machine does not run long.
        let deadline = ContinuousClock.now + .seconds(10)
        var parsed = 0
        var refused = 0
        for round in 0..<1000 where round < 150 || ContinuousClock.now < deadline {
            if round % 10 == 0 { await Task.yield() }
            // The seeds themselves first, so that however few rounds a loaded machine allows,
            // the parsers' accepting path is reached.
            let bytes =
                round < seeds.count
                ? seeds[round]
                : round % 5 == 0 ? mutator.random(maximum: 2048) : mutator.mutate(seeds[mutator.below(seeds.count)])
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let jobs = try JobFile.parse(text, file: "request body")
                #expect(jobs.count <= JobFile.maximumCount)
                parsed += 1
            } catch {
                #expect(!"\(error)".isEmpty)
                refused += 1
            }
            do {
                let spec = try SweepFile.parse(text, file: "request body")
                #expect(SweepExpansion.size(of: spec).jobs <= SweepFile.maximumJobs)
                parsed += 1
            } catch {
                refused += 1
            }
        }
        #expect(parsed > 0 && refused > 0, "the inputs reached both outcomes (parsed \(parsed), refused \(refused))")
    }
}
