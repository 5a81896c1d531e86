import Results
import Testing
import Wire

@testable import Agent

@Suite struct TelemetryNvidiaSMITests {
    @Test func recordedHopperStream_headerWithUnits_parsesEverySample() throws {
        let samples = try NvidiaSMITelemetry.parse(TelemetryRecordings.nvidiaSMIHopper8GPU)
        #expect(samples.count == 160)
        #expect(Set(samples.map(\.gpu)) == Set(0..<8))
        let first = try #require(samples.first)
        #expect(first.gpu == 0)
        #expect(abs(first.time - 1_791_417_329.62) < 1e-6)  // 2026-10-07 23:55:29.620 UTC
        #expect(first.powerWatts == 121.16)
        #expect(first.smClockMHz == 1980)  // headed `clocks.current.sm [MHz]`
        #expect(first.utilizationPercent == 0)
        #expect(first.temperatureCelsius == nil)  // not queried in this capture
        let last = try #require(samples.last)
        #expect(last.gpu == 7)
        #expect(last.powerWatts == 228.39)
        #expect(last.utilizationPercent == 100)
        // `2026/10/07 23:55:47.794, 5, 76255 MiB, 73 %, 232.09 W, 1980 MHz`
        let partlyBusy = try #require(samples.first { $0.gpu == 5 && $0.utilizationPercent == 73 })
        #expect(partlyBusy.powerWatts == 232.09)
    }

    /// InferenceX's `utils/aggregate_power.py` (commit 3421d894) run on the same rows, window
    /// 23:55:30.000–23:55:48.000 UTC, 8 GPUs, gave total_gpu_energy_j = 18779.423110322277,
    /// GPU 0 = 2341.845889732668 J, avg_total_gpu_power_w = 1043.3012839067933.
    @Test func recordedHopperStream_energyMatchesInferenceX() throws {
        let samples = try NvidiaSMITelemetry.parse(TelemetryRecordings.nvidiaSMIHopper8GPU)
        let start = 1_791_417_330.0
        let end = 1_791_417_348.0
        let energy = PointEnergy(samples: samples, gpus: Array(0..<8), start: start, end: end, tokens: 1000)
        #expect(energy.missing.isEmpty)
        let joules = try #require(energy.energyJoules)
        #expect(abs(joules - 18_779.423110322277) < 1e-6)
        #expect(abs(try #require(energy.meanWatts) - 1_043.3012839067933) < 1e-9)
        let gpu0 = try #require(energy.perGPU.first { $0.gpu == 0 })
        #expect(abs(gpu0.joules - 2_341.845889732668) < 1e-6)
        #expect(gpu0.samples == 20)  // 23:55:29.620 … 23:55:48.796 bracket the window
        #expect(abs(try #require(energy.joulesPerToken) - 18.779423110322277) < 1e-9)
        // (1000 tokens / 18 s) / (1043.30 W / 10⁶)
        #expect(abs(try #require(energy.measuredTokensPerSecondPerMegawatt) - 53_249.77205771252) < 1e-6)
    }

    /// Hand-made in the exact shape `NvidiaSMITelemetry.arguments` prints (`noheader,nounits`).
    /// The status spellings are nvidia-smi's own: `[Not Supported]` as in tutulino/Megaminer
    /// issue #235 (GTX 770), `[N/A]` as in plambe/zabbix-nvidia-smi-multi-gpu issue #17.
    @Test func noHeaderNoUnits_statusesReadAsMissingFields() throws {
        let output =
            "2024/05/13 10:21:33.123, 0, 118.59, 1980, 34, 0\r\n"
            + "2024/05/13 10:21:33.125, 1, [N/A], 1980, [Not Supported], [Unknown Error]\r\n"
            + "\n"
        let samples = try NvidiaSMITelemetry.parse(output)
        #expect(
            samples == [
                GPUTelemetrySample(
                    gpu: 0, time: 1_715_595_693.123, powerWatts: 118.59, smClockMHz: 1980, temperatureCelsius: 34,
                    utilizationPercent: 0),
                GPUTelemetrySample(gpu: 1, time: 1_715_595_693.125, smClockMHz: 1980),
            ])
    }

    /// Hand-made: the same query printed with `--format=csv` (header and units), as happens
    /// when `noheader,nounits` is left off.
    @Test func headerAndUnits_forTheAgentsQuery() throws {
        let output = """
            timestamp, index, power.draw [W], clocks.current.sm [MHz], temperature.gpu, utilization.gpu [%]
            2024/05/13 10:21:33.123, 3, 697.31 W, 1755 MHz, 71, 100 %
            """
        let sample = try #require(try NvidiaSMITelemetry.parse(output).first)
        #expect(sample.gpu == 3)
        #expect(sample.powerWatts == 697.31)
        #expect(sample.smClockMHz == 1755)
        #expect(sample.temperatureCelsius == 71)
        #expect(sample.utilizationPercent == 100)
    }

    @Test func localWallClock_isReadWithTheNodesOffset() throws {
        let line = "2024/05/13 12:21:33.500, 0, 100, 1980, 30, 5"
        let cest = try NvidiaSMITelemetry.parse(line, utcOffsetSeconds: 7200)
        #expect(cest.first?.time == 1_715_595_693.5)  // 10:21:33.5 UTC
        #expect(WallClockTimestamp.secondsSinceEpoch("2024/02/29 00:00:00") == 1_709_164_800)
        #expect(WallClockTimestamp.secondsSinceEpoch("1969/12/31 23:59:59") == -1)
        #expect(WallClockTimestamp.secondsSinceEpoch("2024/13/01 00:00:00") == nil)
        #expect(WallClockTimestamp.secondsSinceEpoch("2024-05-13T10:21:33") == nil)
    }

    @Test func brokenLine_errorNamesTheLine() {
        let cases: [(String, Int, String)] = [
            (
                "2024/05/13 10:21:33.123, 0, 100, 1980, 30, 5\n2024/05/13 10:21:34.123, 0, 1oo, 1980, 30, 5", 2,
                "power.draw `1oo`"
            ),
            ("2024/05/13 10:21:33.123, 0, 100, 1980, 30", 1, "expected 6 comma-separated fields"),
            ("\n\n13/05/2024 10:21:33, 0, 100, 1980, 30, 5", 3, "timestamp `13/05/2024 10:21:33`"),
            ("2024/05/13 10:21:33.123, GPU0, 100, 1980, 30, 5", 1, "GPU index `GPU0`"),
        ]
        for (output, line, message) in cases {
            #expect {
                try NvidiaSMITelemetry.parse(output)
            } throws: { error in
                guard let error = error as? TelemetryParseError else { return false }
                return error.line == line && error.description.contains("nvidia-smi output, line \(line): ")
                    && error.message.contains(message)
            }
        }
    }
}
