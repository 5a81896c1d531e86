import Foundation
import Shared
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Samples the job's GPUs once a second while its engine serves: `nvidia-smi --query-gpu …
/// -lms 1000` or `amd-smi metric … -w 1`, one long-running process per job (starting a tool
/// each second would cost more than the sample), its lines kept for the points' energy.
final class GPUPowerSampler: Sendable {
    private let process: ChildProcess
    private let reader: Task<Void, Never>
    private let lines: SampledLines
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
        let lines = SampledLines()
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
        let text = lines.text
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

/// The sampling tool's lines so far, the oldest dropped past an hour of 8 GPUs at 1 Hz.
final class SampledLines: Sendable {
    private let kept = Mutex<[String]>([])
    static let limit = 30_000

    func add(_ line: String) {
        kept.withLock { lines in
            lines.append(line)
            if lines.count > Self.limit { lines.removeFirst(lines.count - Self.limit) }
        }
    }

    var text: String { kept.withLock { $0.joined(separator: "\n") } }
    var isEmpty: Bool { kept.withLock { $0.isEmpty } }
}
