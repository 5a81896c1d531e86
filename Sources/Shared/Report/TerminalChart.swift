/// A scatter chart in plain text, for `sweepline pareto` in a terminal: one marker character per
/// series, the y range on the left, the x range under the plot, a legend at the bottom.
///
/// ```
/// tok/s/GPU
///   4,520 ┤ *
///         │    *   o
///         │          o  *
///     120 ┤               o
///         └──────────────────
///          12.3  tok/s/user  150
///  * H200 · vllm · fp8   o B200 · sglang · fp4
/// ```
///
/// The output is exactly `height` lines of at most `width` columns (when `height` leaves room for
/// at least one plot row under the title, axis and legend). Where two series fall on the same
/// cell, the later series' marker shows.
public enum TerminalChart {
    /// Series beyond the eighth reuse the markers from the start.
    static let markers: [Character] = ["*", "o", "+", "x", "#", "@", "%", "="]

    public static func scatter(
        series: [(label: String, points: [(x: Double, y: Double)])], width: Int, height: Int, xLabel: String,
        yLabel: String
    ) -> String {
        let legend = legendLines(series.map(\.label), width: width)
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let (xLow, xHigh) = range(finite.map(\.x))
        let (yLow, yHigh) = range(finite.map(\.y))
        let topLabel = ReportNumber.figure(yHigh)
        let bottomLabel = ReportNumber.figure(yLow)
        let gutter = max(topLabel.count, bottomLabel.count) + 1
        let columns = max(2, width - gutter - 2)
        // Title, x axis, x range and legend take their lines; the plot gets the rest.
        let rows = max(1, height - 3 - legend.count)

        var grid = [[Character]](repeating: [Character](repeating: " ", count: columns), count: rows)
        for (index, entry) in series.enumerated() {
            for point in entry.points where point.x.isFinite && point.y.isFinite {
                let column = cell(point.x, low: xLow, high: xHigh, count: columns)
                let row = rows - 1 - cell(point.y, low: yLow, high: yHigh, count: rows)
                grid[row][column] = markers[index % markers.count]
            }
        }

        var lines = [yLabel]
        for (row, cells) in grid.enumerated() {
            let label = row == 0 ? topLabel : row == rows - 1 && rows > 1 ? bottomLabel : ""
            let tick: Character = label.isEmpty ? "│" : "┤"
            lines.append(pad(label, to: gutter - 1) + " " + String(tick) + String(cells))
        }
        lines.append(String(repeating: " ", count: gutter) + "└" + String(repeating: "─", count: columns))
        // The x range at the ends of the axis, the x label centred between them.
        let xLeft = ReportNumber.figure(xLow)
        let xRight = ReportNumber.figure(xHigh)
        let room = max(0, columns - xLeft.count - xRight.count)
        let title = String(xLabel.prefix(max(0, room - 2)))
        let before = (room - title.count) / 2
        lines.append(
            String(repeating: " ", count: gutter + 1) + xLeft + String(repeating: " ", count: before) + title
                + String(repeating: " ", count: room - title.count - before) + xRight)
        lines += legend
        // A long label or legend entry is cut rather than wrapped, so the line count holds.
        return lines.map { trimmingTrailingSpaces(String($0.prefix(width))) }.joined(separator: "\n")
    }

    /// The lowest and highest value, spread apart when equal so every point still has a cell.
    private static func range(_ values: [Double]) -> (Double, Double) {
        guard let low = values.min(), let high = values.max() else { return (0, 1) }
        if low == high { return (low - 1, high + 1) }
        return (low, high)
    }

    private static func cell(_ value: Double, low: Double, high: Double, count: Int) -> Int {
        let position = Int(((value - low) / (high - low) * Double(count - 1)).rounded())
        return min(count - 1, max(0, position))
    }

    /// Legend entries (`* label`) packed into as few lines of `width` columns as they fit.
    private static func legendLines(_ labels: [String], width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for (index, label) in labels.enumerated() {
            let entry = "\(markers[index % markers.count]) \(label)"
            if current.isEmpty {
                current = " " + entry
            } else if current.count + 3 + entry.count <= width {
                current += "   " + entry
            } else {
                lines.append(current)
                current = " " + entry
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    private static func pad(_ text: String, to count: Int) -> String {
        String(repeating: " ", count: max(0, count - text.count)) + text
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }
}
