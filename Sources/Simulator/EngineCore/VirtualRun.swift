import Foundation
import Wire

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
