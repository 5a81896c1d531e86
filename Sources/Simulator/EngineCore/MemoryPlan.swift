import Foundation

/// A deployment that cannot run, with the arithmetic that says why.
public struct DeploymentRefused: Error, Hashable, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}

/// Where each GPU's memory goes, and how many KV-cache blocks are left for requests.
///
/// ```
/// per GPU:  HBM × gpu_memory_utilization  =  weights / tp  +  activation reserve  +  KV cache
/// blocks  = KV cache / (block_size × KV bytes per token per GPU)   (× tp with DP attention,
///           where each GPU caches its own requests)
/// ```
///
/// The activation reserve stands in for vLLM's profiling run: 1 GiB of runtime and graphs plus
/// the hidden states and logits of one full batch (`max_num_batched_tokens` × (hidden + vocab/tp)
/// × 4 bytes).
public struct MemoryPlan: Hashable, Sendable {
    public let weightBytesPerGPU: Double
    public let reserveBytesPerGPU: Double
    public let kvCacheBytesPerGPU: Double
    /// KV bytes one token of context takes on one GPU (full-attention layers).
    public let kvBytesPerToken: Double
    public let blockSize: Int
    /// KV-cache blocks the engine can hand to requests.
    public let blocks: Int
    /// Blocks every running sequence holds for its sliding-window layers, whatever its length.
    public let slidingWindowBlocksPerSequence: Int
    public let maxModelLen: Int

    public var tokenCapacity: Int { blocks * blockSize }

    public init(deployment: Deployment, configuration: EngineConfiguration) throws(DeploymentRefused) {
        let model = deployment.model
        let hardware = deployment.hardware
        let tp = deployment.tp
        let usable = hardware.hbmBytes * configuration.gpuMemoryUtilization
        weightBytesPerGPU = model.weightBytes(deployment.precision) / Double(tp)
        reserveBytesPerGPU =
            1_073_741_824
            + Double(configuration.maxNumBatchedTokens) * Double(model.hidden + model.vocabulary / tp) * 4
        kvCacheBytesPerGPU = usable - weightBytesPerGPU - reserveBytesPerGPU
        let gb = { (bytes: Double) in String(format: "%.1f GB", bytes / 1e9) }
        guard kvCacheBytesPerGPU > 0 else {
            throw DeploymentRefused(
                description: "\(model.name) \(deployment.precision.rawValue) does not fit on \(tp)× \(hardware.name): "
                    + "weights \(gb(model.weightBytes(deployment.precision))) / \(tp) = \(gb(weightBytesPerGPU)) per GPU "
                    + "+ activation reserve \(gb(reserveBytesPerGPU)) > \(configuration.gpuMemoryUtilization) × \(gb(hardware.hbmBytes)) "
                    + "= \(gb(usable)) usable; use more GPUs or a narrower precision")
        }
        let cacheTP = deployment.dpAttention ? 1 : tp
        kvBytesPerToken = model.kvBytesPerToken(tp: cacheTP, precision: deployment.precision)
        blockSize = configuration.blockSize
        let blockBytes = Double(blockSize) * kvBytesPerToken
        let perGPUBlocks = Int((kvCacheBytesPerGPU / blockBytes).rounded(.down))
        blocks = deployment.dpAttention ? perGPUBlocks * tp : perGPUBlocks
        let slidingBytes = model.slidingWindowKVBytes(tp: cacheTP, precision: deployment.precision)
        slidingWindowBlocksPerSequence = Int((slidingBytes / blockBytes).rounded(.up))
        maxModelLen = configuration.maxModelLen ?? model.maxContext
        let needed = (maxModelLen + blockSize - 1) / blockSize + slidingWindowBlocksPerSequence
        // With DP attention one request lives on one GPU, so it must fit that GPU's share.
        let perRequestLimit = deployment.dpAttention ? perGPUBlocks : blocks
        guard perRequestLimit >= needed else {
            throw DeploymentRefused(
                description:
                    "\(model.name) \(deployment.precision.rawValue) on \(tp)× \(hardware.name): the KV cache holds "
                    + "\(perRequestLimit * blockSize) tokens (\(gb(kvCacheBytesPerGPU)) per GPU ÷ "
                    + "\(Int(kvBytesPerToken)) bytes per token), less than one max-length request of \(maxModelLen) tokens; "
                    + "lower --max-model-len or use more GPUs")
        }
    }
}
