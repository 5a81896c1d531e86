import Testing
import Wire

@testable import Results

/// Hand-made cases with exact answers: trapezoids are exact for piecewise-linear power.
@Suite struct TelemetryEnergyTests {
    static func samples(gpu: Int, _ points: [(Double, Double?)]) -> [GPUTelemetrySample] {
        points.map { GPUTelemetrySample(gpu: gpu, time: $0.0, powerWatts: $0.1) }
    }

    @Test func constantPower_isPowerTimesDuration() throws {
        let ticks = (0...10).map { (Double($0), Optional(300.0)) }
        let energy = PointEnergy(
            samples: Self.samples(gpu: 0, ticks) + Self.samples(gpu: 1, ticks), gpus: [0, 1], start: 2.5, end: 7.25,
            tokens: 0)
        #expect(energy.perGPU.map(\.joules) == [1425, 1425])  // 300 W × 4.75 s
        #expect(energy.energyJoules == 2850)
        #expect(energy.meanWatts == 600)
        #expect(energy.joulesPerToken == nil)  // no tokens
    }

    @Test func linearRamp_isTheExactIntegral() throws {
        // p(t) = 100 + 10 t; ∫ from 1.5 to 8.25 = 100 × 6.75 + 5 × (8.25² − 1.5²) = 1004.0625 J
        let ramp = (0...10).map { (Double($0), Optional(100 + 10 * Double($0))) }
        let energy = try GPUEnergy.integrate(
            gpu: 0, readings: ramp.map { ($0.0, $0.1!) }, start: 1.5, end: 8.25
        ).get()
        #expect(abs(energy.joules - 1004.0625) < 1e-9)
        #expect(abs(energy.meanWatts - 1004.0625 / 6.75) < 1e-9)
        #expect(energy.samples == 9)  // 1 … 9: the seven inside and one on each side
        #expect(energy.largestGapSeconds == 1)
    }

    @Test func windowEdges_areInterpolatedBetweenSamples() throws {
        // 100 W at 0 s and 300 W at 2 s: 150 W at 0.5 s, 250 W at 1.5 s; area 200 J.
        let energy = try GPUEnergy.integrate(gpu: 0, readings: [(0, 100), (2, 300)], start: 0.5, end: 1.5).get()
        #expect(energy.joules == 200)
        #expect(energy.samples == 2)
        // Edges that fall on samples use them as they are.
        let onSamples = try GPUEnergy.integrate(gpu: 0, readings: [(2, 300), (0, 100), (1, 100)], start: 0, end: 2)
            .get()
        #expect(onSamples.joules == 300)  // 100 J flat, then 200 J on the ramp
    }

    @Test func samplesAtTheSameInstant_areAveraged() throws {
        // amd-smi stamps whole seconds, so two readings can share one.
        let energy = try GPUEnergy.integrate(gpu: 0, readings: [(0, 100), (0, 300), (1, 200)], start: 0, end: 1).get()
        #expect(energy.joules == 200)
    }

    @Test func missingSamples_areFlaggedAndTheTotalsWithheld() throws {
        let telemetry =
            Self.samples(gpu: 0, [(0, 200), (1, 200), (2, 200)])  // fine
            + Self.samples(gpu: 1, [(1, 200)])  // one sample
            + Self.samples(gpu: 2, [(0.5, 200), (1, 200), (2, 200)])  // starts after the window
            + Self.samples(gpu: 3, [(0, 200), (2, nil), (4, 200)])  // `[N/A]` leaves a 4 s gap
            + Self.samples(gpu: 9, [(0, 999), (4, 999)])  // not in the deployment
        let energy = PointEnergy(
            samples: telemetry, gpus: [0, 1, 2, 3, 4], start: 0, end: 2, tokens: 100, maximumSampleGap: 3)
        #expect(energy.perGPU.map(\.gpu) == [0])
        #expect(energy.missing.map(\.gpu) == [1, 2, 3, 4])
        #expect(energy.missing[0].reason == "1 power sample; at least 2 are needed")
        #expect(energy.missing[1].reason.contains("does not bracket the window"))
        #expect(energy.missing[2].reason == "a 4.0 s gap between samples (more than 3.0 s)")
        #expect(energy.missing[3].reason == "0 power samples; at least 2 are needed")
        #expect(!energy.isComplete)
        #expect(energy.energyJoules == nil)
        #expect(energy.meanWatts == nil)
        #expect(energy.joulesPerToken == nil)
        #expect(energy.measuredTokensPerSecondPerMegawatt == nil)
    }

    @Test func perTokenFigures_fromMeasuredPower() throws {
        // Two GPUs at 500 W for 10 s: 10 kJ, 1 kW; 20,000 tokens in 10 s = 2,000 tok/s.
        let ticks = (0...10).map { (Double($0), Optional(500.0)) }
        let energy = PointEnergy(
            samples: Self.samples(gpu: 4, ticks) + Self.samples(gpu: 5, ticks), gpus: [4, 5], start: 0, end: 10,
            tokens: 20_000)
        #expect(energy.energyJoules == 10_000)
        #expect(energy.meanWatts == 1_000)
        #expect(energy.joulesPerToken == 0.5)
        #expect(energy.measuredTokensPerSecondPerMegawatt == 2_000_000)  // 2,000 tok/s ÷ 0.001 MW
    }

    @Test func emptyWindowOrDeployment_hasNoTotals() {
        let ticks = Self.samples(gpu: 0, [(0, 100), (1, 100)])
        let backwards = PointEnergy(samples: ticks, gpus: [0], start: 1, end: 0, tokens: 1)
        #expect(backwards.missing.first?.reason.contains("is empty") == true)
        let noGPUs = PointEnergy(samples: ticks, gpus: [], start: 0, end: 1, tokens: 1)
        #expect(noGPUs.energyJoules == nil && noGPUs.missing.isEmpty && !noGPUs.isComplete)
    }
}
