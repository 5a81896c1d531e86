import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Wire

/// Accepts agent connections (NDJSON over TLS, or plain TCP for tests) and runs an
/// ``AgentSession`` for each.
public struct AgentListener: Service {
    let host: String
    let port: Int
    let engine: CoordinatorEngine
    let tls: NIOSSLContext?
    let mutualTLS: Bool
    let limits: AgentLinkLimits
    let logger: Logger
    let onBound: @Sendable (Int) -> Void

    /// Loads the TLS files now, so that a bad one stops the coordinator at start-up, named.
    /// - Parameter onBound: called with the bound port (useful with port 0).
    public init(
        host: String, port: Int, engine: CoordinatorEngine, security: AgentLinkSecurity,
        limits: AgentLinkLimits = AgentLinkLimits(), logger: Logger,
        onBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws {
        self.host = host
        self.port = port
        self.engine = engine
        self.tls = try security.serverContext()
        self.mutualTLS = security.isMutual
        self.limits = limits
        self.logger = logger
        self.onBound = onBound
    }

    public func run() async throws {
        let tls = self.tls
        if tls == nil {
            logger.warning("agent link is PLAINTEXT: credentials and records cross the network unencrypted")
        }
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.addFrameCodec()
                    return try NIOAsyncChannel<Frame, Frame>(wrappingChannelSynchronously: channel)
                }
            }
        let boundPort = server.channel.localAddress?.port ?? port
        logger.info("listening for agents", metadata: ["address": "\(host):\(boundPort)"])
        onBound(boundPort)
        let session = AgentSession(engine: engine, limits: limits, mutualTLS: mutualTLS, logger: logger)
        let slots = HandshakeSlots(capacity: limits.connectionsBeforeHello)
        // On shutdown every session ends (their tasks are cancelled, which closes their
        // connections); agents reconnect to whichever coordinator comes up next.
        try? await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        guard slots.take() else {
                            logger.warning(
                                "closing a connection: too many have not said hello",
                                metadata: [
                                    "peer": "\(connection.channel.remoteAddress?.description ?? "unknown")",
                                    "limit": "\(slots.capacity)",
                                ])
                            // Closed through its async wrapper, which owns the channel now.
                            group.addTask { try? await connection.executeThenClose { _, _ in } }
                            continue
                        }
                        group.addTask { await session.run(connection, handshakeDone: slots.give) }
                    }
                }
            }
        }
    }
}
