/// What a point cost in energy, measured (metrics.md, "Tokens per second per MW … Measured"):
/// each of the deployment's GPUs integrated over the point's window (`GPUEnergy`), summed.
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

    /// - Parameters:
    ///   - samples: telemetry from the node, any GPUs, any order; samples without power are
    ///     skipped (`[N/A]`).
    ///   - gpus: the deployment's GPU indices.
    ///   - start, end: the point's window, in the samples' basis (seconds since the epoch).
    ///   - maximumSampleGap: the longest gap between samples a GPU may have, seconds.
    public init(
        samples: [GPUTelemetrySample], gpus: [Int], start: Double, end: Double, tokens: Int,
        maximumSampleGap: Double = 3
    ) {
        self.start = start
        self.end = end
        self.tokens = tokens
        var readings: [Int: [(time: Double, watts: Double)]] = [:]
        for sample in samples {
            if let watts = sample.powerWatts { readings[sample.gpu, default: []].append((sample.time, watts)) }
        }
        var measured: [GPUEnergy] = []
        var missing: [MissingGPUPower] = []
        var seen: Set<Int> = []
        for gpu in gpus where seen.insert(gpu).inserted {
            switch GPUEnergy.integrate(
                gpu: gpu, readings: readings[gpu] ?? [], start: start, end: end, maximumGap: maximumSampleGap)
            {
            case .success(let energy): measured.append(energy)
            case .failure(let reason): missing.append(reason)
            }
        }
        perGPU = measured
        self.missing = missing
        guard missing.isEmpty, !measured.isEmpty else { return }
        let joules = measured.reduce(0) { $0 + $1.joules }
        let seconds = end - start
        let watts = joules / seconds
        energyJoules = joules
        meanWatts = watts
        joulesPerToken = tokens > 0 ? joules / Double(tokens) : nil
        measuredTokensPerSecondPerMegawatt = watts > 0 ? (Double(tokens) / seconds) / (watts / 1_000_000) : nil
    }
}
