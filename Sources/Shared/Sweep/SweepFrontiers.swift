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
            let frontier = Frontier(
                members.map {
                    Frontier.Point(
                        interactivity: $0.figures.interactivity, throughput: $0.figures.tokensPerSecondPerGPU,
                        label: $0.pointKey)
                })
            let byKey = Dictionary(members.map { ($0.pointKey, $0) }) { first, _ in first }
            return SweepFrontier(
                model: first.deployment.model,
                scenario: Scenario(isl: first.inputLength, osl: first.outputLength),
                group: first.deployment.frontierGroup, points: frontier.points.compactMap { byKey[$0.label] },
                frontier: frontier)
        }.sorted {
            ($0.model, $0.scenario.isl, $0.scenario.osl, $0.group) < (
                $1.model, $1.scenario.isl, $1.scenario.osl, $1.group
            )
        }
    }
}
