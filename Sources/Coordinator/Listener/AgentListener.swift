import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Wire

/// Accepts agent connections (NDJSON over TCP) and runs an ``AgentSession`` for each.
public struct AgentListener: Service {
    let host: String
    let port: Int
    let engine: CoordinatorEngine
    let security: AgentLinkSecurity
    let logger: Logger
    let maximumConnectionsBeforeHello: Int
    let outboxLimit: Int
    let onBound: @Sendable (Int) -> Void

    /// - Parameters:
    ///   - maximumConnectionsBeforeHello: connections past this many that have not said
    ///     `hello` are closed at once.
    ///   - onBound: called with the bound port (useful with port 0).
    public init(
        host: String, port: Int, engine: CoordinatorEngine, security: AgentLinkSecurity, logger: Logger,
        maximumConnectionsBeforeHello: Int = 1024, outboxLimit: Int = AgentOutbox.defaultLimit,
        onBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.engine = engine
        self.security = security
        self.logger = logger
        self.maximumConnectionsBeforeHello = maximumConnectionsBeforeHello
        self.outboxLimit = outboxLimit
        self.onBound = onBound
    }

    public func run() async throws {
        let tls = try security.serverContext()
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
        let session = AgentSession(
            engine: engine, handshakeTimeout: .seconds(10), logger: logger,
            outboxLimit: outboxLimit)
        let slots = HandshakeSlots(capacity: maximumConnectionsBeforeHello)
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
