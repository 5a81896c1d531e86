import Foundation
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
    public var convention: RandomDataset.RangeConvention
    public var seed: UInt64
    /// Keep every inter-token gap (needed for ITL statistics; costly in big sweeps).
    public var recordGaps: Bool

    public init(
        concurrency: Int, requests: Int? = nil, warmups: Int? = nil, inputLength: Int, outputLength: Int,
        rangeRatio: Double = 0.8, convention: RandomDataset.RangeConvention = .fractionBelow,
        seed: UInt64 = 1, recordGaps: Bool = true
    ) {
        self.convention = convention
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
        RandomDataset(
            inputLength: inputLength, outputLength: outputLength, rangeRatio: rangeRatio, convention: convention,
            seed: seed
        ).lengths(count: warmups + requests)
    }
}

/// The engine core in simulated time: no sockets, no sleeping. The engine runs steps back to
/// back while it has work; a client sends its next request the moment its last one finishes.
public enum VirtualRun {
    public static func closedLoop(
        _ load: ClosedLoopLoad, deployment: Deployment, configuration: EngineConfiguration = .init(),
        factors: EfficiencyFactors? = nil
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
            try engine.add(
                EngineRequest(id: issued, promptTokens: lengths[issued].input, outputTokens: lengths[issued].output))
            issued += 1
        }
        for _ in 0..<min(load.concurrency, total) { try issue() }

        while let step = engine.step() {
            if step.shape.isEmpty {
                throw DeploymentRefused(
                    description:
                        "the engine stalled with \(step.waiting) requests waiting and \(step.freeBlocks) free blocks")
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

/// An open-loop load: requests arrive at a rate, whatever the engine is doing, with Poisson
/// (burstiness 1) or gamma-distributed gaps, seeded.
public struct OpenLoopLoad: Hashable, Sendable {
    public var requestRate: Double
    /// Gamma shape of the gaps: 1 is Poisson; below 1 burstier, above 1 steadier (vLLM's --burstiness).
    public var burstiness: Double
    public var requests: Int
    public var inputLength: Int
    public var outputLength: Int
    public var rangeRatio: Double
    public var convention: RandomDataset.RangeConvention
    public var seed: UInt64

    public init(
        requestRate: Double, burstiness: Double = 1, requests: Int, inputLength: Int, outputLength: Int,
        rangeRatio: Double = 0.8, convention: RandomDataset.RangeConvention = .fractionBelow, seed: UInt64 = 1
    ) {
        self.requestRate = requestRate
        self.burstiness = burstiness
        self.requests = requests
        self.inputLength = inputLength
        self.outputLength = outputLength
        self.rangeRatio = rangeRatio
        self.convention = convention
        self.seed = seed
    }

    /// The requests' lengths are drawn from this dataset.
    public var dataset: RandomDataset {
        RandomDataset(
            inputLength: inputLength, outputLength: outputLength, rangeRatio: rangeRatio, convention: convention,
            seed: seed)
    }

    /// Arrival instants (seconds from the start), the same for the same seed.
    public func arrivals() -> [Double] {
        var generator = SeededGenerator(seed: seed ^ 0x5EED)
        var now = 0.0
        return (0..<requests).map { _ in
            now += GammaSample.draw(shape: burstiness, scale: 1 / (requestRate * burstiness), using: &generator)
            return now
        }
    }
}

/// Gamma-distributed samples (Marsaglia and Tsang), for open-loop arrival gaps.
enum GammaSample {
    static func draw(shape: Double, scale: Double, using generator: inout SeededGenerator) -> Double {
        if shape < 1 {
            // Boost: Gamma(a) = Gamma(a + 1) · U^(1/a).
            let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
            return draw(shape: shape + 1, scale: scale, using: &generator) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal(using: &generator)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v * scale }
        }
    }

    static func normal(using generator: inout SeededGenerator) -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

extension VirtualRun {
    /// The engine under an open-loop load: a request joins the engine at its arrival instant
    /// (between steps, as a real engine admits it), and the engine idles until the next one
    /// when it has nothing to do.
    public static func openLoop(
        _ load: OpenLoopLoad, deployment: Deployment, configuration: EngineConfiguration = .init(),
        factors: EfficiencyFactors? = nil
    ) throws(DeploymentRefused) -> [RequestRecord] {
        var engine = try EngineCore(deployment: deployment, configuration: configuration, factors: factors)
        let arrivals = load.arrivals()
        let lengths = ClosedLoopLoad(
            concurrency: 1, requests: load.requests, warmups: 0, inputLength: load.inputLength,
            outputLength: load.outputLength,
            rangeRatio: load.rangeRatio, seed: load.seed
        ).requestLengths()
        var first = [Double](repeating: 0, count: arrivals.count)
        var last = [Double](repeating: 0, count: arrivals.count)
        var gaps = [[Double]](repeating: [], count: arrivals.count)
        var records: [RequestRecord] = []
        var now = 0.0
        var next = 0
        while next < arrivals.count || engine.hasWork {
            if !engine.hasWork { now = max(now, arrivals[next]) }
            while next < arrivals.count, arrivals[next] <= now {
                try engine.add(
                    EngineRequest(id: next, promptTokens: lengths[next].input, outputTokens: lengths[next].output))
                next += 1
            }
            guard let step = engine.step() else { continue }
            now += step.duration
            for release in step.releases {
                let id = release.requestID
                if release.isFirst { first[id] = now } else { gaps[id].append(now - last[id]) }
                last[id] = now
                if release.isLast {
                    records.append(
                        RequestRecord(
                            requestID: id, start: arrivals[id], firstToken: first[id], lastToken: now,
                            inputTokens: lengths[id].input,
                            outputTokens: lengths[id].output, interTokenGaps: gaps[id]))
                }
            }
        }
        return records.sorted { $0.requestID < $1.requestID }
    }
}
