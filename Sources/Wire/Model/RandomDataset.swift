/// The `random` dataset (metrics.md, "Workload"): request lengths drawn uniformly around the
/// asked input and output lengths, seeded so a sweep repeats.
public struct RandomDataset: Hashable, Sendable, Codable {
    /// The two meanings of "range ratio" in the field, named apart.
    public enum RangeConvention: String, Hashable, Sendable, Codable, CaseIterable {
        /// SGLang and InferenceMAX: U[⌊L·r⌋, L] (r = 0.8 by default).
        case fractionBelow = "sglang"
        /// vLLM and AIPerf: U[⌊L·(1 − r)⌋, ⌊L·(1 + r)⌋].
        case symmetric = "vllm"
    }

    public var inputLength: Int
    public var outputLength: Int
    public var rangeRatio: Double
    public var convention: RangeConvention
    public var seed: UInt64

    public init(
        inputLength: Int, outputLength: Int, rangeRatio: Double = 0.8, convention: RangeConvention = .fractionBelow,
        seed: UInt64 = 1
    ) {
        self.inputLength = inputLength
        self.outputLength = outputLength
        self.rangeRatio = rangeRatio
        self.convention = convention
        self.seed = seed
    }

    /// The range one length is drawn from.
    public func range(_ length: Int) -> ClosedRange<Int> {
        switch convention {
        case .fractionBelow:
            let low = max(1, Int((Double(length) * rangeRatio).rounded(.down)))
            return low...max(low, length)
        case .symmetric:
            let low = max(1, Int((Double(length) * (1 - rangeRatio)).rounded(.down)))
            return low...max(low, Int((Double(length) * (1 + rangeRatio)).rounded(.down)))
        }
    }

    /// The lengths of `count` requests, the same for the same seed.
    public func lengths(count: Int) -> [(input: Int, output: Int)] {
        var generator = SeededGenerator(seed: seed)
        let inputs = range(inputLength)
        let outputs = range(outputLength)
        return (0..<count).map { _ in
            (Int.random(in: inputs, using: &generator), Int.random(in: outputs, using: &generator))
        }
    }
}
