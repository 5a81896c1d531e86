import Foundation
import NIOCore
import Synchronization
import Wire

/// One closed-loop point: `concurrency` requests in flight, `warmups` first and left out.
public struct ClosedLoopPoint: Hashable, Sendable {
    public var concurrency: Int
    public var requests: Int
    public var warmups: Int
    public var dataset: RandomDataset

    public init(concurrency: Int, requests: Int? = nil, warmups: Int? = nil, dataset: RandomDataset) {
        self.concurrency = concurrency
        self.requests = requests ?? 10 * concurrency
        self.warmups = warmups ?? 2 * concurrency
        self.dataset = dataset
    }
}

/// Drives a closed-loop point against a server: each of `concurrency` workers sends its next
/// request the moment its last one ends. Every request asks for exactly its output length
/// (`max_tokens` = `min_tokens`, `ignore_eos`) with usage in the stream.
///
/// Prompts are words: exact for servers that count a word as a token (Sweepline's simulated
/// engine); real tokenizers need the `/tokenize` calibration of the benchmark-kernel issue.
public enum ClosedLoopClient {
    /// - Parameters:
    ///   - duration: after this long no new request starts; those in flight finish.
    ///   - stop: checked before each request: once it says stop, no new request starts.
    ///   - onRecord: each measured request's record, as it finishes (warm-ups are not passed on).
    public static func run(
        _ point: ClosedLoopPoint, against endpoint: BenchEndpoint, timeout: Duration? = nil,
        vocabulary: PromptVocabulary = .wordPerToken, duration: Duration? = nil,
        stop: @escaping @Sendable () -> Bool = { false },
        onRecord: @escaping @Sendable (RequestRecord) -> Void = { _ in }
    ) async -> [RequestRecord] {
        let lengths = point.dataset.lengths(count: point.warmups + point.requests)
        let origin = ContinuousClock.now
        let context = RequestContext(
            endpoint: endpoint, vocabulary: vocabulary, origin: origin, timeout: timeout, onRecord: onRecord)
        let next = RequestCounter()
        let deadline = duration.map { origin + $0 }
        let take: @Sendable () -> Int = {
            if stop() || deadline.map({ ContinuousClock.now >= $0 }) == true { return Int.max }
            return next.take()
        }
        return await withTaskGroup(of: [RequestRecord].self) { group in
            for _ in 0..<point.concurrency {
                // Round robin over the client's event loops: every core given takes its share.
                let loop = LoadGeneratorLoops.group.next()
                group.addTask {
                    await KeepAliveWorker(context: context, loop: loop).run(
                        lengths: lengths, warmups: point.warmups, take: take)
                }
            }
            return await group.reduce(into: []) { $0 += $1 }.sorted { $0.requestID < $1.requestID }
        }
    }

