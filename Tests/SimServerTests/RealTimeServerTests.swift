import Catalog
import Foundation
import LoadGenerator
import Results
import Simulator
import Synchronization
import Testing
import Wire

@testable import SimServer

/// The simulated engine over HTTP, measured by a client on loopback.
@Suite(.serialized) struct RealTimeServerTests {
    static func withServer(_ deployment: Deployment, _ body: @Sendable (Int, RealTimeEngine) async throws -> Void)
        async throws
    {
        try await SimEngineServer.withLoopbackServer(
            deployment, configuration: EngineConfiguration(maxModelLen: 8192), body)
    }

    /// The 1 ms target is a property of the optimised build and is measured by the benchmark
    /// harness (`SweeplineBenchmarks simserve`, docs/benchmarks.md); this debug-build test holds
    /// TPOT to it and TTFT to 15 ms (unoptimised HTTP handling adds a few; a busy machine more).
    @Test func ttftAndTPOTSeenByAClient_matchTheSimulationsOwnRecord() async throws {
        let catalog = try Catalog.builtIn()
        let deployment = Deployment(
            hardware: try catalog.hardware("H200-SXM"), model: try catalog.model("Llama-3.3-70B-Instruct"),
            precision: .fp8, tp: 8)
        try await Self.withServer(deployment) { port, engine in
            var ttftDeltas: [Double] = []
            var tpotDeltas: [Double] = []
            for request in 0..<5 {
                let prompt = Array(repeating: "word", count: 512).joined(separator: " ")
                let streamed = try await StreamedRequest.send(
                    port: port,
                    body:
                        #"{"model":"m","prompt":"\#(prompt)","max_tokens":32,"ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}}"#
                )
                let served = try #require(await engine.servedRequest(request))
                let tokens = streamed.tokens
                #expect(tokens.count == 32)
                #expect(streamed.sawDone)
                #expect(streamed.completionTokens == 32)
                let clientTTFT = tokens.first!.readAt - streamed.start
                let serverTTFT = served.releases.first! - served.arrival
                let clientTPOT = (tokens.last!.readAt - tokens.first!.readAt) / 31
                let serverTPOT = (served.releases.last! - served.releases.first!) / 31
                ttftDeltas.append(abs(Self.seconds(clientTTFT - serverTTFT)))
                tpotDeltas.append(abs(Self.seconds(clientTPOT - serverTPOT)))
                // And the engine's pacing is the simulation's: 32 steps of a batch of one.
                let expected = KernelCostModel(deployment: deployment).stepTime(
                    StepShape(decodeSequences: 1, decodeContextTokens: 530))
                #expect(abs(Self.seconds(serverTPOT) - expected) < 0.0005)
            }
            // Medians of five: one request delayed by a busy machine does not decide.
            #expect(ttftDeltas.sorted()[2] < 0.015, "TTFT client − engine: \(ttftDeltas)")
            #expect(tpotDeltas.sorted()[2] < 0.001, "TPOT client − engine: \(tpotDeltas)")
        }
    }

    static func seconds(_ duration: Duration) -> Double { duration.inSeconds }
}

@Suite(.serialized) struct RealTimeVersusVirtualTests {
    @Test func aClosedLoopPointOverHTTP_agreesWithTheVirtualRun_onTPOTAndE2ELWithinTwoPercent() async throws {
        let catalog = try Catalog.builtIn()
        let deployment = Deployment(
            hardware: try catalog.hardware("H200-SXM"), model: try catalog.model("Llama-3.3-70B-Instruct"),
            precision: .fp8, tp: 8)
        let load = ClosedLoopLoad(
            concurrency: 8, requests: 32, warmups: 8, inputLength: 256, outputLength: 48, seed: 3, recordGaps: false)
        let virtual = PointSummary(
            records: try VirtualRun.closedLoop(
                load, deployment: deployment, configuration: EngineConfiguration(maxModelLen: 8192)), gpus: 8)
        let lengths = load.requestLengths()
        try await RealTimeServerTests.withServer(deployment) { port, engine in
            // Sweepline's own client, keep-alive connections, the same seeded lengths.
            let point = ClosedLoopPoint(
                concurrency: load.concurrency, requests: load.requests, warmups: load.warmups,
                dataset: RandomDataset(inputLength: load.inputLength, outputLength: load.outputLength, seed: load.seed))
            #expect(point.dataset.lengths(count: lengths.count).map(\.input) == lengths.map(\.input))
            let client = await ClosedLoopClient.run(
                point, against: BenchEndpoint(host: "127.0.0.1", port: port, model: "m"))
            #expect(client.allSatisfy { $0.succeeded })
            // The engine's own record of each request after the warm-ups, on its wall clock.
            let origin = try #require(await engine.servedRequest(0)).arrival
            func at(_ instant: ContinuousClock.Instant) -> Double { RealTimeServerTests.seconds(instant - origin) }
            var records: [RequestRecord] = []
            for id in load.warmups..<lengths.count {
                let served = try #require(await engine.servedRequest(id))
                records.append(
                    RequestRecord(
                        requestID: id, start: at(served.arrival), firstToken: at(served.releases.first!),
                        lastToken: at(served.releases.last!),
                        inputTokens: served.promptTokens, outputTokens: served.outputTokens, interTokenGaps: []))
            }
            let real = PointSummary(records: records, gpus: 8)
            func agree(_ a: Double, _ b: Double) -> Bool { abs(a - b) / b < 0.02 }
            #expect(
                agree(real.tpot.median, virtual.tpot.median),
                "median TPOT real \(real.tpot.median), virtual \(virtual.tpot.median)")
            // Throughput is held to 3 %: between a request's end and the next one's start the
            // client's own turnaround (about a millisecond in this debug build) idles a slot,
            // which virtual time does not; measured 1.5–2.5 % here.
            #expect(
                abs(real.outputThroughput - virtual.outputThroughput) / virtual.outputThroughput < 0.03,
                "output tok/s real \(real.outputThroughput), virtual \(virtual.outputThroughput)")
            // TTFT does not agree to 2 %: over HTTP a client's next request lands a little after the
            // step in which its previous one finished, and waits for the step under way; in virtual
            // time it arrives exactly at the step boundary. Held to a step's length instead.
            let step = KernelCostModel(deployment: deployment).stepTime(
                StepShape(decodeSequences: 8, decodeContextTokens: 8 * 300))
            #expect(
                abs(real.ttft.mean - virtual.ttft.mean) < step,
                "mean TTFT real \(real.ttft.mean), virtual \(virtual.ttft.mean)")
            #expect(
                agree(real.e2el.mean, virtual.e2el.mean),
                "mean E2EL real \(real.e2el.mean), virtual \(virtual.e2el.mean)")
        }
    }
}
