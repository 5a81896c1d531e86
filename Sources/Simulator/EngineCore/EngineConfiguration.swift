/// The serving engine's knobs, named as vLLM and SGLang name them.
public struct EngineConfiguration: Hashable, Sendable {
    /// Most requests in one batch (`--max-num-seqs`).
    public var maxNumSeqs: Int
    /// Most tokens one step computes (`--max-num-batched-tokens`); prefills are chunked to fit.
    public var maxNumBatchedTokens: Int
    /// Fraction of HBM the engine may use (`--gpu-memory-utilization`).
    public var gpuMemoryUtilization: Double
    /// Tokens per streamed chunk (1 as vLLM; SGLang's default is 10).
    public var streamInterval: Int
    /// Tokens per KV-cache block (vLLM's default page).
    public var blockSize: Int
    /// Longest request the deployment must hold (`--max-model-len`); `nil` for the model's own.
    public var maxModelLen: Int?
    /// Every step takes this many times as long as the cost model says (1.05: 5 % slower): a
    /// what-if, and a known regression to rehearse a detector against.
    public var slowdown: Double

    public init(
        maxNumSeqs: Int = 256, maxNumBatchedTokens: Int = 8192, gpuMemoryUtilization: Double = 0.9,
        streamInterval: Int = 1,
        blockSize: Int = 16, maxModelLen: Int? = nil, slowdown: Double = 1
    ) {
        self.slowdown = slowdown
        self.maxNumSeqs = maxNumSeqs
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.gpuMemoryUtilization = gpuMemoryUtilization
        self.streamInterval = streamInterval
        self.blockSize = blockSize
        self.maxModelLen = maxModelLen
    }
}
