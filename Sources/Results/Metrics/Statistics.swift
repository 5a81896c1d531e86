/// Mean, median, standard deviation and percentiles of a sample, with numpy's default linear
/// interpolation between closest ranks (what vLLM, SGLang and AIPerf use).
public struct Statistics: Hashable, Sendable, Codable {
    public var count: Int
    public var mean: Double
    public var median: Double
    public var std: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double

    public init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        mean = sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count)
        let mean = mean
        std =
            sorted.isEmpty
            ? .nan : (sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(sorted.count)).squareRoot()
        median = Self.percentile(sorted, 50)
        p90 = Self.percentile(sorted, 90)
        p99 = Self.percentile(sorted, 99)
        p999 = Self.percentile(sorted, 99.9)
    }

    /// numpy.percentile(values, p) with the default "linear" method, on sorted values.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = p / 100 * Double(sorted.count - 1)
        let low = Int(rank.rounded(.down))
        let high = min(sorted.count - 1, low + 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
    }
}
