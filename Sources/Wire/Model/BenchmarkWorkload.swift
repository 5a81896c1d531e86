/// Settings of a `benchmark` job: bring one engine deployment up, measure its points in order,
/// bring it down.
public struct BenchmarkWorkload: Hashable, Sendable, Codable {
    public var engine: EngineSpec
    /// `/v1/completions` or `/v1/chat/completions`.
    public var api: CompletionsAPI
    public var points: [PointPlan]
    /// GPUs behind the server, for per-GPU figures (the job's own `gpus` when it has some).
    public var gpusForThroughput: Int?

    public init(
        engine: EngineSpec, api: CompletionsAPI = .completions, points: [PointPlan], gpusForThroughput: Int? = nil
    ) {
        self.engine = engine
        self.api = api
        self.points = points
        self.gpusForThroughput = gpusForThroughput
    }
}

public enum CompletionsAPI: String, Hashable, Sendable, Codable, CaseIterable {
    case completions
    case chat

    public var path: String { self == .chat ? "/v1/chat/completions" : "/v1/completions" }
}

/// One measured point: a load, a dataset, how many requests, and its limits.
public struct PointPlan: Hashable, Sendable, Codable {
    public var load: Load
    public var dataset: RandomDataset
    /// Measured requests (after the warm-ups).
    public var requests: Int
    /// Requests sent first and left out of every figure.
    public var warmups: Int
    /// After this many seconds no new request starts; those in flight finish. `nil`: no limit.
    public var durationSeconds: Double?
    /// A request running longer fails with a timeout. `nil`: no limit.
    public var requestTimeoutSeconds: Double?

    public enum Load: Hashable, Sendable, Codable {
        /// At most `concurrency` requests in flight, each sent when the last one ends.
        case closedLoop(concurrency: Int)
        /// Requests arrive at `rate` per second with gamma gaps (burstiness 1: Poisson),
        /// at most `maxConcurrency` in flight when set.
        case openLoop(rate: Double, burstiness: Double, maxConcurrency: Int?)
    }

    public init(
        load: Load, dataset: RandomDataset, requests: Int, warmups: Int, durationSeconds: Double? = nil,
        requestTimeoutSeconds: Double? = nil
    ) {
        self.load = load
        self.dataset = dataset
        self.requests = requests
        self.warmups = warmups
        self.durationSeconds = durationSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }

    /// The closed-loop default of metrics.md: 10 × C measured requests after 2 × C warm-ups.
    public static func closedLoop(concurrency: Int, dataset: RandomDataset) -> PointPlan {
        PointPlan(
            load: .closedLoop(concurrency: concurrency), dataset: dataset, requests: 10 * concurrency,
            warmups: 2 * concurrency)
    }

    public var concurrency: Int? {
        switch load {
        case .closedLoop(let concurrency): concurrency
        case .openLoop(_, _, let cap): cap
        }
    }

    public var requestRate: Double? {
        if case .openLoop(let rate, _, _) = load { rate } else { nil }
    }
}
