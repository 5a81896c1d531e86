import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One measured connection: TCP (and TLS for `https://`), then ``StreamingResponseHandler``.
/// Requests go out one at a time, written as bytes prepared beforehand; each request's start
/// is stamped on the connection's event loop just before its write.
final class StreamingConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<StreamingResponseHandler>

    private init(channel: any Channel, handler: NIOLoopBound<StreamingResponseHandler>) {
        self.channel = channel
        self.handler = handler
    }

    static func open(
        to endpoint: BenchEndpoint, on loop: any EventLoop, connectTimeout: TimeAmount = .seconds(10)
    ) async throws -> StreamingConnection {
        let tls = try endpoint.tls.map { try TLSContexts.shared.context(caFile: $0.caFile) }
        let serverName = ClientConnection.serverName(endpoint)
        let bootstrap = ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(StreamingResponseHandler())
                }
            }
        // An address needs no lookup: a point opens hundreds of connections at once, and each
        // name lookup (getaddrinfo on another thread, then Happy Eyeballs) is CPU taken from them.
        let connected =
            if let address = try? SocketAddress(ipAddress: endpoint.host, port: endpoint.port) {
                bootstrap.connect(to: address)
            } else {
                bootstrap.connect(host: endpoint.host, port: endpoint.port)
            }
        return
            try await connected
            .flatMapThrowing { channel in
                let handler = try channel.pipeline.syncOperations.handler(type: StreamingResponseHandler.self)
                return StreamingConnection(
                    channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
            }
            .get()
    }

    /// Sends `request` (a whole HTTP request) and waits for its whole response; over `timeout`
    /// the connection is closed and the request fails as timed out.
    func exchange(_ request: ByteBuffer, expectedTokens: Int, timeout: Duration?) async throws -> StreamedRequest {
        let loop = channel.eventLoop
        let expired = ExpiryFlag()
        let future = loop.flatSubmit { [channel, handler] () -> EventLoopFuture<StreamedRequest> in
            let promise = loop.makePromise(of: StreamedRequest.self)
            let deadline = timeout.map { limit in
                loop.scheduleTask(in: TimeAmount(limit)) {
                    expired.set()
                    channel.close(promise: nil)
                }
            }
            promise.futureResult.whenComplete { _ in deadline?.cancel() }
            handler.value.expect(promise, start: .now, expectedTokens: expectedTokens)
            channel.writeAndFlush(request).whenFailure { error in handler.value.writeFailed(error) }
            return promise.futureResult
        }
        do {
            return try await future.get()
        } catch {
            if let timeout, expired.isSet { throw RequestTimedOut(limit: timeout) }
            throw error
        }
    }

    func close() async {
        try? await channel.close()
    }

    /// A request's bytes: head and JSON body, one write (the server may answer and close as
    /// soon as it has the head).
    static func request(
        path: String, host: String, body: String, apiKey: String?, keepAlive: Bool
    ) -> ByteBuffer {
        request(path: path, host: host, body: ByteBuffer(string: body), apiKey: apiKey, keepAlive: keepAlive)
    }

    static func request(
        path: String, host: String, body: ByteBuffer, apiKey: String?, keepAlive: Bool
    ) -> ByteBuffer {
        var head = "POST \(path) HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\n"
        if let apiKey { head += "Authorization: Bearer \(apiKey)\r\n" }
        if !keepAlive { head += "Connection: close\r\n" }
        head += "Content-Length: \(body.readableBytes)\r\n\r\n"
        var buffer = ByteBuffer()
        buffer.reserveCapacity(head.utf8.count + body.readableBytes)
        buffer.writeString(head)
        buffer.writeImmutableBuffer(body)
        return buffer
    }
}

extension StreamedRequest {
    /// Sends `body` as JSON to `path` on a connection of its own and reads the event stream to
    /// its end.
    public static func send(
        host: String = "127.0.0.1", port: Int, path: String = "/v1/completions", body: String, apiKey: String? = nil,
        expectedTokens: Int = 256
    ) async throws -> StreamedRequest {
        try await send(
            to: BenchEndpoint(host: host, port: port, model: "", path: path, apiKey: apiKey), body: body,
            expectedTokens: expectedTokens)
    }

    /// Sends `body` as JSON to the endpoint's path on a connection of its own and reads the
    /// event stream to its end.
    public static func send(to endpoint: BenchEndpoint, body: String, expectedTokens: Int = 256) async throws
        -> StreamedRequest
    {
        let connection = try await StreamingConnection.open(to: endpoint, on: LoadGeneratorLoops.group.next())
        let request = StreamingConnection.request(
            path: endpoint.path, host: endpoint.host, body: body, apiKey: endpoint.apiKey, keepAlive: false)
        do {
            let response = try await connection.exchange(request, expectedTokens: expectedTokens, timeout: nil)
            await connection.close()
            return response
        } catch {
            await connection.close()
            throw error
        }
    }
}

/// Set by a request's deadline when it fires.
final class ExpiryFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
