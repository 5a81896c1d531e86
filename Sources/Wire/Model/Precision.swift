/// The number format weights are served in, and with it the tensor-core peak that applies.
public enum Precision: String, Hashable, Sendable, Codable, CaseIterable {
    case bf16
    case fp8
    case fp4

    /// Bytes per weight; FP4 formats carry a scale per 32 values (MXFP4: 4.25 bits).
    public var bytesPerWeight: Double {
        switch self {
        case .bf16: 2
        case .fp8: 1
        case .fp4: 4.25 / 8
        }
    }

    /// Bytes per element of the KV cache: FP8 and FP4 deployments run an FP8 cache (as
    /// InferenceMAX's recipes do), BF16 ones a BF16 cache.
    public var kvCacheBytesPerElement: Double {
        switch self {
        case .bf16: 2
        case .fp8, .fp4: 1
        }
    }
}
