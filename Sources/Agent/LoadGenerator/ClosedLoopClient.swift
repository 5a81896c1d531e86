import Foundation
import Shared
import Synchronization

/// An OpenAI-compatible server to measure.
public struct BenchEndpoint: Hashable, Sendable {
    public var host: String
    public var port: Int
    public var model: String
    /// `/v1/completions` or `/v1/chat/completions`.
    public var path: String

    public init(host: String, port: Int, model: String, path: String = "/v1/completions") {
        self.host = host
        self.port = port
        self.model = model
        self.path = path
    }

    public var isChat: Bool { path.hasSuffix("/chat/completions") }
}

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
    public static func run(_ point: ClosedLoopPoint, against endpoint: BenchEndpoint, timeout: Duration? = nil) async
        -> [RequestRecord]
    {
        let lengths = point.dataset.lengths(count: point.warmups + point.requests)
        let origin = ContinuousClock.now
        let next = RequestCounter()
        return await withTaskGroup(of: [RequestRecord].self) { group in
            for _ in 0..<point.concurrency {
                group.addTask {
                    await KeepAliveWorker(endpoint: endpoint, origin: origin, timeout: timeout)
                        .run(lengths: lengths, warmups: point.warmups, take: next.take)
                }
            }
            return await group.reduce(into: []) { $0 += $1 }.sorted { $0.requestID < $1.requestID }
        }
    }

    static func body(_ index: Int, input: Int, output: Int, endpoint: BenchEndpoint) -> String {
        // A distinct first word per request keeps prefix caches from sharing work across requests.
        let words = (0..<input).map { $0 == 0 ? "r\(index)" : promptWords[$0 % promptWords.count] }.joined(
            separator: " ")
        let prompt =
            endpoint.isChat
            ? #""messages":[{"role":"user","content":"\#(words)"}]"# : #""prompt":"\#(words)""#
        // The model name is the one string that comes from the user: encode it properly.
        let model = (try? JSONEncoder().encode(endpoint.model)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        return
            #"{"model":\#(model),\#(prompt),"max_tokens":\#(output),"min_tokens":\#(output),"ignore_eos":true,"#
            + #""stream":true,"stream_options":{"include_usage":true},"cache_prompt":false}"#
    }

    static let promptWords = ["inference", "serving", "benchmark", "tokens", "latency", "throughput", "batch", "cache"]

    static func seconds(_ instant: ContinuousClock.Instant, since origin: ContinuousClock.Instant) -> Double {
        let duration = instant - origin
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// A request's record from its stamped response: TTFT and gaps from the parse stamps,
    /// N from usage (else counted and marked estimated), and why it failed if it did.
    static func record(
        _ streamed: StreamedRequest, _ index: Int, _ length: (input: Int, output: Int), origin: ContinuousClock.Instant,
        queueTime: Double = 0
    ) -> RequestRecord {
        func seconds(_ instant: ContinuousClock.Instant) -> Double { Self.seconds(instant, since: origin) }
        let tokens = streamed.tokenEvents
        var error: String?
        if streamed.status != 200 {
            error = "HTTP \(streamed.status)"
        } else if let failure = streamed.events.lazy.compactMap({
            if case .error(let message) = $0.event { message } else { nil }
        }).first {
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
            inputTokens: length.input, outputTokens: streamed.completionTokens ?? tokens.count,
            interTokenGaps: zip(tokens.dropFirst(), tokens).map { seconds($0.parsedAt) - seconds($1.parsedAt) },
            queueTime: queueTime, outputTokensEstimated: streamed.completionTokens == nil,
            requestedOutputTokens: length.output, error: error)
    }

    static func measure(
        _ index: Int, _ length: (input: Int, output: Int), endpoint: BenchEndpoint, origin: ContinuousClock.Instant,
        timeout: Duration? = nil, queueTime: Double = 0
    ) async -> RequestRecord {
        func seconds(_ instant: ContinuousClock.Instant) -> Double { Self.seconds(instant, since: origin) }
        let sentAt = ContinuousClock.now
        do {
            let requestBody = body(index, input: length.input, output: length.output, endpoint: endpoint)
            let streamed = try await withTimeout(timeout) {
                try await StreamedRequest.send(
                    host: endpoint.host, port: endpoint.port, path: endpoint.path, body: requestBody)
            }
            return record(streamed, index, length, origin: origin, queueTime: queueTime)
        } catch {
            return RequestRecord(
                requestID: index, start: seconds(sentAt), firstToken: seconds(sentAt), lastToken: seconds(sentAt),
                inputTokens: length.input,
                outputTokens: 0, interTokenGaps: [], queueTime: queueTime, requestedOutputTokens: length.output,
                error: "\(error)")
        }
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
