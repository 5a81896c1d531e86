import Agent
import ArgumentParser
import Catalog
import Coordinator
import Foundation
import Logging
import Results
import ServiceLifecycle
import Simulator
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded default: a coordinator and three agents with simulated GPUs in this process,
/// a real sweep with the simulated engine, live progress, the frontiers and an HTML report.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Run a sweep on a coordinator and three local agents with simulated GPUs (8×H200, 8×B200, 8×MI325X); print the frontiers and write report.html."
    )

    @Flag(help: "Run the simulated engine in virtual time (seconds) instead of serving it over HTTP in real time.")
    var virtual = false

    @Option(
        help:
            "Real time: run every deployment this many times faster than its simulated GPU (times are scaled back; default: a scale per deployment that keeps its token events within what this machine takes in)."
    )
    var timeScale: Double?

    @Option(help: "Real time: tokens per streamed chunk.")
    var streamInterval = 16

    @Option(help: "Measured requests per point, as a multiple of its concurrency (InferenceMAX uses 10).")
    var promptsPerConcurrency = 2

    @Option(name: [.short, .customLong("output")], help: "Where to write the HTML report.")
    var output = "report.html"

    @Option(help: "Keep the store here instead of a temporary file.")
    var store: String?

    @Option(help: "Log level of the embedded coordinator and agents.")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        if let timeScale, !(timeScale > 0) { throw ValidationError("--time-scale must be positive") }
        var logger = Logger(label: "sweepline.demo")
        logger.logLevel = logLevel
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sweepline-demo-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let storePath = store ?? directory.appendingPathComponent("sweepline.db").path
        let operatorToken = Secrets.generate()
        let ports = BoundPorts()
        let server = try await CoordinatorServer(
            options: .init(
                agentsHost: "127.0.0.1", agentsPort: 0, httpHost: "127.0.0.1", httpPort: 0, storePath: storePath,
                apiTokens: APITokens(operatorTokens: [operatorToken], readerTokens: []),
                // One process on loopback: nothing crosses a network, so no certificate to make.
                agentLink: .insecurePlaintext,
                // Real time: one deployment measured at a time. The three "nodes" share this
                // machine's cores, and two measured at once would measure each other.
                scheduler: SchedulerConfiguration(
                    heartbeatSeconds: 1, leaseSeconds: 30, retryBackoffSeconds: 1,
                    maximumJobsOnAgents: virtual ? nil : 1)),
            logger: logger, onAgentsBound: { ports.set(agents: $0) }, onHTTPBound: { ports.set(http: $0) })

        let sweepFile = directory.appendingPathComponent("demo-sweep.yaml")
        // In virtual time the scales are not used: nothing to simulate twice.
        let deployments = try Self.deployments(
            timeScale: virtual ? 1 : timeScale, streamInterval: streamInterval,
            promptsPerConcurrency: promptsPerConcurrency)
        try Self.sweepFile(
            virtual: virtual, deployments: deployments, streamInterval: streamInterval,
            promptsPerConcurrency: promptsPerConcurrency
        )
        .write(to: sweepFile, atomically: true, encoding: .utf8)
        print("sweepline demo: store \(storePath)")
        print("sweepline demo: sweep file \(sweepFile.path)")
        if virtual {
            print("sweepline demo: the simulated engine runs in virtual time")
        } else {
            let chosen = timeScale == nil ? "each job's own, from its points run first in virtual time" : "as given"
            print(
                "sweepline demo: the simulated engine serves over HTTP in real time, one deployment at a time (`--virtual` for seconds), this many times faster than the GPU it simulates (concurrency 4–32 / 64–256; \(chosen)):"
            )
            print(Self.scaleTable(deployments))
        }
        #if DEBUG
        if !virtual {
            print(
                "sweepline demo: note: a debug build; its load generator and engines are several times slower, so more points fail the client self-check (`swift run -c release sweepline demo`)"
            )
        }
        #endif

        let driver = DemoDriver(
            ports: ports, operatorToken: operatorToken, sweepFile: sweepFile.path,
            report: output, executable: Self.executablePath(), logger: logger)
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

    /// One simulated deployment of the demo at one scenario and some of its concurrencies: one
    /// job, one engine, and how fast it runs in real time.
    struct DemoDeployment {
        var model: String
        var precision: Precision
        var gpu: String
        var tp: Int
        var scenario: Scenario
        var concurrencies: [Int]
        var timeScale: DemoTimeScale
    }

    static let models: [(name: String, precision: Precision)] = [
        ("Llama-3.3-70B-Instruct", .fp8), ("gpt-oss-120b", .fp4),
    ]
    static let gpus = ["H200-SXM", "B200-HGX", "MI325X"]
    static let tps = [1, 2, 4, 8]
    static let scenarios = [Scenario(isl: 1024, osl: 1024), Scenario(isl: 8192, osl: 1024)]
    /// Concurrency 4–256 in two bands, each its own job and engine: one scale for all seven
    /// would be set by concurrency 256 and leave concurrency 4, which streams a sixtieth of the
    /// tokens, running as slowly.
    static let concurrencyBands = [[4, 8, 16, 32], [64, 128, 256]]

    /// Every deployment, scenario and band, each with its time scale: `fixed` for all, or each
    /// one's own, from its points run first in virtual time (``DemoTimeScale``).
    static func deployments(timeScale fixed: Double?, streamInterval: Int, promptsPerConcurrency: Int) throws
        -> [DemoDeployment]
    {
        let all = grid(timeScale: fixed ?? 1)
        guard fixed == nil else { return all }
        return try scaled(all, streamInterval: streamInterval, promptsPerConcurrency: promptsPerConcurrency)
    }

    /// Every deployment, scenario and band of the demo, all at `timeScale`.
    static func grid(timeScale: Double) -> [DemoDeployment] {
        var deployments: [DemoDeployment] = []
        for (model, precision) in models {
            for gpu in gpus {
                for tp in tps {
                    for scenario in scenarios {
                        for band in concurrencyBands {
                            deployments.append(
                                DemoDeployment(
                                    model: model, precision: precision, gpu: gpu, tp: tp, scenario: scenario,
                                    concurrencies: band,
                                    timeScale: DemoTimeScale(scale: timeScale, peakEventsPerSecond: 0)))
                        }
                    }
                }
            }
        }
        return deployments
    }

    /// `deployments`, each at the scale its own points call for: the jobs the coordinator will
    /// make of them (one per entry, in order) run first in virtual time, on every core.
    static func scaled(_ deployments: [DemoDeployment], streamInterval: Int, promptsPerConcurrency: Int) throws
        -> [DemoDeployment]
    {
        let draft = sweepFile(
            virtual: false, deployments: deployments, streamInterval: streamInterval,
            promptsPerConcurrency: promptsPerConcurrency)
        let jobs = SweepExpansion.jobs(try SweepFile.parse(draft, file: "the demo's sweep"), sweepID: "demo")
        precondition(jobs.count == deployments.count, "one job per demo entry")
        let catalog = try Catalog.builtIn()
        let scales = Mutex([Result<DemoTimeScale, any Error>?](repeating: nil, count: jobs.count))
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let scale = Result { () throws -> DemoTimeScale in
                guard let workload = jobs[index].benchmark, case .sim(let engine) = workload.engine else {
                    preconditionFailure("a demo job runs the simulated engine")
                }
                let (deployment, configuration) = try engine.resolved(in: catalog)
                let points = try workload.points.map {
                    try VirtualPoints.records($0, deployment: deployment, configuration: configuration)
                }
                return DemoTimeScale(points: points, streamInterval: streamInterval)
            }
            scales.withLock { $0[index] = scale }
        }
        var scaled = deployments
        for (index, scale) in scales.withLock({ $0 }).enumerated() { scaled[index].timeScale = try scale!.get() }
        return scaled
    }

    /// The time scales, one line per model, GPU and scenario: each tp's for concurrency 4–32
    /// and 64–256.
    static func scaleTable(_ deployments: [DemoDeployment]) -> String {
        var lines: [String] = []
        for (model, _) in models {
            for gpu in gpus {
                for scenario in scenarios {
                    let row = deployments.filter { $0.model == model && $0.gpu == gpu && $0.scenario == scenario }
                    let scales = tps.map { tp in
                        "tp\(tp) "
                            + row.filter { $0.tp == tp }.map { "\(Int($0.timeScale.scale))×" }.joined(separator: "/")
                    }
                    lines.append(
                        "  \(model) on \(gpu), \(scenario.isl)/\(scenario.osl): \(scales.joined(separator: ", "))")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Llama-3.3-70B FP8 and gpt-oss-120b on the three GPUs, tp 1–8, 1k/1k and 8k/1k,
    /// concurrency 4–256: an InferenceMAX-shaped sweep, one entry per deployment, scenario and
    /// concurrency band so that each runs at its own time scale.
    static func sweepFile(
        virtual: Bool, deployments: [DemoDeployment], streamInterval: Int, promptsPerConcurrency: Int
    ) -> String {
        // Real time on a laptop-sized machine: chunks of 16 tokens (as SGLang streams 10) and one
        // deployment per node at a time, so that the three clients and engines share two cores
        // without any of them becoming the bottleneck the self-check would rightly flag.
        let entries = deployments.map { deployment in
            let engine =
                virtual
                ? "{kind: sim, virtual: true}"
                : "{kind: sim, timeScale: \(Int(deployment.timeScale.scale)), streamInterval: \(streamInterval)}"
            return """
                    - model: \(deployment.model)
                      engine: \(engine)
                      precision: \(deployment.precision.rawValue)
                      hardware: {gpu: \(deployment.gpu), exclusive: \(!virtual)}
                      scenarios: [{isl: \(deployment.scenario.isl), osl: \(deployment.scenario.osl)}]
                      search: {tp: [\(deployment.tp)], concurrency: [\(deployment.concurrencies.map(String.init).joined(separator: ", "))]}
                """
        }
        return """
            # Sweepline's demonstration sweep: the simulated engine on three kinds of simulated GPUs.
            # Validate, plan and submit a file like this one with `sweepline validate|plan|submit`.
            sweep:
              name: demo
              workload: {promptsPerConcurrency: \(promptsPerConcurrency), warmupsPerConcurrency: 1, rangeRatio: 0.8, seed: 1}
              entries:
            \(entries.joined(separator: "\n"))

            """
    }
}

/// The three agents' and the operator's part of the demo, run as one service beside the coordinator.
final class DemoDriver: Service {
    let ports: BoundPorts
    let operatorToken: String
    let sweepFile: String
    let report: String
    /// The `sweepline` binary: the agents run the simulated engine as processes of it.
    let executable: String
    let logger: Logger
    let failure = Mutex<(any Error)?>(nil)

    init(
        ports: BoundPorts, operatorToken: String, sweepFile: String, report: String,
        executable: String, logger: Logger
    ) {
        self.ports = ports
        self.operatorToken = operatorToken
        self.sweepFile = sweepFile
        self.report = report
        self.executable = executable
        self.logger = logger
    }

    func run() async throws {
        // Ctrl-C or SIGTERM: stop following and let the group shut the agents and engines down.
        do {
            try await cancelWhenGracefulShutdown { try await self.drive() }
        } catch is CancellationError {
            print("\nsweepline demo: interrupted; what was measured stays in the store")
            failure.withLock { $0 = ExitCode(130) }
        }
    }

    private func drive() async throws {
        let (agentsPort, httpPort) = try await ports.wait()
        let client = try APIClient(url: "http://127.0.0.1:\(httpPort)", token: operatorToken)
        var agents: [AgentService] = []
        for (id, model) in [("demo-h200", "H200-SXM"), ("demo-b200", "B200-HGX"), ("demo-mi325x", "MI325X")] {
            // Each agent gets its own credential, as on a real fleet (`sweepline agents enroll`).
            let enrolment: EnrolmentResponse = try await client.post("/v1/agents/\(id)/enroll")
            let inventory = Inventory(
                hostname: id, vendor: .declared,
                gpus: (0..<8).map {
                    GPUDevice(
                        index: $0, name: "\(model) (simulated)", memoryMiB: 143_771, driverVersion: "simulated",
                        uuid: "\(id)-\($0)")
                },
                cpuCores: 2)
            let runtime = AgentRuntime(agentID: id, inventory: inventory, labels: ["pool": "demo"], logger: logger)
            agents.append(
                AgentService(
                    configuration: .init(
                        coordinatorHost: "127.0.0.1", coordinatorPort: agentsPort, credential: { enrolment.secret },
                        security: .insecurePlaintext, agentVersion: Sweepline.version),
                    runtime: runtime,
                    // Engines run as processes of their own, as a real agent runs them: the kernel
                    // shares the cores among them fairly, and none starves the agents' heartbeats.
                    runners: AgentService.defaultRunners(simulatorExecutable: executable), logger: logger))
        }
        let agentGroup = ServiceGroup(configuration: .init(services: agents.map { .init(service: $0) }, logger: logger))
        // Not a child task: an interrupted demo shuts its agents down gracefully (workloads
        // stopped, what they measured sent and stored) instead of cancelling them.
        let agentsRunning = Task { try await agentGroup.run() }
        defer { agentsRunning.cancel() }
        do {
            try await withTaskCancellationHandler {
                let text = try String(contentsOfFile: sweepFile, encoding: .utf8)
                let submitted: SweepSubmitResponse = try await client.post("/v1/sweeps", body: Data(text.utf8))
                guard let sweepID = submitted.sweepID else {
                    throw ValidationError("\(sweepFile) carries a schedule; the demo runs its sweep now")
                }
                print(
                    "sweepline demo: sweep \(sweepID): \(submitted.jobs.count) jobs, \(submitted.points) points on 3 agents with 8 simulated GPUs each\n"
                )
                let started = ContinuousClock.now
                try await SweepProgress.follow(
                    client: client, sweep: sweepID, terminal: isatty(STDOUT_FILENO) == 1)
                let elapsed = ContinuousClock.now - started
                let results: [PointResult] = try await client.get("/v1/sweeps/\(sweepID)/results")
                print("\n" + ResultRendering.pareto(results, tier: "neocloud_own"))
                try ResultRendering.writeReport(results, sweepName: "demo", tier: "neocloud_own", to: report)
                let valid = results.filter(\.isValid).count
                print(
                    "\nsweepline demo: \(results.count) points measured in \(elapsed.components.seconds) s (\(valid) valid); report written to \(report)"
                )
            } onCancel: {
                Task { await agentGroup.triggerGracefulShutdown() }
            }
        } catch {
            // Interrupted: whatever the call in flight threw, it is the interruption that counts.
            if Task.isCancelled || error is CancellationError {
                _ = await agentsRunning.result
                throw CancellationError()
            }
            failure.withLock { $0 = error }
        }
        await agentGroup.triggerGracefulShutdown()
        _ = await agentsRunning.result
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
