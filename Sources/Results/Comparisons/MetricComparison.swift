import Foundation

/// What a comparison concludes about a change, as nightly dashboards sort them.
public enum Verdict: String, Hashable, Sendable, Codable, Comparable {
    /// Worse by at least the effect asked for, and statistically supported.
    case regression
    /// Better by at least the effect, and statistically supported.
    case improvement
    /// Too few requests to detect a change as large as the effect (at the settings' power).
    case insufficientData = "insufficient data"
    /// No change as large as the effect: the requests could have detected one, and did not.
    case noChange = "no change"

    /// Severity, for a point's overall verdict: the first of these that any metric has.
    var rank: Int {
        switch self {
        case .regression: 0
        case .improvement: 1
        case .insufficientData: 2
        case .noChange: 3
        }
    }

    public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
}

/// One metric of one point in two runs, tested (docs/metrics.md, "Comparing runs").
///
/// With a and b the pooled log figures of the runs and s_a, s_b their standard errors from
/// the requests, the change is d = b − a. Its error is s = √(s_a² + s_b² + ω²), where ω is the
/// run-to-run noise beyond the requests' own that the comparison measured over all its points
/// (``RunToRunNoise``); z = d / s, and the two-sided p-value is P(|Z| ≥ |z|). Changes are
/// reported relative: exp(d) − 1.
public struct MetricComparison: Hashable, Sendable, Codable {
    public var metric: ComparedMetric
    public var baseline: Double
    public var candidate: Double
    /// Relative change of the candidate from the baseline (0.05 = 5 % higher).
    public var change: Double
    /// 95 % interval of the relative change; nil without intervals in both runs.
    public var changeInterval: ConfidenceInterval?
    public var pValue: Double?
    /// The p-value adjusted for every test of the comparison (Benjamini–Hochberg).
    public var qValue: Double?
    /// The smallest relative change these runs detect at the settings' power and a 5 %
    /// two-sided level.
    public var minimumDetectableEffect: Double?
    /// The effect this metric was judged against.
    public var effect: Double
    public var verdict: Verdict
    /// d and s_a² + s_b², on the log scale; nil without intervals in both runs.
    public var logChange: Double?
    public var requestVariance: Double?

    init(metric: ComparedMetric, baseline: PooledEstimate, candidate: PooledEstimate, settings: ComparisonSettings) {
        self.metric = metric
        self.baseline = baseline.value
        self.candidate = candidate.value
        change = baseline.value > 0 ? candidate.value / baseline.value - 1 : 0
        effect = settings.effect(metric)
        verdict = .insufficientData
        guard let sa = baseline.logStandardError, let sb = candidate.logStandardError, baseline.value > 0,
            candidate.value > 0
        else { return }
        logChange = log(candidate.value / baseline.value)
        requestVariance = sa * sa + sb * sb
        test(runToRunVariance: 0, settings: settings)
    }

    /// The interval, p-value and detectable effect with ω² = `runToRunVariance` added.
    mutating func test(runToRunVariance: Double, settings: ComparisonSettings) {
        guard let d = logChange, let variance = requestVariance else { return }
        let error = (variance + runToRunVariance).squareRoot()
        let z95 = NormalDistribution.quantile(0.975)
        changeInterval = ConfidenceInterval(lower: exp(d - z95 * error) - 1, upper: exp(d + z95 * error) - 1)
        pValue = NormalDistribution.twoSidedP(d / error)
        minimumDetectableEffect = exp((z95 + NormalDistribution.quantile(settings.power)) * error) - 1
    }

    /// The verdict, once the q-value over the whole comparison is known.
    mutating func judge(qValue: Double?, settings: ComparisonSettings) {
        self.qValue = qValue
        guard let qValue, let detectable = minimumDetectableEffect else {
            verdict = .insufficientData
            return
        }
        let worse = metric.higherIsBetter ? -change : change
        if qValue <= settings.falseDiscoveryRate && abs(change) >= effect {
            verdict = worse > 0 ? .regression : .improvement
        } else if detectable > effect {
            verdict = .insufficientData
        } else {
            verdict = .noChange
        }
    }
}
