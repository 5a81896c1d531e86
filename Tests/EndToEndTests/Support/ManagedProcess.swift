import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A `sweepline` process started by a test: stdout lines are kept, stderr goes to a log file
/// that is printed when the test fails to explain why. Killed when the test is done with it.
final class ManagedProcess: Sendable {
    let name: String
    let logPath: String
    private let process: Process
    private let lines = Lines()

    /// The executable under test, built beside the test bundle (override with SWEEPLINE_BINARY).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["SWEEPLINE_BINARY"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("sweepline").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../.build/debug/sweepline"
        )
        .standardized.path
    }

    init(name: String, arguments: [String], directory: URL, environment: [String: String] = [:]) throws {
        self.name = name
        logPath = directory.appendingPathComponent("\(name).log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardInput = FileHandle.nullDevice
        stdout.fileHandleForReading.readabilityHandler = { [lines] handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                lines.end()
                return
            }
            lines.append(data)
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var output: [String] { lines.all }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits for a stdout line containing `marker` and returns it. The bound stops a hung test;
    /// it is no claim about speed: when the suite starts, a dozen debug coordinators and agents
    /// start at once beside CPU-heavy tests on two cores.
    func waitForLine(containing marker: String, timeout: Duration = .seconds(60)) async throws -> String {
        try await eventually("\(name) to print \(marker)", timeout: timeout) {
            output.first { $0.contains(marker) }
        }
    }

    func kill(_ signal: Int32 = SIGKILL) {
        _ = Glibc.kill(pid, signal)
    }

    /// Waits for the process to exit, and for what it printed to be read to its end (the pipe's
    /// reader runs on a thread of its own: a process can be gone before its last lines are
    /// kept), and returns its status.
    func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        try await eventually("\(name) to exit", timeout: timeout) {
            process.isRunning || !lines.isEnded ? nil : process.terminationStatus
        }
    }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Polls `check` every 50 ms until it returns a value; a bounded loop that stops by itself.
/// It checks once more after waking past the deadline: when heavy synchronous tests hold the
/// test pool's threads, a waiting test can wake seconds late, and what it waited for had
/// happened meanwhile (twelve fleet tests once failed together so, their lines long printed).
func eventually<T>(_ what: String, timeout: Duration = .seconds(30), _ check: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await check() { return value }
        if ContinuousClock.now >= deadline { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(50))
    }
}

/// Complete lines a process printed, shared with the pipe's reader. A read can end mid-line;
/// the rest waits for its newline.
private final class Lines: Sendable {
    private let state = Mutex<(lines: [String], partial: [UInt8], ended: Bool)>(([], [], false))

    func append(_ data: Data) {
        state.withLock { state in
            state.partial += data
            while let newline = state.partial.firstIndex(of: UInt8(ascii: "\n")) {
                state.lines.append(String(decoding: state.partial[..<newline], as: UTF8.self))
                state.partial.removeSubrange(...newline)
            }
        }
    }

    /// The pipe reached its end: every line the process printed is kept.
    func end() {
        state.withLock { $0.ended = true }
    }

    var isEnded: Bool { state.withLock { $0.ended } }

    var all: [String] { state.withLock { $0.lines } }
}
