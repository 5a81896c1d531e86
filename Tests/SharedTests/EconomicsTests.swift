import Foundation
import Testing

@testable import Shared

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
        var point = SampleSweep.point(
            model: "m", hardware: "H200", tp: 1, concurrency: 4, interactivity: 10, throughput: 0)
        point.economics = PointEconomics(figures: point.figures, usdPerGPUHour: ["t": 2], allInKilowatts: 2)
        #expect(point.economics == nil)
        _ = try JSONEncoder().encode([point])
    }
}
