import Results
import Testing
import Wire

@testable import Agent

@Suite struct TelemetryAMDSMITests {
    @Test func recordedMI355XWatchCSV_parsesPowerClockTemperatureUsage() throws {
        let samples = try AMDSMIMetricCSV.parse(TelemetryRecordings.amdSMIMetricCSVMI355X)
        #expect(
            samples == [
                // Clock: the mean of the eight XCD clocks, (95+94+94+95+109+109+111+111) / 8.
                // Temperature: hotspot, as `edge` is N/A on Instinct boards.
                GPUTelemetrySample(
                    gpu: 0, time: 1_786_553_852, powerWatts: 238, smClockMHz: 102.25, temperatureCelsius: 37,
                    utilizationPercent: 0),
                GPUTelemetrySample(
                    gpu: 1, time: 1_786_553_852, powerWatts: 242, smClockMHz: 99, temperatureCelsius: 41,
                    utilizationPercent: 0),
                GPUTelemetrySample(
                    gpu: 0, time: 1_786_553_853, powerWatts: 239, smClockMHz: 100.5, temperatureCelsius: 37,
                    utilizationPercent: 0),
                GPUTelemetrySample(
                    gpu: 1, time: 1_786_553_853, powerWatts: 242, smClockMHz: 97.875, temperatureCelsius: 41,
                    utilizationPercent: 0),
            ])
    }

    /// The recording above with watch mode's first line in front, as amd-smi prints it
    /// without the `awk` filter (the line as shown in ROCm/rocm-systems PR #2720), and the
    /// header repeated; joined by hand.
    @Test func watchModePreambleAndRepeatedHeader_areSkipped() throws {
        let recording = TelemetryRecordings.amdSMIMetricCSVMI355X
        let header = String(recording.prefix { $0 != "\n" })
        let output = "'CTRL' + 'C' to stop watching output:\n" + recording + "\n" + header + "\n"
        #expect(try AMDSMIMetricCSV.parse(output) == AMDSMIMetricCSV.parse(recording))
    }

    /// Hand-made: a one-shot `--csv` has no timestamp column; the caller's time stands in.
    @Test func oneShotCSV_usesTheGivenTime() throws {
        let output = "gpu,socket_power,gfx_0_clk,gfx_0_min_clk,edge,hotspot\n0,750,2100,500,N/A,81\n"
        let samples = try AMDSMIMetricCSV.parse(output, time: 1_000)
        #expect(
            samples == [
                GPUTelemetrySample(gpu: 0, time: 1_000, powerWatts: 750, smClockMHz: 2100, temperatureCelsius: 81)
            ])
        #expect(throws: TelemetryParseError.self) { try AMDSMIMetricCSV.parse(output) }
    }

    @Test func brokenCSVLine_errorNamesTheLine() {
        // A stream killed mid-write: the header, one row, and the next row cut inside a quoted list.
        let lines = TelemetryRecordings.amdSMIMetricCSVMI355X.split(separator: "\n")
        let cut = lines[0] + "\n" + lines[1] + "\n" + lines[2].prefix(200)
        #expect {
            try AMDSMIMetricCSV.parse(String(cut))
        } throws: { error in
            guard let error = error as? TelemetryParseError else { return false }
            return error.line == 3 && error.message.hasPrefix("a quoted field is not closed")
        }
        let badPower = "timestamp,gpu,socket_power\n1786553852,0,238 W\n"
        #expect {
            try AMDSMIMetricCSV.parse(badPower)
        } throws: { error in
            guard let error = error as? TelemetryParseError else { return false }
            return error.line == 2 && error.message.contains("socket_power `238 W`")
        }
    }
}
