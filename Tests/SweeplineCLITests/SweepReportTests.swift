import Foundation
import Results
import Testing
import Wire

@testable import SweeplineCLI

@Suite struct SweepReportTests {
    static let model = "Llama <&> \"x\""

    /// Two hardware groups × two scenarios. In H200 at 1024/1024: three frontier points
    /// (3,000 · 2,000 · 1,000 tok/s/GPU), one dominated point (1,111) and one invalid point whose
    /// 9,999 tok/s/GPU would dominate everything if invalid points counted.
    static func results() -> [PointResult] {
        var results: [PointResult] = []
        for inputLength in [1024, 8192] {
            results += [
                SampleSweep.point(
                    model: model, hardware: "H200", tp: 8, concurrency: 64, inputLength: inputLength,
                    interactivity: 10, throughput: 3000),
                SampleSweep.point(
                    model: model, hardware: "H200", tp: 8, concurrency: 16, inputLength: inputLength,
                    interactivity: 20, throughput: 2000),
                SampleSweep.point(
                    model: model, hardware: "H200", tp: 4, concurrency: 4, inputLength: inputLength,
                    interactivity: 40, throughput: 1000),
                SampleSweep.point(
                    model: model, hardware: "H200", tp: 4, concurrency: 8, inputLength: inputLength,
                    interactivity: 15, throughput: 1111),
                SampleSweep.point(
                    model: model, hardware: "H200", tp: 2, concurrency: 256, inputLength: inputLength,
                    interactivity: 50, throughput: 9999, invalidReasons: ["failed requests 5% > 1% threshold"]),
                SampleSweep.point(
                    model: model, hardware: "B200", tp: 8, concurrency: 64, inputLength: inputLength,
                    interactivity: 30, throughput: 4000),
                SampleSweep.point(
                    model: model, hardware: "B200", tp: 8, concurrency: 8, inputLength: inputLength,
                    interactivity: 60, throughput: 1500),
            ]
        }
        return results
    }

    static func report() -> String {
        SweepReport.html(sweepName: "nightly <70b>", results: results(), generatedAt: "2026-05-01T06:00:00Z")
    }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func measuredPower_appearsBesideTheProvisionedFigure_onlyWhereItWasSampled() {
        let plain = Self.report()
        #expect(!plain.contains("tok/s/MW measured"), "simulated GPUs sample no power")
        var results = Self.results()
        // 1,000 W over 10 s for 5,000 tokens: 2 J/token, 500 tok/s ÷ 0.001 MW = 500,000 tok/s/MW.
        let ticks = (0...10).map { GPUTelemetrySample(gpu: 0, time: Double($0), powerWatts: 1000) }
        results[0].energy = PointEnergy(samples: ticks, gpus: [0], start: 0, end: 10, tokens: 5000)
        let page = SweepReport.html(sweepName: "measured", results: results, generatedAt: "now")
        #expect(page.contains("<th class=\"num\">tok/s/MW measured</th><th class=\"num\">J/token</th>"))
        #expect(page.contains("<td class=\"num\">2.000</td>"))
    }

    @Test func html_drawsFourChartsPerModelAndScenario() {
        // One model × two scenarios × four charts; the legend and key are drawn without SVG.
        #expect(Self.occurrences(of: "<svg", in: Self.report()) == 8)
    }

