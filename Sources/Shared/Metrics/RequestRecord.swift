/// One request's measurements, as a client sees them (metrics.md, "Per request").
///
/// Times are seconds on the run's monotonic clock; latencies derive from them.
public struct RequestRecord: Hashable, Sendable, Codable {
    public var requestID: Int
    /// Just before the request was written.
    public var start: Double
    /// The first token event.
    public var firstToken: Double
    /// The last token event.
    public var lastToken: Double
    public var inputTokens: Int
    /// `usage.completion_tokens`.
    public var outputTokens: Int
    /// Gaps between consecutive token events (chunks), seconds.
    public var interTokenGaps: [Double]

    public init(
        requestID: Int, start: Double, firstToken: Double, lastToken: Double, inputTokens: Int, outputTokens: Int,
        interTokenGaps: [Double]
    ) {
        self.requestID = requestID
        self.start = start
        self.firstToken = firstToken
        self.lastToken = lastToken
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.interTokenGaps = interTokenGaps
    }

    public var ttft: Double { firstToken - start }
    public var e2el: Double { lastToken - start }
    /// (E2EL − TTFT) / (N − 1); `nil` for N ≤ 1.
    public var tpot: Double? { outputTokens > 1 ? (lastToken - firstToken) / Double(outputTokens - 1) : nil }
}
