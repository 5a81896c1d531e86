import Foundation
import Wire

/// How sure a point's headline figures are, from its own requests (docs/metrics.md,
/// "Uncertainty"): 95 % intervals for the medians, by order statistics, and for throughput, by a
/// bootstrap over time slices. Nil where the point had too few requests for one.
public struct PointIntervals: Hashable, Sendable, Codable {
    public var confidence: Double
    /// Completed requests the intervals come from.
    public var sampleSize: Int
    public var medianTTFTMilliseconds: ConfidenceInterval?
    public var medianTPOTMilliseconds: ConfidenceInterval?
    /// tok/s/user = 1000 / median TPOT, so its interval is the TPOT interval's, inverted.
    public var interactivity: ConfidenceInterval?
    public var tokensPerSecondPerGPU: ConfidenceInterval?

    /// Time slices of the throughput bootstrap, and its resamples.
    static let slices = 20
    static let resamples = 1000
    /// Fewer completed requests than this, and throughput gets no interval: the slices would be
    /// mostly empty.
    static let minimumRequestsForThroughput = 20

    public init(records: [RequestRecord], gpus: Int, confidence: Double = 0.95) {
        let good = records.filter(\.succeeded)
        self.confidence = confidence
        sampleSize = good.count
        let ttft = good.map { $0.ttft * 1000 }.sorted()
        let tpot = good.compactMap(\.tpot).map { $0 * 1000 }.sorted()
        medianTTFTMilliseconds = MedianInterval.of(ttft, confidence: confidence)
        let tpotInterval = MedianInterval.of(tpot, confidence: confidence)
        medianTPOTMilliseconds = tpotInterval
        interactivity = tpotInterval.flatMap {
            $0.lower > 0 ? ConfidenceInterval(lower: 1000 / $0.upper, upper: 1000 / $0.lower) : nil
        }
        tokensPerSecondPerGPU = Self.throughputInterval(good, records: records, gpus: gpus, confidence: confidence)
    }

    /// Tokens per second per GPU, as ``PointSummary`` computes it, with a percentile bootstrap
    /// over equal time slices of the point: each request's input tokens are spread evenly over its
    /// prefill (from leaving the client's queue to its first token), its output tokens over its
    /// decode (first token to last), and slices
    /// (not requests, which overlap and depend on each other at a fixed concurrency) are what is
    /// resampled. The seed is fixed, so the same records give the same interval.
    static func throughputInterval(
        _ good: [RequestRecord], records: [RequestRecord], gpus: Int, confidence: Double
    ) -> ConfidenceInterval? {
        guard good.count >= minimumRequestsForThroughput else { return nil }
        let start = records.map(\.start).min() ?? 0
        let end = good.map(\.lastToken).max() ?? start
        let duration = end - start
        guard duration > 0 else { return nil }
        let width = duration / Double(slices)
        func slice(at time: Double) -> Int { min(slices - 1, max(0, Int((time - start) / width))) }
        var tokens = [Double](repeating: 0, count: slices)
        // `count` tokens over [from, to], by how much of it each slice saw.
        func spread(_ count: Int, from: Double, to: Double) {
            guard to > from else {
                tokens[slice(at: to)] += Double(count)
                return
            }
            for index in slice(at: from)...slice(at: to) {
                let lower = max(from, start + Double(index) * width)
                let upper = min(to, start + Double(index + 1) * width)
                tokens[index] += Double(count) * max(0, upper - lower) / (to - from)
            }
        }
        for request in good {
            spread(request.inputTokens, from: min(request.firstToken, request.start + request.queueTime), to: request.firstToken)
            spread(request.outputTokens, from: request.firstToken, to: request.lastToken)
        }
        var random = SeededGenerator(seed: 0x5EED_5EED)
        var estimates: [Double] = []
        estimates.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var total = 0.0
            for _ in 0..<slices { total += tokens[Int(random.next() % UInt64(slices))] }
            estimates.append(total / duration / Double(max(1, gpus)))
        }
        estimates.sort()
        let tail = (1 - confidence) / 2 * 100
        return ConfidenceInterval(
            lower: Statistics.percentile(estimates, tail), upper: Statistics.percentile(estimates, 100 - tail))
    }
}
