import NIOCore
import NIOPosix
import Synchronization
import Testing
import Wire

@testable import LoadGenerator

/// A server that answers every request with the same short stream at once and counts the
/// connections it was opened; it keeps them open, or closes each after its response.
final class CannedStreamServer: Sendable {
    static let stream =
        "data: {\"choices\":[{\"index\":0,\"text\":\" a\",\"finish_reason\":null}]}\n\n"
        + "data: {\"choices\":[{\"index\":0,\"text\":\" b\",\"finish_reason\":\"length\"}]}\n\n"
        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n"

    /// Connections accepted so far.
    final class Counter: Sendable {
        let value = Mutex(0)
    }

    private let counter = Counter()
    let channel: any Channel

    init(keepAlive: Bool) async throws {
        let counter = counter
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                counter.value.withLock { $0 += 1 }
                return channel.pipeline.addHandler(Responder(keepAlive: keepAlive))
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    var opened: Int { counter.value.withLock { $0 } }
    var port: Int { channel.localAddress!.port! }

    func stop() async { try? await channel.close() }

    final class Responder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let keepAlive: Bool
        var pending: [UInt8] = []

        init(keepAlive: Bool) { self.keepAlive = keepAlive }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            pending += unwrapInboundIn(data).readableBytesView
            // A request is whole once its head and Content-Length bytes are in.
            while let end = pending.firstRange(of: Array("\r\n\r\n".utf8))?.upperBound {
                let head = String(decoding: pending[..<end], as: UTF8.self).lowercased()
                let length =
                    head.firstRange(of: "content-length: ").flatMap { range in
                        Int(head[range.upperBound...].prefix { $0.isNumber })
                    } ?? 0
                guard pending.count >= end + length else { return }
                pending.removeFirst(end + length)
                let body = CannedStreamServer.stream
                let response =
                    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: \(body.utf8.count)\r\n"
                    + (keepAlive ? "" : "Connection: close\r\n") + "\r\n" + body
                let written = context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response)))
                if !keepAlive { written.whenComplete { [context] _ in context.close(promise: nil) } }
            }
        }
    }
}

@Suite(.serialized) struct ConnectionPoolTests {
    static let load = OpenLoopLoad(requestRate: 400, requests: 40, inputLength: 4, outputLength: 2, seed: 3)

    @Test func openLoopRequests_reuseKeptAliveConnections() async throws {
        let server = try await CannedStreamServer(keepAlive: true)
        let records = await OpenLoopClient.run(
            Self.load, against: BenchEndpoint(host: "127.0.0.1", port: server.port, model: "m"))
        await server.stop()
        #expect(records.count == 40 && records.allSatisfy { $0.succeeded }, "\(records.compactMap(\.error))")
        // Responses come back at once and arrivals are 2.5 ms apart: a few connections carry them all.
        #expect(server.opened < 20, "\(server.opened) connections for 40 requests")
    }

    @Test func aServerThatClosesEachConnection_getsANewOneForEachRequest() async throws {
        let server = try await CannedStreamServer(keepAlive: false)
        let records = await OpenLoopClient.run(
            Self.load, against: BenchEndpoint(host: "127.0.0.1", port: server.port, model: "m"))
        await server.stop()
        #expect(records.count == 40 && records.allSatisfy { $0.succeeded }, "\(records.compactMap(\.error))")
        #expect(server.opened == 40)
    }
}
