import Foundation
import Results

/// Text renderings of point results for people and spreadsheets. Pure: tests call them directly.
enum ResultRendering {
    static func cost(_ result: PointResult, tier: String) -> String {
        guard let cost = result.economics?.costs[tier]?.perMillionTokens, cost.isFinite else { return "-" }
        return String(format: "$%.3f", cost)
    }

    static func table(_ results: [PointResult], tier: String) -> String {
        let rows = results.sorted(by: order).map { result -> [String] in
            [
                result.deployment.model, "\(result.inputLength)/\(result.outputLength)",
                result.deployment.frontierGroup,
                result.deployment.parallelism, result.concurrency.map(String.init) ?? "-",
                String(format: "%.1f", result.figures.interactivity),
                String(format: "%.0f", result.figures.tokensPerSecondPerGPU),
                plusMinus(
                    result.figures.intervals?.tokensPerSecondPerGPU, around: result.figures.tokensPerSecondPerGPU),
                String(format: "%.0f", result.figures.medianTTFTMilliseconds),
                plusMinus(
                    result.figures.intervals?.medianTTFTMilliseconds, around: result.figures.medianTTFTMilliseconds),
                result.figures.intervals.map { String($0.sampleSize) } ?? "-", cost(result, tier: tier),
                result.economics.map { String(format: "%.0f", $0.tokensPerSecondPerMegawatt) } ?? "-",
                result.isValid ? "yes" : "no: " + result.invalidReasons.joined(separator: "; "),
            ]
        }
        return Rendering.table(
            [
                "MODEL", "ISL/OSL", "HARDWARE·ENGINE·PRECISION", "PARALLEL", "C", "TOK/S/USER", "TOK/S/GPU", "±95%",
                "TTFT MS", "±95%", "N",
                "$/M TOK (\(tier))", "TOK/S/MW", "VALID",
            ], rows)
    }

    /// The half width of a 95 % interval relative to the figure ("±3.1%"), or "-" without one.
    static func plusMinus(_ interval: ConfidenceInterval?, around value: Double) -> String {
        guard let interval, value != 0 else { return "-" }
        // Not symmetric in general: the larger side is the honest one to show.
        let side = max(value - interval.lower, interval.upper - value) / abs(value)
        return String(format: "±%.1f%%", side * 100)
    }

