import Results
import Wire

/// A sweep as its file describes it: entries of model × engine × precision × hardware, each
/// with scenarios (ISL/OSL pairs) and a search space of parallelism × concurrency.
public struct SweepSpec: Hashable, Sendable, Codable {
    public var name: String
    public var entries: [SweepEntry]
    public var workload: SweepWorkload
    /// Each point is measured this many times: comparisons pool the repeats, and their
    /// disagreement is run-to-run noise the requests alone cannot show.
    public var repeats: Int
    /// When the coordinator runs it by itself (nightly); nil runs it once, on submission.
    public var schedule: SweepSchedule?

    public init(
        name: String, entries: [SweepEntry], workload: SweepWorkload = .init(), repeats: Int = 1,
        schedule: SweepSchedule? = nil
    ) {
        self.name = name
        self.entries = entries
        self.workload = workload
        self.repeats = repeats
        self.schedule = schedule
    }
}

public struct SweepEntry: Hashable, Sendable, Codable {
    /// The model as the catalogs and the engine name it.
    public var model: String
    public var engine: SweepEngine
    public var precision: Precision
    public var hardware: HardwareSelector
    public var scenarios: [Scenario]
    public var search: SearchSpace

    public init(
        model: String, engine: SweepEngine, precision: Precision, hardware: HardwareSelector, scenarios: [Scenario],
        search: SearchSpace
    ) {
        self.model = model
        self.engine = engine
        self.precision = precision
        self.hardware = hardware
        self.scenarios = scenarios
        self.search = search
    }
}

/// How an entry's engine comes up, per deployment.
public struct SweepEngine: Hashable, Sendable, Codable {
    /// vllm, sglang, trtllm, llamacpp (launched), sim (simulated), endpoint (already running).
    public var kind: Kind
    /// Launched engines: the argv; `{tp}`, `{ep}` are filled per deployment, `{port}`, `{host}`,
    /// `{model}`, `{gpus}` by the agent. Defaults to the engine's usual command.
    public var argv: [String]?
    /// Extra arguments appended to the argv.
    public var args: [String]
    public var environment: [String: String]
    /// The model name requests carry; the entry's model when absent.
    public var servedModel: String?
    /// A container image, recorded in the provenance (the argv runs it).
    public var image: String?
    /// endpoint: where it runs.
    public var baseURL: String?
    /// sim: run this many times faster than the simulated GPU; `virtual` runs in simulated time.
    public var timeScale: Double
    public var virtual: Bool
    /// sim: tokens per streamed chunk.
    public var streamInterval: Int
    /// sim: every step this many times slower (a rehearsed regression); nil for none.
    public var slowdown: Double?
    public var readinessTimeoutSeconds: Double

    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case vllm, sglang, trtllm, llamacpp, sim, endpoint
    }

    public init(
        kind: Kind, argv: [String]? = nil, args: [String] = [], environment: [String: String] = [:],
        servedModel: String? = nil, image: String? = nil, baseURL: String? = nil, timeScale: Double = 1,
        virtual: Bool = false, streamInterval: Int = 1, readinessTimeoutSeconds: Double = 1800
    ) {
        self.streamInterval = streamInterval
        self.kind = kind
        self.argv = argv
        self.args = args
        self.environment = environment
        self.servedModel = servedModel
        self.image = image
        self.baseURL = baseURL
        self.timeScale = timeScale
        self.virtual = virtual
        self.readinessTimeoutSeconds = readinessTimeoutSeconds
    }
}

/// Which nodes a deployment runs on.
public struct HardwareSelector: Hashable, Sendable, Codable {
    /// The catalog's GPU name (H200-SXM): prices, power and the simulator's hardware.
    public var gpu: String
    /// What the agents' GPU model must contain (H200); defaults to the catalog name's first part.
    public var gpuModel: String?
    public var labels: [String: String]
    /// One deployment per node at a time, whatever its GPU count: nothing else competes for the
    /// node's CPUs, memory bandwidth or network while it is measured.
    public var exclusive: Bool

    public init(gpu: String, gpuModel: String? = nil, labels: [String: String] = [:], exclusive: Bool = false) {
        self.gpu = gpu
        self.gpuModel = gpuModel
        self.labels = labels
        self.exclusive = exclusive
    }

    /// The agent-side match: `H200` for `H200-SXM`.
    public var agentGPUModel: String {
        gpuModel ?? String(gpu.split(separator: "-").first ?? Substring(gpu))
    }
}

/// Parallelism × concurrency.
public struct SearchSpace: Hashable, Sendable, Codable {
    public var tp: [Int]
    public var ep: [Int]
    public var dpAttention: [Bool]
    public var concurrency: [Int]

    public init(tp: [Int], ep: [Int] = [1], dpAttention: [Bool] = [false], concurrency: [Int]) {
        self.tp = tp
        self.ep = ep
        self.dpAttention = dpAttention
        self.concurrency = concurrency
    }

    /// InferenceMAX's doubling: start, 2·start, … up to end.
    public static func doubling(from start: Int, to end: Int) -> [Int] {
        var values: [Int] = []
        var value = max(1, start)
        while value <= end {
            values.append(value)
            value *= 2
        }
        return values
    }
}

/// Workload options shared by every point of a sweep.
public struct SweepWorkload: Hashable, Sendable, Codable {
    public var rangeRatio: Double
    public var rangeConvention: RandomDataset.RangeConvention
    /// Measured requests per point = this × concurrency (10 as InferenceMAX).
    public var promptsPerConcurrency: Int
    public var warmupsPerConcurrency: Int
    public var seed: UInt64
    public var requestTimeoutSeconds: Double?
    public var api: CompletionsAPI

    public init(
        rangeRatio: Double = 0.8, rangeConvention: RandomDataset.RangeConvention = .fractionBelow,
        promptsPerConcurrency: Int = 10, warmupsPerConcurrency: Int = 2, seed: UInt64 = 1,
        requestTimeoutSeconds: Double? = nil, api: CompletionsAPI = .completions
    ) {
        self.rangeRatio = rangeRatio
        self.rangeConvention = rangeConvention
        self.promptsPerConcurrency = promptsPerConcurrency
        self.warmupsPerConcurrency = warmupsPerConcurrency
        self.seed = seed
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.api = api
    }
}
