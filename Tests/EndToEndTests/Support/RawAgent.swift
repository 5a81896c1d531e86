import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import Wire

/// A hand-driven agent connection for tests: writes any bytes, reads the coordinator's frames.
struct RawAgent {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// - Parameter tls: TLS first, with this client context (the address is checked against the
    ///   certificate's IP names).
    static func connect(port: Int, tls: NIOSSLContext? = nil) async throws -> RawAgent {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: nil))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return RawAgent(channel: channel)
    }

    /// A connection that reads nothing: no automatic reads, and a small receive buffer, so
    /// what the coordinator sends piles up on its side.
    static func connectWithoutReading(port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: false)
            .channelOption(.socketOption(.so_rcvbuf), value: 4096)
            .connect(host: "127.0.0.1", port: port).get()
    }

    static func hello(
        _ id: AgentID, token: String, major: Int = ProtocolVersion.current.major, holding: [JobAttempt] = []
    ) -> Frame {
        .hello(
            Hello(
                agentID: id, instanceID: UUID().uuidString, protocol: ProtocolVersion(major: major, minor: 0),
                agentVersion: "raw",
                token: token, inventory: Inventory(hostname: id, vendor: .declared, gpus: [], cpuCores: 0), labels: [:],
                holding: holding))
    }

    static func bytes(_ frames: [Frame]) throws -> ByteBuffer {
        var bytes = ByteBuffer()
        for frame in frames { try NDJSONFrameEncoder(maximumFrameLength: 8 << 20).encode(data: frame, out: &bytes) }
        return bytes
    }

    /// Writes `bytes`, then collects the coordinator's frames until it closes the connection or
    /// `quiet` passes. `closedByCoordinator` tells which.
    func exchange(_ bytes: ByteBuffer, quiet: TimeAmount = .seconds(2)) async throws -> (
        frames: [Frame], closedByCoordinator: Bool
    ) {
        let timerFired = Mutex(false)
        let underlying = channel.channel
        let timer = underlying.eventLoop.scheduleTask(in: quiet) {
            timerFired.withLock { $0 = true }
            underlying.close(promise: nil)
        }
        let frames = try await channel.executeThenClose { inbound, outbound in
            // The coordinator may close while a large write is still going; that is the point.
            try? await outbound.write(bytes)
            var decoder = NDJSONFrameDecoder()
            var pending = ByteBuffer()
            var frames: [Frame] = []
            do {
                for try await var chunk in inbound {
                    pending.writeBuffer(&chunk)
                    while let frame = try decoder.decode(buffer: &pending) { frames.append(frame) }
                }
            } catch {}
            return frames
        }
        timer.cancel()
        return (frames, !timerFired.withLock { $0 })
    }
}
