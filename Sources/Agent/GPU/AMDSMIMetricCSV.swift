import Foundation
import Results
import Wire

/// Parses `amd-smi metric --power --clock --temperature --usage --csv`, one-shot or streamed
/// with `-w 1` (watch mode: one row per GPU per tick, stamped with whole epoch seconds).
///
/// ```
/// timestamp,gpu,gfx_activity,…,socket_power,…,gfx_0_clk,gfx_0_min_clk,…,edge,hotspot,mem
/// 1786553852,0,0,0,N/A,"['N/A', 'N/A', 'N/A', 'N/A']",…,238,…,95,500,…,N/A,37,23
/// 1786553852,1,…
///                                                   ← a blank line after each tick
/// 1786553853,0,…
/// ```
///
/// The header decides the columns; list-valued fields are quoted and hold commas. Lines
/// before the first header (watch mode's `'CTRL' + 'C' to stop watching output:`) and
/// repeated headers are skipped. Only the fields `AMDSMIMetricFields` uses are read; each must
/// be a number or `N/A`, else the error names the line.
///
/// Watch mode is how to sample amd-smi once a second: the tool is a Python program, and
/// starting it every second costs about as long as the interval. It stamps whole seconds, so
/// a sampler must run one tick past a point's end for the window to be bracketed
/// (SemiAnalysisAI/InferenceX `benchmarks/benchmark_lib.sh`, `stop_gpu_monitor`).
public enum AMDSMIMetricCSV {
    /// Watch mode, once a second, until killed. Run with `PYTHONUNBUFFERED=1`, or the last
    /// ticks sit in Python's buffer when the stream is killed.
    public static let arguments = ["metric", "--power", "--clock", "--temperature", "--usage", "--csv", "-w", "1"]

    /// - Parameter time: when a one-shot command ran (its CSV has no `timestamp` column),
    ///   seconds since the Unix epoch. Rows with a timestamp use their own.
    public static func parse(_ output: String, time: Double? = nil) throws -> [GPUTelemetrySample] {
        var columns: [String]? = nil
        var samples: [GPUTelemetrySample] = []
        let lines = output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("timestamp,") || line.hasPrefix("gpu,") {
                columns = splitFields(line)
                continue
            }
            guard let columns else { continue }  // preamble before the header
            guard let fields = splitFields(line) else {
                throw error(number, "a quoted field is not closed in `\(line.prefix(80))…`")
            }
            guard fields.count == columns.count else {
                throw error(number, "expected \(columns.count) fields as in the header, got \(fields.count)")
            }
            var values: [String: Double] = [:]
            var gpu: Int?
            var stamp: Double?
            for (name, text) in zip(columns, fields) {
                if name == "gpu" {
                    gpu = Int(text)
                } else if name == "timestamp" {
                    stamp = Double(text)
                    if stamp == nil { throw error(number, "timestamp `\(text)` is not epoch seconds") }
                } else if AMDSMIMetricFields.isUsed(name), text != "N/A" {
                    guard let value = Double(text), value.isFinite else {
                        throw error(number, "\(name) `\(text)` is neither a number nor N/A")
                    }
                    values[name] = value
                }
            }
            guard let gpu else { throw error(number, "no whole-number `gpu` index") }
            guard let sampleTime = stamp ?? time else {
                throw error(number, "no `timestamp` column and no sampling time was given")
            }
            samples.append(AMDSMIMetricFields.sample(gpu: gpu, time: sampleTime, values: values))
        }
        if columns == nil && !output.allSatisfy(\.isWhitespace) {
            throw TelemetryParseError(
                tool: "amd-smi", message: "no CSV header (a line starting `timestamp,` or `gpu,`)")
        }
        return samples
    }

    /// Splits on commas outside double quotes; `""` inside quotes is a quote. `nil` when a
    /// quote is left open (a line cut off mid-field).
    static func splitFields(_ line: String) -> [String]? {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch (character, quoted) {
            case ("\"", false) where current.isEmpty:
                quoted = true
            case ("\"", true):
                // Either the closing quote or the first half of an escaped `""`.
                var lookahead = characters
                if lookahead.next() == "\"" {
                    current.append("\"")
                    characters = lookahead
                } else {
                    quoted = false
                }
            case (",", false):
                fields.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            default:
                current.append(character)
            }
        }
        if quoted { return nil }
        fields.append(current.trimmingCharacters(in: .whitespaces))
        return fields
    }

    static func error(_ line: Int, _ message: String) -> TelemetryParseError {
        TelemetryParseError(tool: "amd-smi", line: line, message: message)
    }
}
