import Catalog
import Results
import SimServer
import Simulator
import Testing
import Wire

@testable import LoadGenerator

@Suite(.serialized) struct RealTimeClosedLoopClientTests {
    @Test func aPointAgainstTheSimulatedEngine_measuresEveryRequest() async throws {
        let catalog = try Catalog.builtIn()
        let deployment = Deployment(
            hardware: try catalog.hardware("B200-HGX"), model: try catalog.model("gpt-oss-120b"), precision: .fp4, tp: 1
        )
        try await SimEngineServer.withLoopbackServer(deployment, configuration: EngineConfiguration(maxModelLen: 4096))
        { port, _ in
            let point = ClosedLoopPoint(
                concurrency: 4, requests: 12, warmups: 4,
                dataset: RandomDataset(inputLength: 128, outputLength: 16, seed: 5))
            let records = await ClosedLoopClient.run(
                point, against: BenchEndpoint(host: "127.0.0.1", port: port, model: "gpt-oss-120b"))
            #expect(records.count == 12, "warm-ups left out")
            #expect(records.map(\.requestID) == Array(4..<16))
            let lengths = point.dataset.lengths(count: 16)
            for record in records {
                #expect(record.succeeded, "\(record.error ?? "")")
                #expect(record.outputTokens == lengths[record.requestID].output, "from usage")
                #expect(!record.outputTokensEstimated)
                #expect(record.inputTokens == lengths[record.requestID].input)
                #expect(record.interTokenGaps.count == record.outputTokens - 1)
                #expect(record.firstToken > record.start && record.lastToken >= record.firstToken)
            }
            let validity = PointValidity(records: records, observations: .init(requested: 12))
            #expect(validity.isValid, "\(validity.reasons)")
        }
    }

    @Test func aServerThatIsNotThere_failsEveryRequest_withTheReason() async {
        let point = ClosedLoopPoint(
            concurrency: 2, requests: 4, warmups: 0, dataset: RandomDataset(inputLength: 8, outputLength: 4))
        // Port 9 (discard) on loopback: nothing listens there in the test environment.
        let records = await ClosedLoopClient.run(point, against: BenchEndpoint(host: "127.0.0.1", port: 9, model: "m"))
        #expect(records.count == 4)
        #expect(records.allSatisfy { !$0.succeeded })
        let validity = PointValidity(records: records, observations: .init(requested: 4))
        #expect(validity.reasons.first?.hasPrefix("4 of 4 requests failed") == true)
        let summary = PointSummary(records: records, gpus: 1)
        #expect(summary.completed == 0)
        #expect(summary.failed == 4)
    }
}

@Suite(.serialized) struct RealTimeOpenLoopClientTests {
    static let deployment: Deployment = {
        let catalog = try! Catalog.builtIn()
        return Deployment(
            hardware: try! catalog.hardware("B200-HGX"), model: try! catalog.model("gpt-oss-120b"), precision: .fp4,
            tp: 1)
    }()

    @Test func arrivalsAtARate_withACap_waitInTheQueue_notInTTFT() async throws {
        try await SimEngineServer.withLoopbackServer(
            Self.deployment, configuration: EngineConfiguration(maxModelLen: 4096)
        ) { port, _ in
            let load = OpenLoopLoad(requestRate: 50, requests: 20, inputLength: 64, outputLength: 32, seed: 2)
            let records = await OpenLoopClient.run(
                load, maxConcurrency: 1, against: BenchEndpoint(host: "127.0.0.1", port: port, model: "gpt-oss-120b"))
            #expect(records.count == 20)
            #expect(records.allSatisfy { $0.succeeded })
            // One slot, requests every 20 ms, each taking longer: a queue builds.
            #expect(records.last!.queueTime > 0.05, "queue time \(records.map(\.queueTime))")
            #expect(
                records.allSatisfy { $0.ttft < 0.2 }, "TTFT starts when the request is written, not when it arrived")
        }
    }

    @Test func aRequestOverItsLimit_failsAsTimedOut() async throws {
        // A hundred times slower than the simulated GPU: 32 tokens take seconds.
        try await SimEngineServer.withLoopbackServer(
            Self.deployment, configuration: EngineConfiguration(maxModelLen: 4096), timeScale: 0.01
        ) { port, _ in
            let point = ClosedLoopPoint(
                concurrency: 1, requests: 1, warmups: 0, dataset: RandomDataset(inputLength: 16, outputLength: 32))
            let records = await ClosedLoopClient.run(
                point, against: BenchEndpoint(host: "127.0.0.1", port: port, model: "m"), timeout: .milliseconds(300))
            #expect(records.first?.error == "timed out after 0.3 seconds")
        }
    }
}
