import ArgumentParser
import Coordinator
import Foundation
import Logging
import ServiceLifecycle

struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run the coordinator daemon: agent listener, scheduler, store and HTTP API.")

    @Option(help: "Where agents connect (NDJSON over TLS).")
    var agentsListen = "0.0.0.0:7411"

    @Option(help: "Where the HTTP API and operator commands connect.")
    var httpListen = "127.0.0.1:7410"

    @Option(help: "The SQLite file that holds everything.")
    var store = "sweepline.db"

    @Option(help: "The agent link's certificate chain (PEM); agents verify it before sending anything.")
    var tlsCertificate: String?

    @Option(help: "The private key (PEM) of --tls-certificate.")
    var tlsKey: String?

    @Option(
        help: ArgumentHelp(
            "Mutual TLS: agents must present a certificate chaining to these CAs (PEM); it names the agent.",
            discussion:
                "The agent id is the last segment of the certificate's spiffe:// URI name, or else its common name. Enrolled credentials are then not used."
        ))
    var tlsClientCa: String?

    @Flag(help: "Serve agents over plain TCP: credentials and records cross the network unencrypted. Tests only.")
    var insecurePlaintextAgentLink = false

    @Option(help: "File holding the bearer token of operators (may submit, cancel, drain).")
    var operatorTokenFile: String

    @Option(help: "File holding a read-only bearer token.")
    var readerTokenFile: String?

    @Option(help: "Seconds between agent heartbeats.")
    var heartbeatSeconds: Double = 5

    @Option(help: "Seconds an assignment lives without a heartbeat.")
    var leaseSeconds: Double = 15

    @Option(help: "Seconds after a restart for agents to reclaim their running jobs.")
    var recoveryGraceSeconds: Double = 60

    @Option(
        help:
            "Run at most this many jobs at once across the fleet (nodes sharing a power feed, a network spine or one machine's cores)."
    )
    var maxJobsOnAgents: Int?

    @Option(help: "Bytes of log text kept of one job attempt; later lines are dropped, and the log says so.")
    var logBytesPerAttempt: Int = 16 << 20

    @Option(help: "Agent connections that may be open at once without having said hello; more are closed at once.")
    var maxConnectionsBeforeHello: Int = 1024

    @Option(help: "Frames queued for one agent before it counts as not reading and is disconnected.")
    var maxFramesQueuedPerAgent: Int = AgentOutbox.defaultLimit

    @Option(help: "Seconds one frame to an agent may take to be written before the agent counts as not reading.")
    var agentWriteTimeoutSeconds: Double = 30

    @Option(help: "Bytes of log text per second one agent may send; more is dropped, and the job's log says so.")
    var logBytesPerSecondPerAgent: Int = 1 << 20

    @Option(help: "Bytes of log text one agent may send in a burst above that rate.")
    var logBurstBytesPerAgent: Int = 8 << 20

    @Option(help: "Seconds an HTTP connection may go without a complete request before it is closed.")
    var httpIdleTimeoutSeconds: Double = 15

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if insecurePlaintextAgentLink {
            guard tlsCertificate == nil, tlsKey == nil, tlsClientCa == nil else {
                throw ValidationError(
                    "--insecure-plaintext-agent-link and --tls-certificate/--tls-key/--tls-client-ca exclude each other"
                )
            }
        } else {
            guard tlsCertificate != nil, tlsKey != nil else {
                throw ValidationError(
                    "the agent link needs --tls-certificate FILE and --tls-key FILE (README: \"A private CA\"); "
                        + "--insecure-plaintext-agent-link runs it without TLS, for tests")
            }
        }
        guard maxFramesQueuedPerAgent > 0 else {
            throw ValidationError("--max-frames-queued-per-agent must be 1 or more")
        }
        guard agentWriteTimeoutSeconds > 0, logBytesPerSecondPerAgent > 0, logBurstBytesPerAgent > 0 else {
            throw ValidationError(
                "--agent-write-timeout-seconds, --log-bytes-per-second-per-agent and --log-burst-bytes-per-agent must be positive"
            )
        }
        guard maxConnectionsBeforeHello > 0 else {
            throw ValidationError("--max-connections-before-hello must be 1 or more")
        }
    }

    func run() async throws {
        var logger = Logger(label: "sweepline.coordinator")
        logger.logLevel = logLevel
        let agents = try HostPort(agentsListen, defaultPort: 7411)
        let http = try HostPort(httpListen, defaultPort: 7410)
        let options = CoordinatorServer.Options(
            agentsHost: agents.host, agentsPort: agents.port, httpHost: http.host, httpPort: http.port,
            storePath: store,
            apiTokens: APITokens(
                operatorTokens: [try Secrets.read(file: operatorTokenFile, purpose: "operator token")],
                readerTokens: try readerTokenFile.map { [try Secrets.read(file: $0, purpose: "reader token")] } ?? []),
            agentLink: agentLink,
            scheduler: SchedulerConfiguration(
                heartbeatSeconds: heartbeatSeconds, leaseSeconds: leaseSeconds,
                recoveryGraceSeconds: recoveryGraceSeconds, maximumJobsOnAgents: maxJobsOnAgents,
                logBytesPerAttempt: logBytesPerAttempt),
            httpIdleTimeoutSeconds: httpIdleTimeoutSeconds,
            agentLinkLimits: AgentLinkLimits(
                connectionsBeforeHello: maxConnectionsBeforeHello, framesQueued: maxFramesQueuedPerAgent,
                writeTimeoutSeconds: agentWriteTimeoutSeconds, logBytesPerSecond: logBytesPerSecondPerAgent,
                logBurstBytes: logBurstBytesPerAgent))
        let server = try await CoordinatorServer(
            options: options, logger: logger,
            onAgentsBound: { port in announce("sweepline coordinator: agents on \(agents.host):\(port)") },
            onHTTPBound: { port in announce("sweepline coordinator: HTTP API on http://\(http.host):\(port)") })
        let group = ServiceGroup(
            configuration: .init(
                services: server.services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}

extension CoordinatorCommand {
    var agentLink: AgentLinkSecurity {
        if let tlsCertificate, let tlsKey {
            return .tls(certificateFile: tlsCertificate, keyFile: tlsKey, clientCAFile: tlsClientCa)
        }
        return .insecurePlaintext
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Prints a line at once, even to a pipe: scripts and tests wait for these.
func announce(_ line: String) {
    print(line)
    fflush(nil)
}
