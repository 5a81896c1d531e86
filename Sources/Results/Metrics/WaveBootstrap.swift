import Wire

/// A point's requests in waves, for intervals that see what requests of one wave share.
///
/// Requests at a fixed concurrency are not independent: those in flight together share batches,
/// so a wave that lands while prefills are chunked through its decodes is slow as a whole, and
/// the next one may not be. Identical runs of the simulated engine in real time showed waves of
/// one point at 26 ms and 42 ms TPOT, and the point's median moving 12 % between runs, where an
/// interval that takes requests as independent promised ±3 %. A wave is as many consecutive
/// requests (by start) as were in flight on average; resampling whole waves keeps what their
/// requests share.
struct WaveBootstrap {
    /// Indices of the requests of each wave.
    let waves: [[Int]]

    static let resamples = 100

    /// Nil when the requests make fewer than two waves: there is nothing to resample.
    init?(_ requests: [RequestRecord]) {
        guard let start = requests.map(\.start).min(), let end = requests.map(\.lastToken).max(), end > start else {
            return nil
        }
        let busy = requests.reduce(0) { $0 + max(0, $1.lastToken - $1.start) }
        let size = max(1, Int((busy / (end - start)).rounded()))
        let order = requests.indices.sorted { requests[$0].start < requests[$1].start }
        let waves = stride(from: 0, to: order.count, by: size).map { Array(order[$0..<min(order.count, $0 + size)]) }
        guard waves.count >= 2 else { return nil }
        self.waves = waves
    }

    /// The percentile interval of `statistic` over waves drawn with replacement; seeded, so the
    /// same requests give the same interval.
    func interval(confidence: Double, seed: UInt64, _ statistic: ([Int]) -> Double?) -> ConfidenceInterval? {
        var random = SeededGenerator(seed: seed)
        var estimates: [Double] = []
        estimates.reserveCapacity(Self.resamples)
        var drawn: [Int] = []
        for _ in 0..<Self.resamples {
            drawn.removeAll(keepingCapacity: true)
            for _ in waves.indices { drawn += waves[Int(random.next() % UInt64(waves.count))] }
            if let value = statistic(drawn) { estimates.append(value) }
        }
        guard estimates.count >= Self.resamples / 2 else { return nil }
        estimates.sort()
        let tail = (1 - confidence) / 2 * 100
        return ConfidenceInterval(
            lower: Statistics.percentile(estimates, tail), upper: Statistics.percentile(estimates, 100 - tail))
    }

    /// The median of `values` at `indices` (nil values skipped), as ``Statistics`` takes it:
    /// the middle value, or the mean of the middle two.
    static func median(_ values: [Double?], at indices: [Int]) -> Double? {
        var chosen = indices.compactMap { values[$0] }
        guard !chosen.isEmpty else { return nil }
        let middle = chosen.count / 2
        let upper = select(&chosen, middle)
        guard chosen.count % 2 == 0 else { return upper }
        // After selecting, everything before `middle` is at most `upper`: its largest is the other.
        return (chosen[..<middle].max()! + upper) / 2
    }

    /// The k-th smallest value (0-based), by Hoare's quickselect: the bootstrap takes a median
    /// hundreds of times a point, and a sort each time was most of the coordinator's cost.
    static func select(_ values: inout [Double], _ k: Int) -> Double {
        var low = 0
        var high = values.count - 1
        while low < high {
            let pivot = values[(low + high) / 2]
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return values[k]
    }
}

extension ConfidenceInterval {
    /// The smallest interval holding both.
    func union(_ other: ConfidenceInterval?) -> ConfidenceInterval {
        guard let other else { return self }
        return ConfidenceInterval(lower: min(lower, other.lower), upper: max(upper, other.upper))
    }
}
