import Foundation

/// One point's figures over the runs of its sweep, oldest first, with the change points of
/// each metric's series (`sweepline history POINT_KEY`; docs/metrics.md, "History").
public struct PointHistory: Hashable, Sendable, Codable {
    /// One run of the sweep in which the point was valid.
    public struct Run: Hashable, Sendable, Codable {
        public var sweepID: String
        /// When the run was submitted, ISO 8601.
        public var submittedAt: String
        public var requests: Int
        /// Per metric (``ComparedMetric`` raw value), the run's figure, its repeats pooled.
        public var values: [ComparedMetric: Double]
    }

    /// Where a metric's level moved, and by how much.
    public struct ChangePoint: Hashable, Sendable, Codable {
        public var metric: ComparedMetric
        /// Index into ``runs`` of the first run at the new level, and that run.
        public var index: Int
        public var sweepID: String
        public var submittedAt: String
        /// Medians of the metric over the runs from the previous change point to this one, and
        /// from this one to the next.
        public var before: Double
        public var after: Double
        /// after / before − 1.
        public var change: Double
        public var pValue: Double
        public var isRegression: Bool
    }

    /// An input run: its id, when, and its point results.
    public struct Source: Sendable {
        public var sweepID: String
        public var submittedAt: String
        public var results: [PointResult]

        public init(sweepID: String, submittedAt: String, results: [PointResult]) {
            self.sweepID = sweepID
            self.submittedAt = submittedAt
            self.results = results
        }
    }

    public var pointKey: String
    public var sweepName: String
    public var runs: [Run]
    public var changePoints: [ChangePoint]

    /// The latest change point of each metric, when it made the metric worse: a level the
    /// point still sits at, since nothing moved it after.
    public var open: [ChangePoint] {
        ComparedMetric.allCases.compactMap { metric in
            changePoints.last { $0.metric == metric }.flatMap { $0.isRegression ? $0 : nil }
        }
    }

    /// - Parameter sources: runs of one sweep, oldest first; runs where the point was not
    ///   valid are left out of its series.
    public init(pointKey: String, sweepName: String, sources: [Source], detector: EDivisive = EDivisive()) {
        self.pointKey = pointKey
        self.sweepName = sweepName
        runs = sources.compactMap { source in
            let repeats = source.results.filter { $0.pointKey == pointKey && $0.isValid }
            guard !repeats.isEmpty else { return nil }
            var values: [ComparedMetric: Double] = [:]
            for metric in ComparedMetric.allCases { values[metric] = PooledEstimate(repeats, metric: metric).value }
            return Run(
                sweepID: source.sweepID, submittedAt: source.submittedAt,
                requests: PooledEstimate.requests(repeats), values: values)
        }
        var changes: [ChangePoint] = []
        for metric in ComparedMetric.allCases {
            let series = runs.map { $0.values[metric] ?? 0 }
            let found = detector.changePoints(series)
            let bounds = [0] + found.map(\.index) + [series.count]
            for (position, point) in found.enumerated() {
                let before = Self.median(series[bounds[position]..<point.index])
                let after = Self.median(series[point.index..<bounds[position + 2]])
                let change = before > 0 ? after / before - 1 : 0
                let run = runs[point.index]
                changes.append(
                    ChangePoint(
                        metric: metric, index: point.index, sweepID: run.sweepID, submittedAt: run.submittedAt,
                        before: before, after: after, change: change, pValue: point.pValue,
                        isRegression: metric.higherIsBetter ? change < 0 : change > 0))
            }
        }
        changePoints = changes.sorted { ($0.index, $0.metric.rawValue) < ($1.index, $1.metric.rawValue) }
    }

    static func median(_ values: ArraySlice<Double>) -> Double { Statistics.percentile(values.sorted(), 50) }
}
