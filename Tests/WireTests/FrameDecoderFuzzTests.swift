import Foundation
import Fuzzing
import NIOCore
import NIOEmbedded
import Testing

@testable import Wire

/// Random bytes and mutated valid frames through the agent link's decoder, as a hostile peer
/// would send them: every input ends in frames or a decoding error, never a crash, and what
/// the decoder holds stays within its frame limit. Bounded in inputs and in time for CI.
@Suite struct FrameDecoderFuzzTests {
    static let seeds: [Frame] =
        FrameCodecTests.frames + [
            .hello(
                Hello(
                    agentID: "gpu-node-07", instanceID: "i", protocol: .current, agentVersion: "0.1.0", token: "swa_x",
                    inventory: Inventory(
                        hostname: "h", vendor: .nvidia,
                        gpus: [
                            GPUDevice(
                                index: 0, name: "NVIDIA H200", memoryMiB: 143_771, driverVersion: "570", uuid: "G")
                        ], cpuCores: 8),
                    labels: ["rack": "r12"], holding: [JobAttempt(jobID: "j-000001", attempt: 1)])),
            .log(LogLines(jobID: "j-000001", attempt: 1, lines: ["a", "b"], dropped: 3)),
        ]

    /// Async, yielding every few inputs: a long synchronous test would hold one of the two
    /// threads every other test shares, and their timing with it.
    @Test func randomAndMutatedFrames_neverCrashTheDecoder() async throws {
        var mutator = Mutator(seedFromEnvironment: ProcessInfo.processInfo.environment)
        print("FrameDecoderFuzzTests seed \(mutator.seed) (SWEEPLINE_FUZZ_SEED replays it)")
        let valid = try Self.seeds.map { Array(try FrameCodecTests.encoded([$0]).readableBytesView) }
        // A floor of rounds however loaded the machine (a starved task may get few turns
        // before the deadline), and a deadline past it so a slow machine does not run long.
        let deadline = ContinuousClock.now + .seconds(10)
        var decoded = 0
        var refused = 0
        for round in 0..<2500 where round < 300 || ContinuousClock.now < deadline {
            if round % 20 == 0 { await Task.yield() }
            // The valid frames themselves first, so the decoding path is always reached.
            let input =
                round < valid.count
                ? valid[round]
                : round % 4 == 0
                    ? mutator.random(maximum: 4096) : mutator.mutate(valid[mutator.below(valid.count)] + valid[0])
            let channel = EmbeddedChannel(
                handler: ByteToMessageHandler(NDJSONFrameDecoder(maximumFrameLength: 64 << 10)))
            var buffer = channel.allocator.buffer(capacity: input.count)
            buffer.writeBytes(input)
            do {
                try channel.writeInbound(buffer)
                while let _ = try channel.readInbound(as: Frame.self) { decoded += 1 }
            } catch {
                refused += 1
            }
            _ = try? channel.finish()
        }
        #expect(decoded > 0 && refused > 0, "the inputs reached both outcomes (decoded \(decoded), refused \(refused))")
    }

    /// A frame within the size limit that is only nesting (`[[[[…`): refused, not a stack overflow.
    @Test func deeplyNestedJSON_isRefused_notAStackOverflow() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(NDJSONFrameDecoder()))
        var buffer = channel.allocator.buffer(capacity: 1 << 20)
        buffer.writeString(#"{"type":"log","lines":"# + String(repeating: "[", count: 900_000) + "\n")
        #expect(throws: (any Error).self) { try channel.writeInbound(buffer) }
        _ = try? channel.finish()
    }
}
