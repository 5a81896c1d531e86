import Shared

/// The closed-loop load of one point: `concurrency` requests in flight, the `random` dataset of
/// metrics.md (lengths uniform in [⌊L·r⌋, L]), warm-up requests first and left out.
public struct ClosedLoopLoad: Hashable, Sendable {
    public var concurrency: Int
    public var requests: Int
    public var warmups: Int
    public var inputLength: Int
    public var outputLength: Int
    /// SGLang's / InferenceMAX's range ratio r.
    public var rangeRatio: Double
    public var seed: UInt64
    /// Keep every inter-token gap (needed for ITL statistics; costly in big sweeps).
    public var recordGaps: Bool

    public init(
        concurrency: Int, requests: Int? = nil, warmups: Int? = nil, inputLength: Int, outputLength: Int, rangeRatio: Double = 0.8,
        seed: UInt64 = 1, recordGaps: Bool = true
    ) {
        self.concurrency = concurrency
        self.requests = requests ?? 10 * concurrency
        self.warmups = warmups ?? 2 * concurrency
        self.inputLength = inputLength
        self.outputLength = outputLength
        self.rangeRatio = rangeRatio
        self.seed = seed
        self.recordGaps = recordGaps
    }

    /// The lengths of every request, warm-ups first, the same for the same seed.
    public func requestLengths() -> [(input: Int, output: Int)] {
        var generator = SeededGenerator(seed: seed)
        func draw(_ length: Int) -> Int {
            let low = max(1, Int((Double(length) * rangeRatio).rounded(.down)))
            return Int.random(in: low...max(low, length), using: &generator)
        }
        return (0..<(warmups + requests)).map { _ in (draw(inputLength), draw(outputLength)) }
    }
}

/// The engine core in simulated time: no sockets, no sleeping. The engine runs steps back to
/// back while it has work; a client sends its next request the moment its last one finishes.
public enum VirtualRun {
    public static func closedLoop(
        _ load: ClosedLoopLoad, deployment: Deployment, configuration: EngineConfiguration = .init(), factors: EfficiencyFactors? = nil
    ) throws(DeploymentRefused) -> [RequestRecord] {
        var engine = try EngineCore(deployment: deployment, configuration: configuration, factors: factors)
        let lengths = load.requestLengths()
        let total = lengths.count
        var start = [Double](repeating: 0, count: total)
        var first = [Double](repeating: -1, count: total)
        var last = [Double](repeating: 0, count: total)
        var gaps = [[Double]](repeating: [], count: load.recordGaps ? total : 0)
        var records: [RequestRecord] = []
        records.reserveCapacity(load.requests)
        var now = 0.0
        var issued = 0

        func issue() throws(DeploymentRefused) {
            start[issued] = now
            try engine.add(EngineRequest(id: issued, promptTokens: lengths[issued].input, outputTokens: lengths[issued].output))
            issued += 1
        }
        for _ in 0..<min(load.concurrency, total) { try issue() }

        while let step = engine.step() {
            if step.shape.isEmpty {
                throw DeploymentRefused(description: "the engine stalled with \(step.waiting) requests waiting and \(step.freeBlocks) free blocks")
            }
            now += step.duration
            for release in step.releases {
                let id = release.requestID
                if release.isFirst {
                    first[id] = now
                } else if load.recordGaps {
                    gaps[id].append(now - last[id])
                }
                last[id] = now
                guard release.isLast else { continue }
                if id >= load.warmups {
                    records.append(
                        RequestRecord(
                            requestID: id, start: start[id], firstToken: first[id], lastToken: now,
                            inputTokens: lengths[id].input, outputTokens: lengths[id].output,
                            interTokenGaps: load.recordGaps ? gaps[id] : []))
                    if load.recordGaps { gaps[id] = [] }
                }
                if issued < total { try issue() }
            }
        }
        return records
    }
}
