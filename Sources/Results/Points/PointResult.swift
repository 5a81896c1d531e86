import Wire

/// One measured point of a sweep as users read it: what was deployed, the load, the figures of
/// metrics.md computed from the stored request records, cost and power, whether it stands, and
/// where it came from.
public struct PointResult: Hashable, Sendable, Codable {
    /// The sweep run this point belongs to.
    public var sweepID: String
    public var sweepName: String
    /// The point's stable identity: the same point in a rerun or a nightly run has the same key.
    public var pointKey: String
    /// 0 for the first measurement of the point, 1… for repeats.
    public var repeatIndex: Int
    public var deployment: DeploymentKey
    public var inputLength: Int
    public var outputLength: Int
    /// Closed loop: requests in flight. Open loop: the concurrency cap, if any.
    public var concurrency: Int?
    public var requestRate: Double?
    public var figures: PointFigures
    public var economics: PointEconomics?
    /// The GPUs' measured energy over the point (board power sampled once a second), where the
    /// agent could sample it; named apart from the provisioned figures in `economics`.
    public var energy: PointEnergy?
    public var invalidReasons: [String]
    public var provenance: Provenance

    public var isValid: Bool { invalidReasons.isEmpty }

    public init(
        sweepID: String, sweepName: String, pointKey: String, repeatIndex: Int, deployment: DeploymentKey,
        inputLength: Int, outputLength: Int, concurrency: Int?, requestRate: Double?, figures: PointFigures,
        economics: PointEconomics?, energy: PointEnergy? = nil, invalidReasons: [String], provenance: Provenance
    ) {
        self.energy = energy
        self.sweepID = sweepID
        self.sweepName = sweepName
        self.pointKey = pointKey
        self.repeatIndex = repeatIndex
        self.deployment = deployment
        self.inputLength = inputLength
        self.outputLength = outputLength
        self.concurrency = concurrency
        self.requestRate = requestRate
        self.figures = figures
        self.economics = economics
        self.invalidReasons = invalidReasons
        self.provenance = provenance
    }
}

/// The point's figures, from its stored request records (metrics.md). Latencies in milliseconds.
public struct PointFigures: Hashable, Sendable, Codable {
    public var completed: Int
    public var failed: Int
    public var durationSeconds: Double
    public var requestThroughput: Double
    public var outputThroughput: Double
    public var totalTokenThroughput: Double
    public var tokensPerSecondPerGPU: Double
    public var outputTokensPerSecondPerGPU: Double
    public var inputTokensPerSecondPerGPU: Double
    /// tok/s/user = 1000 / median TPOT in ms.
    public var interactivity: Double
    public var meanTTFTMilliseconds: Double
    public var medianTTFTMilliseconds: Double
    public var p99TTFTMilliseconds: Double
    public var medianTPOTMilliseconds: Double
    public var p99TPOTMilliseconds: Double
    public var medianE2ELMilliseconds: Double
    public var achievedConcurrency: Double
    /// How sure the medians and the throughput are, from the point's own requests.
    public var intervals: PointIntervals?

    /// - Parameter intervals: from the same requests as `summary`.
    public init(_ summary: PointSummary, intervals: PointIntervals? = nil) {
        self.intervals = intervals
        func ms(_ seconds: Double) -> Double { seconds.isNaN ? 0 : seconds * 1000 }
        completed = summary.completed
        failed = summary.failed
        durationSeconds = summary.duration
        requestThroughput = summary.requestThroughput
        outputThroughput = summary.outputThroughput
        totalTokenThroughput = summary.totalTokenThroughput
        tokensPerSecondPerGPU = summary.tokensPerSecondPerGPU
        outputTokensPerSecondPerGPU = summary.outputTokensPerSecondPerGPU
        inputTokensPerSecondPerGPU = summary.inputTokensPerSecondPerGPU
        interactivity = summary.interactivity
        meanTTFTMilliseconds = ms(summary.ttft.mean)
        medianTTFTMilliseconds = ms(summary.ttft.median)
        p99TTFTMilliseconds = ms(summary.ttft.p99)
        medianTPOTMilliseconds = ms(summary.tpot.median)
        p99TPOTMilliseconds = ms(summary.tpot.p99)
        medianE2ELMilliseconds = ms(summary.e2el.median)
        achievedConcurrency = summary.achievedConcurrency
    }
}

/// Cost and power of a point from the price and power tables (metrics.md).
public struct PointEconomics: Hashable, Sendable, Codable {
    /// Per price tier (`hyperscaler_own`, `neocloud_own`, `rental_3yr`).
    public var costs: [String: TierCost]
    /// Provisioned power: tok/s/GPU × 1000 / all-in kW per GPU.
    public var tokensPerSecondPerMegawatt: Double
    /// Provisioned power: all-in kW per GPU × 1000 / tok/s/GPU.
    public var joulesPerToken: Double

    public struct TierCost: Hashable, Sendable, Codable {
        public var usdPerGPUHour: Double
        /// $ per million tokens, input and output together.
        public var perMillionTokens: Double
        public var perMillionOutputTokens: Double
        public var perMillionInputTokens: Double
    }

    /// Nil for a point that served no input or no output tokens: a price per token it never
    /// produced is not a number (and JSON has no infinity).
    ///
    /// - Parameters:
    ///   - usdPerGPUHour: the price table's tiers for the point's GPU.
    ///   - allInKilowatts: all-in provisioned kW per GPU.
    public init?(figures: PointFigures, usdPerGPUHour: [String: Double], allInKilowatts: Double) {
        guard figures.inputTokensPerSecondPerGPU > 0, figures.outputTokensPerSecondPerGPU > 0, allInKilowatts > 0
        else { return nil }
        func perMillion(_ price: Double, _ tokensPerSecond: Double) -> Double {
            price / (tokensPerSecond * 3600 / 1e6)
        }
        costs = usdPerGPUHour.mapValues { price in
            TierCost(
                usdPerGPUHour: price, perMillionTokens: perMillion(price, figures.tokensPerSecondPerGPU),
                perMillionOutputTokens: perMillion(price, figures.outputTokensPerSecondPerGPU),
                perMillionInputTokens: perMillion(price, figures.inputTokensPerSecondPerGPU))
        }
        tokensPerSecondPerMegawatt = figures.tokensPerSecondPerGPU * 1000 / allInKilowatts
        joulesPerToken = allInKilowatts * 1000 / figures.tokensPerSecondPerGPU
    }
}

/// Where a point's numbers came from.
public struct Provenance: Hashable, Sendable, Codable {
    public var jobID: String
    public var attempt: Int
    public var agentID: String?
    /// The GPUs as the agent reported them: name and driver.
    public var gpus: String?
    /// The engine as the agent brought it up (argv, image, or the simulated deployment).
    public var engine: String?
    public var clientVersion: String?
    public var seed: UInt64
    /// When the agent finished the point, UTC, as vLLM's result files write dates
    /// (`20261130-020512`), if known.
    public var measuredAt: String?

    public init(
        jobID: String, attempt: Int, agentID: String?, gpus: String?, engine: String?, clientVersion: String?,
        seed: UInt64, measuredAt: String?
    ) {
        self.jobID = jobID
        self.attempt = attempt
        self.agentID = agentID
        self.gpus = gpus
        self.engine = engine
        self.clientVersion = clientVersion
        self.seed = seed
        self.measuredAt = measuredAt
    }
}
