import Foundation

/// How much two runs of the same points differ beyond what their requests explain, for one
/// metric: the ω of ``MetricComparison``, measured across the points of a comparison.
///
/// The requests' intervals say how far a run's median could move if the same run went on; they
/// cannot see what changes between runs — the engine's batch phases falling differently under
/// other prompt lengths, another job on the node, a warmer cache. Identical runs of the
/// simulated engine in real time differ by 20–70 % in median TTFT where the requests promise
/// ±15 %. Each point's difference dᵢ is modelled as its true change plus noise of variance
/// vᵢ + ω² (vᵢ from its requests, ω² common to the points). ω² is chosen so that the
/// standardised differences (dᵢ − m) / √(vᵢ + ω²) have a median absolute value of 0.6745, the
/// standard normal's: a robust Paule–Mandel estimate. m, the median difference, is taken out
/// first, so a change every point shares (the engine 5 % slower everywhere) is not mistaken
/// for noise; and the median, not the mean, so a few points that really changed do not either.
public enum RunToRunNoise {
    /// Fewer points with intervals than this, and ω is not estimated (taken as 0): a robust
    /// spread of a handful of differences is itself mostly noise.
    public static let minimumPoints = 10

    /// ω² on the log scale, from (dᵢ, vᵢ) pairs; nil when there are too few.
    public static func variance(_ points: [(change: Double, variance: Double)]) -> Double? {
        guard points.count >= minimumPoints else { return nil }
        let center = Statistics.percentile(points.map(\.change).sorted(), 50)
        let target = NormalDistribution.quantile(0.75)
        func spread(_ omega2: Double) -> Double {
            Statistics.percentile(
                points.map { abs($0.change - center) / ($0.variance + omega2).squareRoot() }.sorted(), 50)
        }
        guard spread(0) > target else { return 0 }
        // The spread falls as ω² grows: bisect between 0 and a variance that explains it all.
        var low = 0.0
        var high = points.map { ($0.change - center) * ($0.change - center) }.max()! / (target * target) + 1e-12
        for _ in 0..<100 {
            let middle = (low + high) / 2
            if spread(middle) > target { low = middle } else { high = middle }
        }
        return high
    }
}
