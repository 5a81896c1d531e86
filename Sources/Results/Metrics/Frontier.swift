/// The Pareto frontier of throughput per GPU against interactivity (metrics.md): the points no
/// other point beats on both, ordered by interactivity, with monotone interpolation between them.
public struct Frontier: Hashable, Sendable {
    public struct Point: Hashable, Sendable {
        /// Tokens per second per user.
        public var interactivity: Double
        /// Tokens per second per GPU.
        public var throughput: Double
        /// What the point was (configuration, concurrency), for people reading the frontier.
        public var label: String

        public init(interactivity: Double, throughput: Double, label: String = "") {
            self.interactivity = interactivity
            self.throughput = throughput
            self.label = label
        }
    }

    /// Ascending interactivity, descending throughput.
    public let points: [Point]

    public init(_ candidates: [Point]) {
        // Sweep from the most interactive down, keeping each point that raises throughput.
        var kept: [Point] = []
        var best = -Double.infinity
        for point in candidates.sorted(by: { ($0.interactivity, $0.throughput) > ($1.interactivity, $1.throughput) }) {
            guard point.throughput.isFinite, point.interactivity.isFinite, point.throughput > best else { continue }
            kept.append(point)
            best = point.throughput
        }
        points = kept.reversed()
    }

    /// Throughput per GPU the frontier reaches at this interactivity: linear between the two
    /// frontier points around it, `nil` outside the frontier's range.
    public func throughput(atInteractivity x: Double) -> Double? {
        guard let lowest = points.first, let highest = points.last, x >= lowest.interactivity,
            x <= highest.interactivity
        else {
            return nil
        }
        for (a, b) in zip(points, points.dropFirst()) where x <= b.interactivity {
            let span = b.interactivity - a.interactivity
            return span > 0
                ? a.throughput + (b.throughput - a.throughput) * (x - a.interactivity) / span
                : max(a.throughput, b.throughput)
        }
        return highest.throughput
    }
}
