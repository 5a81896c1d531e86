import Coordinator
import Foundation
import NIOSSL
import SweeplineCLI
import TestPKI

#if canImport(Glibc)
import Glibc
#endif

/// A `sweepline coordinator` child process on a fresh temporary store, measured from outside:
/// its resident memory and CPU time come from /proc, untouched by the load generator's own.
final class CoordinatorUnderTest {
    let directory: URL
    let operatorToken = "bench-operator-token"
    let process = Process()
    private(set) var agentsPort = 0
    private(set) var httpPort = 0

    /// The client context agents dial with when the link is TLS (a private CA made for the run).
    private(set) var agentTLS: NIOSSLContext?

    /// - Parameter tls: serve agents over TLS rather than plain TCP.
    init(heartbeatSeconds: Double, leaseSeconds: Double, tls: Bool = false, extraArguments: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sweepline-bench-\(getpid())-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var link = ["--insecure-plaintext-agent-link"]
        if tls {
            let files = try TestPKI().writeServerFiles(to: directory)
            link = ["--tls-certificate", files.certificate, "--tls-key", files.key]
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .file(files.ca)
            agentTLS = try NIOSSLContext(configuration: configuration)
        }
        try operatorToken.write(
            to: directory.appendingPathComponent("operator.token"), atomically: true, encoding: .utf8)
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "sweepline")
        process.executableURL = binary
        process.arguments =
            [
                "coordinator", "--agents-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
                "--store", directory.appendingPathComponent("bench.db").path,
                "--operator-token-file", directory.appendingPathComponent("operator.token").path,
                "--heartbeat-seconds", String(heartbeatSeconds), "--lease-seconds", String(leaseSeconds), "--log-level",
                "error",
            ] + link + extraArguments
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

    /// Enrols each agent id (a hundred at a time) and returns their secrets.
    func enroll(_ ids: [String]) async throws -> [String: String] {
        let client = try APIClient(url: "http://127.0.0.1:\(httpPort)", token: operatorToken)
        var secrets: [String: String] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 100).map({ ids[$0..<min(ids.count, $0 + 100)] }) {
            try await withThrowingTaskGroup(of: EnrolmentResponse.self) { group in
                for id in chunk { group.addTask { try await client.post("/v1/agents/\(id)/enroll") } }
                for try await enrolment in group { secrets[enrolment.agent] = enrolment.secret }
            }
        }
        return secrets
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
