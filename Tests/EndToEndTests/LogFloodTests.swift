import Coordinator
import Foundation
import NIOCore
import Testing
import Wire

/// One agent flooding `log` frames does not slow another agent's heartbeat acknowledgements,
/// and the coordinator keeps only what the agent's log rate allows.
@Suite(.serialized) struct LogFloodTests {
    @Test func aLogFloodFromOneAgent_leavesAnotherAgentsHeartbeatAcksOnTime() async throws {
        try await Fleet.run { fleet in
            try await fleet.startCoordinator(plaintextAgentLink: true)
            // Enrolled before they connect: a connection that has not said hello within the
            // coordinator's 10 s handshake timeout is closed, and on a starved CI machine the two
            // enrolments once took 15 s (the flood then failed with "I/O on closed channel").
            let flooderSecret = try await fleet.enroll("flooder")
            let steadySecret = try await fleet.enroll("steady")
            let flooder = try await fleet.rawAgent()
            let steady = try await fleet.rawAgent()

            // 64 MiB of log lines, 512 KiB a frame, as fast as the socket takes them.
            let line = String(repeating: "y", count: 512 << 10)
            let frame = try RawAgent.bytes([.log(LogLines(jobID: "j-000001", attempt: 1, lines: [line], dropped: 0))])
            async let flood: Void = flooder.channel.executeThenClose { inbound, outbound in
                try await outbound.write(try RawAgent.bytes([RawAgent.hello("flooder", token: flooderSecret)]))
                for _ in 0..<128 { try await outbound.write(frame) }
                try await Task.sleep(for: .milliseconds(200))
            }
            let latencies = try await steady.channel.executeThenClose { inbound, outbound in
                try await outbound.write(try RawAgent.bytes([RawAgent.hello("steady", token: steadySecret)]))
                var frames = FrameReader(inbound.makeAsyncIterator())
                guard case .welcome = try await frames.next() else { throw FloodTestError("no welcome") }
                let beat = try RawAgent.bytes([.heartbeat(Heartbeat(holding: []))])
                var latencies: [Duration] = []
                for _ in 0..<60 {
                    let sent = ContinuousClock.now
                    try await outbound.write(beat)
                    while true {
                        guard let frame = try await frames.next() else { throw FloodTestError("closed") }
                        if case .heartbeatAck = frame { break }
                    }
                    latencies.append(ContinuousClock.now - sent)
                    try await Task.sleep(for: .milliseconds(25))
                }
                return latencies.sorted()
            }
            try await flood
            let p99 = latencies[Int(Double(latencies.count - 1) * 0.99)]
            // Loose for a loaded CI machine, where this very test may wait for a thread; before
            // the log rate a flood delayed them by 16 s. docs/benchmarks.md has the figure under
            // a 1 GiB flood (p99 under 3 ms).
            #expect(p99 < .seconds(2), "heartbeat-ack p99 \(p99) during the flood")
            #expect(fleet.coordinator!.isRunning)
        }
    }
}

/// Decodes the coordinator's frames from a raw connection's bytes.
struct FrameReader<Base: AsyncIteratorProtocol> where Base.Element == ByteBuffer {
    var base: Base
    var decoder = NDJSONFrameDecoder()
    var pending = ByteBuffer()

    init(_ base: Base) { self.base = base }

    mutating func next() async throws -> Frame? {
        while true {
            if let frame = try decoder.decode(buffer: &pending) { return frame }
            guard var chunk = try await base.next() else { return nil }
            pending.writeBuffer(&chunk)
        }
    }
}

struct FloodTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
