import Foundation
import Results
import Wire

/// Parses the power samples `nvidia-smi` streams once a second:
///
/// ```
/// nvidia-smi --query-gpu=timestamp,index,power.draw,clocks.sm,temperature.gpu,utilization.gpu \
///            --format=csv,noheader,nounits -lms 1000
///
/// 2024/05/13 10:21:33.123, 0, 118.59, 1980, 34, 0
/// 2024/05/13 10:21:33.125, 1, [N/A], 1980, 31, 0
/// └─ timestamp ─────────┘  │  └ W ┘  └MHz┘ └°C┘ └%
///                          └ index
/// ```
///
/// One line per GPU per tick. The parser also reads the same stream printed without
/// `noheader,nounits` (`timestamp, index, power.draw [W], clocks.current.sm [MHz], …` then
/// `118.59 W, 1980 MHz, 0 %`): a header line, anywhere, decides the columns from then on, so
/// captures with other or extra columns parse too, and unit suffixes are dropped.
///
/// `[N/A]`, `[Not Supported]` and any other bracketed status nvidia-smi prints in place of
/// a value (`[Unknown Error]`, `[GPU requires reset]`) read as "no value" for that field;
/// a line whose timestamp or index cannot be read, or whose value is neither a number nor
/// such a status, is an error naming the line.
public enum NvidiaSMITelemetry {
    /// The exact arguments the agent runs: one sample per GPU every 1000 ms until killed.
    public static let arguments = [
        "--query-gpu=timestamp,index,power.draw,clocks.sm,temperature.gpu,utilization.gpu",
        "--format=csv,noheader,nounits", "-lms", "1000",
    ]

    /// The columns of `arguments`, in order, for output printed without a header.
    static let defaultColumns = ["timestamp", "index", "power.draw", "clocks.sm", "temperature.gpu", "utilization.gpu"]

    /// - Parameters:
    ///   - output: the captured stdout; blank lines are skipped.
    ///   - utcOffsetSeconds: the node's UTC offset, because nvidia-smi prints local time
    ///     without a zone (see `WallClockTimestamp`).
    public static func parse(_ output: String, utcOffsetSeconds: Int = 0) throws -> [GPUTelemetrySample] {
        var columns = defaultColumns
        var samples: [GPUTelemetrySample] = []
        // `\r\n` is one Character in Swift, so split on any newline, not on "\n" alone.
        let lines = output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if fields.first == "timestamp" {
                // `power.draw [W]` names the column `power.draw`.
                columns = fields.map { canonicalName(String($0.split(separator: " ").first ?? "")) }
                continue
            }
            guard fields.count == columns.count else {
                let expected = columns.joined(separator: ", ")
                throw error(
                    number, "expected \(columns.count) comma-separated fields (\(expected)), got \(fields.count)")
            }
            func field(_ name: String) -> String? { columns.firstIndex(of: name).map { fields[$0] } }
            guard let timeText = field("timestamp") else {
                throw error(number, "no timestamp column; query `timestamp` first, as `arguments` does")
            }
            guard let time = WallClockTimestamp.secondsSinceEpoch(timeText, utcOffsetSeconds: utcOffsetSeconds) else {
                throw error(number, "timestamp `\(timeText)` is not `YYYY/MM/DD HH:MM:SS.mmm`")
            }
            guard let indexText = field("index"), let gpu = Int(indexText) else {
                throw error(number, "GPU index `\(field("index") ?? "")` is not a whole number")
            }
            func value(_ name: String, _ unit: String) throws -> Double? {
                guard let text = field(name) else { return nil }
                switch reading(text) {
                case .number(let value): return value
                case .absent: return nil
                case .unreadable:
                    throw error(number, "\(name) `\(text)` is not a number (expected \(unit), `[N/A]` for none)")
                }
            }
            samples.append(
                GPUTelemetrySample(
                    gpu: gpu, time: time, powerWatts: try value("power.draw", "watts"),
                    smClockMHz: try value("clocks.sm", "MHz"), temperatureCelsius: try value("temperature.gpu", "°C"),
                    utilizationPercent: try value("utilization.gpu", "percent")))
        }
        return samples
    }

    /// Header names nvidia-smi prints for the query names it was given, mapped back to the
    /// query names: `--query-gpu=clocks.sm` is headed `clocks.current.sm [MHz]`. Since
    /// driver 535, `power.draw.instant` / `.average` exist beside `power.draw`; the 1 s
    /// average is what `power.draw` reports on most boards, so either one stands in for it.
    static func canonicalName(_ header: String) -> String {
        switch header {
        case "clocks.current.sm", "clocks.sm": "clocks.sm"
        case "power.draw", "power.draw.average", "power.draw.instant": "power.draw"
        default: header
        }
    }

    /// What one field's text holds.
    enum Reading: Equatable {
        case number(Double)
        /// A status in place of a value: `[N/A]`, `[Not Supported]`, `N/A`.
        case absent
        case unreadable
    }

    static func reading(_ text: String) -> Reading {
        if (text.hasPrefix("[") && text.hasSuffix("]")) || text == "N/A" { return .absent }
        // With `nounits` missing, values carry a unit after a space: `118.59 W`, `0 %`.
        let number = text.split(separator: " ").first ?? ""
        guard let value = Double(number), value.isFinite else { return .unreadable }
        return .number(value)
    }

    static func error(_ line: Int, _ message: String) -> TelemetryParseError {
        TelemetryParseError(tool: "nvidia-smi", line: line, message: message)
    }
}
