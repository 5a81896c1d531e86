import Wire

/// One GPU type, as the kernel cost model needs it. Units are SI: bytes, bytes/s, FLOP/s.
public struct HardwareSpec: Hashable, Sendable {
    public var name: String
    public var vendor: GPUVendor
    /// Picks the efficiency factors of the kernel cost model (`hopper`, `blackwell`, `cdna3`, …).
    public var generation: String
    public var hbmBytes: Double
    public var hbmBytesPerSecond: Double
    /// Dense peak per precision; a precision the GPU lacks is absent.
    public var flopsPerSecond: [Precision: Double]
    /// Scale-up (NVLink / Infinity Fabric) bandwidth per GPU, both directions together.
    public var scaleUpBytesPerSecond: Double
    public var scaleUpDomain: Int
    public var tdpWatts: Double
    /// Provisioned all-in power per GPU (host, network, facility share), kW.
    public var allInKilowatts: Double
    /// Total cost of ownership per GPU-hour, by buyer tier.
    public var usdPerGPUHour: [String: Double]

    public init(
        name: String, vendor: GPUVendor, generation: String, hbmBytes: Double, hbmBytesPerSecond: Double,
        flopsPerSecond: [Precision: Double], scaleUpBytesPerSecond: Double, scaleUpDomain: Int, tdpWatts: Double,
        allInKilowatts: Double, usdPerGPUHour: [String: Double]
    ) {
        self.name = name
        self.vendor = vendor
        self.generation = generation
        self.hbmBytes = hbmBytes
        self.hbmBytesPerSecond = hbmBytesPerSecond
        self.flopsPerSecond = flopsPerSecond
        self.scaleUpBytesPerSecond = scaleUpBytesPerSecond
        self.scaleUpDomain = scaleUpDomain
        self.tdpWatts = tdpWatts
        self.allInKilowatts = allInKilowatts
        self.usdPerGPUHour = usdPerGPUHour
    }
}
