import Foundation
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import Wire

@Suite struct FrameCodecTests {
    static let frames: [Frame] = [
        .heartbeat(
            Heartbeat(holding: [HeldJob(jobID: "j-000001", attempt: 2, progress: JobProgress(recordsProduced: 7))])),
        .records(
            Records(
                jobID: "j-000001", attempt: 2, seq: 3,
                records: RecordsJSON([.object(["ttft_ms": .number(41.5), "ok": .bool(true)])]), dropped: 0)),
        .accepted(JobAttempt(jobID: "j-000002", attempt: 1)),
        .finished(Finished(jobID: "j-000002", attempt: 1, outcome: .succeeded, detail: "exit code 0")),
        .undrain,
    ]

    static func encoded(_ frames: [Frame]) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        for frame in frames { try NDJSONFrameEncoder().encode(data: frame, out: &buffer) }
        return buffer
    }

    @Test func decoder_passesByteToMessageDecoderVerifier() throws {
        let input = try Self.encoded(Self.frames)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(input, Self.frames)], decoderFactory: { NDJSONFrameDecoder() })
    }

    @Test func encoder_writesCompactJSONAndNewline() throws {
        let buffer = try Self.encoded([.drain(Reason(reason: "rack 12 maintenance"))])
        let text = String(buffer: buffer)
        #expect(text.hasSuffix("}\n"))
        #expect(text.filter { $0 == "\n" }.count == 1)
        #expect(text.contains(#""type":"drain""#))
        #expect(text.contains(#""reason":"rack 12 maintenance""#))
    }

    @Test func oversizeFrame_isRejectedBeforeItsNewlineArrives() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(NDJSONFrameDecoder(maximumFrameLength: 1024)))
        var buffer = channel.allocator.buffer(capacity: 2048)
        buffer.writeString(#"{"type":"records","junk":""# + String(repeating: "x", count: 2000))
        #expect(throws: FrameCodecError.frameTooLarge(limit: 1024)) { try channel.writeInbound(buffer) }
        _ = try? channel.finish()
    }

    @Test func defaultCap_isOneMebibyte() {
        #expect(NDJSONFrameDecoder().maximumFrameLength == 1 << 20)
    }

    @Test func encoder_refusesFramesOverTheCap() throws {
        var buffer = ByteBuffer()
        let huge = Frame.log(LogLines(jobID: "j", attempt: 1, lines: [String(repeating: "y", count: 2000)], dropped: 0))
        #expect(throws: FrameCodecError.frameTooLarge(limit: 1000)) {
            try NDJSONFrameEncoder(maximumFrameLength: 1000).encode(data: huge, out: &buffer)
        }
    }

    @Test func truncatedFrameAtEOF_isAnError() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(NDJSONFrameDecoder()))
        var buffer = try Self.encoded([.undrain])
        buffer.writeString(#"{"type":"heartbeat","hol"#)
        try channel.writeInbound(buffer)
        #expect(try channel.readInbound(as: Frame.self) == .undrain)
        #expect(throws: FrameCodecError.truncatedFrame(bytes: 24)) { try channel.finish() }
    }

    @Test func unknownType_decodesAsUnknown() throws {
        var decoder = NDJSONFrameDecoder()
        var buffer = ByteBuffer(string: #"{"type":"telemetry","watts":700}"# + "\n")
        #expect(try decoder.decode(buffer: &buffer) == .unknown(type: "telemetry"))
    }

    @Test func garbage_isAMalformedFrameNamingTheProblem() throws {
        var decoder = NDJSONFrameDecoder()
        var buffer = ByteBuffer(string: "GET / HTTP/1.1\r\n")
        #expect {
            try decoder.decode(buffer: &buffer)
        } throws: { error in
            "\(error)".contains("invalid JSON")
        }
        var missingField = ByteBuffer(string: #"{"type":"records","jobID":"j","attempt":1}"# + "\n")
        #expect {
            try decoder.decode(buffer: &missingField)
        } throws: { error in
            "\(error)".contains("missing field \"seq\"")
        }
    }

    @Test func blankLinesAndCRLF_areTolerated() throws {
        var decoder = NDJSONFrameDecoder()
        var buffer = ByteBuffer(string: "\n\r\n" + #"{"type":"undrain"}"# + "\r\n")
        #expect(try decoder.decode(buffer: &buffer) == .undrain)
    }

    @Test func everyFrame_roundTrips() throws {
        let spec = JobSpec(name: "x", gpus: 2, labels: ["rack": "a"], command: CommandWorkload(argv: ["true"]))
        let inventory = Inventory(
            hostname: "n1", vendor: .nvidia,
            gpus: [
                GPUDevice(index: 0, name: "NVIDIA H200", memoryMiB: 143_771, driverVersion: "570.211.01", uuid: "GPU-1")
            ],
            cpuCores: 64)
        let all: [Frame] =
            Self.frames + [
                .hello(
                    Hello(
                        agentID: "a", instanceID: "i", protocol: .current, agentVersion: "0.1.0", token: "t",
                        inventory: inventory, labels: [:], holding: [JobAttempt(jobID: "j", attempt: 1)])),
                .welcome(Welcome(sessionID: "s", heartbeatSeconds: 5, leaseSeconds: 15)),
                .rejected(Reason(reason: "no")),
                .heartbeatAck(HeartbeatAck(cancel: [JobAttempt(jobID: "j", attempt: 1)])),
                .assign(Assign(jobID: "j", attempt: 1, spec: spec, gpus: [0, 1])),
                .recordsAck(RecordsAck(jobID: "j", attempt: 1, upToSeq: 4)),
                .finishedAck(JobAttempt(jobID: "j", attempt: 1)),
                .log(LogLines(jobID: "j", attempt: 1, lines: ["hello"], dropped: 2)),
                .cancel(CancelJob(jobID: "j", attempt: 1, graceSeconds: 10)),
                .stale(Stale(jobID: "j", attempt: 1, current: 2)),
                .error(Reason(reason: "bad")),
            ]
        var buffer = try Self.encoded(all)
        var decoder = NDJSONFrameDecoder()
        for frame in all { #expect(try decoder.decode(buffer: &buffer) == frame) }
        #expect(buffer.readableBytes == 0)
    }
}
