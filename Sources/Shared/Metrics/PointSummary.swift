/// The figures of one point (metrics.md, "Per point"), from its request records.
public struct PointSummary: Hashable, Sendable, Codable {
    public var completed: Int
    /// From the first request's start to the last request's end, seconds.
    public var duration: Double
    public var requestThroughput: Double
    public var outputThroughput: Double
    public var totalTokenThroughput: Double
    public var ttft: Statistics
    public var tpot: Statistics
    public var e2el: Statistics
    /// Only when the records carry their gaps.
    public var itl: Statistics?
    public var gpus: Int

    public init(records: [RequestRecord], gpus: Int) {
        completed = records.count
        let start = records.map(\.start).min() ?? 0
        let end = records.map(\.lastToken).max() ?? 0
        duration = end - start
        let output = records.reduce(0) { $0 + $1.outputTokens }
        let input = records.reduce(0) { $0 + $1.inputTokens }
        requestThroughput = duration > 0 ? Double(completed) / duration : 0
        outputThroughput = duration > 0 ? Double(output) / duration : 0
        totalTokenThroughput = duration > 0 ? Double(input + output) / duration : 0
        ttft = Statistics(records.map(\.ttft))
        tpot = Statistics(records.compactMap(\.tpot))
        e2el = Statistics(records.map(\.e2el))
        let gaps = records.flatMap(\.interTokenGaps)
        itl = gaps.isEmpty ? nil : Statistics(gaps)
        self.gpus = gpus
    }

    /// Total tokens per second per GPU (InferenceMAX's throughput per GPU).
    public var tokensPerSecondPerGPU: Double { totalTokenThroughput / Double(max(1, gpus)) }
    public var outputTokensPerSecondPerGPU: Double { outputThroughput / Double(max(1, gpus)) }
    /// Tokens per second per user: 1 / median TPOT.
    public var interactivity: Double { tpot.median > 0 ? 1 / tpot.median : 0 }
}
