import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A `sweepline coordinator` child process on a fresh temporary store, measured from outside:
/// its resident memory and CPU time come from /proc, untouched by the load generator's own.
final class CoordinatorUnderTest {
    let directory: URL
    let agentToken = "bench-agent-token"
    let operatorToken = "bench-operator-token"
    let process = Process()
    private(set) var agentsPort = 0
    private(set) var httpPort = 0

    init(heartbeatSeconds: Double, leaseSeconds: Double) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sweepline-bench-\(getpid())-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try agentToken.write(to: directory.appendingPathComponent("agent.token"), atomically: true, encoding: .utf8)
        try operatorToken.write(
            to: directory.appendingPathComponent("operator.token"), atomically: true, encoding: .utf8)
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "sweepline")
        process.executableURL = binary
        process.arguments = [
            "coordinator", "--agents-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
            "--store", directory.appendingPathComponent("bench.db").path,
            "--agent-token-file", directory.appendingPathComponent("agent.token").path,
            "--operator-token-file", directory.appendingPathComponent("operator.token").path,
            "--heartbeat-seconds", String(heartbeatSeconds), "--lease-seconds", String(leaseSeconds), "--log-level",
            "error",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        // The coordinator prints its two addresses, then nothing more on stdout.
        var text = ""
        while !(text.contains("agents on") && text.contains("HTTP API on")) {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw BenchmarkError("the coordinator exited before listening") }
            text += String(decoding: data, as: UTF8.self)
        }
        for line in text.split(separator: "\n") {
            let port = Int(line.split(separator: ":").last ?? "") ?? 0
            if line.contains("agents on") { agentsPort = port }
            if line.contains("HTTP API on") { httpPort = port }
        }
    }

    /// Resident memory, bytes.
    var residentBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    /// User + system CPU seconds so far.
    var cpuSeconds: Double {
        let stat = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        // After the command name: state is field 3, utime 14 and stime 15 (1-based, see proc(5)).
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
