import NIOCore
import NIOHTTP1
import NIOPosix

/// A plain request on a connection of its own, answered in full: readiness polls, `/tokenize`,
/// calibration requests. Never on a measured path.
package enum OneShotHTTP {
    package struct Response: Sendable {
        package var status: Int
        package var body: [UInt8]
    }

    package static func send(
        _ method: HTTPMethod, _ path: String, body: String? = nil, to endpoint: BenchEndpoint,
        timeout: Duration = .seconds(30)
    ) async throws -> Response {
        try await withTimeout(timeout) {
            let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> =
                try await ClientConnection.open(to: endpoint, connectTimeout: .seconds(5))
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(
                    contentsOf: StreamedRequest.requestParts(
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
}
