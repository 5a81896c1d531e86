import Foundation
import Wire

/// How sure a point's headline figures are, from its own requests (docs/metrics.md,
/// "Uncertainty"): 95 % intervals for the medians, by order statistics, and for throughput, by the
/// linearised variance of the ratio it rests on, each widened to a bootstrap over waves of requests where those
/// disagree more (``WaveBootstrap``). Nil where the point had too few requests for one.
public struct PointIntervals: Hashable, Sendable, Codable {
    public var confidence: Double
    /// Completed requests the intervals come from.
    public var sampleSize: Int
    public var medianTTFTMilliseconds: ConfidenceInterval?
    public var medianTPOTMilliseconds: ConfidenceInterval?
    /// tok/s/user = 1000 / median TPOT, so its interval is the TPOT interval's, inverted.
    public var interactivity: ConfidenceInterval?
    public var tokensPerSecondPerGPU: ConfidenceInterval?

    /// Fewer completed requests than this, and throughput gets no interval: a bootstrap of a
    /// handful of requests says little about their spread.
    static let minimumRequestsForThroughput = 20

    public init(records: [RequestRecord], gpus: Int, confidence: Double = 0.95) {
        let good = records.filter(\.succeeded)
        self.confidence = confidence
        sampleSize = good.count
        let ttft: [Double?] = good.map { $0.ttft * 1000 }
        let tpot: [Double?] = good.map { $0.tpot.map { $0 * 1000 } }
        let waves = WaveBootstrap(good)
        // The order statistics' interval, widened to the waves' where they disagree more than
        // independent requests would.
        func median(_ values: [Double?], seed: UInt64) -> ConfidenceInterval? {
            guard let exact = MedianInterval.of(values.compactMap { $0 }.sorted(), confidence: confidence) else {
                return nil
            }
            return exact.union(
                waves?.interval(confidence: confidence, seed: seed) { WaveBootstrap.median(values, at: $0) })
        }
        medianTTFTMilliseconds = median(ttft, seed: 0x77F7)
        let tpotInterval = median(tpot, seed: 0x7907)
        medianTPOTMilliseconds = tpotInterval
        interactivity = tpotInterval.flatMap {
            $0.lower > 0 ? ConfidenceInterval(lower: 1000 / $0.upper, upper: 1000 / $0.lower) : nil
        }
        tokensPerSecondPerGPU = Self.throughputInterval(
            good, records: records, gpus: gpus, waves: waves, confidence: confidence)
    }

    /// Tokens per second per GPU, as ``PointSummary`` computes it (Σ tokens ÷ span ÷ GPUs),
    /// with an interval for the ratio it rests on: the span is the
    /// requests' summed latencies divided by how many were in flight on average, so
    /// Σ tokens ÷ span = (Σ tokens ÷ Σ latency) × achieved concurrency. The concurrency is the
    /// load's, held fixed. The interval holds the ratio's normal interval over independent
    /// requests (its variance by linearisation: O(n), where a bootstrap over requests cost the
    /// coordinator hundreds of passes a point) and a bootstrap over whole waves, seeded, so the
    /// same records give the same interval.
    static func throughputInterval(
        _ good: [RequestRecord], records: [RequestRecord], gpus: Int, waves: WaveBootstrap?, confidence: Double
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
        // The ratio's variance by linearisation (Cochran's ratio estimator): with
        // zᵢ = tokensᵢ − R · latencyᵢ, Var(R) ≈ n/(n − 1) · Σ zᵢ² / (Σ latency)².
        let ratio = tokens.reduce(0, +) / busy
        let squares = zip(tokens, latencies).reduce(0) { $0 + ($1.0 - ratio * $1.1) * ($1.0 - ratio * $1.1) }
        let n = Double(good.count)
        let error = (n / (n - 1) * squares).squareRoot() / busy
        let z = NormalDistribution.quantile((1 + confidence) / 2)
        let requests = ConfidenceInterval(lower: (ratio - z * error) * scale, upper: (ratio + z * error) * scale)
        return requests.union(
            waves?.interval(confidence: confidence, seed: 0x5EED_0A7E) { drawn in
                let drawnBusy = drawn.reduce(0) { $0 + latencies[$1] }
                return drawnBusy > 0 ? drawn.reduce(0) { $0 + tokens[$1] } / drawnBusy * scale : nil
            })
    }
}
