import Wire

/// Change points of a series by E-divisive means (Matteson & James 2014), as MongoDB's
/// performance CI and Apache Otava (Hunter) find them in nightly results.
///
/// For a segment and each split τ into left L and right R, the energy statistic
///
///     Q(τ) = |L||R| / (|L| + |R|) · ( 2·mean|l − r| − mean|l − l′| − mean|r − r′| )
///
/// is large when the two sides come from different distributions, whatever their shape. The
/// best split is kept when a permutation test finds its Q rarely matched by the same values
/// in random order; then both sides are searched again, until no split is significant. A
/// step far inside the noise of single runs still moves Q, because Q weighs every pair of
/// runs across the split.
public struct EDivisive: Sendable {
    /// Fewest values on either side of a change point: a level seen in fewer runs is not one yet.
    public var minimumSegment: Int
    /// A split is significant when its permutation p-value is at most this.
    public var significance: Double
    public var permutations: Int

    public init(minimumSegment: Int = 3, significance: Double = 0.01, permutations: Int = 199) {
        self.minimumSegment = max(2, minimumSegment)
        self.significance = significance
        self.permutations = permutations
    }

    public struct ChangePoint: Hashable, Sendable, Codable {
        /// Index of the first value of the new level.
        public var index: Int
        /// The permutation test's p-value when it was found.
        public var pValue: Double
    }

    /// The change points of `values`, by index, in order.
    public func changePoints(_ values: [Double]) -> [ChangePoint] {
        var found: [ChangePoint] = []
        var boundaries = [0, values.count]
        while true {
            var best: (split: Int, p: Double, q: Double)?
            for (start, end) in zip(boundaries, boundaries.dropFirst()) {
                guard let candidate = significantSplit(values, start..<end) else { continue }
                if best == nil || candidate.p < best!.p || (candidate.p == best!.p && candidate.q > best!.q) {
                    best = candidate
                }
            }
            guard let best else { break }
            found.append(ChangePoint(index: best.split, pValue: best.p))
            boundaries.append(best.split)
            boundaries.sort()
        }
        return found.sorted { $0.index < $1.index }
    }

    /// The best split of `range` and its p-value, when it is significant.
    func significantSplit(_ values: [Double], _ range: Range<Int>) -> (split: Int, p: Double, q: Double)? {
        let segment = Array(values[range])
        guard segment.count >= 2 * minimumSegment, let observed = bestSplit(segment) else { return nil }
        // Seeded by the segment, so the same history always gives the same change points.
        var random = SeededGenerator(seed: 0xED15_0000 &+ UInt64(range.lowerBound) &* 7919 &+ UInt64(range.count))
        var shuffled = segment
        var asLarge = 0
        for _ in 0..<permutations {
            shuffled.shuffle(using: &random)
            if let permuted = bestSplit(shuffled), permuted.q >= observed.q { asLarge += 1 }
        }
        let p = Double(asLarge + 1) / Double(permutations + 1)
        return p <= significance ? (range.lowerBound + observed.split, p, observed.q) : nil
    }

    /// The split of `x` with the largest Q, in O(n²): the within-side sums grow one value at a
    /// time from each end, and the across sum is what the total leaves.
    func bestSplit(_ x: [Double]) -> (split: Int, q: Double)? {
        let n = x.count
        guard n >= 2 * minimumSegment else { return nil }
        // left[t]: Σ|xᵢ − xₖ| over i < k < t; right[t]: over t ≤ i < k.
        var left = [Double](repeating: 0, count: n + 1)
        for t in 1..<n {
            var row = 0.0
            for i in 0..<t { row += abs(x[i] - x[t]) }
            left[t + 1] = left[t] + row
        }
        var right = [Double](repeating: 0, count: n + 1)
        for t in stride(from: n - 2, through: 0, by: -1) {
            var row = 0.0
            for k in (t + 1)..<n { row += abs(x[t] - x[k]) }
            right[t] = right[t + 1] + row
        }
        let total = left[n]
        var best: (split: Int, q: Double)?
        for t in minimumSegment...(n - minimumSegment) {
            let a = Double(t)
            let b = Double(n - t)
            let across = total - left[t] - right[t]
            let q =
                a * b / (a + b)
                * (2 * across / (a * b) - left[t] / (a * (a - 1) / 2) - right[t] / (b * (b - 1) / 2))
            if best == nil || q > best!.q { best = (t, q) }
        }
        return best
    }
}
