import Foundation

/// How many requests a point needs so that a chosen change is flagged (`sweepline plan
/// --against`), from the variance an earlier run of the point measured (docs/metrics.md,
/// "Planning the sample size").
///
/// A run's standard error of a log median shrinks as 1/√n, so an earlier run with n₀ requests
/// and error s₀ predicts s(n) = s₀ √(n₀ / n), and the difference of two runs of n requests
/// has error √2 · s(n). A change of E is flagged when its estimate reaches the effect δ and
/// it is significant; both hold with probability `power` when
/// √2 · s(n) ≤ min((E − δ) / z_power, E / (z₀.₉₇₅ + z_power)).
///
/// With run-to-run noise ω measured by a comparison of earlier runs (``RunToRunNoise``), the
/// difference's error is √(2 s(n)² + ω²) instead, and requests alone cannot bring it below ω:
/// when ω exceeds the target, the plan says how many repeats R of the point would (pooling R
/// repeats of independent runs divides both terms by R).
///
/// s₀ is itself an estimate: a median interval's width rests on the m requests between its
/// ends, a bootstrap's spread on all n requests, so it is off by about 1/√m. The plan takes its
/// upper 95 % bound, s₀ (1 + 1.645/√m), rather than promise a power the earlier run cannot
/// support.
public struct SampleSizePlan: Hashable, Sendable, Codable {
    public struct Need: Hashable, Sendable, Codable {
        public var metric: ComparedMetric
        /// The change to be caught, and the effect a regression must reach.
        public var detect: Double
        public var effect: Double
        /// Completed requests needed per run of the point; nil when `detect` does not exceed
        /// the effect (no sample size flags a change below the threshold reliably), or when
        /// run-to-run noise alone is too large for any number of requests.
        public var requests: Int?
        /// When run-to-run noise is too large for requests alone: the repeats per run that
        /// would do, each of the planned requests or the earlier run's, whichever is more.
        public var repeats: Int?
    }

    public var pointKey: String
    /// Completed requests of the earlier run the variance comes from.
    public var measuredRequests: Int
    public var needs: [Need]

    /// The most any metric needs: what the point should be given.
    public var requests: Int? { needs.compactMap(\.requests).max() }

    /// Changes to catch, per metric, unless the operator says otherwise: a little beyond the
    /// default effects.
    public static let defaultDetect: [ComparedMetric: Double] = [
        .tokensPerSecondPerGPU: 0.05, .interactivity: 0.05, .medianTTFT: 0.10,
    ]

    /// Per point: a sweep has tens to hundreds of points, and a regression missed at a few of
    /// them is a regression half seen.
    public static let defaultPower = 0.99

    /// - Parameters:
    ///   - earlier: valid repeats of the point in one earlier run.
    ///   - detect: per metric, the relative change to be flagged.
    public init?(
        earlier: [PointResult], detect: [ComparedMetric: Double] = SampleSizePlan.defaultDetect,
        settings: ComparisonSettings = .init(), power: Double = SampleSizePlan.defaultPower,
        runToRunNoise: [ComparedMetric: Double] = [:]
    ) {
        let valid = earlier.filter(\.isValid)
        guard let key = valid.first?.pointKey else { return nil }
        pointKey = key
        measuredRequests = PooledEstimate.requests(valid)
        let zPower = NormalDistribution.quantile(power)
        let zLevel = NormalDistribution.quantile(0.975)
        needs = ComparedMetric.allCases.map { metric in
            let effect = settings.effect(metric)
            let change = detect[metric] ?? Self.defaultDetect[metric]!
            var need = Need(metric: metric, detect: change, effect: effect, requests: nil, repeats: nil)
            let estimate = PooledEstimate(valid, metric: metric)
            guard let error = estimate.logStandardError, change > effect, estimate.requests > 0 else { return need }
            // On the log scale, as the comparison tests; a drop and a rise of the same size
            // differ there, and the smaller is the harder to see.
            let e = min(log(1 + change), -log(1 - change))
            let threshold = max(log(1 + effect), -log(1 - effect))
            let target = min((e - threshold) / zPower, e / (zLevel + zPower))
            guard target > 0 else { return need }
            let upper =
                error * (1 + NormalDistribution.quantile(0.95) / Self.widthSupport(metric, estimate).squareRoot())
            let omega = runToRunNoise[metric].map { log(1 + $0) } ?? 0
            let room = target * target - omega * omega
            guard room > 0 else {
                // Requests cannot beat the noise between runs; repeats of the earlier run's size can.
                let perRepeat = 2 * upper * upper + omega * omega
                need.repeats = max(2, Int((perRepeat / (target * target)).rounded(.up)))
                return need
            }
            let n = Double(estimate.requests) * 2 * upper * upper / room
            need.requests = max(1, Int(n.rounded(.up)))
            return need
        }
    }

    /// How many values the width of the metric's interval rests on, per repeat.
    static func widthSupport(_ metric: ComparedMetric, _ estimate: PooledEstimate) -> Double {
        switch metric {
        case .tokensPerSecondPerGPU: return Double(max(1, estimate.requests))
        case .interactivity, .medianTTFT:
            let perRepeat = max(1, estimate.requests / max(1, estimate.repeats))
            guard let ranks = MedianInterval.ranks(count: perRepeat) else { return 1 }
            return Double(max(1, ranks.upper - ranks.lower) * estimate.repeats)
        }
    }
}
