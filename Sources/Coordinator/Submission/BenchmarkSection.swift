import Catalog
import Wire
import Yams

/// The `benchmark:` section of a job file: an engine and the points to measure against it.
///
/// ```yaml
/// benchmark:
///   engine:
///     launch:                       # or endpoint: {baseURL, model, apiKeyFile | apiKeyEnvironment}
///       argv: [vllm, serve, meta-llama/Llama-3.3-70B-Instruct, --port, "{port}", -tp, "{gpus}"]
///       model: meta-llama/Llama-3.3-70B-Instruct
///       env: {VLLM_USE_V1: "1"}
///       readinessPath: /health
///       readinessTimeoutSeconds: 1800
///     # or sim: {hardware: H200-SXM, model: Llama-3.3-70B-Instruct, precision: fp8, tp: 8, timeScale: 1}
///   api: completions                # or chat
///   isl: 1024
///   osl: 1024
///   rangeRatio: 0.8
///   rangeConvention: sglang         # or vllm
///   concurrency: [4, 8, 16]         # closed-loop points; or requestRate: [2, 4] for open loop
///   requestsPerConcurrency: 10      # prompts per closed-loop point = 10 × C (warm-ups: 2 × C)
/// ```
extension JobFile {
    static let benchmarkFields = [
        "engine", "api", "isl", "osl", "rangeRatio", "rangeConvention", "seed", "concurrency", "requestRate",
        "burstiness", "maxConcurrency", "requestsPerConcurrency", "warmupsPerConcurrency", "numPrompts", "warmups",
        "durationSeconds", "requestTimeoutSeconds", "gpusForThroughput",
    ]
    static let engineFields = ["endpoint", "launch", "sim"]
    static let endpointFields = ["baseURL", "model", "apiKeyFile", "apiKeyEnvironment", "caFile"]
    static let launchFields = [
        "argv", "env", "model", "readinessPath", "readinessTimeoutSeconds", "stopGraceSeconds",
    ]
    static let simFields = [
        "hardware", "model", "precision", "tp", "ep", "dpAttention", "cudaGraphs", "maxNumSeqs", "maxNumBatchedTokens",
        "maxModelLen", "timeScale", "virtual", "streamInterval", "slowdown",
    ]

    static func benchmarkWorkload(_ node: Node, place: String, _ reader: YAMLFieldReader) throws(YAMLFileError)
        -> BenchmarkWorkload
    {
        guard case .mapping(let fields) = node else {
            throw reader.error(node, "\(place): expected a mapping with `engine` and `concurrency` or `requestRate`")
        }
        try reader.refuseUnknown(fields, allowed: benchmarkFields, in: place)
        guard let engineNode = fields["engine"] else {
            throw reader.error(node, "\(place): needs `engine:` with one of endpoint, launch or sim")
        }
        let engine = try engineSpec(engineNode, place: "\(place).engine", reader)
        var api = CompletionsAPI.completions
        if let name = try reader.string(fields, "api", in: place) {
            guard let parsed = CompletionsAPI(rawValue: name) else {
                throw reader.error(fields["api"]!, "\(place).api: `\(name)` is not completions or chat")
            }
            api = parsed
        }
        var convention = RandomDataset.RangeConvention.fractionBelow
        if let name = try reader.string(fields, "rangeConvention", in: place) {
            guard let parsed = RandomDataset.RangeConvention(rawValue: name) else {
                throw reader.error(
                    fields["rangeConvention"]!,
                    "\(place).rangeConvention: `\(name)` is not sglang ([L·r, L]) or vllm ([L(1−r), L(1+r)])")
            }
            convention = parsed
        }
        let dataset = RandomDataset(
            inputLength: try reader.int(fields, "isl", in: place, range: 1...10_000_000) ?? 1024,
            outputLength: try reader.int(fields, "osl", in: place, range: 1...10_000_000) ?? 1024,
            rangeRatio: try reader.double(fields, "rangeRatio", in: place, range: 0...1) ?? 0.8,
            convention: convention,
            seed: UInt64(try reader.int(fields, "seed", in: place, range: 0...Int.max) ?? 1))
        let duration = try reader.double(fields, "durationSeconds", in: place, range: 0.001...31_536_000)
        let timeout = try reader.double(fields, "requestTimeoutSeconds", in: place, range: 0.001...86_400)
        let concurrencies = try reader.intList(fields, "concurrency", in: place, range: 1...1_000_000)
        let rates = try reader.doubleList(fields, "requestRate", in: place, range: 0.000_001...1_000_000)
        var points: [PointPlan] = []
        // A field of the other loop would be ignored: refuse it rather than let it mislead.
        func refuse(_ names: [String], for loop: String) throws(YAMLFileError) {
            for name in names where fields[name] != nil {
                throw reader.error(fields[name]!, "\(place).\(name): only for \(loop)")
            }
        }
        switch (concurrencies, rates) {
        case (let concurrencies?, nil):
            try refuse(["burstiness", "maxConcurrency", "numPrompts", "warmups"], for: "an open loop (`requestRate`)")
            let perConcurrency = try reader.int(fields, "requestsPerConcurrency", in: place, range: 1...100_000) ?? 10
            let warmupsPer = try reader.int(fields, "warmupsPerConcurrency", in: place, range: 0...100_000) ?? 2
            points = concurrencies.map { concurrency in
                PointPlan(
                    load: .closedLoop(concurrency: concurrency), dataset: dataset,
                    requests: perConcurrency * concurrency, warmups: warmupsPer * concurrency,
                    durationSeconds: duration, requestTimeoutSeconds: timeout)
            }
        case (nil, let rates?):
            try refuse(["requestsPerConcurrency", "warmupsPerConcurrency"], for: "a closed loop (`concurrency`)")
            let burstiness = try reader.double(fields, "burstiness", in: place, range: 0.001...1000) ?? 1
            let cap = try reader.int(fields, "maxConcurrency", in: place, range: 1...1_000_000)
            let prompts = try reader.int(fields, "numPrompts", in: place, range: 1...10_000_000) ?? 100
            let warmups = try reader.int(fields, "warmups", in: place, range: 0...10_000_000) ?? 0
            points = rates.map { rate in
                PointPlan(
                    load: .openLoop(rate: rate, burstiness: burstiness, maxConcurrency: cap), dataset: dataset,
                    requests: prompts, warmups: warmups, durationSeconds: duration, requestTimeoutSeconds: timeout)
            }
        case (.some, .some):
            throw reader.error(
                fields["requestRate"]!,
                "\(place): give `concurrency` (closed loop) or `requestRate` (open loop), not both")
        case (nil, nil):
            throw reader.error(node, "\(place): needs `concurrency: [...]` (closed loop) or `requestRate: [...]`")
        }
        return BenchmarkWorkload(
            engine: engine, api: api, points: points,
            gpusForThroughput: try reader.int(fields, "gpusForThroughput", in: place, range: 1...1_000_000))
    }

