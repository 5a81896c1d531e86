import Foundation

/// One run's figure for one point and metric, its repeats pooled, on the log scale where a
/// ratio of two runs becomes a difference.
///
/// Each repeat's 95 % interval gives a standard error of its log, (ln U − ln L) / (2 z₀.₉₇₅);
/// repeats are pooled by inverse-variance weights, and when they disagree with each other
/// more than those errors allow (Cochran's Q above its degrees of freedom) the pooled error is
/// widened by √(Q / (k − 1)), so run-to-run noise that the repeats show is not ignored.
public struct PooledEstimate: Hashable, Sendable, Codable {
    /// The pooled figure (the weighted geometric mean of the repeats; their mean without intervals).
    public var value: Double
    /// Standard error of ln(value); nil when no repeat had an interval.
    public var logStandardError: Double?
    public var repeats: Int
    /// Completed requests behind the figure, over all repeats.
    public var requests: Int

    /// No figure is believed to better than this relative error, however tight its interval:
    /// a deterministic simulation can give an interval of zero width.
    static let standardErrorFloor = 0.0005

    /// Completed requests over `repeats`: what their intervals rest on.
    static func requests(_ repeats: [PointResult]) -> Int {
        repeats.reduce(0) { $0 + ($1.figures.intervals?.sampleSize ?? $1.figures.completed) }
    }

    init(_ repeats: [PointResult], metric: ComparedMetric) {
        self.repeats = repeats.count
        requests = Self.requests(repeats)
        var logs: [Double] = []
        var errors: [Double] = []
        for result in repeats {
            let (value, interval) = metric.measure(result.figures)
            let confidence = result.figures.intervals?.confidence ?? 0.95
            guard value > 0, let interval, interval.lower > 0, interval.upper >= interval.lower else { continue }
            let z = NormalDistribution.quantile((1 + confidence) / 2)
            logs.append(log(value))
            errors.append(max(Self.standardErrorFloor, (log(interval.upper) - log(interval.lower)) / (2 * z)))
        }
        guard !logs.isEmpty else {
            let values = repeats.map { metric.measure($0.figures).value }
            value = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            logStandardError = nil
            return
        }
        let weights = errors.map { 1 / ($0 * $0) }
        let total = weights.reduce(0, +)
        let pooled = zip(weights, logs).reduce(0) { $0 + $1.0 * $1.1 } / total
        var error = (1 / total).squareRoot()
        if logs.count > 1 {
            let q = zip(weights, logs).reduce(0) { $0 + $1.0 * ($1.1 - pooled) * ($1.1 - pooled) }
            let degrees = Double(logs.count - 1)
            if q > degrees { error *= (q / degrees).squareRoot() }
        }
        value = exp(pooled)
        logStandardError = error
    }
}
