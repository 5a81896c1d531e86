import Results

/// The four charts drawn for each scenario, and the tooltip every marker carries.
///
/// All four mark the same points the same way (colour and shape by frontier group, emphasis by
/// frontier / dominated / invalid), so a reader can find one configuration in each of them.
enum ReportCharts {
    /// (a) Throughput per GPU against interactivity, with each group's Pareto frontier.
    static func throughput(_ scenario: ReportScenario, palette: ReportPalette, priceTier: String) -> ScatterChart {
        chart(
            scenario, palette: palette, priceTier: priceTier,
            xLabel: "Interactivity (tok/s/user)", yLabel: "Throughput (tok/s/GPU)",
            xScale: AxisScale.linear, yScale: AxisScale.linear,
            x: { $0.figures.interactivity }, y: { $0.figures.tokensPerSecondPerGPU })
    }

    /// (b) Cost per million tokens at the chosen price tier. Within a group the price per GPU-hour
    /// is fixed, so the throughput frontier is also the cost frontier and is drawn through the
    /// same points.
    static func cost(_ scenario: ReportScenario, palette: ReportPalette, priceTier: String) -> ScatterChart {
        chart(
            scenario, palette: palette, priceTier: priceTier,
            xLabel: "Interactivity (tok/s/user)", yLabel: "$ per million tokens (\(priceTier))",
            xScale: AxisScale.linear, yScale: AxisScale.log10,
            x: { $0.figures.interactivity }, y: { $0.economics?.costs[priceTier]?.perMillionTokens })
    }

    /// (c) Tokens per second per megawatt of provisioned power; one kW figure per GPU, so again
    /// the same frontier.
    static func power(_ scenario: ReportScenario, palette: ReportPalette, priceTier: String) -> ScatterChart {
        chart(
            scenario, palette: palette, priceTier: priceTier,
            xLabel: "Interactivity (tok/s/user)", yLabel: "tok/s per MW (provisioned)",
            xScale: AxisScale.linear, yScale: AxisScale.linear,
            x: { $0.figures.interactivity }, y: { $0.economics?.tokensPerSecondPerMegawatt })
    }

    /// (d) Median TTFT against concurrency. Instead of frontiers, a faint line follows each
    /// deployment (same parallelism) up its concurrencies, which is how queueing shows.
    static func ttft(_ scenario: ReportScenario, palette: ReportPalette, priceTier: String) -> ScatterChart {
        var chart = chart(
            scenario, palette: palette, priceTier: priceTier,
            xLabel: "Concurrency (requests in flight)", yLabel: "Median TTFT (ms)",
            xScale: AxisScale.log2, yScale: AxisScale.log10,
            x: { $0.concurrency.map(Double.init) }, y: { $0.figures.medianTTFTMilliseconds })
        chart.lines = scenario.groups.flatMap { group in
            Dictionary(grouping: group.points.filter(\.isValid), by: \.deployment).keys
                .sorted { ($0.gpus, $0.tp, $0.ep) < ($1.gpus, $1.tp, $1.ep) }
                .map { deployment in
                    let points = group.points.filter { $0.isValid && $0.deployment == deployment }
                        .compactMap { point in
                            point.concurrency.map { (Double($0), point.figures.medianTTFTMilliseconds) }
                        }
                        .sorted { $0.0 < $1.0 }
                        .map { (x: $0.0, y: $0.1) }
                    return ScatterChart.Line(points: points, color: palette.style(for: group.name).color, kind: .trace)
                }
        }
        return chart
    }

    /// A chart of one figure against another; scales cover the points that have both figures.
    private static func chart(
        _ scenario: ReportScenario, palette: ReportPalette, priceTier: String, xLabel: String, yLabel: String,
        xScale: ([Double]) -> AxisScale, yScale: ([Double]) -> AxisScale,
        x: (PointResult) -> Double?, y: (PointResult) -> Double?
    ) -> ScatterChart {
        var markers: [ScatterChart.Marker] = []
        var lines: [ScatterChart.Line] = []
        for group in scenario.groups {
            let style = palette.style(for: group.name)
            let onFrontier = Set(group.frontierPoints)
            for point in group.points {
                guard let xValue = x(point), let yValue = y(point), xValue.isFinite, yValue.isFinite else { continue }
                let emphasis: ScatterChart.Emphasis =
                    !point.isValid ? .invalid : onFrontier.contains(point) ? .frontier : .dominated
                markers.append(
                    ScatterChart.Marker(
                        x: xValue, y: yValue, style: style, emphasis: emphasis,
                        tooltip: tooltip(point, priceTier: priceTier)))
            }
            let frontier = group.frontierPoints.compactMap { point in
                x(point).flatMap { xValue in y(point).map { (x: xValue, y: $0) } }
            }
            lines.append(ScatterChart.Line(points: frontier, color: style.color, kind: .frontier))
        }
        return ScatterChart(
            xLabel: xLabel, yLabel: yLabel, xScale: xScale(markers.map(\.x)), yScale: yScale(markers.map(\.y)),
            markers: markers, lines: lines)
    }

    /// What a reader hovering a marker wants: which configuration, under what load, and its figures.
    static func tooltip(_ point: PointResult, priceTier: String) -> String {
        let figures = point.figures
        var lines = [
            "\(point.deployment.frontierGroup) — \(point.deployment.parallelism), \(point.deployment.gpus) GPU"
                + (point.deployment.gpus == 1 ? "" : "s"),
            "\(load(point))"
                + (figures.achievedConcurrency > 0
                    ? " (achieved \(ReportNumber.figure(figures.achievedConcurrency)))" : ""),
            "\(ReportNumber.figure(figures.interactivity)) tok/s/user · "
                + "\(ReportNumber.figure(figures.tokensPerSecondPerGPU)) tok/s/GPU",
            "TTFT median \(ReportNumber.figure(figures.medianTTFTMilliseconds)) ms · "
                + "p99 \(ReportNumber.figure(figures.p99TTFTMilliseconds)) ms",
            "TPOT median \(ReportNumber.figure(figures.medianTPOTMilliseconds)) ms · "
                + "p99 \(ReportNumber.figure(figures.p99TPOTMilliseconds)) ms",
        ]
        if let economics = point.economics {
            let cost = economics.costs[priceTier].map { ReportNumber.dollars($0.perMillionTokens) } ?? "—"
            lines.append(
                "\(cost) per M tokens (\(priceTier)) · "
                    + "\(ReportNumber.figure(economics.tokensPerSecondPerMegawatt)) tok/s/MW")
        }
        lines.append(
            "\(figures.completed) completed, \(figures.failed) failed · job \(point.provenance.jobID)"
                + " attempt \(point.provenance.attempt)"
                + (point.repeatIndex > 0 ? " · repeat \(point.repeatIndex)" : ""))
        if !point.isValid {
            lines.append("INVALID: " + point.invalidReasons.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    /// The load a point ran under: its concurrency (closed loop) or its request rate (open loop).
    static func load(_ point: PointResult) -> String {
        if let concurrency = point.concurrency { return "concurrency \(concurrency)" }
        if let rate = point.requestRate { return "rate \(ReportNumber.figure(rate)) req/s" }
        return "load unknown"
    }
}
