import Foundation
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `command` job kind: runs an argv on the assigned GPUs. Each stdout line that is a JSON
/// object becomes a record; every other line, and all of stderr, goes to the job's log.
public struct CommandJobRunner: JobRunner {
    /// A line longer than this is logged (truncated) instead of recorded: it could not fit a frame.
    static let maximumRecordBytes = 256 << 10

    let launcher: WorkloadLauncher

    public init(launcher: WorkloadLauncher = WorkloadLauncher()) {
        self.launcher = launcher
    }

    public func run(_ job: AssignedJob, output: JobOutput, cancel: CancelSignal) async -> (JobOutcome, String) {
        guard let workload = job.spec.command, !workload.argv.isEmpty else {
            return (.failed, "a command job needs command.argv")
        }
        let process: ChildProcess
        do {
            process = try launcher.spawn(
                argv: workload.argv, environment: job.environment(adding: workload.environment))
        } catch {
            return (.failed, "\(error)")
        }
        let reading = Task {
            await process.readOutput(
                stdout: { line in
                    var text = String(line)
                    let isRecord =
                        line.utf8.count <= Self.maximumRecordBytes && line.first == "{"
                        && text.withUTF8 { JSONScanner(UnsafeRawBufferPointer($0)).isSingleObject() }
                    if isRecord {
                        output.records.push(text, bytes: line.utf8.count + 1)
                    } else {
                        output.logLine(String(line.prefix(8192)))
                    }
                },
                stderr: { line in output.logLine(String(line.prefix(8192))) })
        }
        enum Stop: Sendable {
            case exited(ChildProcess.Termination)
            case canceled
            case timedOut(Double)
        }
        enum Event: Sendable {
            case exited(ChildProcess.Termination)
            case timedOut
        }
        let (termination, timedOut) = await withTaskGroup(of: Event?.self) { group in
            group.addTask { .exited(await process.waitForExit()) }
            group.addTask {
                if let grace = await cancel.wait() { await Self.terminate(process, grace: grace) }
                return nil
            }
            if let timeout = workload.timeoutSeconds {
                group.addTask {
                    guard (try? await Task.sleep(for: .seconds(timeout))) != nil else { return nil }
                    process.signalGroup(SIGTERM)
                    return .timedOut
                }
            }
            var exit: ChildProcess.Termination = .signaled(SIGKILL)
            var timedOut = false
            for await event in group {
                switch event {
                case .exited(let termination)?:
                    exit = termination
                    // The watchers are no longer needed.
                    group.cancelAll()
                case .timedOut?:
                    timedOut = true
                    group.addTask {
                        try? await Task.sleep(for: .seconds(workload.cancelGraceSeconds))
                        if !Task.isCancelled { process.signalGroup(SIGKILL) }
                        return nil
                    }
                case nil:
                    break
                }
            }
            return (exit, timedOut)
        }
        let stop: Stop =
            cancel.isCanceled ? .canceled : timedOut ? .timedOut(workload.timeoutSeconds ?? 0) : .exited(termination)
        launcher.ended(process)
        await reading.value
        switch stop {
        case .exited(.exited(0)):
            return (.succeeded, "exit code 0")
        case .exited(let termination):
            return (.failed, "\(workload.argv[0]): \(termination)")
        case .canceled:
            return (.canceled, "stopped on request")
        case .timedOut(let seconds):
            return (.failed, "timed out after \(seconds) s")
        }
    }

    /// SIGTERM to the group, the grace period, then SIGKILL.
    static func terminate(_ process: ChildProcess, grace: Double) async {
        process.signalGroup(SIGTERM)
        try? await Task.sleep(for: .seconds(grace))
        if !Task.isCancelled { process.signalGroup(SIGKILL) }
    }
}
