import Wire

extension PointEnergy {
    /// A point's measured energy from the node's telemetry: each deployment GPU integrated over
    /// the window (``GPUEnergy/integrate(gpu:readings:start:end:maximumGap:)``), summed; every
    /// total `nil` when any GPU is missing (see ``PointEnergy``).
    ///
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
        guard missing.isEmpty, !measured.isEmpty else {
            self.init(
                start: start, end: end, tokens: tokens, perGPU: measured, missing: missing, energyJoules: nil,
                meanWatts: nil, joulesPerToken: nil, measuredTokensPerSecondPerMegawatt: nil)
            return
        }
        let joules = measured.reduce(0) { $0 + $1.joules }
        let seconds = end - start
        let watts = joules / seconds
        self.init(
            start: start, end: end, tokens: tokens, perGPU: measured, missing: missing, energyJoules: joules,
            meanWatts: watts, joulesPerToken: tokens > 0 ? joules / Double(tokens) : nil,
            measuredTokensPerSecondPerMegawatt: watts > 0 ? (Double(tokens) / seconds) / (watts / 1_000_000) : nil)
    }
}
