import Wire

/// Drives an open-loop point against a server: requests are sent at their arrival instants
/// (Poisson or gamma gaps, seeded), whatever the server is doing, on a pool of kept-alive
/// connections. With a concurrency cap a
/// request waits for a slot, and that wait is its queue time, never part of its TTFT.
public enum OpenLoopClient {
    /// - Parameters:
    ///   - warmups: the first arrivals are sent but left out of the records.
    ///   - duration: after this long no new request is sent; those in flight finish.
    ///   - stop: checked before each arrival: once it says stop, no new request is sent.
    public static func run(
        _ load: OpenLoopLoad, maxConcurrency: Int? = nil, against endpoint: BenchEndpoint, timeout: Duration? = nil,
        vocabulary: PromptVocabulary = .wordPerToken, warmups: Int = 0, duration: Duration? = nil,
        stop: @escaping @Sendable () -> Bool = { false },
        onRecord: @escaping @Sendable (RequestRecord) -> Void = { _ in }
    ) async -> [RequestRecord] {
        let arrivals = load.arrivals()
        let lengths = load.dataset.lengths(count: arrivals.count)
        let slots = maxConcurrency.map(ConcurrencySlots.init)
        let origin = ContinuousClock.now
        let context = RequestContext(
            endpoint: endpoint, vocabulary: vocabulary, origin: origin, timeout: timeout, onRecord: { _ in })
        let deadline = duration.map { origin + $0 }
        let pool = ConnectionPool(endpoint: endpoint)
        let records: [RequestRecord] = await withTaskGroup(of: RequestRecord?.self) { group in
            for (index, arrival) in arrivals.enumerated() {
                let due = origin + .seconds(arrival)
                try? await Task.sleep(until: due, clock: .continuous)
                if stop() || deadline.map({ ContinuousClock.now >= $0 }) == true || Task.isCancelled { break }
                group.addTask {
                    await slots?.acquire()
                    let waited = ContinuousClock.now - due
                    let queueTime = waited.inSeconds
                    let record = await ClosedLoopClient.measure(
                        index, lengths[index], context: context, pool: pool, queueTime: max(0, queueTime))
                    await slots?.release()
                    guard index >= warmups else { return nil }
                    onRecord(record)
                    return record
                }
            }
            return await group.reduce(into: []) { if let record = $1 { $0.append(record) } }.sorted {
                $0.requestID < $1.requestID
            }
        }
        await pool.closeAll()
        return records
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
