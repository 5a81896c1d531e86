import Coordinator
import Foundation
import Results
import Wire

/// `sweepline plan --against`: for each point of a sweep file, the requests an earlier run says
/// it needs so that a chosen change is flagged, beside what the file gives it.
struct SampleSizeTable {
    struct Row {
        var pointKey: String
        /// Measured requests the file gives the point, and its concurrency (nil for open loop).
        var planned: Int
        var concurrency: Int?
        /// Nil when the earlier run has no valid measurement of the point.
        var plan: SampleSizePlan?
    }

    var rows: [Row]
    var detect: [ComparedMetric: Double]
    var settings: ComparisonSettings
    var power: Double

    /// Run-to-run noise from the earlier run against its own baseline, per metric.
    var runToRunNoise: [ComparedMetric: Double]

    init(
        jobs: [SweepPlan.Job], earlier: [PointResult], detect: [ComparedMetric: Double], settings: ComparisonSettings,
        power: Double, runToRunNoise: [ComparedMetric: Double]
    ) {
        let byKey = Dictionary(grouping: earlier, by: \.pointKey)
        var rows: [Row] = []
        for job in jobs {
            guard let points = job.spec.sweep?.points, let plans = job.spec.benchmark?.points else { continue }
            // Repeats are jobs of their own with the same keys: one row per key.
            for (point, plan) in zip(points, plans) where point.repeatIndex == 0 {
                var concurrency: Int?
                if case .closedLoop(let c) = plan.load { concurrency = c }
                rows.append(
                    Row(
                        pointKey: point.key, planned: plan.requests, concurrency: concurrency,
                        plan: SampleSizePlan(
                            earlier: byKey[point.key] ?? [], detect: detect, settings: settings, power: power,
                            runToRunNoise: runToRunNoise)))
            }
        }
        self.rows = rows
        self.detect = detect
        self.settings = settings
        self.power = power
        self.runToRunNoise = runToRunNoise
    }

    /// The prompts per concurrency that gives every closed-loop point what it needs.
    var promptsPerConcurrency: Int? {
        rows.compactMap { row -> Int? in
            guard let needed = row.plan?.requests, let c = row.concurrency, c > 0 else { return nil }
            return (needed + c - 1) / c
        }.max()
    }

    func text() -> String {
        let metrics = ComparedMetric.allCases
        let table = rows.map { row -> [String] in
            guard let plan = row.plan else {
                return [row.pointKey, String(row.planned), "-"] + metrics.map { _ in "-" } + ["no valid earlier run"]
            }
            let needs = metrics.map { metric -> String in
                guard let need = plan.needs.first(where: { $0.metric == metric }) else { return "n/a" }
                if let requests = need.requests { return String(requests) }
                return need.repeats.map { "\($0) repeats" } ?? "n/a"
            }
            let verdict =
                plan.requests.map { $0 <= row.planned ? "enough" : "needs \($0)" } ?? "n/a"
            return [row.pointKey, String(row.planned), String(plan.measuredRequests)] + needs + [verdict]
        }
        var text = Rendering.table(
            ["POINT", "PLANNED N", "EARLIER N"] + metrics.map { "NEEDED \($0.rawValue.uppercased())" } + [""], table)
        let changes = metrics.map {
            "\($0.rawValue) \(ReportNumber.percent(detect[$0] ?? SampleSizePlan.defaultDetect[$0]!)) "
                + "(effect \(ReportNumber.percent(settings.effect($0))))"
        }.joined(separator: ", ")
        text +=
            "\n\nRequests per point, per run, for a change of \(changes) to be flagged with \(ReportNumber.percent(power)) "
            + "probability at a false-discovery rate of \(ReportNumber.percent(settings.falseDiscoveryRate)), "
            + "from the variance the earlier run measured (its own uncertainty included, so the figures lean high)"
            + (runToRunNoise.isEmpty
                ? "; run-to-run noise not known (the earlier run has no baseline to compare with). "
                : " and the run-to-run noise it showed against its baseline ("
                    + runToRunNoise.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                        "\($0.key.rawValue) \(ReportNumber.percent($0.value))"
                    }.joined(separator: ", ") + "). ")
            + "n/a: a change no larger than its effect cannot be promised; R repeats: runs differ by more than "
            + "requests can average out, so pool R repeats (`repeats:` in the sweep file)."
        if let prompts = promptsPerConcurrency {
            text +=
                "\nSet `workload: {promptsPerConcurrency: \(prompts)}` to give every closed-loop point what it needs."
        }
        return text
    }
}
