import ArgumentParser
import Coordinator
import Foundation
import Results

struct HistoryCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "One point over the runs of its sweep: a table, a chart per metric, and where its level changed.",
        discussion: """
            Change points are found by E-divisive means over the finished runs in which the point was valid, \
            so a step or a slow drift is dated even when every night-to-night change is within noise. A change \
            point is open when it is the latest of its metric and left the point worse. POINT_KEY is as \
            `sweepline results --format json` shows it, e.g. Llama-3.3-70B-Instruct/sim/fp8/H200-SXM/tp8/1024x1024/c64.
            """)
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption
    @Argument(help: "The point's key.")
    var pointKey: String
    @Option(help: "The sweep (by name) whose runs to read; default: the latest sweep that measured the point.")
    var sweep: String?
    @Option(help: "How many of the latest runs to read (2–\(SweepResults.historyRunsLimit)).")
    var runs = SweepResults.historyRuns

    func run(in context: CommandContext) async throws {
        guard (2...SweepResults.historyRunsLimit).contains(runs) else {
            throw ValidationError("--runs must be within 2–\(SweepResults.historyRunsLimit)")
        }
        var components = URLComponents()
        components.queryItems =
            [URLQueryItem(name: "point", value: pointKey), URLQueryItem(name: "runs", value: String(runs))]
            + (sweep.map { [URLQueryItem(name: "sweep", value: $0)] } ?? [])
        try await show(
            context, try connection.client(in: context), "/v1/history?" + (components.percentEncodedQuery ?? ""),
            as: output.format, render: HistoryRendering.history)
    }
}

/// A point's history in the terminal.
enum HistoryRendering {
    static func history(_ history: PointHistory) -> String {
        let marks = Dictionary(grouping: history.changePoints, by: \.index)
        let rows = history.runs.enumerated().map { index, run -> [String] in
            [
                run.sweepID, String(run.submittedAt.prefix(16)), String(run.requests),
                String(format: "%.0f", run.values[.tokensPerSecondPerGPU] ?? 0),
                String(format: "%.1f", run.values[.interactivity] ?? 0),
                String(format: "%.1f", run.values[.medianTTFT] ?? 0),
                (marks[index] ?? []).map { "▲ \($0.metric.rawValue) \(percent($0.change))" }.joined(separator: ", "),
            ]
        }
        var sections = [
            "\(history.pointKey) over \(history.runs.count) runs of sweep \(history.sweepName)",
            Rendering.table(["RUN", "SUBMITTED", "N", "TOK/S/GPU", "TOK/S/USER", "TTFT MS", "CHANGE POINT"], rows),
        ]
        for metric in ComparedMetric.allCases {
            sections.append(
                chart(
                    history.runs.map { $0.values[metric] ?? 0 }, title: metric.rawValue,
                    changes: history.changePoints.filter { $0.metric == metric }.map(\.index)))
        }
        let open = history.open
        sections.append(
            open.isEmpty
                ? "no open change point"
                : open.map {
                    "OPEN  \($0.metric.rawValue) \(percent($0.change)) since \($0.sweepID) (\($0.submittedAt.prefix(10))), p = \(String(format: "%.3f", $0.pValue))"
                }.joined(separator: "\n"))
        return sections.joined(separator: "\n\n")
    }

    static func percent(_ change: Double) -> String { String(format: "%+.1f %%", change * 100) }

    /// A column per run, eight rows from the series' minimum to its maximum, and a ▲ under
    /// each change point (the first run at the new level).
    static func chart(_ values: [Double], title: String, changes: [Int], height: Int = 8) -> String {
        guard let low = values.min(), let high = values.max() else { return title + ": no runs" }
        let span = high - low
        func row(_ value: Double) -> Int {
            span > 0 ? Int(((value - low) / span * Double(height - 1)).rounded()) : height / 2
        }
        let label = { (value: Double) in String(format: "%10.4g ", value) }
        var lines = ["\(title)"]
        for level in stride(from: height - 1, through: 0, by: -1) {
            let prefix = level == height - 1 ? label(high) : level == 0 ? label(low) : String(repeating: " ", count: 11)
            lines.append(prefix + "│" + String(values.map { row($0) == level ? "●" : " " }))
        }
        let marks = Set(changes)
        lines.append(
            String(repeating: " ", count: 11) + "└" + String(values.indices.map { marks.contains($0) ? "▲" : "─" }))
        return lines.joined(separator: "\n")
    }
}
