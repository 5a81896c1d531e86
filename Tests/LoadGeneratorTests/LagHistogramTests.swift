import Testing

@testable import LoadGenerator

@Suite struct LagHistogramTests {
    @Test func p99_isTheNearestRank_toTheBucket() {
        var lags = LagHistogram()
        for _ in 0..<990 { lags.record(milliseconds: 0.2) }
        for _ in 0..<10 { lags.record(milliseconds: 7.0) }
        // 990 of 1,000 at 0.2 ms: the 990th is the p99, one stall in a hundred is not.
        #expect(abs(lags.percentile(99) - 0.21) < 1e-9)
        lags.record(milliseconds: 7.0)
        #expect(abs(lags.percentile(99) - 7.0) < 1e-9, "past one in a hundred the stalls are the p99")
        #expect(lags.maximum == 7.0 && lags.count == 1001)
    }

    @Test func aFewSamples_haveTheirWorstAsP99() {
        var lags = LagHistogram()
        for lag in [0.1, 0.3, 6.0] { lags.record(milliseconds: lag) }
        #expect(abs(lags.percentile(99) - 6.0) < 1e-9)
        #expect(LagHistogram().percentile(99) == 0)
    }

    @Test func lagsPastTheLastBucket_andNegativeOnes_areKept_inFixedMemory() {
        var lags = LagHistogram()
        lags.record(milliseconds: -1)
        lags.record(milliseconds: 2_500)
        #expect(lags.count == 2)
        #expect(lags.percentile(50) == 0.01, "a timer that ran early counts as on time")
        #expect(lags.percentile(99) == 2_500, "the last bucket answers with the largest lag seen")
    }
}
