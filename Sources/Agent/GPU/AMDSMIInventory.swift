import Foundation
import Wire

/// Parses `amd-smi static --json`: `{"gpu_data": [{"gpu": 0, "asic": {...}, "vram": {...}, "driver": {...}}]}`
/// (older releases print the list alone).
///
/// amd-smi's static output has no UUID; the ASIC serial stands in for it, which is as stable.
public enum AMDSMIInventory {
    public static let arguments = ["static", "--json"]

    /// One error type for every GPU tool's output, inventory and telemetry alike.
    public typealias ParseError = TelemetryParseError

    public static func parse(_ output: String) throws -> [GPUDevice] {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: Data(output.utf8))
        } catch {
            throw ParseError(tool: "amd-smi", message: "not JSON (\(error))")
        }
        guard let entries = AMDSMIGPUList.entries(in: root) else {
            throw ParseError(tool: "amd-smi", message: "expected a `gpu_data` list")
        }
        return try entries.enumerated().map { position, entry in
            guard let index = entry["gpu"]?.doubleValue.map({ Int($0) }) else {
                throw ParseError(tool: "amd-smi", message: "entry \(position) has no `gpu` index")
            }
            let name = entry["asic"]?["market_name"]?.stringValue ?? entry["board"]?["product_name"]?.stringValue
            guard let name, !name.isEmpty else {
                throw ParseError(tool: "amd-smi", message: "GPU \(index) has no asic.market_name")
            }
            var memoryMiB = 0
            if let size = entry["vram"]?["size"], let value = size["value"]?.doubleValue {
                // amd-smi prints MiB with the unit "MB"; accept GB too.
                memoryMiB = size["unit"]?.stringValue == "GB" ? Int(value * 1024) : Int(value)
            }
            let serial =
                entry["asic"]?["asic_serial"]?.stringValue ?? entry["board"]?["product_serial"]?.stringValue ?? ""
            return GPUDevice(
                index: index, name: name, memoryMiB: memoryMiB,
                driverVersion: entry["driver"]?["version"]?.stringValue ?? "", uuid: serial)
        }
    }
}
