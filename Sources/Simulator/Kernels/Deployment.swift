import Catalog
import Wire

/// One engine deployment on simulated GPUs: what runs, on what, split how.
public struct Deployment: Hashable, Sendable {
    public var hardware: HardwareSpec
    public var model: ModelSpec
    public var precision: Precision
    /// Tensor parallelism: GPUs that split every layer.
    public var tp: Int
    /// Expert parallelism: GPUs the routed experts are spread over (1: experts split by TP).
    public var ep: Int
    /// Data-parallel attention (SGLang `--enable-dp-attention`): each GPU of the group runs
    /// attention for its own requests and keeps its own KV cache.
    public var dpAttention: Bool
    /// CUDA / HIP graphs: smaller per-step launch overhead.
    public var cudaGraphs: Bool

    public init(
        hardware: HardwareSpec, model: ModelSpec, precision: Precision, tp: Int, ep: Int = 1, dpAttention: Bool = false,
        cudaGraphs: Bool = true
    ) {
        self.hardware = hardware
        self.model = model
        self.precision = precision
        self.tp = tp
        self.ep = ep
        self.dpAttention = dpAttention
        self.cudaGraphs = cudaGraphs
    }

    /// GPUs the deployment occupies.
    public var gpus: Int { tp }

    /// Peak FLOP/s for GEMMs at the deployment's precision; a precision the GPU lacks runs at
    /// the next wider one it has (FP4 weights on Hopper are computed in FP8).
    public var gemmFlopsPerSecond: Double {
        switch precision {
        case .fp4: hardware.flopsPerSecond[.fp4] ?? hardware.flopsPerSecond[.fp8] ?? hardware.flopsPerSecond[.bf16]!
        case .fp8: hardware.flopsPerSecond[.fp8] ?? hardware.flopsPerSecond[.bf16]!
        case .bf16: hardware.flopsPerSecond[.bf16]!
        }
    }
}
