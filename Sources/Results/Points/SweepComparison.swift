/// Two runs of the same points side by side (`sweepline compare A B`): per point, how B's
/// figures moved from A's, against the noise each run's repeats show, and which moves are
/// regressions.
public struct SweepComparison: Hashable, Sendable, Codable {
    public struct Row: Hashable, Sendable, Codable {
        public var pointKey: String
        /// Means over each run's valid repeats of the point.
        public var baseline: Figures
        public var candidate: Figures
        /// Relative change of B from A (0.05 = 5 % higher).
        public var throughputChange: Double
        public var interactivityChange: Double
        public var ttftChange: Double
        /// The band within which a change is noise: the larger run-to-run spread among the
        /// repeats of either run, never below ``minimumBand``.
        public var noiseBand: Double
        public var regressions: [String]
    }

    public struct Figures: Hashable, Sendable, Codable {
        public var tokensPerSecondPerGPU: Double
        public var interactivity: Double
        public var medianTTFTMilliseconds: Double
        public var repeats: Int
        /// Largest relative deviation of a repeat's tok/s/GPU from their mean.
        public var spread: Double
    }

    /// Below this, single-run differences are not believed: run-to-run noise of a serving
    /// benchmark is a few per cent even when repeats happen to agree.
    public static let minimumBand = 0.05

    public var rows: [Row]
    /// Points measured in only one of the runs, or valid in neither.
    public var unmatched: [String]

    public var regressions: [Row] { rows.filter { !$0.regressions.isEmpty } }

    public init(baseline: [PointResult], candidate: [PointResult]) {
        let before = Self.figures(baseline)
        let after = Self.figures(candidate)
        var rows: [Row] = []
        for key in before.keys.sorted() {
            guard let a = before[key], let b = after[key] else { continue }
            func change(_ old: Double, _ new: Double) -> Double { old > 0 ? (new - old) / old : 0 }
            let band = max(Self.minimumBand, 2 * max(a.spread, b.spread))
            var row = Row(
                pointKey: key, baseline: a, candidate: b,
                throughputChange: change(a.tokensPerSecondPerGPU, b.tokensPerSecondPerGPU),
                interactivityChange: change(a.interactivity, b.interactivity),
                ttftChange: change(a.medianTTFTMilliseconds, b.medianTTFTMilliseconds), noiseBand: band,
                regressions: [])
            if row.throughputChange < -band { row.regressions.append("tok/s/GPU") }
            if row.interactivityChange < -band { row.regressions.append("tok/s/user") }
            if row.ttftChange > band { row.regressions.append("TTFT") }
            rows.append(row)
        }
        self.rows = rows
        unmatched = Set(before.keys).symmetricDifference(after.keys).sorted()
    }

    /// Valid repeats of each point, averaged.
    static func figures(_ results: [PointResult]) -> [String: Figures] {
        Dictionary(grouping: results.filter(\.isValid), by: \.pointKey).mapValues { repeats in
            let count = Double(repeats.count)
            let throughput = repeats.map(\.figures.tokensPerSecondPerGPU).reduce(0, +) / count
            let spread =
                throughput > 0
                ? repeats.map { abs($0.figures.tokensPerSecondPerGPU - throughput) / throughput }.max() ?? 0 : 0
            return Figures(
                tokensPerSecondPerGPU: throughput,
                interactivity: repeats.map(\.figures.interactivity).reduce(0, +) / count,
                medianTTFTMilliseconds: repeats.map(\.figures.medianTTFTMilliseconds).reduce(0, +) / count,
                repeats: repeats.count, spread: spread)
        }
    }
}
