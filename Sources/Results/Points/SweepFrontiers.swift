/// A sweep's Pareto frontiers (metrics.md): one per model × scenario × (hardware · engine ·
/// precision), pooling every parallelism and concurrency, from valid points only.
public struct SweepFrontier: Hashable, Sendable {
    public var model: String
    public var scenario: Scenario
    /// hardware · engine · precision.
    public var group: String
    /// On the frontier, ascending interactivity.
    public var points: [PointResult]
    public var frontier: Frontier

    public static func all(_ results: [PointResult]) -> [SweepFrontier] {
        var grouped: [String: [PointResult]] = [:]
        for result in results where result.isValid {
            let key =
                "\(result.deployment.model)\u{0}\(result.inputLength)\u{0}\(result.outputLength)\u{0}\(result.deployment.frontierGroup)"
            grouped[key, default: []].append(result)
        }
        return grouped.values.map { members in
            let first = members[0]
            let (frontier, points) = Self.frontier(of: members)
            return SweepFrontier(
                model: first.deployment.model,
                scenario: Scenario(isl: first.inputLength, osl: first.outputLength),
                group: first.deployment.frontierGroup, points: points, frontier: frontier)
        }.sorted {
            ($0.model, $0.scenario.isl, $0.scenario.osl, $0.group) < (
                $1.model, $1.scenario.isl, $1.scenario.osl, $1.group
            )
        }
    }

    /// The frontier of the valid points, and the points it kept. Each candidate's label is its
    /// index among the valid points, which is how the kept ones are found again (repeats of a
    /// point share its key, so the key cannot be the label).
    public static func frontier(of points: [PointResult]) -> (Frontier, [PointResult]) {
        let valid = points.filter(\.isValid)
        let frontier = Frontier(
            valid.enumerated().map { index, point in
                Frontier.Point(
                    interactivity: point.figures.interactivity, throughput: point.figures.tokensPerSecondPerGPU,
                    label: String(index))
            })
        return (frontier, frontier.points.compactMap { Int($0.label).map { valid[$0] } })
    }
}
