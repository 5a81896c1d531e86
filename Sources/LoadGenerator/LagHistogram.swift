/// The event loops' timer lags of one point, in fixed memory: counts in buckets of 10 µs up to
/// 100 ms (the limit the self-check judges is 5 ms), everything later in one last bucket, and
/// the largest exactly. A point that lasts hours samples millions of lags; kept as an array
/// they would grow without bound.
struct LagHistogram: Sendable {
    static let bucketMilliseconds = 0.01
    static let bucketCount = 10_000

    private(set) var count = 0
    private(set) var maximum = 0.0
    private var buckets = [Int](repeating: 0, count: LagHistogram.bucketCount + 1)

    mutating func record(milliseconds lag: Double) {
        let lag = max(0, lag)
        count += 1
        maximum = max(maximum, lag)
        buckets[min(Self.bucketCount, Int(lag / Self.bucketMilliseconds))] += 1
    }

    /// The `p`th percentile, to the upper edge of its bucket (never below the true value by
    /// more than a bucket, never above the largest lag); 0 with no samples.
    func percentile(_ p: Double) -> Double {
        guard count > 0 else { return 0 }
        // The nearest rank: a p99 of 100 samples is the 99th smallest, of 50 the 50th.
        let rank = max(1, Int((p / 100 * Double(count)).rounded(.up)))
        var seen = 0
        for (index, bucketCount) in buckets.enumerated() {
            seen += bucketCount
            guard seen >= rank else { continue }
            return index == Self.bucketCount ? maximum : min(maximum, Double(index + 1) * Self.bucketMilliseconds)
        }
        return maximum
    }
}