    /// Request `index`'s JSON body, written straight into bytes (see
    /// ``PromptVocabulary/appendPrompt(index:tokens:to:)``).
    static func body(_ index: Int, input: Int, output: Int, context: RequestContext) -> ByteBuffer {
        var body = ByteBuffer()
        // A word and its space: under eight bytes (``PromptVocabulary/candidates`` average six).
        body.reserveCapacity(256 + context.encodedModel.utf8.count + 8 * input)
        body.writeString(#"{"model":"#)
        body.writeString(context.encodedModel)
        body.writeString(context.endpoint.isChat ? #","messages":[{"role":"user","content":""# : #","prompt":""#)
        context.vocabulary.appendPrompt(index: index, tokens: input, to: &body)
        body.writeString(context.endpoint.isChat ? #""}]"# : #"""#)
        body.writeString(
            #","max_tokens":\#(output),"min_tokens":\#(output),"ignore_eos":true,"#
                + #""stream":true,"stream_options":{"include_usage":true},"cache_prompt":false}"#)
        return body
    }

    static func seconds(_ instant: ContinuousClock.Instant, since origin: ContinuousClock.Instant) -> Double {
        (instant - origin).inSeconds
    }

    /// A request's record from its stamped response: TTFT and gaps from the parse stamps,
    /// N from usage (else counted and marked estimated), and why it failed if it did.
    static func record(
        _ streamed: StreamedRequest, _ index: Int, _ length: (input: Int, output: Int), origin: ContinuousClock.Instant,
        queueTime: Double = 0
    ) -> RequestRecord {
        // The server's own count of the prompt when it gives one; the planned length otherwise.
        func seconds(_ instant: ContinuousClock.Instant) -> Double { Self.seconds(instant, since: origin) }
        let tokens = streamed.tokens
        var error: String?
        if streamed.status != 200 {
            let body = String(decoding: streamed.errorBody.prefix(200), as: UTF8.self)
            error = "HTTP \(streamed.status)" + (body.isEmpty ? "" : ": \(body)")
        } else if let failure = streamed.streamError {
            error = failure
        } else if !streamed.sawDone {
            error = "the stream ended without [DONE]"
        } else if tokens.isEmpty {
            error = "no token event"
        }
        let first = tokens.first?.parsedAt ?? streamed.start
        let last = tokens.last?.parsedAt ?? streamed.start
        return RequestRecord(
            requestID: index, start: seconds(streamed.start), firstToken: seconds(first), lastToken: seconds(last),
            inputTokens: streamed.promptTokens ?? length.input, outputTokens: streamed.completionTokens ?? tokens.count,
            interTokenGaps: zip(tokens.dropFirst(), tokens).map { seconds($0.parsedAt) - seconds($1.parsedAt) },
            queueTime: queueTime, outputTokensEstimated: streamed.completionTokens == nil,
            requestedOutputTokens: length.output, error: error, engine: streamed.engineTimings)
    }

    /// One open-loop request on a connection of `pool`.
    static func measure(
        _ index: Int, _ length: (input: Int, output: Int), context: RequestContext, pool: ConnectionPool,
        queueTime: Double = 0
    ) async -> RequestRecord {
        let sentAt = ContinuousClock.now
        do {
            let streamed = try await pool.send(
                context.request(index, length, keepAlive: true), expectedTokens: length.output,
                timeout: context.timeout)
            return record(streamed, index, length, origin: context.origin, queueTime: queueTime)
        } catch {
            return failed(index, length, at: sentAt, origin: context.origin, queueTime: queueTime, "\(error)")
        }
    }

    /// The record of a request that got no response: no tokens, and why.
    static func failed(
        _ index: Int, _ length: (input: Int, output: Int), at instant: ContinuousClock.Instant,
        origin: ContinuousClock.Instant, queueTime: Double = 0, _ reason: String
    ) -> RequestRecord {
        let at = seconds(instant, since: origin)
        return RequestRecord(
            requestID: index, start: at, firstToken: at, lastToken: at, inputTokens: length.input, outputTokens: 0,
            interTokenGaps: [], queueTime: queueTime, requestedOutputTokens: length.output, error: reason)
    }
}

/// What every request of a point shares.
struct RequestContext: Sendable {
    let endpoint: BenchEndpoint
    let vocabulary: PromptVocabulary
    /// Zero of the point's clock: record times are seconds since it.
    let origin: ContinuousClock.Instant
    let timeout: Duration?
    let onRecord: @Sendable (RequestRecord) -> Void
    /// The model name is the one string that comes from the user: encoded properly, once.
    let encodedModel: String

    /// Request `index`'s bytes, ready to write.
    func request(_ index: Int, _ length: (input: Int, output: Int), keepAlive: Bool) -> ByteBuffer {
        StreamingConnection.request(
            path: endpoint.path, host: endpoint.host,
            body: ClosedLoopClient.body(index, input: length.input, output: length.output, context: self),
            apiKey: endpoint.apiKey, keepAlive: keepAlive)
    }

    init(
        endpoint: BenchEndpoint, vocabulary: PromptVocabulary, origin: ContinuousClock.Instant, timeout: Duration?,
        onRecord: @escaping @Sendable (RequestRecord) -> Void
    ) {
        self.endpoint = endpoint
        self.vocabulary = vocabulary
        self.origin = origin
        self.timeout = timeout
        self.onRecord = onRecord
        encodedModel =
            (try? JSONEncoder().encode(endpoint.model)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}

/// A request that took longer than its limit.
public struct RequestTimedOut: Error, CustomStringConvertible {
    public var limit: Duration
    public var description: String { "timed out after \(limit)" }
}

/// Runs `body`, giving up with ``RequestTimedOut`` after `limit` (no limit when `nil`).
func withTimeout<T: Sendable>(_ limit: Duration?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let limit else { return try await body() }
    return try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw RequestTimedOut(limit: limit)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Hands out request indices to closed-loop workers, each exactly once.
public final class RequestCounter: Sendable {
    private let value = Mutex(0)

    public init() {}

    public func take() -> Int {
        value.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}
