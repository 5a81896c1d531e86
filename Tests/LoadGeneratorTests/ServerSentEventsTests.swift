import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import LoadGenerator

@Suite struct ServerSentEventsTests {
    /// A chat stream in vLLM's shape: role-only first delta, content deltas, a finishing chunk,
    /// the usage chunk and [DONE]; with a keep-alive comment and CRLF line ends mixed in.
    static let chatStream =
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
        + ": ping\n\n"
        + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}\r\n\r\n"
        + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hmm\"}}]}\n\n"
        + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" world\"},\"finish_reason\":\"length\"}]}\n\n"
        + "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n"
        + "data: [DONE]\n\n"

    static let expected: [StreamEvent] = [
        .empty(finishReason: nil), .token(finishReason: nil), .token(finishReason: nil), .token(finishReason: "length"),
        .usage(promptTokens: 12, completionTokens: 3), .done,
    ]

    @Test func wholeStream_classifiesEveryEvent() {
        var parser = ServerSentEventParser()
        let events = parser.feed(ByteBuffer(string: Self.chatStream)).map(StreamEvent.classify)
        #expect(events == Self.expected)
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func anySplitOfTheBytes_givesTheSameEvents(chunkSize: Int) {
        var parser = ServerSentEventParser()
        let bytes = Array(Self.chatStream.utf8)
        var events: [StreamEvent] = []
        for start in stride(from: 0, to: bytes.count, by: chunkSize) {
            let piece = ByteBuffer(bytes: bytes[start..<min(bytes.count, start + chunkSize)])
            events += parser.feed(piece).map(StreamEvent.classify)
        }
        #expect(events == Self.expected)
    }

    @Test func completions_textDecides_andErrorsAreNamed() {
        #expect(
            StreamEvent.classify(#"{"choices":[{"index":0,"text":" the","finish_reason":null}]}"#)
                == .token(finishReason: nil))
        #expect(
            StreamEvent.classify(#"{"choices":[{"index":0,"text":"","finish_reason":"stop"}]}"#)
                == .empty(finishReason: "stop"))
        #expect(
            StreamEvent.classify(#"{"choices":[{"delta":{"tool_calls":[{"id":"t"}]}}]}"#) == .token(finishReason: nil))
        #expect(StreamEvent.classify(#"{"error":{"message":"out of memory"}}"#) == .error("out of memory"))
        #expect(StreamEvent.classify("garbage") == .error("not a JSON chunk: garbage"))
    }

    @Test func multiLineData_isJoinedWithNewlines_andOtherFieldsIgnored() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(ByteBuffer(string: "event: message\nid: 7\ndata: a\ndata:b\nretry: 10\n\n")) == ["a\nb"])
    }
}

@Suite struct StreamEventHandlerTests {
    @Test func eventsAreStampedInThePipeline_andShareTheirReadTime() throws {
        let channel = EmbeddedChannel(handler: StreamEventHandler())
        try channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        // Two events in one read, then the rest in another.
        let bytes = Array(ServerSentEventsTests.chatStream.utf8)
        let split = ServerSentEventsTests.chatStream.utf8.distance(
            from: ServerSentEventsTests.chatStream.startIndex,
            to: ServerSentEventsTests.chatStream.range(of: ": ping")!.lowerBound)
        try channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(bytes: bytes[..<split])))
        try channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(bytes: bytes[split...])))
        try channel.writeInbound(HTTPClientResponsePart.end(nil))
        var parts: [StreamResponsePart] = []
        while let part = try channel.readInbound(as: StreamResponsePart.self) { parts.append(part) }
        #expect(parts.first == .head(status: 200, keepAlive: true))
        #expect(parts.last == .end)
        #expect(parts.count == 3, "the head, the events together, the end")
        let stamped = parts.flatMap { part -> [StampedStreamEvent] in
            if case .events(let events) = part { events } else { [] }
        }
        #expect(stamped.map(\.event) == ServerSentEventsTests.expected)
        #expect(stamped[1].readAt == stamped[2].readAt, "one read")
        #expect(stamped[0].readAt < stamped[1].readAt, "two reads")
        #expect(stamped.allSatisfy { $0.parsedAt >= $0.readAt })
        _ = try channel.finish()
    }
}
