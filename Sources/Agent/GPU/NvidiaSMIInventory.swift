import Foundation
import Wire

/// Parses `nvidia-smi --query-gpu=index,name,memory.total,driver_version,uuid --format=csv,noheader,nounits`.
///
/// Also reads the same query printed with a header and units (`--format=csv`, `24576 MiB`), in
/// which case the header decides the columns, so captures with extra or missing columns parse
/// too. A missing UUID is left empty.
public enum NvidiaSMIInventory {
    /// The exact command the agent runs.
    public static let arguments = [
        "--query-gpu=index,name,memory.total,driver_version,uuid", "--format=csv,noheader,nounits",
    ]

    /// One error type for every GPU tool's output, inventory and telemetry alike.
    public typealias ParseError = TelemetryParseError

    public static func parse(_ output: String) throws -> [GPUDevice] {
        var columns = ["index", "name", "memory.total", "driver_version", "uuid"]
        var devices: [GPUDevice] = []
        for (number, rawLine) in output.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if fields.first == "index" {
                // Header: `memory.total [MiB]` names the column `memory.total`.
                columns = fields.map { String($0.split(separator: " ").first ?? "") }
                continue
            }
            func field(_ name: String) -> String? {
                guard let index = columns.firstIndex(of: name), index < fields.count else { return nil }
                return fields[index]
            }
            guard let indexText = field("index"), let index = Int(indexText) else {
                throw ParseError(
                    tool: "nvidia-smi", line: number + 1, message: "expected a GPU index first, got `\(line)`")
            }
            guard let name = field("name"), !name.isEmpty else {
                throw ParseError(tool: "nvidia-smi", line: number + 1, message: "no GPU name in `\(line)`")
            }
            let memoryText = (field("memory.total") ?? "").replacingOccurrences(of: "MiB", with: "")
                .trimmingCharacters(in: .whitespaces)
            guard let memory = Int(memoryText) else {
                throw ParseError(
                    tool: "nvidia-smi", line: number + 1, message: "memory.total `\(memoryText)` is not a number of MiB"
                )
            }
            devices.append(
                GPUDevice(
                    index: index, name: name, memoryMiB: memory, driverVersion: field("driver_version") ?? "",
                    uuid: field("uuid") ?? ""))
        }
        return devices
    }
}
