import Wire

/// What the placement decision needs to know about one agent.
struct PlacementCandidate {
    var agentID: AgentID
    var gpuModel: String?
    var labels: [String: String]
    var allGPUs: [Int]
    var freeGPUs: [Int]
    /// CPU-only jobs running, against `cpuSlots`.
    var cpuJobs: Int
    var cpuSlots: Int
    /// An exclusive job holds the node.
    var heldExclusively: Bool
}

/// Chooses the agent and GPUs for a job: pure, so it is tested without a fleet.
enum Placement {
    /// Whether the agent can ever run the job (model and labels), free GPUs aside.
    static func satisfies(_ spec: JobSpec, _ candidate: PlacementCandidate) -> Bool {
        if let wanted = spec.gpuModel {
            guard let model = candidate.gpuModel, model.localizedCaseInsensitiveContains(wanted) else { return false }
        }
        for (key, value) in spec.labels where candidate.labels[key] != value { return false }
        if spec.exclusive { return !candidate.allGPUs.isEmpty || spec.gpus == 0 }
        return spec.gpus <= candidate.allGPUs.count
    }

    /// The GPUs this candidate would give the job now, or `nil` when it cannot take it now.
    static func gpus(for spec: JobSpec, on candidate: PlacementCandidate) -> [Int]? {
        guard satisfies(spec, candidate), !candidate.heldExclusively else { return nil }
        if spec.exclusive {
            let idle = candidate.freeGPUs.count == candidate.allGPUs.count && candidate.cpuJobs == 0
            return idle ? candidate.allGPUs : nil
        }
        if spec.gpus == 0 { return candidate.cpuJobs < candidate.cpuSlots ? [] : nil }
        guard candidate.freeGPUs.count >= spec.gpus else { return nil }
        return Array(candidate.freeGPUs.sorted().prefix(spec.gpus))
    }

    /// Best fit: the agent left with the fewest free GPUs, so large holes stay for large jobs;
    /// the agent to avoid only when nothing else fits; ties by agent id for determinism.
    static func choose(
        for spec: JobSpec, avoiding avoided: AgentID?, among candidates: [PlacementCandidate]
    ) -> (agentID: AgentID, gpus: [Int])? {
        var best: (agentID: AgentID, gpus: [Int], key: (Int, Int, AgentID))?
        for candidate in candidates {
            guard let gpus = gpus(for: spec, on: candidate) else { continue }
            let key = (candidate.agentID == avoided ? 1 : 0, candidate.freeGPUs.count - gpus.count, candidate.agentID)
            if best == nil || key < best!.key { best = (candidate.agentID, gpus, key) }
        }
        return best.map { ($0.agentID, $0.gpus) }
    }
}