    static func csv(_ results: [PointResult], tier: String) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { ",\"\n".contains($0) })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = [
            "sweep_id,point_key,repeat,model,engine,precision,hardware,gpus,tp,ep,dp_attention,isl,osl,concurrency,"
                + "completed,failed,duration_s,tok_s_gpu,output_tok_s_gpu,interactivity_tok_s_user,mean_ttft_ms,"
                + "median_ttft_ms,p99_ttft_ms,median_tpot_ms,p99_tpot_ms,usd_per_m_tokens_\(tier),tok_s_mw,valid,"
                + "invalid_reasons,job,attempt,agent,requests_n,ci_level,median_ttft_ms_ci_low,median_ttft_ms_ci_high,"
                + "median_tpot_ms_ci_low,median_tpot_ms_ci_high,interactivity_ci_low,interactivity_ci_high,"
                + "tok_s_gpu_ci_low,tok_s_gpu_ci_high"
        ]
        for r in results.sorted(by: order) {
            let f = r.figures
            let cells: [String] =
                [
                    r.sweepID, r.pointKey, String(r.repeatIndex), r.deployment.model, r.deployment.engine,
                    r.deployment.precision, r.deployment.hardware, String(r.deployment.gpus), String(r.deployment.tp),
                    String(r.deployment.ep), String(r.deployment.dpAttention), String(r.inputLength),
                    String(r.outputLength), r.concurrency.map(String.init) ?? "", String(f.completed), String(f.failed),
                    String(f.durationSeconds), String(f.tokensPerSecondPerGPU), String(f.outputTokensPerSecondPerGPU),
                    String(f.interactivity), String(f.meanTTFTMilliseconds), String(f.medianTTFTMilliseconds),
                    String(f.p99TTFTMilliseconds), String(f.medianTPOTMilliseconds), String(f.p99TPOTMilliseconds),
                    r.economics?.costs[tier].map { String($0.perMillionTokens) } ?? "",
                    r.economics.map { String($0.tokensPerSecondPerMegawatt) } ?? "", String(r.isValid),
                    r.invalidReasons.joined(separator: "; "), r.provenance.jobID, String(r.provenance.attempt),
                    r.provenance.agentID ?? "",
                ] + intervalCells(f.intervals)
            lines.append(cells.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    /// Sample size, level and interval bounds; empty cells where a point had too few requests.
    static func intervalCells(_ intervals: PointIntervals?) -> [String] {
        guard let intervals else { return Array(repeating: "", count: 10) }
        let bounds = [
            intervals.medianTTFTMilliseconds, intervals.medianTPOTMilliseconds, intervals.interactivity,
            intervals.tokensPerSecondPerGPU,
        ].flatMap { interval in [interval.map { String($0.lower) } ?? "", interval.map { String($0.upper) } ?? ""] }
        return [String(intervals.sampleSize), String(intervals.confidence)] + bounds
    }

    static func pareto(_ results: [PointResult], tier: String) -> String {
        var sections: [String] = []
        for frontier in SweepFrontier.all(results) {
            let rows = frontier.points.map { point -> [String] in
                [
                    point.deployment.parallelism, point.concurrency.map(String.init) ?? "-",
                    String(format: "%.1f", point.figures.interactivity),
                    String(format: "%.0f", point.figures.tokensPerSecondPerGPU), cost(point, tier: tier),
                    String(format: "%.0f", point.figures.medianTTFTMilliseconds),
                ]
            }
            sections.append(
                "\(frontier.model)  \(frontier.scenario.label)  \(frontier.group)\n"
                    + Rendering.table(["PARALLEL", "C", "TOK/S/USER", "TOK/S/GPU", "$/M TOK", "TTFT MS"], rows))
        }
        let invalid = results.filter { !$0.isValid }.count
        if invalid > 0 {
            sections.append("\(invalid) invalid points are not on any frontier (see `sweepline results`).")
        }
        return sections.isEmpty ? "no valid points yet" : sections.joined(separator: "\n\n")
    }

    /// A run against its baseline: the comparison, then where the baselines came from.
    static func baseline(_ baseline: BaselineComparison) -> String {
        guard !baseline.comparison.rows.isEmpty else {
            return
                "\(baseline.sweepID): no earlier run of `\(baseline.sweepName)` measured these points validly; nothing to compare with"
        }
        let sources = Set(baseline.baselineSweeps.values).sorted().joined(separator: ", ")
        var text = "\(baseline.sweepID) against the last valid earlier run of each point (\(sources)):\n\n"
        text += comparison(baseline.comparison)
        if !baseline.withoutBaseline.isEmpty {
            text += "\n\(baseline.withoutBaseline.count) valid points had no earlier valid measurement"
        }
        return text
    }

    static func comparison(_ comparison: SweepComparison) -> String {
        let metrics = ComparedMetric.allCases
        let rows = comparison.rows.map { row -> [String] in
            [row.pointKey, "\(row.baselineRequests)/\(row.candidateRequests)"]
                + metrics.map { metric in row.metric(metric).map(change) ?? "-" } + [verdict(row)]
        }
        var text = Rendering.table(
            ["POINT", "N A/B"] + metrics.map { "Δ \($0.rawValue.uppercased()) ±95%" } + ["VERDICT"], rows)
        text += "\n\n" + summary(comparison)
        if !comparison.unmatched.isEmpty {
            text += "\n\(comparison.unmatched.count) points in only one run or valid in only one"
        }
        return text
    }

    /// "+4.8 % ±1.1" (the larger side of the interval of the change).
    static func change(_ metric: MetricComparison) -> String {
        let value = String(format: "%+.1f %%", metric.change * 100)
        guard let interval = metric.changeInterval else { return value }
        let half = max(interval.upper - metric.change, metric.change - interval.lower)
        return value + String(format: " ±%.1f", half * 100)
    }

    static func verdict(_ row: SweepComparison.Row) -> String {
        guard row.verdict != .noChange else { return "no change" }
        let label = row.verdict == .regression ? "REGRESSION" : row.verdict.rawValue
        return label + ": " + row.metrics(judged: row.verdict).map(\.rawValue).joined(separator: ", ")
    }

    /// The verdicts counted, and what they were judged at.
    static func summary(_ comparison: SweepComparison) -> String {
        let settings = comparison.settings
        let effects = ComparedMetric.allCases.map {
            "\($0.rawValue) \(ReportNumber.percent(settings.effect($0)))"
        }.joined(separator: ", ")
        return "\(comparison.rows.count) points compared: \(comparison.count(.regression)) regressions, "
            + "\(comparison.count(.improvement)) improvements, \(comparison.count(.noChange)) no change, "
            + "\(comparison.count(.insufficientData)) insufficient data.\n"
            + "\(comparison.tests) tests at a false-discovery rate of \(ReportNumber.percent(settings.falseDiscoveryRate)) "
            + "(Benjamini–Hochberg); a change counts from \(effects); "
            + "insufficient data: these runs would miss a change that large more than "
            + "\(ReportNumber.percent(1 - settings.power)) of the time.\n" + noise(comparison)
    }

    /// "run-to-run noise beyond the requests': TTFT 24 %, …", measured over the points.
    static func noise(_ comparison: SweepComparison) -> String {
        let measured = ComparedMetric.allCases.map { metric in
            comparison.runToRunNoise[metric].map { "\(metric.rawValue) \(ReportNumber.percent($0))" }
                ?? "\(metric.rawValue) not measured (fewer than \(RunToRunNoise.minimumPoints) points)"
        }
        return "Run-to-run noise beyond the requests', from all points: " + measured.joined(separator: ", ") + "."
    }

    static func order(_ a: PointResult, _ b: PointResult) -> Bool {
        (
            a.deployment.model, a.inputLength, a.outputLength, a.deployment.frontierGroup, a.deployment.tp,
            a.concurrency ?? 0
        )
            < (
                b.deployment.model, b.inputLength, b.outputLength, b.deployment.frontierGroup, b.deployment.tp,
                b.concurrency ?? 0
            )
    }

    static func writeReport(
        _ results: [PointResult], sweepName: String, tier: String, baseline: BaselineComparison? = nil,
        histories: [PointHistory] = [], to path: String
    ) throws {
        let formatter = ISO8601DateFormatter()
        let html = SweepReport.html(
            sweepName: sweepName, results: results, generatedAt: formatter.string(from: Date()), priceTier: tier,
            baseline: baseline, histories: histories)
        try Data(html.utf8).write(to: URL(fileURLWithPath: path))
    }
}
