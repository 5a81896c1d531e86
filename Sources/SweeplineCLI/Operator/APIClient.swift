import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Wire

/// A failed call to the coordinator's API, with what the coordinator said.
public struct APIError: Error, CustomStringConvertible {
    public var status: Int
    public var message: String
    public var description: String { status == 0 ? message : "coordinator answered \(status): \(message)" }
}

/// The operator commands' client for the coordinator's HTTP API: one request per connection,
/// on the NIO HTTP/1.1 codec the project already builds.
public struct APIClient: Sendable {
    public var host: String
    public var port: Int
    public var token: String?

    /// - Parameter url: `http://HOST:PORT`.
    public init(url: String, token: String?) throws {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host else {
            throw APIError(status: 0, message: "coordinator URL must look like http://HOST:PORT, got `\(url)`")
        }
        self.host = host
        self.port = parsed.port ?? 7410
        self.token = token
    }

    public func get<T: Decodable>(_ path: String, as type: T.Type = T.self) async throws -> T {
        try decode(try await send(.GET, path), as: type)
    }

    public func post<T: Decodable>(_ path: String, body: Data = Data(), as type: T.Type = T.self) async throws -> T {
        try decode(try await send(.POST, path, body: body), as: type)
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    private func decode<T: Decodable>(_ body: Data, as type: T.Type) throws -> T {
        do {
            return try Self.decoder.decode(type, from: body)
        } catch {
            throw APIError(status: 0, message: "unexpected answer from the coordinator: \(error)")
        }
    }

    /// The raw body of a 2xx answer.
    public func send(_ method: HTTPMethod, _ path: String, body: Data = Data()) async throws -> Data {
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw APIError(status: 0, message: "cannot reach the coordinator at http://\(host):\(port): \(error)")
        }
        let (status, answer) = try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "Host", value: "\(host):\(port)")
            head.headers.add(name: "Connection", value: "close")
            head.headers.add(name: "Content-Length", value: String(body.count))
            if let token { head.headers.add(name: "Authorization", value: "Bearer \(token)") }
            // One write: the server may answer (and close, as asked) as soon as it has the head,
            // and a later separate write of the end would then fail on a closed channel.
            var parts: [HTTPClientRequestPart] = [.head(head)]
            if !body.isEmpty { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            parts.append(.end(nil))
            try await outbound.write(contentsOf: parts)
            var status = 0
            var collected = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let head): status = Int(head.status.code)
                case .body(var chunk): collected.writeBuffer(&chunk)
                case .end: return (status, Data(collected.readableBytesView))
                }
            }
            return (status, Data(collected.readableBytesView))
        }
        guard (200..<300).contains(status) else {
            throw APIError(status: status, message: Self.errorMessage(answer))
        }
        return answer
    }

    /// Hummingbird's error body is `{"error":{"message":"…"}}`.
    private static func errorMessage(_ body: Data) -> String {
        if let value = try? JSONDecoder().decode(JSONValue.self, from: body),
            let message = value["error"]?["message"]?.stringValue
        {
            return message
        }
        return String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
