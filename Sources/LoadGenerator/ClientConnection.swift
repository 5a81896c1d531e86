import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// Opens the load generator's unmeasured connections (readiness polls, `/tokenize`): TCP with
/// Nagle off, TLS first for `https://` endpoints (certificates verified against the system's
/// roots, or the endpoint's CA file), then NIOHTTP1. Measured streams use
/// ``StreamingConnection``.
enum ClientConnection {
    /// - Parameter group: the load generator's own loops unless the caller is not measuring.
    static func open<Inbound: Sendable, Outbound: Sendable>(
        to endpoint: BenchEndpoint, connectTimeout: TimeAmount = .seconds(10),
        on group: any EventLoopGroup = LoadGeneratorLoops.group
    ) async throws -> NIOAsyncChannel<Inbound, Outbound> {
        let tls = try endpoint.tls.map { try TLSContexts.shared.context(caFile: $0.caFile) }
        let serverName = serverName(endpoint)
        return try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(connectTimeout)
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<Inbound, Outbound>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// The name TLS checks the certificate against: a name against its DNS names; an address,
    /// against its IP ones (no SNI).
    static func serverName(_ endpoint: BenchEndpoint) -> String? {
        (try? SocketAddress(ipAddress: endpoint.host, port: 0)) == nil ? endpoint.host : nil
    }
}

/// TLS client contexts, made once per CA file: loading trust roots is slow, and a context is
/// safe to share between connections.
final class TLSContexts: Sendable {
    static let shared = TLSContexts()
    private let contexts = Mutex<[String: NIOSSLContext]>([:])

    func context(caFile: String?) throws -> NIOSSLContext {
        let key = caFile ?? ""
        if let context = contexts.withLock({ $0[key] }) { return context }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile { configuration.trustRoots = .file(caFile) }
        configuration.applicationProtocols = ["http/1.1"]
        let context = try NIOSSLContext(configuration: configuration)
        contexts.withLock { $0[key] = context }
        return context
    }
}
