import Foundation

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
