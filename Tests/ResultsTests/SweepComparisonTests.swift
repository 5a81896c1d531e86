import Foundation
import Testing
import Wire

@testable import Results

@Suite struct SweepComparisonTests {
    static func result(_ key: String, throughput: Double, repeatIndex: Int = 0, valid: Bool = true) -> PointResult {
        var figures = PointFigures(PointSummary(records: [], gpus: 1))
        figures.tokensPerSecondPerGPU = throughput
        figures.interactivity = 50
        figures.medianTTFTMilliseconds = 100
        return PointResult(
            sweepID: "s", sweepName: "s", pointKey: key, repeatIndex: repeatIndex,
            deployment: DeploymentKey(
                model: "m", engine: "sim", precision: "fp8", hardware: "H200-SXM", gpus: 1, tp: 1),
            inputLength: 1024, outputLength: 1024, concurrency: 4, requestRate: nil, figures: figures, economics: nil,
            invalidReasons: valid ? [] : ["client saturated"],
            provenance: Provenance(
                jobID: "j", attempt: 1, agentID: nil, gpus: nil, engine: nil, clientVersion: nil, seed: 1,
                measuredAt: nil))
    }

    @Test func aDropBeyondTheNoiseOfTheRepeats_isARegression_andOneWithinItIsNot() {
        let baseline = [
            Self.result("p1", throughput: 1000), Self.result("p1", throughput: 1040, repeatIndex: 1),
            Self.result("p2", throughput: 1000), Self.result("p3", throughput: 500),
            Self.result("p4", throughput: 900, valid: false),
        ]
        let candidate = [
            Self.result("p1", throughput: 800), Self.result("p2", throughput: 980),
            Self.result("p4", throughput: 100),
        ]
        let comparison = SweepComparison(baseline: baseline, candidate: candidate)
        #expect(comparison.rows.map(\.pointKey) == ["p1", "p2"], "invalid points are compared with nothing")
        let p1 = comparison.rows[0]
        #expect(p1.baseline.repeats == 2 && abs(p1.baseline.tokensPerSecondPerGPU - 1020) < 1e-9)
        #expect(abs(p1.throughputChange - (800 - 1020) / 1020.0) < 1e-9)
        #expect(p1.regressions == ["tok/s/GPU"])
        #expect(abs(p1.noiseBand - SweepComparison.minimumBand) < 1e-9, "repeats 2 % apart keep the 5 % floor")
        #expect(comparison.rows[1].regressions.isEmpty, "−2 % is noise")
        #expect(comparison.unmatched == ["p3", "p4"])
    }

    @Test func noisyRepeats_widenTheBand() {
        let baseline = [Self.result("p", throughput: 1000), Self.result("p", throughput: 1400, repeatIndex: 1)]
        let comparison = SweepComparison(baseline: baseline, candidate: [Self.result("p", throughput: 1000)])
        // Repeats ±16.7 % around 1,200: a 16.7 % drop is within twice that.
        #expect(comparison.rows[0].regressions.isEmpty)
        #expect(comparison.rows[0].noiseBand > 0.3)
    }
}
