import Catalog
import Results
import Testing
import Wire

@testable import Simulator

@Suite struct OpenLoopTests {
    static let deployment: Deployment = {
        let catalog = try! Catalog.builtIn()
        return Deployment(
            hardware: try! catalog.hardware("H200-SXM"), model: try! catalog.model("Llama-3.3-70B-Instruct"),
            precision: .fp8, tp: 8)
    }()

    @Test func poissonArrivals_haveTheAskedRate_andRepeatForASeed() {
        let load = OpenLoopLoad(requestRate: 20, requests: 4000, inputLength: 128, outputLength: 16, seed: 9)
        let arrivals = load.arrivals()
        #expect(arrivals == load.arrivals())
        let rate = Double(arrivals.count) / arrivals.last!
        #expect(abs(rate - 20) / 20 < 0.05, "rate \(rate)")
        let gaps = zip(arrivals.dropFirst(), arrivals).map { $0 - $1 }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count)
        // Exponential gaps: standard deviation equals the mean.
        #expect(abs(variance.squareRoot() / mean - 1) < 0.1)
        // Burstiness below 1 spreads the gaps more.
        let bursty = OpenLoopLoad(
            requestRate: 20, burstiness: 0.25, requests: 4000, inputLength: 128, outputLength: 16, seed: 9
        ).arrivals()
        let burstyGaps = zip(bursty.dropFirst(), bursty).map { $0 - $1 }
        let burstyMean = burstyGaps.reduce(0, +) / Double(burstyGaps.count)
        let burstyStd = (burstyGaps.reduce(0) { $0 + ($1 - burstyMean) * ($1 - burstyMean) } / Double(burstyGaps.count))
            .squareRoot()
        #expect(burstyStd / burstyMean > 1.5)
    }

    @Test func openLoop_servesEveryRequest_andLatencyGrowsWithTheRate() throws {
        func run(_ rate: Double) throws -> PointSummary {
            let records = try VirtualRun.openLoop(
                OpenLoopLoad(requestRate: rate, requests: 200, inputLength: 512, outputLength: 64),
                deployment: Self.deployment,
                configuration: EngineConfiguration(maxModelLen: 4096))
            #expect(records.count == 200)
            #expect(records.allSatisfy { $0.firstToken > $0.start && $0.lastToken >= $0.firstToken })
            return PointSummary(records: records, gpus: 8)
        }
        let light = try run(1)
        let heavy = try run(40)
        #expect(heavy.tpot.median > light.tpot.median)
        #expect(heavy.requestThroughput > light.requestThroughput)
        // At one request a second the engine is mostly idle: TTFT is about one prefill.
        #expect(light.ttft.median < 0.1)
    }
}
