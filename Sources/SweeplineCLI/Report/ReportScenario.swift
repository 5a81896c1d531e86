import Results

/// The points of one model at one scenario (input and output length): the unit the report draws
/// its charts for, since throughput and latency are only comparable at the same model and lengths.
/// Within it, the points are split by frontier group, each with its own Pareto frontier.
struct ReportScenario {
    struct Group {
        /// hardware · engine · precision
        var name: String
        var points: [PointResult]
        /// The valid points no other valid point of the group beats on both interactivity and
        /// throughput per GPU, by ascending interactivity.
        var frontierPoints: [PointResult]
        var frontier: Frontier
    }

    var model: String
    var inputLength: Int
    var outputLength: Int
    var groups: [Group]

    var points: [PointResult] { groups.flatMap(\.points) }

    /// One scenario per model × input length × output length, by model name then lengths;
    /// groups by name.
    static func split(_ results: [PointResult]) -> [ReportScenario] {
        struct Key: Hashable, Comparable {
            var model: String
            var inputLength: Int
            var outputLength: Int
            static func < (a: Key, b: Key) -> Bool {
                (a.model, a.inputLength, a.outputLength) < (b.model, b.inputLength, b.outputLength)
            }
        }
        let byScenario = Dictionary(grouping: results) {
            Key(model: $0.deployment.model, inputLength: $0.inputLength, outputLength: $0.outputLength)
        }
        return byScenario.keys.sorted().map { key in
            let byGroup = Dictionary(grouping: byScenario[key]!, by: \.deployment.frontierGroup)
            let groups = byGroup.keys.sorted().map { name in
                let points = byGroup[name]!
                let (frontier, frontierPoints) = SweepFrontier.frontier(of: points)
                return Group(name: name, points: points, frontierPoints: frontierPoints, frontier: frontier)
            }
            return ReportScenario(
                model: key.model, inputLength: key.inputLength, outputLength: key.outputLength, groups: groups)
        }
    }
}
