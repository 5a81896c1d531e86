import Foundation
import Results

/// How the report writes numbers: figures with three significant digits and grouped thousands,
/// tick labels as short as the value allows.
enum ReportNumber {
    /// A figure in a table or tooltip: `12,345` · `123` · `12.3` · `1.23` · `0.0123`; `—` when
    /// there is none (a point without economics, a cost at zero throughput).
    static func figure(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let magnitude = abs(value)
        if magnitude >= 100 { return grouped(value) }
        if magnitude == 0 { return "0" }
        // Three significant digits, whatever the magnitude below 100.
        let decimals = min(8, 2 - Int(floor(log10(magnitude))))
        return String(format: "%.\(decimals)f", value)
    }

    /// Dollars per million tokens: cents matter below $10, not above.
    /// A point's load for a table: its concurrency, or its request rate for an open loop.
    static func load(_ point: PointResult) -> String {
        point.concurrency.map(String.init) ?? point.requestRate.map { "\(figure($0)) req/s" } ?? "—"
    }

    static func dollars(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        if value >= 10 { return "$" + grouped(value) }
        if value >= 0.1 { return "$" + String(format: "%.2f", value) }
        return "$" + figure(value)
    }

    /// An integer with thousands separated by commas (`1,234,567`), rounded half away from zero.
    static func grouped(_ value: Double) -> String {
        let rounded = value.rounded()
        guard abs(rounded) < 1e18 else { return String(format: "%.3g", value) }
        let digits = String(Int64(abs(rounded)))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (rounded < 0 ? "-" : "") + out
    }

    /// A tick label. On an axis that reaches ten thousand, every label uses `k` or `M` so the
    /// labels stay short and alike (`200k`, `1.2M`); otherwise the shortest exact decimal
    /// (`0.05`, `1.5`, `2,000`).
    static func tick(_ value: Double, axisMaximum: Double) -> String {
        if axisMaximum >= 1e4 {
            if value == 0 { return "0" }
            return abs(value) >= 1e6 ? shortest(value / 1e6) + "M" : shortest(value / 1e3) + "k"
        }
        return abs(value) >= 1000 ? grouped(value) : shortest(value)
    }

    /// A fraction as per cent, with as few decimals as it needs: 0.05 → "5 %", 0.025 → "2.5 %".
    static func percent(_ fraction: Double) -> String { shortest((fraction * 1000).rounded() / 10) + " %" }

    /// The fewest decimals (up to 6) that write the value back to within a part in a billion.
    static func shortest(_ value: Double) -> String {
        for decimals in 0...6 {
            let text = String(format: "%.\(decimals)f", value)
            if let parsed = Double(text), abs(parsed - value) <= 1e-9 * max(1, abs(value)) {
                return text
            }
        }
        return String(format: "%.6g", value)
    }
}
