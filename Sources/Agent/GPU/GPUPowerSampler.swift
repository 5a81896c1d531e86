import Foundation
import Results
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// Samples the job's GPUs once a second while its engine serves: `nvidia-smi --query-gpu …
/// -lms 1000` or `amd-smi metric … -w 1`, one long-running process per job (starting a tool
/// each second would cost more than the sample), its lines kept for the points' energy.
final class GPUPowerSampler: Sendable {
    private let process: ChildProcess
    private let reader: Task<Void, Never>
    private let lines: RecentLines
    private let vendor: GPUVendor

    /// Starts sampling, or returns `nil` when the vendor has no tool (declared GPUs, no GPUs).
    static func start(vendor: GPUVendor, gpus: [Int], environment: [String: String]) throws -> GPUPowerSampler? {
        guard !gpus.isEmpty else { return nil }
        let argv: [String]
        switch vendor {
        case .nvidia:
            argv = ["nvidia-smi"] + NvidiaSMITelemetry.arguments + ["-i", gpus.map(String.init).joined(separator: ",")]
        case .amd:
            argv = ["amd-smi"] + AMDSMIMetricCSV.arguments
        default:
            return nil
        }
        // The tool is looked up on the job's PATH, the one its engine sees.
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        guard let tool = directories.map({ "\($0)/\(argv[0])" }).first(where: FileManager.default.isExecutableFile)
        else {
            throw EngineStartFailed("\(argv[0]) is not on the PATH (\(directories.joined(separator: ":")))")
        }
        return GPUPowerSampler(
            process: try ChildProcess.spawn(argv: [tool] + argv.dropFirst(), environment: environment), vendor: vendor)
    }

    private init(process: ChildProcess, vendor: GPUVendor) {
        self.process = process
        self.vendor = vendor
        // An hour of 8 GPUs at 1 Hz; older samples no longer fall in any point's window.
        let lines = RecentLines(limit: 30_000)
        reader = Task { await process.readOutput(stdout: { lines.add(String($0)) }, stderr: { _ in }) }
        self.lines = lines
    }

    /// Waits (at most `timeout`) until the tool has printed a sample, so that the first point's
    /// window has one before its start.
    func waitForFirstSample(timeout: Duration = .seconds(5)) async {
        let deadline = ContinuousClock.now + timeout
        while lines.isEmpty && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        try? await Task.sleep(for: .milliseconds(100))
    }

    /// The point's energy over its window (seconds since the epoch). Waits for a sample after
    /// the window's end first: the integration needs one on each side.
    func energy(gpus: [Int], start: Double, end: Double, tokens: Int) async -> PointEnergy {
        try? await Task.sleep(for: .milliseconds(1500))
        let text = lines.lines.joined(separator: "\n")
        let samples: [GPUTelemetrySample]
        switch vendor {
        case .amd: samples = (try? AMDSMIMetricCSV.parse(text)) ?? []
        default:
            samples = (try? NvidiaSMITelemetry.parse(text, utcOffsetSeconds: TimeZone.current.secondsFromGMT())) ?? []
        }
        return PointEnergy(samples: samples, gpus: gpus, start: start, end: end, tokens: tokens)
    }

    func stop() async {
        process.signalGroup(SIGKILL)
        _ = await process.waitForExit()
        await reader.value
    }
}
