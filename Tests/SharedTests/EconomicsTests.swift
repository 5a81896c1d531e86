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
        let economics = PointEconomics(
            figures: Self.figures(tokensPerSecondPerGPU: 4431, output: 2215.5), usdPerGPUHour: b200.usdPerGPUHour,
            allInKilowatts: b200.allInKilowatts)
        let hyperscaler = try #require(economics.costs["hyperscaler_own"])
        #expect(hyperscaler.usdPerGPUHour == 1.95)
        #expect(abs(hyperscaler.perMillionTokens - 0.1222) < 0.0001, "1.95 / (4431 × 3600 / 1e6)")
        #expect(abs(hyperscaler.perMillionOutputTokens - 2 * hyperscaler.perMillionTokens) < 1e-9)
        #expect(economics.costs.keys.sorted() == ["hyperscaler_own", "neocloud_own", "rental_3yr"])
        #expect(abs(economics.tokensPerSecondPerMegawatt - 4431 * 1000 / 2.17) < 1e-6)
        #expect(abs(economics.joulesPerToken - 2170 / 4431) < 1e-9)
    }

    @Test func aPointThatProducedNothing_costsInfinitely() {
        let economics = PointEconomics(
            figures: Self.figures(tokensPerSecondPerGPU: 0, output: 0), usdPerGPUHour: ["t": 2],
            allInKilowatts: 2)
        #expect(economics.costs["t"]?.perMillionTokens == .infinity)
        #expect(economics.tokensPerSecondPerMegawatt == 0)
    }
}
