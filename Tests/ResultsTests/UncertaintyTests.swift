import Foundation
import Testing
import Wire

@testable import Results

@Suite struct UncertaintyTests {
    /// The ranks published in tables of the distribution-free median interval.
    @Test func medianIntervalRanks_matchTheBinomialTables() {
        #expect(MedianInterval.ranks(count: 5) == nil, "five values cannot give 95 %")
        #expect(MedianInterval.ranks(count: 6)! == (1, 6))
        #expect(MedianInterval.ranks(count: 10)! == (2, 9))
        #expect(MedianInterval.ranks(count: 100)! == (40, 61))
        #expect(MedianInterval.ranks(count: 100, confidence: 0.99)! == (37, 64))
        // Large n does not underflow, and the interval tightens around the middle.
        let large = MedianInterval.ranks(count: 10_000)!
        #expect(large.lower == 4_902 && large.upper == 5_099, "\(large)")
    }

    /// Drawn again and again from a skewed distribution whose median is known, the interval
    /// holds it at least as often as promised.
    @Test func medianInterval_coversTheTrueMedian_atLeastAsOftenAsPromised() {
        var random = SeededGenerator(seed: 42)
        func exponential() -> Double { -log(Double(random.next() % 1_000_000 + 1) / 1_000_001) }
        let trueMedian = log(2.0)
        var covered = 0
        let trials = 2000
        for _ in 0..<trials {
            let sample = (0..<30).map { _ in exponential() }.sorted()
            if MedianInterval.of(sample)!.contains(trueMedian) { covered += 1 }
        }
        #expect(Double(covered) / Double(trials) >= 0.94, "covered \(covered) of \(trials)")
    }

    static func steady(_ count: Int, every seconds: Double = 1, tokens: Int = 1000) -> [RequestRecord] {
        (0..<count).map { index in
            let start = Double(index) * seconds
            return RequestRecord(
                requestID: index, start: start, firstToken: start + 0.05 + 0.001 * Double(index % 7),
                lastToken: start + seconds, inputTokens: tokens / 2, outputTokens: tokens / 2, interTokenGaps: [])
        }
    }

    @Test func aSteadyPoint_hasANarrowThroughputInterval_aroundItsThroughput() {
        let records = Self.steady(200)
        let summary = PointSummary(records: records, gpus: 2)
        let intervals = PointIntervals(records: records, gpus: 2)
        let throughput = try! #require(intervals.tokensPerSecondPerGPU)
        #expect(throughput.contains(summary.tokensPerSecondPerGPU), "\(throughput) vs \(summary.tokensPerSecondPerGPU)")
        #expect(
            (throughput.upper - throughput.lower) / 2 / summary.tokensPerSecondPerGPU < 0.05, "half width under 5 %")
        #expect(intervals.sampleSize == 200)
        let ttft = try! #require(intervals.medianTTFTMilliseconds)
        #expect(ttft.contains(summary.ttft.median * 1000))
        let interactivity = try! #require(intervals.interactivity)
        #expect(interactivity.contains(summary.interactivity))
        // The same records, the same interval: the bootstrap's seed is fixed.
        #expect(PointIntervals(records: records, gpus: 2) == intervals)
    }

    @Test func aBurstyPoint_isLessSure_andATinyOneGetsNoThroughputInterval() {
        // The same requests and tokens over the same span, but all decoded in two short bursts.
        var bursty = Self.steady(200)
        for index in bursty.indices {
            let burst = index < 100 ? 100.0 : 198.0
            bursty[index].start = min(bursty[index].start, burst)
            bursty[index].firstToken = burst
            bursty[index].lastToken = burst + 1
        }
        let steadyWidth = PointIntervals(records: Self.steady(200), gpus: 1).tokensPerSecondPerGPU!
        let burstyWidth = PointIntervals(records: bursty, gpus: 1).tokensPerSecondPerGPU!
        #expect(burstyWidth.upper - burstyWidth.lower > 5 * (steadyWidth.upper - steadyWidth.lower))

        let tiny = PointIntervals(records: Self.steady(12), gpus: 1)
        #expect(tiny.tokensPerSecondPerGPU == nil)
        #expect(tiny.medianTTFTMilliseconds != nil, "twelve requests still bound a median")
        #expect(PointIntervals(records: Self.steady(4), gpus: 1).medianTTFTMilliseconds == nil)
    }

    /// The bootstrap's median by selection agrees with the sorted one, odd and even counts,
    /// ties and nils included.
    @Test func waveMedian_isTheSortedMedian() {
        var random = SeededGenerator(seed: 3)
        for count in [1, 2, 3, 10, 11, 100, 101] {
            let values: [Double?] = (0..<count).map { $0 % 7 == 3 ? nil : Double(random.next() % 50) }
            let indices = Array(values.indices) + Array(values.indices.prefix(count / 3))
            let kept = indices.compactMap { values[$0] }.sorted()
            #expect(WaveBootstrap.median(values, at: indices) == (kept.isEmpty ? nil : Statistics.percentile(kept, 50)))
        }
    }
}
