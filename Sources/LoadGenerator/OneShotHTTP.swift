import NIOCore
import NIOHTTP1
import NIOPosix

/// Sweepline's one plain HTTP/1.1 client: a request on a connection of its own, answered in
/// full. The load generator's readiness polls, `/tokenize` and calibration requests use it, and
/// so does the CLI's ``APIClient``; nothing measured goes through it (that is
/// ``KeepAliveWorker``'s job).
///
/// Written on NIOHTTP1 rather than async-http-client: the load generator needs its own
/// pipeline for stamping tokens anyway, these calls need no pooling, redirects or HTTP/2, and
/// async-http-client would add minutes to every clean build (docs/architecture.md).
public enum OneShotHTTP {
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
    }

    /// Sends one request (a JSON `body` unless GET) and reads the whole answer, within `timeout`.
    /// - Parameter group: the load generator's loops by default; callers that are not part of a
    ///   measurement (the CLI) pass their own, so they never share the threads that stamp tokens.
    public static func send(
        _ method: HTTPMethod, _ path: String, body: String? = nil, to endpoint: BenchEndpoint,
        timeout: Duration = .seconds(30), on group: (any EventLoopGroup)? = nil
    ) async throws -> Response {
        try await withTimeout(timeout) {
            let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> =
                try await ClientConnection.open(
                    to: endpoint, connectTimeout: .seconds(5), on: group ?? LoadGeneratorLoops.group)
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(
                    contentsOf: requestParts(
                        method: method, host: endpoint.host, path: path, body: body ?? "", apiKey: endpoint.apiKey,
                        keepAlive: false))
                var response = Response(status: 0, body: [])
                for try await part in inbound {
                    switch part {
                    case .head(let head): response.status = Int(head.status.code)
                    case .body(let buffer): response.body += buffer.readableBytesView
                    case .end: return response
                    }
                }
                return response
            }
        }
    }

    /// A JSON request in one write (the server may answer and close as soon as it has the head).
    static func requestParts(
        method: HTTPMethod = .POST, host: String, path: String, body: String, apiKey: String? = nil, keepAlive: Bool
    ) -> [HTTPClientRequestPart] {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: host)
        if let apiKey { head.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        if !keepAlive { head.headers.add(name: "Connection", value: "close") }
        guard method != .GET else { return [.head(head), .end(nil)] }
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "Content-Length", value: String(body.utf8.count))
        return [.head(head), .body(.byteBuffer(ByteBuffer(string: body))), .end(nil)]
    }
}
