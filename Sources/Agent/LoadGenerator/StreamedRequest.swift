import NIOCore
import NIOHTTP1
import NIOPosix

/// One streaming HTTP/1.1 request whose server-sent events are stamped, with a monotonic clock,
/// as the bytes holding them are read. The seed of the benchmark kernel's load generator.
public struct StreamedRequest: Sendable {
    /// An SSE `data:` payload and when it was read.
    public struct Event: Sendable {
        public var at: ContinuousClock.Instant
        public var data: String
    }

    /// Just before the request was written.
    public var start: ContinuousClock.Instant
    public var status: Int
    public var events: [Event]

    /// Events that carry generated text (completions `text` or chat `content` that is not empty).
    public var tokenEvents: [Event] {
        events.filter {
            ($0.data.contains("\"text\":\"") && !$0.data.contains("\"text\":\"\""))
                || ($0.data.contains("\"content\":\"") && !$0.data.contains("\"content\":\"\""))
        }
    }

    /// Sends `body` as JSON to `path` and reads the event stream to its end.
    public static func send(host: String = "127.0.0.1", port: Int, path: String = "/v1/completions", body: String)
        async throws -> StreamedRequest
    {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
            head.headers.add(name: "Host", value: host)
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.utf8.count))
            head.headers.add(name: "Connection", value: "close")
            let start = ContinuousClock.now
            try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(ByteBuffer(string: body))), .end(nil)])
            var status = 0
            var pending = ""
            var events: [Event] = []
            for try await part in inbound {
                switch part {
                case .head(let response):
                    status = Int(response.status.code)
                case .body(let buffer):
                    let at = ContinuousClock.now
                    pending += String(buffer: buffer)
                    while let end = pending.range(of: "\n\n") {
                        let line = pending[..<end.lowerBound]
                        events.append(
                            Event(at: at, data: line.hasPrefix("data: ") ? String(line.dropFirst(6)) : String(line)))
                        pending = String(pending[end.upperBound...])
                    }
                case .end:
                    return StreamedRequest(start: start, status: status, events: events)
                }
            }
            return StreamedRequest(start: start, status: status, events: events)
        }
    }
}
