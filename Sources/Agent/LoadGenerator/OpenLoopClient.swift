import Shared

/// Drives an open-loop point against a server: requests are sent at their arrival instants
/// (Poisson or gamma gaps, seeded), whatever the server is doing. With a concurrency cap a
/// request waits for a slot, and that wait is its queue time, never part of its TTFT.
public enum OpenLoopClient {
    public static func run(
        _ load: OpenLoopLoad, maxConcurrency: Int? = nil, against endpoint: BenchEndpoint, timeout: Duration? = nil
    ) async -> [RequestRecord] {
        let arrivals = load.arrivals()
        let lengths = RandomDataset(
            inputLength: load.inputLength, outputLength: load.outputLength, rangeRatio: load.rangeRatio, seed: load.seed
        ).lengths(count: arrivals.count)
        let slots = maxConcurrency.map(ConcurrencySlots.init)
        let origin = ContinuousClock.now
        return await withTaskGroup(of: RequestRecord.self) { group in
            for (index, arrival) in arrivals.enumerated() {
                let due = origin + .seconds(arrival)
                try? await Task.sleep(until: due, clock: .continuous)
                group.addTask {
                    await slots?.acquire()
                    let waited = ContinuousClock.now - due
                    let queueTime = Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18
                    let record = await ClosedLoopClient.measure(
                        index, lengths[index], endpoint: endpoint, origin: origin, timeout: timeout,
                        queueTime: max(0, queueTime))
                    await slots?.release()
                    return record
                }
            }
            return await group.reduce(into: []) { $0.append($1) }.sorted { $0.requestID < $1.requestID }
        }
    }
}

/// At most N requests in flight; the others wait, first come first served.
actor ConcurrencySlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
