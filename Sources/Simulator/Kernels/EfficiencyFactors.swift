/// How close real kernels come to the datasheet, per GPU generation. These few numbers are all
/// the calibration there is: never per point (docs/simulator.md shows how they were fitted).
public struct EfficiencyFactors: Hashable, Sendable {
    /// Achieved fraction of peak FLOP/s in GEMMs and attention.
    public var compute: Double
    /// Achieved fraction of HBM bandwidth when streaming weights and KV cache.
    public var memory: Double
    /// Extra factor on routed-expert GEMMs (grouped GEMMs over few tokens per expert, with
    /// dequantisation, run well below dense GEMMs).
    public var moe: Double
    /// Achieved fraction of scale-up bandwidth in all-reduce.
    public var network: Double
    /// Fixed cost of one engine step: scheduling, sampling, kernel launches (seconds).
    public var stepOverheadSeconds: Double
    /// The same without CUDA / HIP graphs, when every kernel is launched from the host.
    public var stepOverheadWithoutGraphsSeconds: Double
    /// Latency of one all-reduce hop.
    public var hopLatencySeconds: Double

    public init(
        compute: Double, memory: Double, moe: Double = 1, network: Double, stepOverheadSeconds: Double,
        stepOverheadWithoutGraphsSeconds: Double, hopLatencySeconds: Double
    ) {
        self.compute = compute
        self.memory = memory
        self.moe = moe
        self.network = network
        self.stepOverheadSeconds = stepOverheadSeconds
        self.stepOverheadWithoutGraphsSeconds = stepOverheadWithoutGraphsSeconds
        self.hopLatencySeconds = hopLatencySeconds
    }

    /// The factors for a generation; unknown generations get the Hopper ones.
    public static func forGeneration(_ generation: String) -> EfficiencyFactors {
        calibrated[generation] ?? calibrated["hopper"]!
    }

    /// Fitted against the published points of the built-in reference.yaml (docs/simulator.md).
    public static let calibrated: [String: EfficiencyFactors] = [
        "hopper": EfficiencyFactors(
            compute: 0.8, memory: 0.55, moe: 1.0, network: 0.7, stepOverheadSeconds: 0.0005,
            stepOverheadWithoutGraphsSeconds: 0.006, hopLatencySeconds: 0.000_002),
        "blackwell": EfficiencyFactors(
            compute: 0.4, memory: 0.55, moe: 0.6, network: 0.7, stepOverheadSeconds: 0.0015,
            stepOverheadWithoutGraphsSeconds: 0.006, hopLatencySeconds: 0.000_002),
        "cdna3": EfficiencyFactors(
            compute: 0.4, memory: 0.85, moe: 0.6, network: 0.6, stepOverheadSeconds: 0.010,
            stepOverheadWithoutGraphsSeconds: 0.014, hopLatencySeconds: 0.000_006),
        // No published points yet: CDNA 4 takes CDNA 3's factors.
        "cdna4": EfficiencyFactors(
            compute: 0.4, memory: 0.85, moe: 0.6, network: 0.6, stepOverheadSeconds: 0.010,
            stepOverheadWithoutGraphsSeconds: 0.014, hopLatencySeconds: 0.000_006),
    ]
}
