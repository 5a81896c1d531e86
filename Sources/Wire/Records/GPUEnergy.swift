/// The energy one GPU drew over a point's window (integrated by `GPUEnergy.integrate` in
/// Results, docs/metrics.md).
public struct GPUEnergy: Hashable, Sendable, Codable {
    public var gpu: Int
    public var joules: Double
    /// `joules` over the window's length.
    public var meanWatts: Double
    /// Samples that took part: those inside the window and the one on each side of it.
    public var samples: Int
    /// The longest time between two of those samples, seconds.
    public var largestGapSeconds: Double

    public init(gpu: Int, joules: Double, meanWatts: Double, samples: Int, largestGapSeconds: Double) {
        self.gpu = gpu
        self.joules = joules
        self.meanWatts = meanWatts
        self.samples = samples
        self.largestGapSeconds = largestGapSeconds
    }
}

/// A deployment GPU whose power over a window could not be measured, and why.
public struct MissingGPUPower: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public var gpu: Int
    public var reason: String

    public init(gpu: Int, reason: String) {
        self.gpu = gpu
        self.reason = reason
    }

    public var description: String { "GPU \(gpu): \(reason)" }
}
