import Agent
import ArgumentParser
import Coordinator
import Foundation
import Logging
import ServiceLifecycle
import Shared
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded default: a coordinator and two agents in this process, a demonstration job
/// file, live progress, and what was stored.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a coordinator and two local agents on a temporary store, with a demonstration job file.")

    @Option(help: "Keep the store here instead of a temporary file.")
    var store: String?

    @Option(help: "Log level of the embedded coordinator and agents.")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        var logger = Logger(label: "sweepline.demo")
        logger.logLevel = logLevel
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sweepline-demo-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let storePath = store ?? directory.appendingPathComponent("sweepline.db").path
        let agentToken = Secrets.generate()
        let operatorToken = Secrets.generate()
        let ports = BoundPorts()
        let server = try await CoordinatorServer(
            options: .init(
                agentsHost: "127.0.0.1", agentsPort: 0, httpHost: "127.0.0.1", httpPort: 0, storePath: storePath,
                agentToken: agentToken, apiTokens: APITokens(operatorTokens: [operatorToken], readerTokens: []),
                scheduler: SchedulerConfiguration(heartbeatSeconds: 1, leaseSeconds: 5, retryBackoffSeconds: 1)),
            logger: logger, onAgentsBound: { ports.set(agents: $0) }, onHTTPBound: { ports.set(http: $0) })

        let jobFile = directory.appendingPathComponent("demo-jobs.yaml")
        try Self.jobFile(executable: Self.executablePath()).write(to: jobFile, atomically: true, encoding: .utf8)
        print("sweepline demo: store \(storePath)")
        print("sweepline demo: job file \(jobFile.path)")

        let driver = DemoDriver(
            ports: ports, agentToken: agentToken, operatorToken: operatorToken, jobFile: jobFile.path, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = server.services.map { .init(service: $0) }
        services.append(.init(service: driver, successTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        if let failure = driver.failure.withLock({ $0 }) { throw failure }
    }

    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Twelve jobs that show placement, GPU-slot accounting, an exclusive job, priorities and a
    /// retry on another node after a workload failure.
    static func jobFile(executable: String) -> String {
        """
        # Sweepline demonstration jobs. Each runs `sweepline example-workload`, which prints one
        # JSON record per simulated request; the agents stream them to the coordinator.
        jobs:
          - name: one-gpu
            count: 6
            gpus: 1
            command:
              argv: ["\(executable)", "example-workload", "--records", "40", "--interval-ms", "40"]
          - name: tp4-h200
            count: 3
            gpus: 4
            gpuModel: SIM-H200
            priority: 5
            command:
              argv: ["\(executable)", "example-workload", "--records", "60", "--interval-ms", "30"]
          - name: whole-node
            exclusive: true
            labels: {pool: demo}
            command:
              argv: ["\(executable)", "example-workload", "--records", "30", "--interval-ms", "30"]
          - name: flaky
            count: 2
            gpus: 2
            command:
              argv: ["\(executable)", "example-workload", "--records", "40", "--interval-ms", "20", "--fail-attempt", "1"]
        """
    }
}

/// The two agents' and the operator's part of the demo, run as one service beside the coordinator.
final class DemoDriver: Service {
    let ports: BoundPorts
    let agentToken: String
    let operatorToken: String
    let jobFile: String
    let logger: Logger
    let failure = Mutex<(any Error)?>(nil)

    init(ports: BoundPorts, agentToken: String, operatorToken: String, jobFile: String, logger: Logger) {
        self.ports = ports
        self.agentToken = agentToken
        self.operatorToken = operatorToken
        self.jobFile = jobFile
        self.logger = logger
    }

    func run() async throws {
        let (agentsPort, httpPort) = try await ports.wait()
        let agents = [("demo-h200", "SIM-H200"), ("demo-b200", "SIM-B200")].map { id, model in
            let inventory = Inventory(
                hostname: id, vendor: .declared,
                gpus: (0..<8).map {
                    GPUDevice(
                        index: $0, name: model, memoryMiB: 143_771, driverVersion: "simulated", uuid: "\(id)-\($0)")
                },
                cpuCores: 2)
            let runtime = AgentRuntime(agentID: id, inventory: inventory, labels: ["pool": "demo"], logger: logger)
            return AgentService(
                configuration: .init(
                    coordinatorHost: "127.0.0.1", coordinatorPort: agentsPort, token: agentToken,
                    agentVersion: Sweepline.version),
                runtime: runtime, logger: logger)
        }
        let client = try APIClient(url: "http://127.0.0.1:\(httpPort)", token: operatorToken)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                let agentGroup = ServiceGroup(
                    configuration: .init(services: agents.map { .init(service: $0) }, logger: logger))
                group.addTask { try await agentGroup.run() }
                let text = try String(contentsOfFile: jobFile, encoding: .utf8)
                let submitted: SubmitResponse = try await client.post("/v1/jobs", body: Data(text.utf8))
                print("sweepline demo: submitted \(submitted.jobs.count) jobs to 2 agents with 8 simulated GPUs each\n")
                _ = try await WatchCommand.watch(
                    client: client, interval: 0.5, untilDone: true, terminal: isatty(STDOUT_FILENO) == 1)
                let jobs: [JobSummary] = try await client.get("/v1/jobs")
                var rows: [[String]] = []
                var total = 0
                for summary in jobs {
                    let job = summary.job
                    let detail: JobDetail = try await client.get("/v1/jobs/\(job.id)?log=0")
                    let stored = detail.records.first { $0.attempt == job.attempt }?.records ?? 0
                    total += stored
                    rows.append([
                        job.id, job.spec.name, job.state.rawValue, String(job.attempt), job.agentID ?? "-",
                        job.gpus.map(String.init).joined(separator: ","), String(stored),
                    ])
                }
                print(
                    "\n"
                        + Rendering.table(["JOB", "NAME", "STATE", "ATTEMPT", "AGENT", "GPUS", "RECORDS STORED"], rows))
                let agentStatus: [AgentStatus] = try await client.get("/v1/agents")
                print("\n" + Rendering.agents(agentStatus))
                print(
                    "\nsweepline demo: \(total) records stored from the final attempts; `flaky` jobs failed once and were retried on another node."
                )
                await agentGroup.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        } catch {
            failure.withLock { $0 = error }
        }
    }
}

/// The ports the embedded coordinator bound, once it has.
final class BoundPorts: Sendable {
    private let state = Mutex<(agents: Int?, http: Int?)>((nil, nil))

    func set(agents port: Int) { state.withLock { $0.agents = port } }
    func set(http port: Int) { state.withLock { $0.http = port } }

    func wait() async throws -> (agents: Int, http: Int) {
        for _ in 0..<500 {
            let ports = state.withLock { $0 }
            if let agents = ports.agents, let http = ports.http { return (agents, http) }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ValidationError("the embedded coordinator did not start listening within 5 s")
    }
}
