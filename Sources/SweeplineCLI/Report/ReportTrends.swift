import Foundation
import Results

/// The report's trend charts: each point's metrics over the runs of its sweep, one small line
/// per metric, its change points marked and the open ones (worse, and still standing) first.
enum ReportTrends {
    static func section(_ histories: [PointHistory]) -> String {
        var out = "<section class=\"card\" id=\"history\">\n<h2>History</h2>\n"
        let runs = histories.map(\.runs.count).max() ?? 0
        guard runs >= 2 else {
            out += "<p class=\"ok\">This is the first run of the sweep: no history yet.</p>\n"
            return out + "</section>\n"
        }
        let open = histories.reduce(0) { $0 + $1.open.count }
        out += "<p class=\"meta\">Each point over up to \(runs) finished runs of the sweep, oldest left. A ▲ marks "
        out += "a change point (E-divisive means, permutation p ≤ 0.01): the first run at a new level. "
        out += "A change point is <b>open</b> when it is its metric's latest and left the point worse.</p>\n"
        out +=
            open == 0
            ? "<p class=\"ok\">No open change points.</p>\n"
            : "<p class=\"bad-text\"><b>\(open) open change \(open == 1 ? "point" : "points").</b></p>\n"
        out += "<table>\n<thead><tr><th>Point</th><th class=\"num\">Runs</th>"
        for metric in ComparedMetric.allCases { out += "<th>\(HTMLText.escape(metric.rawValue))</th>" }
        out += "<th>Change points</th></tr></thead>\n<tbody>\n"
        let ordered = histories.sorted {
            ($0.open.isEmpty ? 1 : 0, $0.pointKey) < ($1.open.isEmpty ? 1 : 0, $1.pointKey)
        }
        for history in ordered {
            out += "<tr\(history.open.isEmpty ? "" : " class=\"regressed\"")><td>"
            out += "\(HTMLText.escape(history.pointKey).replacingOccurrences(of: "/", with: "/<wbr>"))</td>"
            out += "<td class=\"num\">\(history.runs.count)</td>"
            for metric in ComparedMetric.allCases {
                out += "<td>\(sparkline(history, metric))</td>"
            }
            let notes = history.changePoints.map { change in
                let mark = history.open.contains(change) ? "open: " : ""
                return
                    "\(mark)\(change.metric.rawValue) \(String(format: "%+.1f %%", change.change * 100)) at \(change.sweepID)"
            }
            out += "<td>\(notes.isEmpty ? "—" : HTMLText.escape(notes.joined(separator: "; ")))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    /// A 160 × 36 line of the metric over the runs, scaled to its own range, with a tick at each
    /// change point and the last value written beside it.
    static func sparkline(_ history: PointHistory, _ metric: ComparedMetric) -> String {
        let values = history.runs.map { $0.values[metric] ?? 0 }
        guard let low = values.min(), let high = values.max(), values.count >= 2 else { return "—" }
        let width = 160.0
        let height = 36.0
        let span = high - low
        func x(_ index: Int) -> Double { 2 + (width - 4) * Double(index) / Double(values.count - 1) }
        func y(_ value: Double) -> Double { span > 0 ? height - 4 - (height - 8) * (value - low) / span : height / 2 }
        let points = values.enumerated().map { String(format: "%.1f,%.1f", x($0), y($1)) }.joined(separator: " ")
        var svg =
            "<svg class=\"trend\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "role=\"img\" aria-label=\"\(HTMLText.escape(metric.rawValue)) over \(values.count) runs\">"
        for change in history.changePoints where change.metric == metric {
            let color = change.isRegression ? "var(--bad)" : "var(--accent)"
            svg += String(
                format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.0f\" stroke=\"%@\" stroke-dasharray=\"2 2\"/>",
                x(change.index), x(change.index), height, color)
        }
        svg += "<polyline fill=\"none\" stroke=\"var(--ink)\" stroke-width=\"1.2\" points=\"\(points)\"/>"
        svg += "<title>\(HTMLText.escape(metric.rawValue)): \(ReportNumber.figure(low))–\(ReportNumber.figure(high)), "
        svg += "latest \(ReportNumber.figure(values.last!))</title></svg>"
        return svg
    }
}
