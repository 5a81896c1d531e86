/// Which engine a benchmark job measures, and how it comes up.
///
/// Encoded with one key naming the adapter: `{"endpoint": {...}}`, `{"launch": {...}}` or
/// `{"sim": {...}}`, which reads naturally in YAML.
public enum EngineSpec: Hashable, Sendable {
    /// An OpenAI-compatible server that is already running.
    case endpoint(EndpointEngine)
    /// A server the agent starts as a process (vLLM, SGLang, TRT-LLM, llama.cpp, or a container).
    case launch(LaunchedEngine)
    /// Sweepline's simulated engine, served over HTTP in the agent's process.
    case sim(SimulatedEngine)

    public var adapterName: String {
        switch self {
        case .endpoint: "endpoint"
        case .launch: "launch"
        case .sim: "sim"
        }
    }
}

public struct EndpointEngine: Hashable, Sendable, Codable {
    /// `http://HOST:PORT` or `https://HOST:PORT`.
    public var baseURL: String
    public var model: String
    /// A file holding the API key (sent as a bearer token); read when the job starts.
    public var apiKeyFile: String?
    /// An environment variable of the agent holding the API key.
    public var apiKeyEnvironment: String?
    /// For `https://`: a PEM file of the CA that signed the server's certificate, when it is not
    /// one the system trusts.
    public var caFile: String?

    public init(
        baseURL: String, model: String, apiKeyFile: String? = nil, apiKeyEnvironment: String? = nil,
        caFile: String? = nil
    ) {
        self.baseURL = baseURL
        self.model = model
        self.apiKeyFile = apiKeyFile
        self.apiKeyEnvironment = apiKeyEnvironment
        self.caFile = caFile
    }
}

public struct LaunchedEngine: Hashable, Sendable, Codable {
    /// The command, run without a shell. `{port}`, `{host}`, `{model}` and `{gpus}` (the
    /// assigned GPU count) are replaced, e.g. `[vllm, serve, meta-llama/Llama-3.3-70B-Instruct,
    /// --port, "{port}", --tensor-parallel-size, "{gpus}"]`.
    public var argv: [String]
    public var environment: [String: String]
    /// The model name requests carry (`--served-model-name`).
    public var model: String
    /// Polled until it answers 200: `/health`, or `/v1/models` for servers without one.
    public var readinessPath: String
    /// How long loading the model may take before the job fails.
    public var readinessTimeoutSeconds: Double
    /// Seconds between SIGTERM and SIGKILL when the engine is stopped.
    public var stopGraceSeconds: Double

    public init(
        argv: [String], environment: [String: String] = [:], model: String, readinessPath: String = "/health",
        readinessTimeoutSeconds: Double = 1800, stopGraceSeconds: Double = 10
    ) {
        self.argv = argv
        self.environment = environment
        self.model = model
        self.readinessPath = readinessPath
        self.readinessTimeoutSeconds = readinessTimeoutSeconds
        self.stopGraceSeconds = stopGraceSeconds
    }
}

/// The simulated engine's deployment and vLLM-style knobs (see `sweepline sim-engine --help`).
public struct SimulatedEngine: Hashable, Sendable, Codable {
    public var hardware: String
    public var model: String
    public var precision: Precision
    public var tp: Int
    public var ep: Int
    public var dpAttention: Bool
    public var cudaGraphs: Bool
    public var maxNumSeqs: Int
    public var maxNumBatchedTokens: Int
    public var maxModelLen: Int?
    /// Tokens per streamed chunk (1 as vLLM; SGLang's default is 10).
    public var streamInterval: Int
    /// Run this many times faster than the simulated GPU.
    public var timeScale: Double
    /// Simulated time, no HTTP: the engine core runs each point as fast as it can compute it.
    public var virtual: Bool
    /// Every step this many times slower than the cost model (1.05: 5 % slower); nil for 1.
    /// Optional so that jobs stored before it existed still decode.
    public var slowdown: Double?

    public init(
        hardware: String, model: String, precision: Precision = .fp8, tp: Int = 1, ep: Int = 1,
        dpAttention: Bool = false, cudaGraphs: Bool = true, maxNumSeqs: Int = 256, maxNumBatchedTokens: Int = 8192,
        maxModelLen: Int? = nil, streamInterval: Int = 1, timeScale: Double = 1, virtual: Bool = false,
        slowdown: Double? = nil
    ) {
        self.slowdown = slowdown
        self.streamInterval = streamInterval
        self.hardware = hardware
        self.model = model
        self.precision = precision
        self.tp = tp
        self.ep = ep
        self.dpAttention = dpAttention
        self.cudaGraphs = cudaGraphs
        self.maxNumSeqs = maxNumSeqs
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.maxModelLen = maxModelLen
        self.timeScale = timeScale
        self.virtual = virtual
    }
}

extension EngineSpec: Codable {
    private enum Key: String, CodingKey {
        case endpoint, launch, sim
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "an engine is exactly one of `endpoint`, `launch` or `sim`"))
        }
        switch key {
        case .endpoint: self = .endpoint(try container.decode(EndpointEngine.self, forKey: key))
        case .launch: self = .launch(try container.decode(LaunchedEngine.self, forKey: key))
        case .sim: self = .sim(try container.decode(SimulatedEngine.self, forKey: key))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .endpoint(let engine): try container.encode(engine, forKey: .endpoint)
        case .launch(let engine): try container.encode(engine, forKey: .launch)
        case .sim(let engine): try container.encode(engine, forKey: .sim)
        }
    }
}
