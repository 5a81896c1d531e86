import Foundation
import Fuzzing
import NIOCore
import NIOEmbedded
import Testing

@testable import LoadGenerator

/// Hostile and broken responses through the client's whole parse: mutated streams in random
/// splits always end their request, as a response or as a named error, and never crash.
@Suite struct StreamFuzzTests {
    @Test func mutatedResponses_alwaysEndTheRequest() async throws {
        var mutator = Mutator(seedFromEnvironment: ProcessInfo.processInfo.environment)
        print("StreamFuzzTests seed \(mutator.seed) (SWEEPLINE_FUZZ_SEED replays it)")
        let valid = Array(StreamingResponseHandlerTests.chunked(ServerSentEventsTests.chatStream).utf8)
        // A floor of rounds and a short deadline: the suite runs in parallel, and its timing
        // tests must not wait behind this one.
        let deadline = ContinuousClock.now + .seconds(2)
        var answered = 0
        var refused = 0
        for round in 0..<2000 where round < 100 || ContinuousClock.now < deadline {
            if round % 10 == 0 { await Task.yield() }
            let input = round == 0 ? valid : mutator.mutate(valid)
            let handler = StreamingResponseHandler()
            let channel = try StreamingResponseHandlerTests.connected(handler)
            let promise = channel.eventLoop.makePromise(of: StreamedRequest.self)
            handler.expect(promise, start: .now, expectedTokens: 3)
            var start = 0
            while start < input.count, channel.isActive {
                let end = min(input.count, start + 1 + mutator.below(300))
                try? channel.writeInbound(ByteBuffer(bytes: input[start..<end]))
                start = end
            }
            // The server closes: a request still waiting ends now.
            if channel.isActive { try? channel.close().wait() }
            var settled: Result<StreamedRequest, any Error>?
            promise.futureResult.whenComplete { settled = $0 }
            guard let settled else {
                Issue.record("seed \(mutator.seed): round \(round) left its request waiting")
                return
            }
            switch settled {
            case .success(let response):
                answered += 1
                #expect(response.tokens.count <= input.count, "seed \(mutator.seed)")
            case .failure(let error):
                refused += 1
                #expect(
                    error is HTTPResponseError || error is ConnectionClosedEarly
                        || error is ConnectionClosedBeforeResponse, "seed \(mutator.seed): \(error)")
            }
            _ = try? channel.finish()
        }
        #expect(answered >= 1, "the valid response itself")
        #expect(refused >= 1)
    }
}
