import Foundation
import LoadGenerator
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
/// through the project's one HTTP/1.1 client (``OneShotHTTP``), on the process's own event loops.
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
        let response: OneShotHTTP.Response
        do {
            response = try await OneShotHTTP.send(
                method, path, body: String(decoding: body, as: UTF8.self),
                to: BenchEndpoint(host: host, port: port, model: "", path: path, apiKey: token),
                timeout: .seconds(60), on: MultiThreadedEventLoopGroup.singleton)
        } catch {
            throw APIError(status: 0, message: "cannot reach the coordinator at http://\(host):\(port): \(error)")
        }
        let answer = Data(response.body)
        guard (200..<300).contains(response.status) else {
            throw APIError(status: response.status, message: Self.errorMessage(answer))
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
