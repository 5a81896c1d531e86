import Agent
import ArgumentParser
import Foundation
import LoadGenerator
import Logging
import ServiceLifecycle
import Wire

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run an agent on a GPU node: it dials the coordinator and runs the jobs it is given.")

    @Option(help: "The coordinator's agent address, HOST:PORT.")
    var coordinator: String

    @Option(
        help: "File holding this agent's credential from `sweepline agents enroll` (or set SWEEPLINE_AGENT_CREDENTIAL)."
    )
    var credentialFile: String?

    @Option(
        help: "CA certificates (PEM) that the coordinator's certificate must chain to (default: the system's roots).")
    var caFile: String?

    @Option(help: "The name the coordinator's certificate must carry (default: the host of --coordinator).")
    var serverName: String?

    @Option(help: "Mutual TLS: this agent's certificate (PEM), which names it; instead of a credential.")
    var tlsCertificate: String?

    @Option(help: "The private key (PEM) of --tls-certificate.")
    var tlsKey: String?

    @Flag(help: "Dial the coordinator over plain TCP, verifying nothing. Tests only.")
    var insecurePlaintextAgentLink = false

    @Option(
        help:
            "Seconds a connection may take to be welcomed, TLS handshake included, before the agent hangs up and retries."
    )
    var handshakeTimeoutSeconds: Double = 10

    @Option(help: "This agent's stable id (default: the host name).")
    var agentID: String?

    @Option(
        help: ArgumentHelp(
            "Pass this variable of the agent's environment on to workloads (repeatable).",
            discussion:
                "Workloads get only \(WorkloadEnvironment.passed.sorted().joined(separator: ", ")) from the agent, "
                + "never a SWEEPLINE_ variable, plus their job's own env."))
    var workloadEnv: [String] = []

    @Option(
        help: ArgumentHelp(
            "Run workloads and launched engines as this user (the agent must be root to switch).",
            discussion: "Without it they run as the agent's own user and could read its credential file."))
    var workloadUser: String?

    @Option(
        help:
            "Where the agent records its workloads' process groups, to end any that a killed agent left behind (default: $XDG_STATE_HOME/sweepline/agent-ID)."
    )
    var stateDir: String?

    @Option(
        help: ArgumentHelp(
            "A cgroup v2 directory delegated to the agent: each workload runs in a cgroup below it.",
            discussion:
                "Nothing a workload starts can then escape its end, not even with setsid; an agent starting over ends what a killed one left there. systemd: Delegate=yes."
        ))
    var workloadCgroup: String?

    @Option(
        help:
            "Threads (one event loop each) the load generator spreads its connections over (default: half the cores, the rest left to the engine on this node)."
    )
    var clientThreads: Int?

    @Option(help: "Declare this many GPUs instead of asking nvidia-smi / amd-smi (CPU hosts, tests).")
    var gpus: Int?

    @Option(help: "The model name of declared GPUs.")
    var gpuModel: String = "CPU"

    @Option(help: "Memory of each declared GPU, MiB.")
    var gpuMemoryMib: Int = 0

    @Option(name: .customLong("label"), help: "A label key=value jobs can select on; repeat for more.")
    var labels: [String] = []

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        var logger = Logger(label: "sweepline.agent")
        logger.logLevel = logLevel
        if let clientThreads, clientThreads < 1 { throw ValidationError("--client-threads must be at least 1") }
        LoadGeneratorLoops.configure(
            threads: clientThreads ?? LoadGeneratorLoops.defaultThreads(besideAnEngine: true))
        let address = try HostPort(coordinator, defaultPort: 7411)
        let credential: @Sendable () throws -> String
        if let credentialFile {
            // Read now, so a missing file stops the agent at once; and again at every
            // connection, so a rotated secret takes effect without a restart.
            _ = try Secrets.read(file: credentialFile, purpose: "agent credential")
            credential = { try Secrets.read(file: credentialFile, purpose: "agent credential") }
        } else if let fromEnvironment = ProcessInfo.processInfo.environment["SWEEPLINE_AGENT_CREDENTIAL"],
            !fromEnvironment.isEmpty
        {
            credential = { fromEnvironment }
        } else if tlsCertificate != nil {
            credential = { "" }  // the certificate names the agent
        } else {
            throw ValidationError(
                "give --credential-file PATH or set SWEEPLINE_AGENT_CREDENTIAL (`sweepline agents enroll ID` mints one), "
                    + "or a client certificate with --tls-certificate and --tls-key")
        }
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-certificate and --tls-key go together")
        }
        if insecurePlaintextAgentLink, caFile != nil || serverName != nil || tlsCertificate != nil {
            throw ValidationError(
                "--insecure-plaintext-agent-link verifies nothing: drop --ca-file, --server-name and --tls-certificate")
        }
        if insecurePlaintextAgentLink {
            logger.warning(
                "agent link is PLAINTEXT: the coordinator is not verified and the credential is sent in the clear")
        }
        var parsedLabels: [String: String] = [:]
        for label in labels {
            let parts = label.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("label `\(label)` must be key=value")
            }
            parsedLabels[String(parts[0])] = String(parts[1])
        }
        let id = agentID ?? ProcessInfo.processInfo.hostName
        if let problem = AgentIDRule.problem(with: id) {
            throw ValidationError(
                "\(agentID == nil ? "this host's name" : "--agent-id") `\(id)`: \(problem); set --agent-id")
        }
        let environment = ProcessInfo.processInfo.environment
        let stateDirectory =
            stateDir
            ?? "\(environment["XDG_STATE_HOME"] ?? NSHomeDirectory() + "/.local/state")/sweepline/agent-\(id)"
        let ledger = try WorkloadLedger(directory: stateDirectory)
        let leftovers = ledger.endLeftovers()
        if !leftovers.isEmpty {
            logger.warning(
                "ended workload process groups a previous agent left running",
                metadata: [
                    "groups": "\(leftovers.map(String.init).joined(separator: ","))", "state": "\(stateDirectory)",
                ])
        }
        let cgroups = try workloadCgroup.map(WorkloadCgroups.init(directory:))
        if let left = cgroups?.endLeftovers(), left > 0 {
            logger.warning(
                "ended workload cgroups a previous agent left running",
                metadata: ["cgroups": "\(left)", "under": "\(cgroups?.directory ?? "")"])
        }
        let launcher = WorkloadLauncher(
            user: try workloadUser.map(WorkloadUser.named), ledger: ledger, cgroups: cgroups)
        let declared = gpus.map { GPUDiscovery.Declared(count: $0, model: gpuModel, memoryMiB: gpuMemoryMib) }
        let inventory = try await GPUDiscovery.inventory(declared: declared, agentID: id)
        logger.info(
            "inventory",
            metadata: ["agent": "\(id)", "gpus": "\(inventory.gpus.count)", "model": "\(inventory.gpuModel ?? "none")"])
        let runtime = AgentRuntime(
            agentID: id, inventory: inventory, labels: parsedLabels,
            baseEnvironment: WorkloadEnvironment.inherited(
                from: ProcessInfo.processInfo.environment, passing: Set(workloadEnv)),
            logger: logger)
        let service = AgentService(
            configuration: .init(
                coordinatorHost: address.host, coordinatorPort: address.port, credential: credential,
                security: insecurePlaintextAgentLink
                    ? .insecurePlaintext
                    : .tls(
                        caFile: caFile, serverName: serverName,
                        clientCertificate: tlsCertificate.flatMap { certificate in tlsKey.map { (certificate, $0) } }),
                agentVersion: Sweepline.version, handshakeTimeoutSeconds: handshakeTimeoutSeconds),
            runtime: runtime,
            // The simulated engine runs as a process of its own: its CPU is never the client's.
            runners: AgentService.defaultRunners(simulatorExecutable: Bundle.main.executablePath, launcher: launcher),
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
