import NIOCore
import Synchronization

/// Kept-alive connections that open-loop requests share: a request takes an idle connection
/// when there is one and opens one otherwise, and gives it back when the server keeps it open.
/// The pool grows to the most requests in flight at once and no further; without it every
/// arrival paid a TCP (and TLS) handshake, and the server a connection, that no serving client
/// pays.
final class ConnectionPool: Sendable {
    private let endpoint: BenchEndpoint
    private let idle = Mutex<[StreamingConnection]>([])

    init(endpoint: BenchEndpoint) {
        self.endpoint = endpoint
    }

    /// Sends `request` on a pooled or new connection and reads its response. A request that opened
    /// its connection starts before the connect, as vLLM and SGLang count it.
    func send(_ request: ByteBuffer, expectedTokens: Int, timeout: Duration?) async throws -> StreamedRequest {
        while true {
            let attemptStart = ContinuousClock.now
            let pooled = idle.withLock { $0.popLast() }
            let connection: StreamingConnection
            if let pooled {
                connection = pooled
            } else {
                let limit = timeout.map { min(TimeAmount($0), .seconds(10)) } ?? .seconds(10)
                connection = try await StreamingConnection.open(
                    to: endpoint, on: LoadGeneratorLoops.group.next(), connectTimeout: limit)
            }
            do {
                var response = try await connection.exchange(request, expectedTokens: expectedTokens, timeout: timeout)
                if pooled == nil { response.start = attemptStart }
                if response.keepAlive && connection.channel.isActive {
                    idle.withLock { $0.append(connection) }
                } else {
                    await connection.close()
                }
                return response
            } catch is ConnectionClosedBeforeResponse where pooled != nil {
                // The server closed an idle connection (its keep-alive timeout) as the request
                // went out: nothing reached it; the next idle one, or a new one, takes it.
                await connection.close()
            } catch {
                await connection.close()
                throw error
            }
        }
    }

    func closeAll() async {
        for connection in idle.withLock({ connections in
            defer { connections = [] }; return connections
        }) {
            await connection.close()
        }
    }
}
