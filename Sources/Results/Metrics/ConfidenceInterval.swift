import Foundation

/// A range that holds the true value of a figure with the stated confidence (docs/metrics.md,
/// "Uncertainty").
public struct ConfidenceInterval: Hashable, Sendable, Codable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}

/// The distribution-free interval for a median: the order statistics x₍ₖ₎ and x₍ₙ₋ₖ₊₁₎, with k
/// the largest rank such that a Binomial(n, ½) falls below it with probability at most α/2.
///
/// It assumes only that the requests are independent draws from one distribution — no shape —
/// and it is exact: its coverage is at least the confidence asked for, for every n.
public enum MedianInterval {
    /// 1-based ranks (lower, upper) of the interval, or nil when n is too small for any
    /// interval at that confidence (n ≤ 5 at 95 %).
    public static func ranks(count n: Int, confidence: Double = 0.95) -> (lower: Int, upper: Int)? {
        guard n > 0 else { return nil }
        let tail = (1 - confidence) / 2
        // P(B ≤ i) for B ~ Binomial(n, ½), accumulated in log space so large n does not underflow.
        let logHalfPower = Double(n) * log(0.5)
        var cumulative = 0.0
        var k = 0
        for i in 0..<n {
            let logTerm = lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1)) + logHalfPower
            cumulative += exp(logTerm)
            // Rank i + 1 is usable when P(B ≤ i) ≤ α/2.
            guard cumulative <= tail else { break }
            k = i + 1
        }
        return k == 0 ? nil : (k, n - k + 1)
    }

    /// The interval of the median of `sorted`, or nil when there are too few values.
    public static func of(_ sorted: [Double], confidence: Double = 0.95) -> ConfidenceInterval? {
        guard let (lower, upper) = ranks(count: sorted.count, confidence: confidence) else { return nil }
        return ConfidenceInterval(lower: sorted[lower - 1], upper: sorted[upper - 1])
    }
}
