import Foundation
import LoadGenerator
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `launch` adapter: the engine as a process the agent starts from an argv template
/// (vLLM, SGLang, TRT-LLM, llama.cpp, or any of them in a container), on a free port, ready
/// once its readiness path answers 200, its output in the job's log, and brought down with its
/// whole process group (SIGTERM, the grace period, SIGKILL).
final class LaunchedEngineProcess: ServingEngine {
    let endpoint: BenchEndpoint
    let summary: String
    private let process: ChildProcess
    private let launcher: WorkloadLauncher
    private let grace: Double
    private let ended: SetOnce<ChildProcess.Termination>
    private let watcher: Task<Void, Never>
    private let reader: Task<Void, Never>
    private let recentLines: RecentLines

    private init(
        endpoint: BenchEndpoint, summary: String, process: ChildProcess, launcher: WorkloadLauncher, grace: Double,
        recentLines: RecentLines, reader: Task<Void, Never>
    ) {
        self.endpoint = endpoint
        self.summary = summary
        self.process = process
        self.launcher = launcher
        self.grace = grace
        self.recentLines = recentLines
        self.reader = reader
        let ended = SetOnce<ChildProcess.Termination>()
        self.ended = ended
        watcher = Task { [process] in ended.set(await process.waitForExit()) }
    }

    /// `{port}`, `{host}`, `{model}` and `{gpus}` in each argument, replaced.
    static func expand(_ argv: [String], port: Int, host: String, model: String, gpus: Int) -> [String] {
        argv.map { argument in
            argument.replacingOccurrences(of: "{port}", with: String(port))
                .replacingOccurrences(of: "{host}", with: host)
                .replacingOccurrences(of: "{model}", with: model)
                .replacingOccurrences(of: "{gpus}", with: String(gpus))
        }
    }

    static func start(
        _ engine: LaunchedEngine, api: CompletionsAPI, gpus: Int, environment: [String: String],
        launcher: WorkloadLauncher, log: @escaping @Sendable (String) -> Void
    ) async throws -> LaunchedEngineProcess {
        guard !engine.argv.isEmpty else { throw EngineStartFailed("launch.argv is empty") }
        let host = "127.0.0.1"
        let port = try FreePort.pick(host: host)
        let argv = expand(engine.argv, port: port, host: host, model: engine.model, gpus: gpus)
        let process: ChildProcess
        do {
            process = try launcher.spawn(
                argv: argv, environment: environment.merging(engine.environment) { _, new in new })
        } catch {
            throw EngineStartFailed("\(error)")
        }
        log("[engine] started: \(argv.joined(separator: " "))")
        let recent = RecentLines(limit: 20)
        let reader = Task {
            let sink: @Sendable (Substring) -> Void = { line in
                let text = String(line.prefix(8192))
                recent.add(text)
                log("[engine] " + text)
            }
            await process.readOutput(stdout: sink, stderr: sink)
        }
        let launched = LaunchedEngineProcess(
            endpoint: BenchEndpoint(host: host, port: port, model: engine.model, path: api.path),
            summary: "launched `\(argv.joined(separator: " "))` on port \(port)", process: process,
            launcher: launcher, grace: engine.stopGraceSeconds, recentLines: recent, reader: reader)
        do {
            try await launched.waitUntilReady(path: engine.readinessPath, timeout: engine.readinessTimeoutSeconds)
        } catch {
            await launched.stop()
            throw error
        }
        return launched
    }

    private func waitUntilReady(path: String, timeout: Double) async throws {
        let started = ContinuousClock.now
        let deadline = started + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if let termination = ended.value {
                throw EngineStartFailed(
                    "the engine exited (\(termination)) before it was ready; its last lines:\n"
                        + recentLines.lines.joined(separator: "\n"))
            }
            if let response = try? await OneShotHTTP.send(.GET, path, to: endpoint, timeout: .seconds(5)),
                response.status == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw EngineStartFailed(
            "the engine did not answer 200 on \(path) within \(timeout) s; its last lines:\n"
                + recentLines.lines.joined(separator: "\n"))
    }

    func failure() -> String? {
        ended.value.map { "the engine process ended (\($0))" }
    }

    func stop() async {
        if ended.value == nil {
            process.signalGroup(SIGTERM)
            let exited = await withTaskGroup(of: Bool.self) { group in
                group.addTask { [watcher] in
                    await watcher.value
                    return true
                }
                group.addTask { [grace] in
                    try? await Task.sleep(for: .seconds(grace))
                    return false
                }
                defer { group.cancelAll() }
                return await group.next() ?? false
            }
            if !exited { process.signalGroup(SIGKILL) }
        }
        // Whatever the engine started in its group goes with it, even after the leader exited.
        launcher.ended(process)
        await watcher.value
        await reader.value
    }
}
