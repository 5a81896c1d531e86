import Wire

/// The figures of one point (metrics.md, "Per point"), from its request records.
///
/// Failed requests count as sent and failed and stay out of every latency and throughput figure.
public struct PointSummary: Hashable, Sendable, Codable {
    public var sent: Int
    public var completed: Int
    public var failed: Int
    /// From the first request's start to the last completed request's end, seconds.
    public var duration: Double
    public var inputTokens: Int
    public var outputTokens: Int
    public var requestThroughput: Double
    public var outputThroughput: Double
    public var totalTokenThroughput: Double
    public var ttft: Statistics
    public var tpot: Statistics
    public var e2el: Statistics
    public var queue: Statistics
    /// Chunk gaps, as vLLM reports ITL; only when the records carry their gaps.
    public var itl: Statistics?
    /// Gaps divided by the tokens of their chunk; differs from `itl` when chunks carry several tokens.
    public var itlPerToken: Statistics?
    /// Some chunk carried more than one token (SGLang `--stream-interval`): ITL is a chunk interval.
    public var multiTokenChunks: Bool
    /// Requests meeting every SLO per second, and their share of those sent; `nil` without SLOs.
    public var goodput: Double?
    public var sloAttainment: Double?
    /// Σ E2EL / duration, and the most requests in flight at any instant.
    public var achievedConcurrency: Double
    public var peakConcurrency: Int
    public var gpus: Int

    public init(records: [RequestRecord], gpus: Int, objectives: ServiceLevelObjectives = .init()) {
        let good = records.filter(\.succeeded)
        sent = records.count
        completed = good.count
        failed = records.count - good.count
        let start = records.map(\.start).min() ?? 0
        let end = good.map(\.lastToken).max() ?? start
        let duration = max(0, end - start)
        self.duration = duration
        inputTokens = good.reduce(0) { $0 + $1.inputTokens }
        outputTokens = good.reduce(0) { $0 + $1.outputTokens }
        let perSecond = { (value: Double) in duration > 0 ? value / duration : 0 }
        requestThroughput = perSecond(Double(completed))
        outputThroughput = perSecond(Double(outputTokens))
        totalTokenThroughput = perSecond(Double(inputTokens + outputTokens))
        ttft = Statistics(good.map(\.ttft))
        tpot = Statistics(good.compactMap(\.tpot))
        e2el = Statistics(good.map(\.e2el))
        queue = Statistics(good.map(\.queueTime))
        let gaps = good.flatMap(\.interTokenGaps)
        itl = gaps.isEmpty ? nil : Statistics(gaps)
        itlPerToken = gaps.isEmpty ? nil : Statistics(good.flatMap(\.perTokenGaps))
        multiTokenChunks = good.contains { $0.chunkTokens.contains { $0 > 1 } }
        if objectives.isEmpty {
            goodput = nil
            sloAttainment = nil
        } else {
            let met = records.filter(objectives.isMet).count
            goodput = perSecond(Double(met))
            sloAttainment = records.isEmpty ? 0 : Double(met) / Double(records.count)
        }
        achievedConcurrency = perSecond(good.reduce(0) { $0 + $1.e2el })
        peakConcurrency = Self.peakConcurrency(good)
        self.gpus = gpus
    }

    /// The most requests in flight at once: a sweep over start and end instants (an end before
    /// a start at the same instant).
    static func peakConcurrency(_ records: [RequestRecord]) -> Int {
        let events = records.flatMap { [($0.start, 1), ($0.lastToken, -1)] }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var inFlight = 0
        var peak = 0
        for (_, change) in events {
            inFlight += change
            peak = max(peak, inFlight)
        }
        return peak
    }

    /// Total tokens per second per GPU (InferenceMAX's throughput per GPU).
    public var tokensPerSecondPerGPU: Double { totalTokenThroughput / Double(max(1, gpus)) }
    public var outputTokensPerSecondPerGPU: Double { outputThroughput / Double(max(1, gpus)) }
    public var inputTokensPerSecondPerGPU: Double { (totalTokenThroughput - outputThroughput) / Double(max(1, gpus)) }
    /// Tokens per second per user: 1 / median TPOT.
    public var interactivity: Double { tpot.median > 0 ? 1 / tpot.median : 0 }
}
