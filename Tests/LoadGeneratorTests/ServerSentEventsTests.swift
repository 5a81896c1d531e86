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

    @Test func wholeStream_classifiesEveryEvent() throws {
        var parser = ServerSentEventParser()
        let events = try parser.feed(ByteBuffer(string: Self.chatStream)).map(StreamEvent.classify)
        #expect(events == Self.expected)
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func anySplitOfTheBytes_givesTheSameEvents(chunkSize: Int) throws {
        var parser = ServerSentEventParser()
        let bytes = Array(Self.chatStream.utf8)
        var events: [StreamEvent] = []
        for start in stride(from: 0, to: bytes.count, by: chunkSize) {
            let piece = ByteBuffer(bytes: bytes[start..<min(bytes.count, start + chunkSize)])
            events += try parser.feed(piece).map(StreamEvent.classify)
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
        // A count past Int (a hostile or broken server) is an error, not a crash.
        #expect(
            StreamEvent.classify(
                #"{"choices":[],"usage":{"prompt_tokens":99999999999999999999,"completion_tokens":1}}"#)
                == .error("usage carries a token count that is not one"))
        #expect(
            StreamEvent.classify(#"{"choices":[],"usage":{"prompt_tokens":12.0,"completion_tokens":3}}"#)
                == .usage(promptTokens: 12, completionTokens: 3))
    }

    @Test func multiLineData_isJoinedWithNewlines_andOtherFieldsIgnored() throws {
        var parser = ServerSentEventParser()
        #expect(
            try parser.feed(ByteBuffer(string: "event: message\nid: 7\ndata: a\ndata:b\nretry: 10\n\n")) == ["a\nb"])
    }

    @Test func carriageReturnsAlone_endLines_evenAcrossReads() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed(ByteBuffer(string: "data: a\r")) == [])
        // The \n of the \r\n came in the next read; the event ends at the lone \r after b.
        #expect(try parser.feed(ByteBuffer(string: "\ndata: b\r\r")) == ["a\nb"])
        var whole = ServerSentEventParser()
        #expect(try whole.feed(ByteBuffer(string: "data: a\r\rdata: b\r\n\r\n")) == ["a", "b"])
    }

    @Test func anEventLongerThanTheBound_isRefused_notBuffered() throws {
        var parser = ServerSentEventParser()
        let piece = ByteBuffer(string: "data: " + String(repeating: "x", count: 64 * 1024))
        #expect(throws: HTTPResponseError.self) {
            for _ in 0..<(ServerSentEventParser.maximumEventBytes / (64 * 1024) + 2) { _ = try parser.feed(piece) }
        }
    }
}

@Suite struct StreamingResponseHandlerTests {
    /// A channel with the handler, connected: an `EmbeddedChannel` starts inactive, and only an
    /// active one can show that the handler closed it.
    static func connected(_ handler: StreamingResponseHandler) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8000)).wait()
        return channel
    }

    /// A connected handler with a request of three tokens waiting on it.
    static func waiting() throws -> (
        StreamingResponseHandler, EmbeddedChannel, EventLoopPromise<StreamedRequest>
    ) {
        let handler = StreamingResponseHandler()
        let channel = try connected(handler)
        let promise = channel.eventLoop.makePromise(of: StreamedRequest.self)
        handler.expect(promise, start: .now, expectedTokens: 3)
        return (handler, channel, promise)
    }

    /// The chat stream as fastsse, vLLM and SGLang send it: chunked, one event per chunk.
    static func chunked(_ stream: String) -> String {
        let events = stream.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { $0 + "\n\n" }
        let chunks = events.map { String($0.utf8.count, radix: 16) + "\r\n" + $0 + "\r\n" }.joined()
        return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks
            + "0\r\n\r\n"
    }

    @Test func tokensAreStampedInThePipeline_andShareTheirReadTime() throws {
        let handler = StreamingResponseHandler()
        let channel = try Self.connected(handler)
        let promise = channel.eventLoop.makePromise(of: StreamedRequest.self)
        let start = ContinuousClock.now
        handler.expect(promise, start: start, expectedTokens: 3)
        // Everything up to the second token's event in one read, the rest in another.
        let text = Self.chunked(ServerSentEventsTests.chatStream)
        let split = text.utf8.distance(from: text.startIndex, to: text.range(of: "reasoning_content")!.lowerBound)
        let bytes = Array(text.utf8)
        try channel.writeInbound(ByteBuffer(bytes: bytes[..<split]))
        try channel.writeInbound(ByteBuffer(bytes: bytes[split...]))
        let response = try promise.futureResult.wait()
        #expect(response.status == 200 && response.keepAlive)
        #expect(response.tokens.count == 3)
        #expect(response.promptTokens == 12 && response.completionTokens == 3)
        #expect(response.sawDone && response.streamError == nil)
        #expect(response.tokens[1].readAt == response.tokens[2].readAt, "one read")
        #expect(response.tokens[0].readAt < response.tokens[1].readAt, "two reads")
        #expect(response.tokens.allSatisfy { $0.parsedAt >= $0.readAt && $0.readAt >= start })
        _ = try channel.finish()
    }

    @Test(arguments: [1, 5, 17, 100])
    func anySplitOfTheResponse_givesTheSameRecord(chunkSize: Int) throws {
        let handler = StreamingResponseHandler()
        let channel = try Self.connected(handler)
        let bytes = Array(Self.chunked(ServerSentEventsTests.chatStream).utf8)
        // Two responses one after the other on the same connection.
        for _ in 0..<2 {
            let promise = channel.eventLoop.makePromise(of: StreamedRequest.self)
            handler.expect(promise, start: .now, expectedTokens: 3)
            for start in stride(from: 0, to: bytes.count, by: chunkSize) {
                try channel.writeInbound(ByteBuffer(bytes: bytes[start..<min(bytes.count, start + chunkSize)]))
            }
            let response = try promise.futureResult.wait()
            #expect(response.tokens.count == 3 && response.completionTokens == 3 && response.sawDone)
        }
        _ = try channel.finish()
    }

    @Test func anErrorStatus_keepsTheStartOfItsBody() throws {
        let (_, channel, promise) = try Self.waiting()
        let body = #"{"error":"model not found"}"#
        try channel.writeInbound(
            ByteBuffer(
                string:
                    "HTTP/1.1 404 Not Found\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"))
        let response = try promise.futureResult.wait()
        #expect(response.status == 404 && !response.keepAlive)
        #expect(String(decoding: response.errorBody, as: UTF8.self) == body)
        let record = ClosedLoopClient.record(response, 0, (input: 8, output: 3), origin: response.start)
        #expect(record.error == "HTTP 404: \(body)")
        _ = try channel.finish()
    }

    @Test func aBrokenResponse_failsTheRequest_andClosesTheConnection() throws {
        let (_, channel, promise) = try Self.waiting()
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
        #expect(throws: HTTPResponseError.self) { try promise.futureResult.wait() }
        #expect(!channel.isActive)
    }

    @Test func bytesNobodyAskedFor_closeTheConnection() throws {
        let channel = try Self.connected(StreamingResponseHandler())
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        #expect(!channel.isActive)
    }

    @Test func aCloseMidResponse_failsIt_butACloseBeforeAnyByteSaysSo() throws {
        let (_, channel, first) = try Self.waiting()
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"))
        try channel.close().wait()
        #expect(throws: ConnectionClosedEarly.self) { try first.futureResult.wait() }

        let (_, idle, second) = try Self.waiting()
        try idle.close().wait()
        #expect(throws: ConnectionClosedBeforeResponse.self) { try second.futureResult.wait() }
    }
}

