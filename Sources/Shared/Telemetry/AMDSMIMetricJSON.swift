import Foundation

/// Parses `amd-smi metric --power --clock --temperature --usage --json`.
///
/// ```
/// {"gpu_data": [                                    ← ROCm 7; ROCm 6 prints the list alone
///   {"gpu": 0,
///    "timestamp": 1769014607,                       ← only in watch mode (-w)
///    "usage": {"gfx_activity": {"value": 100, "unit": "%"}, …},
///    "power": {"socket_power": {"value": 234, "unit": "W"}, …},
///    "clock": {"gfx_0": {"clk": {"value": 2102, "unit": "MHz"}, …}, "gfx_1": {…}, …},
///    "temperature": {"edge": "N/A", "hotspot": {"value": 45, "unit": "C"}, "mem": …}}]}
/// ```
///
/// A value is `{"value": n, "unit": u}` (amd-smi ≥ ROCm 6.1), a bare number (accepted as well)
/// or the string `"N/A"`; a whole section can be `"N/A"` too. Which fields become the sample is
/// `AMDSMIMetricFields`'s decision. A unit other than the expected one is an error rather than
/// a silent misreading.
///
/// Lines before the JSON are skipped: watch mode prints `'CTRL' + 'C' to stop watching
/// output:` first (ROCm/rocm-systems PR #2720), and Python warnings land there when stderr is
/// merged into stdout (nathaninline/ajean issue #39).
public enum AMDSMIMetricJSON {
    /// The arguments the agent runs once per sample (one-shot: no timestamp in the output).
    public static let arguments = ["metric", "--power", "--clock", "--temperature", "--usage", "--json"]

    /// - Parameter time: when the command ran, seconds since the Unix epoch; used for entries
    ///   without their own `timestamp`. Without either, parsing fails.
    public static func parse(_ output: String, time: Double? = nil) throws -> [GPUTelemetrySample] {
        let lines = output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let start = lines.firstIndex(where: { $0.first == "[" || $0.first == "{" }) else {
            throw error("no JSON list or object in the output")
        }
        let json = lines[start...].joined(separator: "\n")
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        } catch {
            throw Self.error("not JSON from line \(start + 1) on (\(error))")
        }
        guard let entries = AMDSMIGPUList.entries(in: root) else {
            throw error("expected a list of GPUs or a `gpu_data` list")
        }
        return try entries.enumerated().map { position, entry in
            guard let index = entry["gpu"]?.doubleValue, let gpu = Int(exactly: index) else {
                throw error("entry \(position) has no whole-number `gpu` index")
            }
            guard let time = entry["timestamp"]?.doubleValue ?? time else {
                throw error("GPU \(gpu) has no `timestamp` and no sampling time was given")
            }
            var values: [String: Double] = [:]
            for (field, value) in usedFields(of: entry) {
                values[field] = try reading(value, field: field, gpu: gpu)
            }
            return AMDSMIMetricFields.sample(gpu: gpu, time: time, values: values)
        }
    }

    /// The JSON values of the fields a sample uses, under their flat (CSV) names.
    static func usedFields(of entry: JSONValue) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = []
        for (section, names) in [
            ("power", [AMDSMIMetricFields.power]), ("usage", [AMDSMIMetricFields.utilization]),
            ("temperature", [AMDSMIMetricFields.hotspot, AMDSMIMetricFields.edge]),
        ] {
            for name in names {
                if let value = entry[section]?[name] { fields.append((name, value)) }
            }
        }
        // `clock.gfx_0.clk` is the CSV's `gfx_0_clk`.
        if case .object(let clocks)? = entry["clock"] {
            for (engine, clock) in clocks {
                let field = "\(engine)_clk"
                if AMDSMIMetricFields.isGraphicsClock(field), let value = clock["clk"] { fields.append((field, value)) }
            }
        }
        return fields
    }

    /// `nil` for `"N/A"`; the number otherwise, after checking its unit.
    static func reading(_ value: JSONValue, field: String, gpu: Int) throws -> Double? {
        switch value {
        case .number(let number):
            return number
        case .string(let text) where text == "N/A":
            return nil
        case .object:
            if value["value"]?.stringValue == "N/A" { return nil }
            guard let number = value["value"]?.doubleValue else {
                throw error("GPU \(gpu) `\(field)` has no numeric `value`")
            }
            if let unit = value["unit"]?.stringValue, let expected = AMDSMIMetricFields.unit(of: field),
                unit != expected
            {
                throw error("GPU \(gpu) `\(field)` is in \(unit), expected \(expected)")
            }
            return number
        default:
            throw error("GPU \(gpu) `\(field)` is neither a number, a {value, unit} object nor \"N/A\"")
        }
    }

    static func error(_ message: String) -> TelemetryParseError {
        TelemetryParseError(tool: "amd-smi", message: message)
    }
}
