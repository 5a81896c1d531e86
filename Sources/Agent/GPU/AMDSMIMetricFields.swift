import Results
import Wire

/// Which of `amd-smi metric`'s fields make a `GPUTelemetrySample`, by the names its CSV header
/// and its JSON keys share (`amd-smi metric --power --clock --temperature --usage`):
///
/// | sample               | amd-smi field                       | JSON path                       |
/// |----------------------|-------------------------------------|---------------------------------|
/// | `powerWatts`         | `socket_power` (W)                  | `power.socket_power`            |
/// | `smClockMHz`         | mean of `gfx_0_clk` … `gfx_N_clk`   | `clock.gfx_0.clk` …             |
/// | `temperatureCelsius` | `hotspot`, else `edge` (°C)         | `temperature.hotspot` / `.edge` |
/// | `utilizationPercent` | `gfx_activity` (%)                  | `usage.gfx_activity`            |
///
/// Why these:
/// - `socket_power` is the whole package, the figure `nvidia-smi`'s `power.draw` compares
///   with; amd-smi fills it from the current socket power on MI300-class parts and the
///   average on older ones (`amdsmi_cli/amdsmi_commands.py`, ROCm/amdsmi).
/// - MI300X and MI355X report one graphics clock per XCD (`GFX_0` … `GFX_7`), which differ
///   slightly; their mean is the one number `clocks.sm` gives on NVIDIA.
/// - Instinct boards report no edge temperature (`N/A`), so hotspot (junction) comes first;
///   edge is the fallback where hotspot reads `N/A`.
enum AMDSMIMetricFields {
    static let power = "socket_power"
    static let utilization = "gfx_activity"
    static let hotspot = "hotspot"
    static let edge = "edge"

    /// The expected unit of each field, as amd-smi's JSON prints it (`"unit": "W"`).
    static func unit(of field: String) -> String? {
        switch field {
        case power: "W"
        case utilization: "%"
        case hotspot, edge: "C"
        default: isGraphicsClock(field) ? "MHz" : nil
        }
    }

    /// `gfx_0_clk` … `gfx_7_clk`, not `gfx_0_min_clk` or `gfx_activity`.
    static func isGraphicsClock(_ field: String) -> Bool {
        guard field.hasPrefix("gfx_"), field.hasSuffix("_clk") else { return false }
        let engine = field.dropFirst("gfx_".count).dropLast("_clk".count)
        return !engine.isEmpty && engine.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Whether the sample needs this field at all; the readers parse only these.
    static func isUsed(_ field: String) -> Bool { unit(of: field) != nil }

    /// - Parameter values: the used fields that had a number; `N/A` fields are absent.
    static func sample(gpu: Int, time: Double, values: [String: Double]) -> GPUTelemetrySample {
        let clocks = values.filter { isGraphicsClock($0.key) }.map(\.value)
        return GPUTelemetrySample(
            gpu: gpu, time: time, powerWatts: values[power],
            smClockMHz: clocks.isEmpty ? nil : clocks.reduce(0, +) / Double(clocks.count),
            temperatureCelsius: values[hotspot] ?? values[edge], utilizationPercent: values[utilization])
    }
}
