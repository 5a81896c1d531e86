import Testing
import Wire

@testable import Coordinator

@Suite struct LogRateLimitTests {
    static func lines(_ count: Int, bytes: Int) -> LogLines {
        LogLines(
            jobID: "j-000001", attempt: 1,
            lines: Array(repeating: String(repeating: "x", count: bytes - 1), count: count),
            dropped: 0)
    }

    @Test func aBurstPasses_thenWhatIsOverTheRateIsDropped_andTheNextFrameThatFitsSaysHowMuch() {
        var limit = LogRateLimit(bytesPerSecond: 1000, burstBytes: 4000)
        #expect(limit.admit(Self.lines(4, bytes: 1000), at: 0) == Self.lines(4, bytes: 1000))
        #expect(limit.admit(Self.lines(1, bytes: 1000), at: 0.5) == nil, "500 bytes refilled, 1000 asked")
        let noted = limit.admit(Self.lines(3, bytes: 100), at: 0.5)
        #expect(
            noted?.lines.first
                == "[sweepline] coordinator dropped 1 log lines (1000 bytes) from this agent: over its log rate of 1000 bytes/s"
        )
        #expect(noted?.lines.count == 4)
        // The note is given once.
        #expect(limit.admit(Self.lines(1, bytes: 100), at: 1.5)?.lines.count == 1)
    }

    @Test func theBucketNeverHoldsMoreThanItsBurst() {
        var limit = LogRateLimit(bytesPerSecond: 1000, burstBytes: 2000)
        _ = limit.admit(Self.lines(1, bytes: 1), at: 0)
        // An hour idle refills to the burst, not to 3.6 MB.
        #expect(limit.admit(Self.lines(3, bytes: 1000), at: 3600) == nil)
        #expect(limit.admit(Self.lines(2, bytes: 1000), at: 3600) != nil)
    }
}
