/// One request's measurements, as a client sees them (metrics.md, "Per request").
///
/// Times are seconds on the run's monotonic clock; latencies derive from them. A failed request
/// keeps its record (with `error`) but stays out of the latency statistics.
public struct RequestRecord: Hashable, Sendable, Codable {
    public var requestID: Int
    /// Just before the request was written (connection setup included).
    public var start: Double
    /// The first token event.
    public var firstToken: Double
    /// The last token event (neither the usage chunk nor `[DONE]`).
    public var lastToken: Double
    public var inputTokens: Int
    /// `usage.completion_tokens`, or the count of token events when the server gave no usage.
    public var outputTokens: Int
    /// Gaps between consecutive token events (chunks), seconds.
    public var interTokenGaps: [Double]
    /// Tokens in each chunk after the first (parallel to `interTokenGaps`); empty when every
    /// chunk carried one token.
    public var chunkTokens: [Int]
    /// Time spent waiting for a concurrency slot before `start`; never inside TTFT.
    public var queueTime: Double
    /// `outputTokens` was counted from events because the server reported no usage.
    public var outputTokensEstimated: Bool
    /// The output length asked for (`max_tokens` with `ignore_eos`), to catch servers that stop early.
    public var requestedOutputTokens: Int?
    /// Why the request failed (HTTP status, dropped connection, no `[DONE]`, timeout); `nil` if it did not.
    public var error: String?
    /// The engine's own account of the request, when it streams one (llama.cpp's `timings`).
    public var engine: EngineTimings?

    public init(
        requestID: Int, start: Double, firstToken: Double, lastToken: Double, inputTokens: Int, outputTokens: Int,
        interTokenGaps: [Double], chunkTokens: [Int] = [], queueTime: Double = 0, outputTokensEstimated: Bool = false,
        requestedOutputTokens: Int? = nil, error: String? = nil, engine: EngineTimings? = nil
    ) {
        self.requestID = requestID
        self.start = start
        self.firstToken = firstToken
        self.lastToken = lastToken
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.interTokenGaps = interTokenGaps
        self.chunkTokens = chunkTokens
        self.queueTime = queueTime
        self.outputTokensEstimated = outputTokensEstimated
        self.requestedOutputTokens = requestedOutputTokens
        self.error = error
        self.engine = engine
    }

    public var succeeded: Bool { error == nil }

    /// The record with every time multiplied by `factor`: a client's wall-clock measurement of
    /// an engine running `factor` times faster than the GPU it simulates, in that GPU's time.
    public func scaled(by factor: Double) -> RequestRecord {
        var record = self
        record.start *= factor
        record.firstToken *= factor
        record.lastToken *= factor
        record.queueTime *= factor
        record.interTokenGaps = interTokenGaps.map { $0 * factor }
        return record
    }
    public var ttft: Double { firstToken - start }
    public var e2el: Double { lastToken - start }
    /// (E2EL − TTFT) / (N − 1); `nil` for N ≤ 1.
    public var tpot: Double? { outputTokens > 1 ? (lastToken - firstToken) / Double(outputTokens - 1) : nil }

    /// Each gap divided by the tokens of the chunk that ended it (metrics.md's per-token ITL).
    public var perTokenGaps: [Double] {
        guard chunkTokens.count == interTokenGaps.count else { return interTokenGaps }
        return zip(interTokenGaps, chunkTokens).map { $0 / Double(max(1, $1)) }
    }
}

/// How the engine itself timed a request: prompt processing, then decoding `predictedTokens`
/// tokens (the first of them sampled at the end of the prompt phase, as llama.cpp counts).
public struct EngineTimings: Hashable, Sendable, Codable {
    public var promptMilliseconds: Double
    public var predictedMilliseconds: Double
    public var predictedTokens: Int

    public init(promptMilliseconds: Double, predictedMilliseconds: Double, predictedTokens: Int) {
        self.promptMilliseconds = promptMilliseconds
        self.predictedMilliseconds = predictedMilliseconds
        self.predictedTokens = predictedTokens
    }

    /// The engine's TPOT: decode time over the tokens after the first, seconds.
    public var timePerOutputToken: Double? {
        predictedTokens > 1 ? predictedMilliseconds / 1000 / Double(predictedTokens - 1) : nil
    }
}
