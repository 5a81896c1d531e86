import Wire

/// A point's result as JSON whose field names match vLLM's `bench serve --save-result`
/// (`completed`, `request_throughput`, `mean_ttft_ms`, `p99_itl_ms`, …), so existing notebooks and
/// InferenceMAX's result processing read it, with Sweepline's own figures under `sweepline`.
///
/// Latency lists (`ttfts`, `itls`) are in seconds and the summary figures in milliseconds, as
/// vLLM writes them.
public enum BenchmarkResult {
    /// How the point was driven.
    public struct Settings: Hashable, Sendable {
        public var date: String
        public var backend: String
        public var model: String
        public var maxConcurrency: Int?
        /// Requests per second; `nil` for a closed loop (vLLM's `inf`).
        public var requestRate: Double?
        public var burstiness: Double

        public init(
            date: String, backend: String, model: String, maxConcurrency: Int?, requestRate: Double?,
            burstiness: Double = 1
        ) {
            self.date = date
            self.backend = backend
            self.model = model
            self.maxConcurrency = maxConcurrency
            self.requestRate = requestRate
            self.burstiness = burstiness
        }
    }

    public static func json(
        summary: PointSummary, records: [RequestRecord], validity: PointValidity, settings: Settings
    ) -> JSONValue {
        let good = records.filter(\.succeeded)
        var object: [String: JSONValue] = [
            "date": .string(settings.date),
            "backend": .string(settings.backend),
            "model_id": .string(settings.model),
            "num_prompts": .number(Double(summary.sent)),
            "request_rate": settings.requestRate.map { .number($0) } ?? .string("inf"),
            "burstiness": .number(settings.burstiness),
            "max_concurrency": settings.maxConcurrency.map { .number(Double($0)) } ?? .null,
            "duration": .number(summary.duration),
            "completed": .number(Double(summary.completed)),
            "failed": .number(Double(summary.failed)),
            "total_input_tokens": .number(Double(summary.inputTokens)),
            "total_output_tokens": .number(Double(summary.outputTokens)),
            "request_throughput": .number(summary.requestThroughput),
            "request_goodput": summary.goodput.map { .number($0) } ?? .null,
            "output_throughput": .number(summary.outputThroughput),
            "total_token_throughput": .number(summary.totalTokenThroughput),
            "input_lens": .array(good.map { .number(Double($0.inputTokens)) }),
            "output_lens": .array(good.map { .number(Double($0.outputTokens)) }),
            "ttfts": .array(good.map { .number($0.ttft) }),
            "itls": .array(good.map { .array($0.interTokenGaps.map { .number($0) }) }),
            "errors": .array(records.compactMap(\.error).map { .string($0) }),
        ]
        add("ttft", summary.ttft, to: &object)
        add("tpot", summary.tpot, to: &object)
        add("e2el", summary.e2el, to: &object)
        if let itl = summary.itl { add("itl", itl, to: &object) }
        var own: [String: JSONValue] = [
            "valid": .bool(validity.isValid),
            "invalid_reasons": .array(validity.reasons.map { .string($0) }),
            "gpus": .number(Double(summary.gpus)),
            "tok_s_gpu": .number(summary.tokensPerSecondPerGPU),
            "output_tok_s_gpu": .number(summary.outputTokensPerSecondPerGPU),
            "input_tok_s_gpu": .number(summary.inputTokensPerSecondPerGPU),
            "interactivity_tok_s_user": .number(summary.interactivity),
            "achieved_concurrency": .number(summary.achievedConcurrency),
            "peak_concurrency": .number(Double(summary.peakConcurrency)),
            "multi_token_chunks": .bool(summary.multiTokenChunks),
            "slo_attainment": summary.sloAttainment.map { .number($0) } ?? .null,
        ]
        add("queue", summary.queue, to: &own)
        if let perToken = summary.itlPerToken { add("itl_per_token", perToken, to: &own) }
        object["sweepline"] = .object(own)
        return .object(object)
    }

    /// `mean_X_ms`, `median_X_ms`, `std_X_ms`, `p90_X_ms`, `p99_X_ms`, `p99.9_X_ms`.
    static func add(_ name: String, _ statistics: Statistics, to object: inout [String: JSONValue]) {
        func ms(_ seconds: Double) -> JSONValue { seconds.isNaN ? .null : .number(seconds * 1000) }
        object["mean_\(name)_ms"] = ms(statistics.mean)
        object["median_\(name)_ms"] = ms(statistics.median)
        object["std_\(name)_ms"] = ms(statistics.std)
        object["p90_\(name)_ms"] = ms(statistics.p90)
        object["p99_\(name)_ms"] = ms(statistics.p99)
        object["p99.9_\(name)_ms"] = ms(statistics.p999)
    }
}
