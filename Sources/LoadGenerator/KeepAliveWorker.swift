import NIOCore
import Wire

/// One closed-loop worker: one connection, one request in flight on it, reused for the next
/// request as long as the server keeps it open (HTTP/1.1 keep-alive). A request that fails or
/// times out closes the connection; the next request opens a new one, and its start includes
/// the connection setup, as vLLM and SGLang count it.
struct KeepAliveWorker {
    let context: RequestContext
    /// The event loop this worker's connections live on.
    let loop: any EventLoop

    /// Sends requests `take()` hands out until it hands out an index past `lengths`.
    func run(lengths: [(input: Int, output: Int)], warmups: Int, take: () -> Int) async -> [RequestRecord] {
        var records: [RequestRecord] = []
        func keep(_ record: RequestRecord) {
            records.append(record)
            context.onRecord(record)
        }
        var connection: StreamingConnection?
        var reused = false
        var index = take()
        while index < lengths.count {
            let attemptStart = ContinuousClock.now
            if connection == nil {
                do {
                    connection = try await StreamingConnection.open(to: context.endpoint, on: loop)
                    reused = false
                } catch {
                    if index >= warmups {
                        keep(
                            ClosedLoopClient.failed(
                                index, lengths[index], at: attemptStart, origin: context.origin, "\(error)"))
                    }
                    index = take()
                    continue
                }
            }
            do {
                var streamed = try await connection!.exchange(
                    context.request(index, lengths[index], keepAlive: true), expectedTokens: lengths[index].output,
                    timeout: context.timeout)
                // The first request on a connection starts before its connect.
                if !reused { streamed.start = attemptStart }
                reused = true
                if index >= warmups {
                    keep(ClosedLoopClient.record(streamed, index, lengths[index], origin: context.origin))
                }
                if !streamed.keepAlive {
                    await connection?.close()
                    connection = nil
                }
                index = take()
            } catch is ConnectionClosedBeforeResponse where reused {
                // The server closed a kept-alive connection as the request went out (its idle
                // timeout or request limit): nothing reached it, so the same request goes again on
                // a new connection, its start stamped there.
                await connection?.close()
                connection = nil
            } catch {
                await connection?.close()
                connection = nil
                if index >= warmups {
                    keep(
                        ClosedLoopClient.failed(
                            index, lengths[index], at: attemptStart, origin: context.origin, "\(error)"))
                }
                index = take()
            }
        }
        await connection?.close()
        return records
    }
}