    @Test func html_linksNothingOutsideItself() {
        let withoutNamespace = Self.report().replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!withoutNamespace.contains("http://"))
        #expect(!withoutNamespace.contains("https://"))
        #expect(!withoutNamespace.contains("<script"))
    }

    @Test func html_escapesUserText() {
        let html = Self.report()
        #expect(html.contains("Llama &lt;&amp;&gt; &quot;x&quot;"))
        #expect(!html.contains(Self.model))
        #expect(html.contains("nightly &lt;70b&gt;"))
        #expect(!html.contains("<70b>"))
    }

    @Test func html_listsInvalidPointWithItsReason() throws {
        let html = Self.report()
        let invalidSection = try #require(html.range(of: "id=\"invalid\"")).upperBound
        let rest = html[invalidSection...]
        #expect(rest.contains("<li>failed requests 5% &gt; 1% threshold</li>"))
        #expect(Self.occurrences(of: "<ul class=\"reasons\">", in: String(rest)) == 2)
        #expect(html.contains("<span class=\"value\">2</span><span class=\"label\">invalid</span>"))
        // Drawn hollow, with its reason in the tooltip.
        #expect(html.contains("class=\"mk invalid\""))
        #expect(html.contains("INVALID: failed requests 5% &gt; 1% threshold"))
    }

    @Test func frontierTable_holdsOnlyNonDominatedValidPoints() throws {
        let html = Self.report()
        let start = try #require(html.range(of: "<h3>Frontier points</h3>")).upperBound
        let end = try #require(html.range(of: "</table>", range: start..<html.endIndex)).lowerBound
        let table = String(html[start..<end])
        for kept in ["3,000", "2,000", "1,000", "4,000", "1,500"] {
            #expect(table.contains("<td class=\"num\">\(kept)</td>"), "\(kept) is on a frontier")
        }
        #expect(!table.contains("1,111"), "dominated by tp8 c16")
        #expect(!table.contains("9,999"), "invalid")
        #expect(Self.occurrences(of: "<tr><td>", in: table) == 5)
    }

    @Test func scenarioFrontier_skipsInvalidAndDominatedPoints() {
        let scenarios = ReportScenario.split(Self.results())
        #expect(scenarios.map(\.inputLength) == [1024, 8192])
        let h200 = scenarios[0].groups.first { $0.name == "H200 · vllm · fp8" }
        #expect(h200?.frontierPoints.map(\.figures.tokensPerSecondPerGPU) == [3000, 2000, 1000])
    }

    @Test func axisTicks_fallOnOneTwoFiveSteps() {
        #expect(AxisScale.linear(covering: [0, 3700]).ticks == [0, 1000, 2000, 3000, 4000])
        #expect(AxisScale.log10(covering: [0.3, 4]).ticks == [0.2, 0.5, 1, 2, 5])
        #expect(AxisScale.log2(covering: [4, 256]).ticks == [4, 8, 16, 32, 64, 128, 256])
        #expect(ReportNumber.tick(600_000, axisMaximum: 2e6) == "600k")
        #expect(ReportNumber.figure(1234.4) == "1,234")
        #expect(ReportNumber.figure(0.012345) == "0.0123")
    }

    /// `SWEEPLINE_REPORT_SAMPLE=/tmp/report.html swift test --filter SweepReport` writes a report of
    /// a realistic sweep there, to look at in a browser.
    @Test func sampleReport_isWrittenWhenAsked() throws {
        let results = SampleSweep.realistic()
        let html = SweepReport.html(
            sweepName: "llama-70b · H200 vs B200 vs MI325X", results: results, generatedAt: "2026-05-01 06:00 UTC")
        #expect(Self.occurrences(of: "<svg", in: html) == 8)
        if let path = ProcessInfo.processInfo.environment["SWEEPLINE_REPORT_SAMPLE"] {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}

@Suite struct SweepReportEdgeTests {
    @Test func html_withNoResults_saysSoWithoutCharts() {
        let html = SweepReport.html(sweepName: "empty", results: [], generatedAt: "now")
        #expect(!html.contains("<svg"))
        #expect(html.contains("Every point is valid."))
    }

    @Test func html_withoutEconomicsOrConcurrency_leavesThoseChartsEmpty() {
        var point = SampleSweep.point(hardware: "H200", tp: 8, concurrency: 4, interactivity: 40, throughput: 1000)
        point.economics = nil
        point.concurrency = nil
        point.requestRate = 2.5
        let html = SweepReport.html(sweepName: "open loop", results: [point], generatedAt: "now")
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        #expect(html.components(separatedBy: "No points to show").count - 1 == 3)
        #expect(html.contains("<td class=\"num\">2.50 req/s</td>"))
    }
}
