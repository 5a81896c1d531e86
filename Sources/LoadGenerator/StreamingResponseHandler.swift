import NIOCore

/// The load generator's whole pipeline after TCP (and TLS): HTTP/1.1 framing, SSE and the
/// classification of each chunk, straight from the bytes of each read, where they arrive —
/// nothing between the socket and a token's stamp but the parse itself. One request at a time;
/// its response is handed to the waiting request once, when it ends.
final class StreamingResponseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// The framing and the recorder as one value, so a read takes one access to it.
    private struct Reader {
        var framing = HTTPResponseFraming()
        var recorder = StreamRecorder()

        mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
            try framing.feed(bytes, into: &recorder)
        }

        mutating func closed() -> Bool { framing.connectionClosed(into: &recorder) }
    }

    private var reader = Reader()
    private var waiting: EventLoopPromise<StreamedRequest>?
    /// Whether any byte of the current response has arrived.
    private(set) var heardBack = false

    /// A request is about to be written at `start`; `promise` gets its response.
    func expect(_ promise: EventLoopPromise<StreamedRequest>, start: ContinuousClock.Instant, expectedTokens: Int) {
        precondition(waiting == nil, "one request at a time on a connection")
        waiting = promise
        heardBack = false
        reader.recorder.begin(start: start, expectedTokens: expectedTokens)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        reader.recorder.readAt = .now
        heardBack = true
        do {
            try buffer.withUnsafeReadableBytes { raw in try reader.feed(raw) }
        } catch {
            fail(error, context: context)
            return
        }
        if let response = reader.recorder.takeFinished() {
            let promise = waiting
            waiting = nil
            promise?.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if reader.closed(), let response = reader.recorder.takeFinished() {
            let promise = waiting
            waiting = nil
            promise?.succeed(response)
        }
        reader.recorder.abandon()
        waiting?.fail(heardBack ? ConnectionClosedEarly() : ConnectionClosedBeforeResponse(cause: nil))
        waiting = nil
        context.fireChannelInactive()
    }

    /// The request could not be written; unless its response already settled it, it failed.
    func writeFailed(_ error: any Error) {
        guard let promise = waiting, !heardBack else { return }
        waiting = nil
        reader.recorder.abandon()
        promise.fail(ConnectionClosedBeforeResponse(cause: error))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    /// Fails the request in flight (if any) and closes the connection: after a broken response
    /// nothing more on it can be trusted.
    func fail(_ error: any Error, context: ChannelHandlerContext) {
        reader.recorder.abandon()
        let promise = waiting
        waiting = nil
        promise?.fail(error)
        context.close(promise: nil)
    }
}

struct ConnectionClosedEarly: Error, CustomStringConvertible {
    var description: String { "the server closed the connection before the response ended" }
}

/// The connection ended before any byte of the response came back: on a kept-alive connection,
/// the server closed it as the request went out (its idle timeout or request limit).
struct ConnectionClosedBeforeResponse: Error, CustomStringConvertible {
    /// Why the request could not be written, when that is how it ended.
    var cause: (any Error)?
    var description: String {
        cause.map { "the request could not be written: \($0)" } ?? "the server closed the connection before responding"
    }
}
