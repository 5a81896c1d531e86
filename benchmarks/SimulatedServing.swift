import Catalog
import Foundation
import LoadGenerator
import Results
import SimServer
import Simulator
import Wire

/// The simulated engine over HTTP: how closely a client on loopback sees the simulation's own
/// timings, and how many streamed tokens per second the server can deliver.
enum SimulatedServing {
    static func withServer(
        _ deployment: Deployment, timeScale: Double, configuration: EngineConfiguration,
        _ body: @Sendable (Int, RealTimeEngine) async throws -> Void
    ) async throws {
        try await SimEngineServer.withLoopbackServer(
            deployment, configuration: configuration, timeScale: timeScale, body)
    }

    static func run() async throws {
        let catalog = try Catalog.builtIn()
        print("\n== sim-engine over HTTP: client on loopback against the simulation's own record ==")
        let llama = Deployment(
            hardware: try catalog.hardware("H200-SXM"), model: try catalog.model("Llama-3.3-70B-Instruct"),
            precision: .fp8, tp: 8)
        try await withServer(llama, timeScale: 1, configuration: EngineConfiguration(maxModelLen: 8192)) {
            port, engine in
            var ttftDeltas: [Double] = []
            var tpotDeltas: [Double] = []
            let prompt = Array(repeating: "word", count: 1024).joined(separator: " ")
            for request in 0..<30 {
                let streamed = try await StreamedRequest.send(
                    port: port, body: #"{"prompt":"\#(prompt)","max_tokens":64,"ignore_eos":true,"stream":true}"#)
                guard let served = await engine.servedRequest(request), let first = streamed.tokens.first,
                    let last = streamed.tokens.last,
                    request >= 2  // the first requests warm the server up
                else { continue }
                ttftDeltas.append(
                    seconds((first.readAt - streamed.start) - (served.releases.first! - served.arrival)) * 1000)
                tpotDeltas.append(
                    seconds(((last.readAt - first.readAt) - (served.releases.last! - served.releases.first!)) / 63)
                        * 1000)
            }
            let meanTTFT = ttftDeltas.reduce(0, +) / Double(ttftDeltas.count)
            print(
                String(
                    format:
                        "TTFT client − engine: mean %.3f ms, max %.3f ms (%d requests, Llama-3.3-70B FP8 tp8 H200, 1k in, 64 out)",
                    meanTTFT, ttftDeltas.map(abs).max() ?? .nan, ttftDeltas.count))
            print(
                String(
                    format: "TPOT client − engine: mean %.4f ms, max %.4f ms",
                    tpotDeltas.reduce(0, +) / Double(tpotDeltas.count), tpotDeltas.map(abs).max() ?? .nan))
        }

        print("\n== sim-engine over HTTP: streamed tokens per second the server delivers ==")
        let gptOSS = Deployment(
            hardware: try catalog.hardware("B200-HGX"), model: try catalog.model("gpt-oss-120b"), precision: .fp4, tp: 1
        )
        let streams = 256
        let tokens = 512
        // What the simulated GPU itself produces at this load, in its own (virtual) time.
        let virtual = PointSummary(
            records: try VirtualRun.closedLoop(
                ClosedLoopLoad(
                    concurrency: streams, requests: streams, warmups: 0, inputLength: 128, outputLength: tokens,
                    rangeRatio: 1, recordGaps: false),
                deployment: gptOSS, configuration: EngineConfiguration(maxModelLen: 1024)),
            gpus: 1)
        try await withServer(gptOSS, timeScale: 1000, configuration: EngineConfiguration(maxModelLen: 1024)) {
            port, _ in
            let prompt = Array(repeating: "word", count: 128).joined(separator: " ")
            let started = ContinuousClock.now
            let received = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<streams {
                    group.addTask {
                        try await StreamedRequest.send(
                            port: port,
                            body: #"{"prompt":"\#(prompt)","max_tokens":\#(tokens),"ignore_eos":true,"stream":true}"#
                        ).tokens.count
                    }
                }
                return try await group.reduce(0, +)
            }
            let elapsed = seconds(ContinuousClock.now - started)
            print(
                String(
                    format:
                        "delivered:        %d token events to %d streams in %.2f s = %.0f tokens/s (time scale 1000, client in the same process)",
                    received, streams, elapsed, Double(received) / elapsed))
            print(
                String(
                    format:
                        "simulated GPU:    %.0f output tokens/s at the same load and time scale 1 (gpt-oss-120b FP4, 1× B200)",
                    virtual.outputThroughput))
        }
    }
}
