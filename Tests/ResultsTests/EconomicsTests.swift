import Catalog
import Foundation
import Testing
import Wire

@testable import Results

/// Cost and power against the InferenceMAX constants (reference.yaml, benchmark_method).
@Suite struct EconomicsTests {
    static func figures(tokensPerSecondPerGPU: Double, output: Double) -> PointFigures {
        var figures = PointFigures(PointSummary(records: [], gpus: 1))
        figures.tokensPerSecondPerGPU = tokensPerSecondPerGPU
        figures.outputTokensPerSecondPerGPU = output
        figures.inputTokensPerSecondPerGPU = tokensPerSecondPerGPU - output
        return figures
    }

    @Test func b200At4431TokensPerSecondPerGPU_costs0122DollarsPerMillion() throws {
        let catalog = try Catalog.builtIn()
        let b200 = try catalog.hardware("B200-HGX")
        let economics = try #require(
            PointEconomics(
                figures: Self.figures(tokensPerSecondPerGPU: 4431, output: 2215.5), usdPerGPUHour: b200.usdPerGPUHour,
                allInKilowatts: b200.allInKilowatts))
        let hyperscaler = try #require(economics.costs["hyperscaler_own"])
        #expect(hyperscaler.usdPerGPUHour == 1.95)
        #expect(abs(hyperscaler.perMillionTokens - 0.1222) < 0.0001, "1.95 / (4431 × 3600 / 1e6)")
        #expect(abs(hyperscaler.perMillionOutputTokens - 2 * hyperscaler.perMillionTokens) < 1e-9)
        #expect(economics.costs.keys.sorted() == ["hyperscaler_own", "neocloud_own", "rental_3yr"])
        #expect(abs(economics.tokensPerSecondPerMegawatt - 4431 * 1000 / 2.17) < 1e-6)
        #expect(abs(economics.joulesPerToken - 2170 / 4431) < 1e-9)
    }

    /// No tokens, no price per token: JSON has no infinity, and one such point must not turn a
    /// whole sweep's results into an error.
    @Test func aPointThatProducedNothing_hasNoCost() throws {
        let nothing = Self.figures(tokensPerSecondPerGPU: 0, output: 0)
        #expect(PointEconomics(figures: nothing, usdPerGPUHour: ["t": 2], allInKilowatts: 2) == nil)
        #expect(
            PointEconomics(
                figures: Self.figures(tokensPerSecondPerGPU: 100, output: 0), usdPerGPUHour: ["t": 2], allInKilowatts: 2
            ) == nil)
        var point = PointResult(
            sweepID: "s", sweepName: "s", pointKey: "p", repeatIndex: 0,
            deployment: DeploymentKey(model: "m", engine: "sim", precision: "fp8", hardware: "H200", gpus: 1, tp: 1),
            inputLength: 1024, outputLength: 1024, concurrency: 4, requestRate: nil, figures: nothing, economics: nil,
            invalidReasons: [],
            provenance: Provenance(
                jobID: "j", attempt: 1, agentID: "a", gpus: nil, engine: nil, clientVersion: "0.1.0", seed: 1,
                measuredAt: nil))
        point.economics = PointEconomics(figures: point.figures, usdPerGPUHour: ["t": 2], allInKilowatts: 2)
        #expect(point.economics == nil)
        _ = try JSONEncoder().encode([point])
    }
}
