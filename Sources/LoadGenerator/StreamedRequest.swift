import NIOCore
import NIOHTTP1
import NIOPosix
import Wire

/// One streaming HTTP/1.1 request, its events parsed and stamped in the pipeline
/// (``StreamEventHandler``). The seed of the benchmark kernel's load generator.
public struct StreamedRequest: Sendable {
    /// Just before the request was written.
    public var start: ContinuousClock.Instant
    public var status: Int
    public var events: [StampedStreamEvent]

    /// The token events, in order.
    public var tokenEvents: [StampedStreamEvent] {
        events.filter { if case .token = $0.event { true } else { false } }
    }

    /// `usage.completion_tokens`, when the server sent usage.
    public var completionTokens: Int? {
        for stamped in events {
            if case .usage(_, let completion, _) = stamped.event { return completion }
        }
        return nil
    }

    /// The engine's own timings of the request, when it sent them.
    public var engineTimings: EngineTimings? {
        for stamped in events {
            if case .usage(_, _, let engine) = stamped.event { return engine }
        }
        return nil
    }

    public var sawDone: Bool { events.contains { $0.event == .done } }

    /// `usage.prompt_tokens`, when the server sent usage.
    public var promptTokens: Int? {
        for stamped in events {
            if case .usage(let prompt, _, _) = stamped.event { return prompt }
        }
        return nil
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

    /// Sends `body` as JSON to `path` and reads the event stream to its end.
    public static func send(
        host: String = "127.0.0.1", port: Int, path: String = "/v1/completions", body: String, apiKey: String? = nil
    ) async throws -> StreamedRequest {
        try await send(to: BenchEndpoint(host: host, port: port, model: "", path: path, apiKey: apiKey), body: body)
    }

    /// Sends `body` as JSON to the endpoint's path, on a connection of its own, and reads the
    /// event stream to its end.
    public static func send(to endpoint: BenchEndpoint, body: String) async throws -> StreamedRequest {
        let channel: NIOAsyncChannel<StreamResponsePart, HTTPClientRequestPart> = try await ClientConnection.open(
            to: endpoint
        ) { try $0.addHandler(StreamEventHandler()) }
        return try await channel.executeThenClose { inbound, outbound in
            let start = ContinuousClock.now
            try await outbound.write(
                contentsOf: requestParts(
                    host: endpoint.host, path: endpoint.path, body: body, apiKey: endpoint.apiKey, keepAlive: false))
            var status = 0
            var events: [StampedStreamEvent] = []
            for try await part in inbound {
                switch part {
                case .head(let code, _): status = code
                case .events(let batch): events += batch
                case .end: return StreamedRequest(start: start, status: status, events: events)
                }
            }
            return StreamedRequest(start: start, status: status, events: events)
        }
    }
}