@Suite struct HTTPResponseFramingTests {
    /// Collects what the framing hands on.
    struct Collected: HTTPResponseSink {
        var heads: [Int] = []
        var keepAlive: [Bool] = []
        var body: [UInt8] = []
        var ends = 0
        mutating func responseHead(status: Int, keepAlive: Bool) throws {
            heads.append(status)
            self.keepAlive.append(keepAlive)
        }
        mutating func responseBody(_ bytes: UnsafeRawBufferPointer) throws { body += bytes }
        mutating func responseEnd() { ends += 1 }
    }

    static func frame(_ text: String, by size: Int, closing: Bool = false) throws -> (Collected, Bool) {
        var framing = HTTPResponseFraming()
        var sink = Collected()
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: size) {
            try bytes[start..<min(bytes.count, start + size)].withUnsafeBytes { try framing.feed($0, into: &sink) }
        }
        let complete = closing ? framing.connectionClosed(into: &sink) : framing.isIdle
        return (sink, complete)
    }

    @Test(arguments: [1, 2, 3, 10, 1000])
    func lengthChunkedAndUntilClose_giveTheBody_atAnySplit(size: Int) throws {
        let two =
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n"
        let (sink, idle) = try Self.frame(two, by: size)
        #expect(sink.heads == [200, 200] && sink.ends == 2 && idle)
        #expect(String(decoding: sink.body, as: UTF8.self) == "helloabc0123456789")

        let (closed, complete) = try Self.frame("HTTP/1.0 200 OK\r\n\r\nuntil close", by: size, closing: true)
        #expect(closed.keepAlive == [false] && closed.ends == 1 && complete)
        #expect(String(decoding: closed.body, as: UTF8.self) == "until close")
    }

    @Test func connectionHeaders_decideKeepAlive() throws {
        let (sink, _) = try Self.frame(
            "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\nHTTP/1.0 204 No Content\r\nConnection: Keep-Alive\r\n\r\n",
            by: 7)
        #expect(sink.keepAlive == [false, true] && sink.ends == 2)
    }

    @Test(arguments: [
        "HTTP/2 200\r\n\r\n", "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
    ])
    func malformedResponses_areRefused_withTheReason(text: String) throws {
        #expect(throws: HTTPResponseError.self) { _ = try Self.frame(text, by: 3) }
    }

    @Test func aHeadThatNeverEnds_isRefusedAtItsBound_notBuffered() throws {
        var framing = HTTPResponseFraming()
        var sink = Collected()
        let piece = Array(("X-Filler: " + String(repeating: "y", count: 1000) + "\r\n").utf8)
        let error = #expect(throws: HTTPResponseError.self) {
            try Array("HTTP/1.1 200 OK\r\n".utf8).withUnsafeBytes { try framing.feed($0, into: &sink) }
            for _ in 0..<100 { try piece.withUnsafeBytes { try framing.feed($0, into: &sink) } }
        }
        #expect(error?.reason.contains("16384") == true)
    }
}
