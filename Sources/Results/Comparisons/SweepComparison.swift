import Foundation

/// Two runs of the same points side by side (`sweepline compare A B`): per point and metric, a
/// test of the change on the requests' intervals and the run-to-run noise all points show,
/// judged against the effect the operator set, with the false-discovery rate held over all the
/// tests at once (docs/metrics.md, "Comparing runs").
public struct SweepComparison: Hashable, Sendable, Codable {
    public struct Row: Hashable, Sendable, Codable {
        public var pointKey: String
        public var baselineRepeats: Int
        public var candidateRepeats: Int
        /// Completed requests, over each run's valid repeats.
        public var baselineRequests: Int
        public var candidateRequests: Int
        public var metrics: [MetricComparison]
        /// The most severe of the metrics' verdicts (regression, improvement, insufficient
        /// data, no change).
        public var verdict: Verdict

        public func metric(_ metric: ComparedMetric) -> MetricComparison? { metrics.first { $0.metric == metric } }
        /// The metrics judged `verdict`.
        public func metrics(judged verdict: Verdict) -> [ComparedMetric] {
            metrics.filter { $0.verdict == verdict }.map(\.metric)
        }
        /// The metrics that regressed.
        public var regressions: [ComparedMetric] { metrics(judged: .regression) }
    }

    public var settings: ComparisonSettings
    public var rows: [Row]
    /// Points measured in only one of the runs, or valid in neither.
    public var unmatched: [String]
    /// Tests made: the family the false-discovery rate holds over.
    public var tests: Int
    /// Per metric, the run-to-run noise beyond the requests' own that the points showed (ω as a
    /// relative figure, exp(ω) − 1), and added to every test; absent where too few points
    /// had intervals to measure it.
    public var runToRunNoise: [ComparedMetric: Double]

    public var regressions: [Row] { rows.filter { $0.verdict == .regression } }
    public func count(_ verdict: Verdict) -> Int { rows.filter { $0.verdict == verdict }.count }

    public init(baseline: [PointResult], candidate: [PointResult], settings: ComparisonSettings = .init()) {
        self.settings = settings
        let before = Dictionary(grouping: baseline.filter(\.isValid), by: \.pointKey)
        let after = Dictionary(grouping: candidate.filter(\.isValid), by: \.pointKey)
        var rows: [Row] = []
        for key in before.keys.sorted() {
            guard let a = before[key], let b = after[key] else { continue }
            let metrics = ComparedMetric.allCases.map { metric in
                MetricComparison(
                    metric: metric, baseline: PooledEstimate(a, metric: metric),
                    candidate: PooledEstimate(b, metric: metric), settings: settings)
            }
            rows.append(
                Row(
                    pointKey: key, baselineRepeats: a.count, candidateRepeats: b.count,
                    baselineRequests: PooledEstimate.requests(a), candidateRequests: PooledEstimate.requests(b),
                    metrics: metrics,
                    verdict: .insufficientData))
        }
        // The noise runs add beyond their requests, measured over all points, added to each test.
        var noise: [ComparedMetric: Double] = [:]
        for metric in ComparedMetric.allCases {
            let pairs = rows.compactMap { row -> (change: Double, variance: Double)? in
                guard let tested = row.metric(metric), let d = tested.logChange, let v = tested.requestVariance
                else { return nil }
                return (d, v)
            }
            guard let omega2 = RunToRunNoise.variance(pairs) else { continue }
            noise[metric] = exp(omega2.squareRoot()) - 1
            for row in rows.indices {
                for index in rows[row].metrics.indices where rows[row].metrics[index].metric == metric {
                    rows[row].metrics[index].test(runToRunVariance: omega2, settings: settings)
                }
            }
        }
        runToRunNoise = noise
        // One family: every test of every point, adjusted together.
        let tested = rows.indices.flatMap { row in
            rows[row].metrics.indices.compactMap { metric in
                rows[row].metrics[metric].pValue.map { (row, metric, $0) }
            }
        }
        let qValues = FalseDiscoveryRate.adjusted(tested.map(\.2))
        var adjusted: [Int: [Int: Double]] = [:]
        for (test, q) in zip(tested, qValues) { adjusted[test.0, default: [:]][test.1] = q }
        for row in rows.indices {
            for metric in rows[row].metrics.indices {
                rows[row].metrics[metric].judge(qValue: adjusted[row]?[metric], settings: settings)
            }
            rows[row].verdict = rows[row].metrics.map(\.verdict).min() ?? .insufficientData
        }
        self.rows = rows
        tests = tested.count
        unmatched = Set(before.keys).symmetricDifference(after.keys).sorted()
    }
}