    static func engineSpec(_ node: Node, place: String, _ reader: YAMLFieldReader) throws(YAMLFileError) -> EngineSpec {
        guard case .mapping(let fields) = node, fields.count == 1 else {
            throw reader.error(node, "\(place): expected exactly one of `endpoint:`, `launch:` or `sim:`")
        }
        try reader.refuseUnknown(fields, allowed: engineFields, in: place)
        if let endpoint = try reader.mapping(fields, "endpoint", in: place, allowed: endpointFields) {
            let at = "\(place).endpoint"
            guard let baseURL = try reader.string(endpoint, "baseURL", in: at),
                let model = try reader.string(endpoint, "model", in: at)
            else { throw reader.error(fields["endpoint"]!, "\(at): needs `baseURL` and `model`") }
            return .endpoint(
                EndpointEngine(
                    baseURL: baseURL, model: model, apiKeyFile: try reader.string(endpoint, "apiKeyFile", in: at),
                    apiKeyEnvironment: try reader.string(endpoint, "apiKeyEnvironment", in: at),
                    caFile: try reader.string(endpoint, "caFile", in: at)))
        }
        if let launch = try reader.mapping(fields, "launch", in: place, allowed: launchFields) {
            let at = "\(place).launch"
            guard let argv = try reader.stringList(launch, "argv", in: at),
                let model = try reader.string(launch, "model", in: at)
            else {
                throw reader.error(
                    fields["launch"]!, "\(at): needs `argv` (the engine's command, `{port}` for its port) and `model`")
            }
            return .launch(
                LaunchedEngine(
                    argv: argv, environment: try reader.stringMap(launch, "env", in: at) ?? [:], model: model,
                    readinessPath: try reader.string(launch, "readinessPath", in: at) ?? "/health",
                    readinessTimeoutSeconds: try reader.double(
                        launch, "readinessTimeoutSeconds", in: at, range: 0.1...86_400) ?? 1800,
                    stopGraceSeconds: try reader.double(launch, "stopGraceSeconds", in: at, range: 0...3600) ?? 10))
        }
        let sim = try reader.mapping(fields, "sim", in: place, allowed: simFields) ?? [:]
        let at = "\(place).sim"
        guard let hardware = try reader.string(sim, "hardware", in: at),
            let model = try reader.string(sim, "model", in: at)
        else { throw reader.error(fields["sim"]!, "\(at): needs `hardware` and `model` (from the catalogs)") }
        var precision = Precision.fp8
        if let name = try reader.string(sim, "precision", in: at) {
            guard let parsed = Precision(rawValue: name) else {
                throw reader.error(
                    sim["precision"]!,
                    "\(at).precision: `\(name)` is not one of \(Precision.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            precision = parsed
        }
        return .sim(
            SimulatedEngine(
                hardware: hardware, model: model, precision: precision,
                tp: try reader.int(sim, "tp", in: at, range: 1...1024) ?? 1,
                ep: try reader.int(sim, "ep", in: at, range: 1...1024) ?? 1,
                dpAttention: try reader.bool(sim, "dpAttention", in: at) ?? false,
                cudaGraphs: try reader.bool(sim, "cudaGraphs", in: at) ?? true,
                maxNumSeqs: try reader.int(sim, "maxNumSeqs", in: at, range: 1...1_000_000) ?? 256,
                maxNumBatchedTokens: try reader.int(sim, "maxNumBatchedTokens", in: at, range: 1...10_000_000) ?? 8192,
                maxModelLen: try reader.int(sim, "maxModelLen", in: at, range: 1...10_000_000),
                streamInterval: try reader.int(sim, "streamInterval", in: at, range: 1...1024) ?? 1,
                timeScale: try reader.double(sim, "timeScale", in: at, range: 0.001...1_000_000) ?? 1,
                virtual: try reader.bool(sim, "virtual", in: at) ?? false,
                slowdown: try reader.double(sim, "slowdown", in: at, range: 0.1...10)))
    }
}
