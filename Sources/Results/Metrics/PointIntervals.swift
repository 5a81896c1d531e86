import Foundation
import Wire

/// How sure a point's headline figures are, from its own requests (docs/metrics.md,
/// "Uncertainty"): 95 % intervals for the medians, by order statistics, and for throughput, by a
/// bootstrap over requests. Nil where the point had too few requests for one.
public struct PointIntervals: Hashable, Sendable, Codable {
    public var confidence: Double
    /// Completed requests the intervals come from.
    public var sampleSize: Int
    public var medianTTFTMilliseconds: ConfidenceInterval?
    public var medianTPOTMilliseconds: ConfidenceInterval?
    /// tok/s/user = 1000 / median TPOT, so its interval is the TPOT interval's, inverted.
    public var interactivity: ConfidenceInterval?
    public var tokensPerSecondPerGPU: ConfidenceInterval?

    /// Resamples of the throughput bootstrap.
    static let resamples = 1000
    /// Fewer completed requests than this, and throughput gets no interval: a bootstrap of a
    /// handful of requests says little about their spread.
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

    /// Tokens per second per GPU, as ``PointSummary`` computes it (Σ tokens ÷ span ÷ GPUs),
    /// with a percentile bootstrap over requests of the ratio it rests on: the span is the
    /// requests' summed latencies divided by how many were in flight on average, so
    /// Σ tokens ÷ span = (Σ tokens ÷ Σ latency) × achieved concurrency. The concurrency is the
    /// load's, held fixed; the ratio is recomputed on requests drawn with replacement. The seed
    /// is fixed, so the same records give the same interval.
    static func throughputInterval(
        _ good: [RequestRecord], records: [RequestRecord], gpus: Int, confidence: Double
    ) -> ConfidenceInterval? {
        guard good.count >= minimumRequestsForThroughput else { return nil }
        let start = records.map(\.start).min() ?? 0
        let end = good.map(\.lastToken).max() ?? start
        let duration = end - start
        let tokens = good.map { Double($0.inputTokens + $0.outputTokens) }
        let latencies = good.map { max(0, $0.lastToken - $0.start) }
        let busy = latencies.reduce(0, +)
        guard duration > 0, busy > 0 else { return nil }
        let scale = busy / duration / Double(max(1, gpus))
        var random = SeededGenerator(seed: 0x5EED_5EED)
        var estimates: [Double] = []
        estimates.reserveCapacity(resamples)
        let n = UInt64(good.count)
        for _ in 0..<resamples {
            var sumTokens = 0.0
            var sumLatency = 0.0
            for _ in 0..<good.count {
                let index = Int(random.next() % n)
                sumTokens += tokens[index]
                sumLatency += latencies[index]
            }
            if sumLatency > 0 { estimates.append(sumTokens / sumLatency * scale) }
        }
        guard !estimates.isEmpty else { return nil }
        estimates.sort()
        let tail = (1 - confidence) / 2 * 100
        return ConfidenceInterval(
            lower: Statistics.percentile(estimates, tail), upper: Statistics.percentile(estimates, 100 - tail))
    }
}
