/// One reading of one GPU by its vendor tool (`nvidia-smi`, `amd-smi`).
///
/// `time` is seconds since the Unix epoch (1970-01-01 00:00:00 UTC), as a `Double` so
/// sub-second stamps survive. Epoch seconds rather than "seconds since the first sample":
/// a point's window is an absolute span of wall-clock time, and samples from several tools,
/// files or nodes must line up against it without knowing which sample came first.
///
/// Every reading but the GPU and the time is optional: the tools print `[N/A]`,
/// `[Not Supported]` or `N/A` for what a board does not report (MI300X and MI355X have no
/// edge temperature), and one missing field must not drop the rest.
public struct GPUTelemetrySample: Hashable, Sendable, Codable {
    /// The index the driver uses (`nvidia-smi` `index`, `amd-smi` `gpu`).
    public var gpu: Int
    /// Seconds since the Unix epoch.
    public var time: Double
    /// Board power draw in watts (`power.draw`; amd-smi `socket_power`).
    public var powerWatts: Double?
    /// Shader clock in MHz (`clocks.sm`; amd-smi: mean of the `gfx_N` clocks, one per XCD).
    public var smClockMHz: Double?
    /// GPU temperature in °C (`temperature.gpu`; amd-smi hotspot, else edge).
    public var temperatureCelsius: Double?
    /// Busy percentage (`utilization.gpu`; amd-smi `gfx_activity`).
    public var utilizationPercent: Double?

    public init(
        gpu: Int, time: Double, powerWatts: Double? = nil, smClockMHz: Double? = nil,
        temperatureCelsius: Double? = nil, utilizationPercent: Double? = nil
    ) {
        self.gpu = gpu
        self.time = time
        self.powerWatts = powerWatts
        self.smClockMHz = smClockMHz
        self.temperatureCelsius = temperatureCelsius
        self.utilizationPercent = utilizationPercent
    }
}
