/// What a point cost in energy, measured (metrics.md, "Tokens per second per MW … Measured"),
/// as the point's report carries it: each of the deployment's GPUs integrated over the point's
/// window, summed. The Results module computes it from telemetry:
///
/// ```swift
/// let samples = try NvidiaSMITelemetry.parse(capture, utcOffsetSeconds: 0)
/// let energy = PointEnergy(samples: samples, gpus: [0, 1, 2, 3], start: t0, end: t1, tokens: 1_234_567)
/// energy.measuredTokensPerSecondPerMegawatt  // nil when any GPU's power is missing
/// ```
///
/// The totals are all-or-nothing: if one GPU of the deployment has no usable samples, a sum
/// over the rest would understate the energy and flatter tokens per MW, so every total is
/// `nil` and `missing` says which GPU and why (the point is then invalid: "power telemetry
/// was expected and missing"). GPUs on the node outside the deployment are ignored.
///
/// Named apart from the provisioned figure (tok/s/GPU × 1000 ÷ all-in kW per GPU from the
/// power table): this one is GPU board power only, no host, network or cooling.
public struct PointEnergy: Hashable, Sendable, Codable {
    /// The window, seconds since the Unix epoch like the samples.
    public var start: Double
    public var end: Double
    /// The tokens the point served in the window. metrics.md's tok/s/GPU counts input and
    /// output tokens; pass output tokens alone for joules per output token.
    public var tokens: Int
    /// Each deployment GPU that was measured, in the order given.
    public var perGPU: [GPUEnergy]
    /// Each deployment GPU that was not, with the reason.
    public var missing: [MissingGPUPower]
    /// Σ over the deployment's GPUs.
    public var energyJoules: Double?
    /// `energyJoules` over the window: the deployment's mean power.
    public var meanWatts: Double?
    public var joulesPerToken: Double?
    /// (tokens ÷ window seconds) ÷ (mean W ÷ 10⁶).
    public var measuredTokensPerSecondPerMegawatt: Double?

    /// Every deployment GPU was measured (and there was at least one).
    public var isComplete: Bool { energyJoules != nil }

    public init(
        start: Double, end: Double, tokens: Int, perGPU: [GPUEnergy], missing: [MissingGPUPower],
        energyJoules: Double?, meanWatts: Double?, joulesPerToken: Double?, measuredTokensPerSecondPerMegawatt: Double?
    ) {
        self.start = start
        self.end = end
        self.tokens = tokens
        self.perGPU = perGPU
        self.missing = missing
        self.energyJoules = energyJoules
        self.meanWatts = meanWatts
        self.joulesPerToken = joulesPerToken
        self.measuredTokensPerSecondPerMegawatt = measuredTokensPerSecondPerMegawatt
    }
}
