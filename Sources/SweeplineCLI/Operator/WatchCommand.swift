import ArgumentParser
import Coordinator
import Foundation
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow progress live: redrawn in place on a terminal, one line per change otherwise.")
    @OptionGroup var connection: OperatorOptions
    @Option(help: "Seconds between refreshes.")
    var interval: Double = 1
    @Flag(help: "Exit once no job is queued or running (exit code 1 if any failed).")
    var untilDone = false

    func run() async throws {
        let client = try connection.client(in: .standard)
        let exitCode = try await Self.watch(
            client: client, interval: interval, untilDone: untilDone, terminal: isatty(STDOUT_FILENO) == 1)
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    /// Returns the exit code once done (only with `untilDone`).
    static func watch(client: APIClient, interval: Double, untilDone: Bool, terminal: Bool) async throws -> Int32 {
        var lastLine = ""
        while true {
            let status: StatusResponse = try await client.get("/v1/status")
            if terminal {
                let jobs: [JobSummary] = try await client.get("/v1/jobs")
                let active = jobs.filter { !$0.job.state.isTerminal }
                let recent = jobs.filter { $0.job.state.isTerminal }.suffix(max(0, 10 - active.count))
                // Home, clear, redraw: the screen shows the fleet as it is now.
                print("\u{1B}[H\u{1B}[2J", terminator: "")
                print("sweepline watch — \(ISO8601DateFormatter().string(from: Date()))\n")
                print(Rendering.status(status))
                print("")
                print(Rendering.jobs(Array(active.prefix(40)) + recent))
                fflush(nil)
            } else {
                let line =
                    JobState.allCases.map { "\($0.rawValue)=\(status.jobs[$0.rawValue] ?? 0)" }.joined(separator: " ")
                    + " agents=\(status.agentsConnected) gpus_busy=\(status.gpusBusy)/\(status.gpusTotal)"
                if line != lastLine {
                    print("\(ISO8601DateFormatter().string(from: Date())) \(line)")
                    fflush(nil)
                    lastLine = line
                }
            }
            if untilDone && status.unfinishedJobs == 0 {
                return (status.jobs["failed"] ?? 0) > 0 ? 1 : 0
            }
            try await Task.sleep(for: .seconds(interval))
        }
    }
}
