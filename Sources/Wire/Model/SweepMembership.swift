/// Where a benchmark job sits in its sweep: the deployment it measures and, for each of its
/// points in order, the point's stable identity.
public struct SweepMembership: Hashable, Sendable, Codable {
    public var sweepID: String
    public var sweepName: String
    public var deployment: DeploymentKey
    /// Parallel to the job's `benchmark.points`.
    public var points: [SweepPoint]

    public init(sweepID: String, sweepName: String, deployment: DeploymentKey, points: [SweepPoint]) {
        self.sweepID = sweepID
        self.sweepName = sweepName
        self.deployment = deployment
        self.points = points
    }
}

public struct SweepPoint: Hashable, Sendable, Codable {
    /// The same for the same point in every run of the sweep (see ``SweepExpansion/pointKey``).
    public var key: String
    public var repeatIndex: Int

    public init(key: String, repeatIndex: Int) {
        self.key = key
        self.repeatIndex = repeatIndex
    }
}

/// What serves: the frontier groups points by hardware × engine × precision and pools the rest.
public struct DeploymentKey: Hashable, Sendable, Codable {
    public var model: String
    /// vllm, sglang, trtllm, llamacpp, sim, endpoint.
    public var engine: String
    public var precision: String
    /// The catalog's GPU name (H200-SXM), or what the agents report.
    public var hardware: String
    public var gpus: Int
    public var tp: Int
    public var ep: Int
    public var dpAttention: Bool

    public init(
        model: String, engine: String, precision: String, hardware: String, gpus: Int, tp: Int, ep: Int = 1,
        dpAttention: Bool = false
    ) {
        self.model = model
        self.engine = engine
        self.precision = precision
        self.hardware = hardware
        self.gpus = gpus
        self.tp = tp
        self.ep = ep
        self.dpAttention = dpAttention
    }

    /// The frontier a point belongs to.
    public var frontierGroup: String { "\(hardware) · \(engine) · \(precision)" }

    /// The parallelism, as InferenceMAX labels it: `tp8`, `tp8 ep8 dpa`.
    public var parallelism: String {
        "tp\(tp)" + (ep > 1 ? " ep\(ep)" : "") + (dpAttention ? " dpa" : "")
    }
}
