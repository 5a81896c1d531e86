import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Wire

/// One closed-loop worker: one connection, one request in flight on it, reused for the next
/// request as long as the server keeps it open (HTTP/1.1 keep-alive). A request that fails or
/// times out closes the connection; the next request opens a new one, and its start includes
/// the connection setup, as vLLM and SGLang count it.
struct KeepAliveWorker {
    let context: RequestContext
    var endpoint: BenchEndpoint { context.endpoint }
    var origin: ContinuousClock.Instant { context.origin }
    var timeout: Duration? { context.timeout }

    /// Sends requests `take()` hands out until it hands out an index past `lengths`.
    func run(lengths: [(input: Int, output: Int)], warmups: Int, take: () -> Int) async -> [RequestRecord] {
        var records: [RequestRecord] = []
        func keep(_ record: RequestRecord) {
            records.append(record)
            context.onRecord(record)
        }
        var index = take()
        while index < lengths.count {
            let connectStart = ContinuousClock.now
            let channel: NIOAsyncChannel<StreamResponsePart, HTTPClientRequestPart>
            do {
                channel = try await connect()
            } catch {
                if index >= warmups {
                    keep(ClosedLoopClient.failed(index, lengths[index], at: connectStart, origin: origin, "\(error)"))
                }
                index = take()
                continue
            }
            // Requests on this connection; the first one's start is before the connect.
            var start = connectStart
            do {
                try await channel.executeThenClose { inbound, outbound in
                    var responses = inbound.makeAsyncIterator()
                    var reused = false
                    while index < lengths.count {
                        let (streamed, keepOpen) = try await exchange(
                            index, lengths[index], start: start, reused: reused, channel: channel.channel,
                            responses: &responses, outbound: outbound)
                        reused = true
                        if index >= warmups {
                            keep(ClosedLoopClient.record(streamed, index, lengths[index], origin: origin))
                        }
                        index = take()
                        start = .now
                        if !keepOpen { return }
                    }
                }
            } catch is IdleConnectionClosed {
                // The server closed a kept-alive connection as the request went out (its idle
                // timeout or request limit): nothing reached it, so the same request goes again on a
                // new connection, its start re-stamped there.
                continue
            } catch {
                // The exchange under way failed: count it, then go on with a new connection.
                if index < lengths.count {
                    if index >= warmups {
                        keep(ClosedLoopClient.failed(index, lengths[index], at: start, origin: origin, "\(error)"))
                    }
                    index = take()
                }
                continue
            }
        }
        return records
    }

    private func connect() async throws -> NIOAsyncChannel<StreamResponsePart, HTTPClientRequestPart> {
        try await ClientConnection.open(to: endpoint) { try $0.addHandler(StreamEventHandler()) }
    }

    /// One request and its whole response on an open connection; `keepOpen` is false when the
    /// server asked to close or the response was cut short.
    private func exchange(
        _ index: Int, _ length: (input: Int, output: Int), start: ContinuousClock.Instant, reused: Bool,
        channel: any Channel,
        responses: inout NIOAsyncChannelInboundStream<StreamResponsePart>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    ) async throws -> (StreamedRequest, keepOpen: Bool) {
        let body = ClosedLoopClient.body(index, input: length.input, output: length.output, context: context)
        // A request over its limit closes the connection, which ends the read below.
        let expired = ExpiryFlag()
        let deadline = timeout.map { limit in
            channel.eventLoop.scheduleTask(
                in: TimeAmount(limit)
            ) {
                expired.set()
                channel.close(promise: nil)
            }
        }
        defer { deadline?.cancel() }
        do {
            try await outbound.write(
                contentsOf: StreamedRequest.requestParts(
                    host: endpoint.host, path: endpoint.path, body: body, apiKey: endpoint.apiKey, keepAlive: true))
        } catch {
            if reused { throw IdleConnectionClosed() }
            throw error
        }
        var status = 0
        var keepAlive = false
        var events: [StampedStreamEvent] = []
        do {
            while let part = try await responses.next() {
                switch part {
                case .head(let code, let open):
                    status = code
                    keepAlive = open
                case .events(let batch): events += batch
                case .end: return (StreamedRequest(start: start, status: status, events: events), keepAlive)
                }
            }
        } catch {
            if let timeout, expired.isSet { throw RequestTimedOut(limit: timeout) }
            if reused && status == 0 { throw IdleConnectionClosed() }
            throw error
        }
        if let timeout, expired.isSet { throw RequestTimedOut(limit: timeout) }
        if reused && status == 0 { throw IdleConnectionClosed() }
        throw ConnectionClosedEarly()
    }
}

/// Set by a request's deadline when it fires.
final class ExpiryFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

struct ConnectionClosedEarly: Error, CustomStringConvertible {
    var description: String { "the server closed the connection before the response ended" }
}

/// A reused connection ended before any response to the request on it began.
struct IdleConnectionClosed: Error {}
