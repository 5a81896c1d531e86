/// What one engine step computes, summed over the requests in it: enough for the cost model,
/// and cheap to keep up to date as requests come and go.
public struct StepShape: Hashable, Sendable {
    /// Prompt tokens computed this step (all prefill chunks together).
    public var prefillTokens = 0
    /// Σ over prefill chunks of chunk × (tokens before it + chunk / 2): the query-key pairs of
    /// causal attention over the chunk.
    public var prefillAttentionPairs = 0.0
    /// Requests generating one token each.
    public var decodeSequences = 0
    /// Σ over decoding requests of their context length (tokens the new token attends to).
    public var decodeContextTokens = 0.0

    public init(
        prefillTokens: Int = 0, prefillAttentionPairs: Double = 0, decodeSequences: Int = 0,
        decodeContextTokens: Double = 0
    ) {
        self.prefillTokens = prefillTokens
        self.prefillAttentionPairs = prefillAttentionPairs
        self.decodeSequences = decodeSequences
        self.decodeContextTokens = decodeContextTokens
    }

    /// Tokens the step pushes through every layer.
    public var tokens: Int { prefillTokens + decodeSequences }

    public var isEmpty: Bool { tokens == 0 }
}
