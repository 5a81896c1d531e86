/// A sweep run against its baseline: each of its points against the last earlier run of the
/// same sweep (by name) in which that point was valid. Nightly runs use it to flag changes that
/// are statistically supported and at least the effect asked for (``SweepComparison``).
public struct BaselineComparison: Hashable, Sendable, Codable {
    /// One earlier run of the sweep: its id and its point results.
    public struct Run: Sendable {
        public var sweepID: String
        public var results: [PointResult]

        public init(sweepID: String, results: [PointResult]) {
            self.sweepID = sweepID
            self.results = results
        }
    }

    public var sweepID: String
    public var sweepName: String
    /// For each compared point key, the run its baseline came from.
    public var baselineSweeps: [String: String]
    public var comparison: SweepComparison
    /// Valid points of this run that no earlier run measured validly: nothing to compare with.
    public var withoutBaseline: [String]

    public var regressions: [SweepComparison.Row] { comparison.regressions }

    /// - Parameter earlier: earlier runs of the same sweep, newest first.
    public init(
        sweepID: String, sweepName: String, candidate: [PointResult], earlier: [Run],
        settings: ComparisonSettings = .init()
    ) {
        self.sweepID = sweepID
        self.sweepName = sweepName
        var baseline: [PointResult] = []
        var sources: [String: String] = [:]
        var missing: [String] = []
        for key in Set(candidate.filter(\.isValid).map(\.pointKey)).sorted() {
            guard let run = earlier.first(where: { run in run.results.contains { $0.pointKey == key && $0.isValid } })
            else {
                missing.append(key)
                continue
            }
            baseline += run.results.filter { $0.pointKey == key }
            sources[key] = run.sweepID
        }
        baselineSweeps = sources
        comparison = SweepComparison(baseline: baseline, candidate: candidate, settings: settings)
        withoutBaseline = missing
    }
}
