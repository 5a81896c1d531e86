import Catalog
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Everything a coordinator process runs, assembled from its options: the store, the engine,
/// and the services (state writer, scheduler ticker, agent listener, HTTP API) for one
/// `ServiceGroup`.
public struct CoordinatorServer: Sendable {
    public struct Options: Sendable {
        public var agentsHost: String
        public var agentsPort: Int
        public var httpHost: String
        public var httpPort: Int
        public var storePath: String
        public var apiTokens: APITokens
        public var agentLink: AgentLinkSecurity
        public var scheduler: SchedulerConfiguration
        /// How long an HTTP connection may sit without a complete request: a client that sends
        /// half a header, or nothing, is cut off after this.
        public var httpIdleTimeoutSeconds: Double
        /// What one agent connection may cost: handshake, outbox, write and log-rate bounds.
        public var agentLinkLimits: AgentLinkLimits

        public init(
            agentsHost: String = "0.0.0.0", agentsPort: Int = 7411, httpHost: String = "127.0.0.1",
            httpPort: Int = 7410,
            storePath: String = "sweepline.db", apiTokens: APITokens, agentLink: AgentLinkSecurity,
            scheduler: SchedulerConfiguration = .init(), httpIdleTimeoutSeconds: Double = 15,
            agentLinkLimits: AgentLinkLimits = AgentLinkLimits()
        ) {
            self.agentsHost = agentsHost
            self.agentsPort = agentsPort
            self.httpHost = httpHost
            self.httpPort = httpPort
            self.storePath = storePath
            self.apiTokens = apiTokens
            self.agentLink = agentLink
            self.scheduler = scheduler
            self.httpIdleTimeoutSeconds = httpIdleTimeoutSeconds
            self.agentLinkLimits = agentLinkLimits
        }
    }

    public let engine: CoordinatorEngine
    public let store: any SweeplineStore
    public let services: [any Service]

    /// Opens the store, recovers the queue and builds the services.
    ///
    /// - Parameters:
    ///   - onAgentsBound: called with the agent listener's port once it listens.
    ///   - onHTTPBound: called with the HTTP API's port once it listens.
    public init(
        options: Options, logger: Logger, onAgentsBound: @escaping @Sendable (Int) -> Void = { _ in },
        onHTTPBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        let store = try SQLiteStore(path: options.storePath)
        let engine = try await CoordinatorEngine(store: store, configuration: options.scheduler, logger: logger)
        let router = HTTPAPI.router(
            engine: engine, store: store, tokens: options.apiTokens, catalog: try Catalog.builtIn())
        let api = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: TimeAmount(.seconds(options.httpIdleTimeoutSeconds)))),
            configuration: .init(address: .hostname(options.httpHost, port: options.httpPort), serverName: "sweepline"),
            onServerRunning: { channel in onHTTPBound(channel.localAddress?.port ?? options.httpPort) },
            logger: logger)
        self.engine = engine
        self.store = store
        self.services = [
            StateWriter(engine: engine, store: store, logger: logger),
            SchedulerTicker(engine: engine),
            try AgentListener(
                host: options.agentsHost, port: options.agentsPort, engine: engine, security: options.agentLink,
                limits: options.agentLinkLimits, logger: logger, onBound: onAgentsBound),
            api,
        ]
    }
}
