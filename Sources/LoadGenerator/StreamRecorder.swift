import NIOCore
import Wire

/// When one token event arrived: when the bytes that completed it were read, and when it was
/// parsed. Several events in one read share `readAt`, so gaps of zero between them stay visible
/// for what they are.
public struct TokenStamp: Hashable, Sendable {
    public var readAt: ContinuousClock.Instant
    public var parsedAt: ContinuousClock.Instant
}

/// The response to one request on a connection, as the pipeline read it: the status, every
/// token event's stamps, what the stream said about itself.
public struct StreamedRequest: Sendable {
    /// Just before the request was written.
    public var start: ContinuousClock.Instant
    public var status = 0
    /// Whether the server keeps the connection open after this response.
    public var keepAlive = false
    /// The token events, in order.
    public var tokens: [TokenStamp] = []
    /// `usage.prompt_tokens` and `usage.completion_tokens`, when the server sent usage.
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// The engine's own timings of the request, when it sent them.
    public var engineTimings: EngineTimings?
    public var sawDone = false
    /// The first error the stream carried (an error object, or an event that is not JSON).
    public var streamError: String?
    /// The start of the body of a response that is not 200, for the record's error.
    public var errorBody: [UInt8] = []

    public init(start: ContinuousClock.Instant) { self.start = start }
}

/// Reads the responses of one connection into ``StreamedRequest``s: SSE events parsed and
/// classified where their bytes lie, each token event stamped as it is parsed. Its token storage
/// is reserved for the longest output asked of the connection and kept from one response to
/// the next, so a token event costs no allocation.
struct StreamRecorder: HTTPResponseSink {
    private static let errorBodyBytes = 512

    private var events = ServerSentEventParser()
    private var response = ResponseInProgress()
    private var finished: StreamedRequest?
    /// When the bytes being parsed were read.
    var readAt: ContinuousClock.Instant {
        get { response.readAt }
        set { response.readAt = newValue }
    }

    /// A request went out at `start`; `expectedTokens` sizes the token storage.
    mutating func begin(start: ContinuousClock.Instant, expectedTokens: Int) {
        response.begin(start: start, expectedTokens: expectedTokens)
        finished = nil
        events = ServerSentEventParser()
    }

    /// The response, once it has ended; handed over once.
    mutating func takeFinished() -> StreamedRequest? {
        defer { finished = nil }
        return finished
    }

    /// Drops what arrived of the response so far: the connection failed under it.
    mutating func abandon() { _ = response.end() }

    mutating func responseHead(status: Int, keepAlive: Bool) throws {
        guard response.current != nil else { throw HTTPResponseError(reason: "a response to no request") }
        response.current!.status = status
        response.current!.keepAlive = keepAlive
    }

    mutating func responseBody(_ bytes: UnsafeRawBufferPointer) throws {
        guard let status = response.current?.status else {
            throw HTTPResponseError(reason: "a response to no request")
        }
        guard status == 200 else {
            let room = Self.errorBodyBytes - response.current!.errorBody.count
            if room > 0 { response.current!.errorBody.append(contentsOf: bytes.prefix(room)) }
            return
        }
        try events.feed(bytes) { data in response.record(data) }
    }

    mutating func responseEnd() {
        finished = response.end()
    }
}

/// The response being read, and the token storage it fills.
private struct ResponseInProgress {
    var current: StreamedRequest?
    var tokens: [TokenStamp] = []
    var readAt = ContinuousClock.now

    mutating func begin(start: ContinuousClock.Instant, expectedTokens: Int) {
        current = StreamedRequest(start: start)
        tokens.removeAll(keepingCapacity: true)
        tokens.reserveCapacity(expectedTokens + 1)
    }

    mutating func record(_ data: UnsafeRawBufferPointer) {
        switch StreamEvent.classify(data) {
        case .token:
            tokens.append(TokenStamp(readAt: readAt, parsedAt: .now))
        case .usage(let prompt, let completion, let engine):
            current?.promptTokens = prompt
            current?.completionTokens = completion
            current?.engineTimings = engine
        case .done:
            current?.sawDone = true
        case .error(let message):
            if current?.streamError == nil { current?.streamError = message }
        case .empty:
            break
        }
    }

    /// The response with its tokens; none is in progress after.
    mutating func end() -> StreamedRequest? {
        guard var response = current else { return nil }
        response.tokens = tokens
        current = nil
        return response
    }
}
