import NIOCore
import NIOHTTP1

/// An event of a streamed response, stamped when its bytes were read and when it was parsed.
/// Several events in one read share `readAt`, so gaps of zero between them stay visible for what
/// they are.
public struct StampedStreamEvent: Hashable, Sendable {
    public var event: StreamEvent
    public var readAt: ContinuousClock.Instant
    public var parsedAt: ContinuousClock.Instant
}

/// What the stream handler passes on: the status, the response's stamped events, the end.
public enum StreamResponsePart: Hashable, Sendable {
    /// The status, and whether the server keeps the connection open after this response.
    case head(status: Int, keepAlive: Bool)
    /// Every event of the response, stamped as it was parsed; passed on once, at the end.
    case events([StampedStreamEvent])
    case end
}

/// Parses server-sent events inside the channel pipeline, right where the bytes arrive, so
/// nothing between the socket and the timestamp (task hops, async iteration) lands in TTFT or ITL.
/// The events are kept until the response ends and then passed on together: handing each one
/// to the reading task on its own cost more than parsing it.
public final class StreamEventHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPClientResponsePart
    public typealias InboundOut = StreamResponsePart

    private var parser = ServerSentEventParser()
    private var events: [StampedStreamEvent] = []

    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            context.fireChannelRead(wrapInboundOut(.head(status: Int(head.status.code), keepAlive: head.isKeepAlive)))
        case .body(let buffer):
            let readAt = ContinuousClock.now
            for payload in parser.feed(buffer) {
                events.append(
                    StampedStreamEvent(event: StreamEvent.classify(payload), readAt: readAt, parsedAt: .now))
            }
        case .end:
            context.fireChannelRead(wrapInboundOut(.events(events)))
            events = []
            context.fireChannelRead(wrapInboundOut(.end))
        }
    }
}
