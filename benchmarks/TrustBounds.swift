import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import Wire

/// What a hostile or broken peer costs the coordinator (issue 10's figures):
/// another agent's heartbeat acknowledgements during a 1 GiB log flood, memory under a peer
/// that never reads, memory with 10,000 connections that never say hello, and the cost of TLS
/// on record ingest.
enum TrustBounds {
    static func run() async throws {
        try await logFlood()
        try await neverReadingPeer()
        try await silentConnections(10_000, tls: true, cap: 10_000)
        try await silentConnections(10_000, tls: false, cap: 10_000)
        try await silentConnections(10_000, tls: true, cap: 1024)
        let plain = try await RecordIngest.run(tls: false)
        let tls = try await RecordIngest.run(tls: true)
        print("\n== TLS on ingest ==")
        print("plain TCP:        \(Int(plain)) records/s")
        print("TLS:              \(Int(tls)) records/s (\(String(format: "%.1f", (1 - tls / plain) * 100)) % fewer)")
    }

    /// A connection whose inbound frames arrive on an async stream, writing pre-encoded bytes.
    static func connect(port: Int, tls: NIOSSLContext?, autoRead: Bool = true) async throws -> NIOAsyncChannel<
        Frame, ByteBuffer
    > {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.autoRead, value: autoRead)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(NDJSONFrameDecoder()))
                    return try NIOAsyncChannel<Frame, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    static func hello(_ id: String, _ secret: String) throws -> ByteBuffer {
        try encoded([
            .hello(
                Hello(
                    agentID: id, instanceID: id, protocol: .current, agentVersion: "bench", token: secret,
                    inventory: Inventory(hostname: id, vendor: .declared, gpus: [], cpuCores: 0), labels: [:],
                    holding: []))
        ])
    }

    static func encoded(_ frames: [Frame]) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        for frame in frames { try NDJSONFrameEncoder().encode(data: frame, out: &buffer) }
        return buffer
    }

    /// One agent writes 1 GiB of log frames as fast as TLS carries them; another heartbeats
    /// every 20 ms and times each acknowledgement.
    static func logFlood(bytes: Int = 1 << 30) async throws {
        print("\n== log flood: one agent sends \(bytes >> 20) MiB of log frames over TLS; another heartbeats ==")
        let coordinator = try CoordinatorUnderTest(heartbeatSeconds: 5, leaseSeconds: 30, tls: true)
        defer { coordinator.stop() }
        let secrets = try await coordinator.enroll(["flooder", "steady"])
        let frame = try encoded([
            .log(LogLines(jobID: "j-000001", attempt: 1, lines: [String(repeating: "y", count: 512 << 10)], dropped: 0))
        ])
        let frames = bytes / frame.readableBytes
        let residentBefore = coordinator.residentBytes
        let cpuBefore = coordinator.cpuSeconds
        let flooder = try await connect(port: coordinator.agentsPort, tls: coordinator.agentTLS)
        let steady = try await connect(port: coordinator.agentsPort, tls: coordinator.agentTLS)
        let started = ContinuousClock.now
        async let flood: Duration = flooder.executeThenClose { inbound, outbound in
            try await outbound.write(try hello("flooder", secrets["flooder"]!))
            let start = ContinuousClock.now
            for _ in 0..<frames { try await outbound.write(frame) }
            // A connection's frames are read in order, so the answer to this heartbeat means
            // the coordinator has read the whole flood. The answers before it (`stale`, for a
            // job it does not hold) are read too, so that it is not cut off for not reading.
            try await outbound.write(try encoded([.heartbeat(Heartbeat(holding: []))]))
            for try await answer in inbound {
                if case .heartbeatAck = answer { break }
            }
            floodDone.value = true
            return ContinuousClock.now - start
        }
        let latencies: [Double] = try await steady.executeThenClose { inbound, outbound in
            try await outbound.write(try hello("steady", secrets["steady"]!))
            var frames = inbound.makeAsyncIterator()
            guard case .welcome = try await frames.next() else { throw BenchmarkError("steady: no welcome") }
            let beat = try encoded([.heartbeat(Heartbeat(holding: []))])
            var latencies: [Double] = []
            // Until the flood is over (or 120 s).
            while ContinuousClock.now - started < .seconds(120) {
                let sent = ContinuousClock.now
                try await outbound.write(beat)
                while true {
                    guard let frame = try await frames.next() else { throw BenchmarkError("steady: closed") }
                    if case .heartbeatAck = frame { break }
                }
                latencies.append(seconds(ContinuousClock.now - sent) * 1000)
                if latencies.count > 10, floodDone.value { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            return latencies.sorted()
        }
        let elapsed = try await flood
        let cpu = coordinator.cpuSeconds - cpuBefore
        print(
            "flood:            \(frames) frames, \(bytes >> 20) MiB in \(String(format: "%.1f", seconds(elapsed))) s (\(Int(Double(bytes >> 20) / seconds(elapsed))) MiB/s)"
        )
        print(
            "heartbeat ack:    p50 \(String(format: "%.2f", percentile(latencies, 50))) ms, p99 \(String(format: "%.2f", percentile(latencies, 99))) ms, max \(String(format: "%.2f", latencies.last ?? .nan)) ms (\(latencies.count) heartbeats)"
        )
        print(
            "coordinator:      RSS \(residentBefore >> 20) → \(coordinator.residentBytes >> 20) MiB, CPU \(String(format: "%.1f", cpu)) s"
        )
    }

    /// Set once the flood's writes are done; read by the heartbeating side.
    static let floodDone = Flag()

    final class Flag: Sendable {
        private let state = Mutex(false)
        var value: Bool {
            get { state.withLock { $0 } }
            set { state.withLock { $0 = newValue } }
        }
    }

    /// A peer that says hello, then sends heartbeats and never reads its acknowledgements.
    static func neverReadingPeer() async throws {
        print("\n== a peer that says hello, sends heartbeats and never reads ==")
        let coordinator = try CoordinatorUnderTest(heartbeatSeconds: 5, leaseSeconds: 30)
        defer { coordinator.stop() }
        let secret = try await coordinator.enroll(["deaf"])["deaf"]!
        let before = coordinator.residentBytes
        let peer = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: false)
            .channelOption(.socketOption(.so_rcvbuf), value: 4096)
            .connect(host: "127.0.0.1", port: coordinator.agentsPort).get()
        try await peer.writeAndFlush(try hello("deaf", secret))
        var beats = ByteBuffer()
        let one = try encoded([.heartbeat(Heartbeat(holding: []))])
        for _ in 0..<10_000 { beats.writeImmutableBuffer(one) }
        var sent = 0
        var peak = before
        let started = ContinuousClock.now
        while peer.isActive, ContinuousClock.now - started < .seconds(60) {
            try? await peer.writeAndFlush(beats)
            sent += 10_000
            peak = max(peak, coordinator.residentBytes)
            try await Task.sleep(for: .milliseconds(10))
        }
        print(
            "disconnected:     \(!peer.isActive) after \(sent) heartbeats (\((sent * one.readableBytes) >> 10) KiB) in \(String(format: "%.1f", seconds(ContinuousClock.now - started))) s"
        )
        print("coordinator RSS:  \(before >> 20) MiB before, peak \(peak >> 20) MiB (+\((peak - before) >> 20) MiB)")
        try? await peer.close()
    }

    /// Connections that open and never say hello (nor start TLS), with the cap raised to hold
    /// them all; the handshake timeout (10 s) would close them, so memory is read before that.
    static func silentConnections(_ count: Int, tls: Bool, cap: Int) async throws {
        print(
            "\n== \(count) connections that never say hello (\(tls ? "TLS" : "plain TCP") listener, cap \(cap)) =="
        )
        let coordinator = try CoordinatorUnderTest(
            heartbeatSeconds: 5, leaseSeconds: 30, tls: tls,
            extraArguments: ["--max-connections-before-hello", String(cap)])
        defer { coordinator.stop() }
        let before = coordinator.residentBytes
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var channels: [any Channel] = []
        let port = coordinator.agentsPort
        let started = ContinuousClock.now
        for wave in stride(from: 0, to: count, by: 500) {
            let opened = try await withThrowingTaskGroup(of: (any Channel).self) { tasks in
                for _ in wave..<min(count, wave + 500) {
                    tasks.addTask {
                        try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
                    }
                }
                return try await tasks.reduce(into: []) { $0.append($1) }
            }
            channels += opened
        }
        try await Task.sleep(for: .seconds(2))
        let open = channels.filter(\.isActive).count
        let resident = coordinator.residentBytes
        print(
            "open:             \(open) of \(count) after \(String(format: "%.1f", seconds(ContinuousClock.now - started))) s"
        )
        print(
            "coordinator RSS:  \(before >> 20) → \(resident >> 20) MiB (\(String(format: "%.1f", Double(resident - before) / Double(count) / 1024)) KiB per connection)"
        )
        for channel in channels { channel.close(promise: nil) }
        try await group.shutdownGracefully()
    }
}
