import Foundation

/// The time of one engine step on a deployment, from a roofline over the step's kernels.
///
/// Per GPU of the tensor-parallel group, for the step's tokens T:
///
/// ```
/// GEMMs     max( 2·P_shared·T / tp / (peak·e_c) ,  W_shared/tp / (BW·e_m) )
///         + max( 2·P_experts_active·T / tp / (peak·e_c) ,  W_experts_touched/tp / (BW·e_m) ) / e_moe
///           experts touched per MoE layer: E·(1 − (1 − k/E)^T)   (at most E, at least k)
/// attention max( 4·h·d·Σ pairs / tp / (peak_bf16·e_c) ,  Σ context · kv_bytes_per_token / (BW·e_m) )
/// all-reduce  2 per layer, ring: 2(tp−1)/tp · T·hidden·2 B / (link·e_n) + 2(tp−1) hops · latency
/// overhead  a fixed per-step cost (smaller with CUDA graphs)
/// ```
///
/// GEMMs and attention run one after the other, so their times add; so does the all-reduce,
/// which a real engine overlaps only partly.
public struct KernelCostModel: Sendable {
    public let deployment: Deployment
    public let factors: EfficiencyFactors
    // Constants of the deployment, computed once: the engine asks for a step time every step.
    private let sharedWeightBytesPerGPU: Double
    private let expertBytesPerGPUPerExpert: Double
    private let moeLayers: Double
    private let sharedFlopsPerToken: Double
    private let expertFlopsPerToken: Double
    private let kvBytesPerContextToken: Double
    private let slidingKVBytesPerSequence: Double
    private let attentionFlopsPerPair: Double
    private let allReduceBytesPerToken: Double

    public init(deployment: Deployment, factors: EfficiencyFactors? = nil) {
        self.deployment = deployment
        self.factors = factors ?? EfficiencyFactors.forGeneration(deployment.hardware.generation)
        let model = deployment.model
        let tp = Double(deployment.tp)
        sharedWeightBytesPerGPU = model.sharedWeightBytes(deployment.precision) / tp
        // Experts split by TP, or spread by EP: either way a GPU streams 1/max(tp, ep) of them.
        expertBytesPerGPUPerExpert = model.expertBytes(deployment.precision) / Double(max(deployment.tp, deployment.ep))
        moeLayers = Double(model.moe.map { model.layers - $0.denseLayers } ?? 0)
        sharedFlopsPerToken = 2 * model.sharedParameters / tp
        expertFlopsPerToken = 2 * (model.activeParameters - model.sharedParameters) / tp
        kvBytesPerContextToken = model.kvBytesPerToken(
            tp: deployment.dpAttention ? 1 : deployment.tp, precision: deployment.precision)
        slidingKVBytesPerSequence = model.slidingWindowKVBytes(tp: deployment.tp, precision: deployment.precision)
        let fullLayers = Double(model.layers - model.slidingWindowLayers)
        attentionFlopsPerPair = 4 * Double(model.heads * model.headDimension) * fullLayers / tp
        allReduceBytesPerToken = Double(model.hidden) * 2
    }

    /// Seconds one step takes.
    public func stepTime(_ step: StepShape) -> Double {
        guard !step.isEmpty else { return 0 }
        let hardware = deployment.hardware
        let bandwidth = hardware.hbmBytesPerSecond * factors.memory
        let tokens = Double(step.tokens)

        let peak = deployment.gemmFlopsPerSecond * factors.compute
        var gemm = max(sharedFlopsPerToken * tokens / peak, sharedWeightBytesPerGPU / bandwidth)
        if let moe = deployment.model.moe {
            let experts = Double(moe.routedExperts)
            let perToken = Double(moe.expertsPerToken) / experts
            let touched = experts * (1 - pow(1 - perToken, tokens))
            let expertBytes = moeLayers * touched * expertBytesPerGPUPerExpert
            gemm += max(expertFlopsPerToken * tokens / peak, expertBytes / bandwidth) / factors.moe
        }

        // With DP attention each GPU runs attention for its share of the requests.
        let attentionShare = deployment.dpAttention ? 1 / Double(deployment.tp) : 1
        let attentionCompute =
            attentionFlopsPerPair * step.prefillAttentionPairs
            / (hardware.flopsPerSecond[.bf16]! * factors.compute)
        let attentionMemory =
            (step.decodeContextTokens * kvBytesPerContextToken
                + Double(step.decodeSequences) * slidingKVBytesPerSequence) * attentionShare / bandwidth
        let attention = max(attentionCompute, attentionMemory)

        var allReduce = 0.0
        if deployment.tp > 1 {
            let tp = Double(deployment.tp)
            let perDirection = hardware.scaleUpBytesPerSecond / 2 * factors.network
            let one =
                2 * (tp - 1) / tp * tokens * allReduceBytesPerToken / perDirection + 2 * (tp - 1)
                * factors.hopLatencySeconds
            allReduce = 2 * Double(deployment.model.layers) * one
        }
        let overhead = deployment.cudaGraphs ? factors.stepOverheadSeconds : factors.stepOverheadWithoutGraphsSeconds
        return gemm + attention + allReduce + overhead
    }
}
