import Foundation
import NIOCore
import NIOFoundationCompat

/// Why a stream of frames could not be read or written.
public struct FrameCodecError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case frameTooLarge(limit: Int)
        case truncatedFrame(bytes: Int)
        case malformedFrame(String)
    }

    private let code: Code

    public static func frameTooLarge(limit: Int) -> Self { .init(code: .frameTooLarge(limit: limit)) }
    public static func truncatedFrame(bytes: Int) -> Self { .init(code: .truncatedFrame(bytes: bytes)) }
    public static func malformedFrame(_ detail: String) -> Self { .init(code: .malformedFrame(detail)) }

    public var description: String {
        switch code {
        case .frameTooLarge(let limit):
            "frame larger than the \(limit)-byte limit (send smaller record batches)"
        case .truncatedFrame(let bytes):
            "connection closed in the middle of a frame (\(bytes) bytes without a closing newline)"
        case .malformedFrame(let detail):
            "frame is not a JSON object with a string \"type\": \(detail)"
        }
    }
}

/// Splits a byte stream at `\n` into frames of at most `maximumFrameLength` bytes and decodes each.
///
/// ```
/// bytes:  {"type":"heartbeat",…}\n{"type":"records",…}\n{"typ
///         └────────── frame ───────┘└────── frame ──────┘└ kept until the next read
/// ```
///
/// A line longer than the limit is an error as soon as the limit is passed, without waiting for
/// its newline, so a peer cannot make the coordinator buffer without bound. Bytes left without a
/// newline at end of stream are a truncated frame. Blank lines are skipped; a trailing `\r` is
/// tolerated.
public struct NDJSONFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = Frame

    /// 1 MiB, the protocol's cap on one frame, newline excluded.
    public static let defaultMaximumFrameLength = 1 << 20

    public let maximumFrameLength: Int
    /// How much of the readable bytes is already known to hold no newline.
    private var scanned = 0
    private let decoder = JSONDecoder()

    public init(maximumFrameLength: Int = Self.defaultMaximumFrameLength) {
        self.maximumFrameLength = maximumFrameLength
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> Frame? {
        while true {
            let view = buffer.readableBytesView
            let searchStart = view.startIndex + scanned
            guard let newline = view[searchStart...].firstIndex(of: UInt8(ascii: "\n")) else {
                scanned = view.count
                if scanned > maximumFrameLength { throw FrameCodecError.frameTooLarge(limit: maximumFrameLength) }
                return nil
            }
            var length = newline - view.startIndex
            scanned = 0
            if length > maximumFrameLength { throw FrameCodecError.frameTooLarge(limit: maximumFrameLength) }
            if length > 0, view[newline - 1] == UInt8(ascii: "\r") { length -= 1 }
            let line = buffer.readSlice(length: length)!
            // Skip the `\r` (if any) and the newline itself.
            buffer.moveReaderIndex(forwardBy: newline - view.startIndex - length + 1)
            if line.readableBytes == 0 { continue }
            return try decodeFrame(line)
        }
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> Frame? {
        if let frame = try decode(buffer: &buffer) { return frame }
        let leftover = buffer.readableBytesView.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }
        if seenEOF, !leftover.isEmpty {
            let bytes = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: bytes)
            throw FrameCodecError.truncatedFrame(bytes: bytes)
        }
        return nil
    }

    private func decodeFrame(_ line: ByteBuffer) throws -> Frame {
        if let records = try decodeRecordsFrame(line) { return .records(records) }
        do {
            return try decoder.decode(Frame.self, from: line)
        } catch let error as DecodingError {
            throw FrameCodecError.malformedFrame(Self.describe(error))
        } catch {
            throw FrameCodecError.malformedFrame("\(error)")
        }
    }

    /// The fast path for `records` frames: the records stay bytes (checked by ``JSONScanner``),
    /// only the few other fields go through `JSONDecoder`. `nil` for any other frame type.
    private func decodeRecordsFrame(_ line: ByteBuffer) throws -> Records? {
        let fields: [(key: String, value: Range<Int>)]
        do {
            fields = try line.withUnsafeReadableBytes { raw throws(JSONScanner.Invalid) in
                try JSONScanner(raw).objectFields()
            }
        } catch {
            throw FrameCodecError.malformedFrame("invalid JSON (\(error.reason) at byte \(error.offset))")
        }
        guard let type = fields.first(where: { $0.key == "type" }),
            line.getString(at: line.readerIndex + type.value.lowerBound, length: type.value.count) == #""records""#
        else {
            return nil
        }
        var header = ByteBuffer()
        header.writeString("{")
        for field in fields where field.key != "records" {
            if header.readableBytes > 1 { header.writeString(",") }
            header.writeString("\"\(field.key)\":")
            header.writeImmutableBuffer(
                line.getSlice(at: line.readerIndex + field.value.lowerBound, length: field.value.count)!)
        }
        header.writeString("}")
        let decodedHeader: RecordsHeader
        do {
            decodedHeader = try decoder.decode(RecordsHeader.self, from: header)
        } catch let error as DecodingError {
            throw FrameCodecError.malformedFrame(Self.describe(error))
        }
        guard let recordsField = fields.first(where: { $0.key == "records" }) else {
            throw FrameCodecError.malformedFrame("missing field \"records\"")
        }
        let records: RecordsJSON
        do {
            records = try RecordsJSON(
                validating: line.getSlice(
                    at: line.readerIndex + recordsField.value.lowerBound, length: recordsField.value.count)!)
        } catch {
            throw FrameCodecError.malformedFrame("records: \(error.reason)")
        }
        return Records(
            jobID: decodedHeader.jobID, attempt: decodedHeader.attempt, seq: decodedHeader.seq, records: records,
            dropped: decodedHeader.dropped)
    }

    /// A `records` frame without its records.
    private struct RecordsHeader: Decodable {
        var jobID: JobID
        var attempt: Attempt
        var seq: Int
        var dropped: Int
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "" : " at \(names.joined(separator: "."))"
        }
        switch error {
        case .dataCorrupted(let context): return "invalid JSON\(path(context))"
        case .keyNotFound(let key, let context): return "missing field \"\(key.stringValue)\"\(path(context))"
        case .typeMismatch(let type, let context): return "expected \(type)\(path(context))"
        case .valueNotFound(let type, let context): return "null where \(type) was expected\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}

/// Writes a frame as compact JSON and `\n`, refusing frames over the protocol's cap.
public struct NDJSONFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = Frame

    public let maximumFrameLength: Int
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    public init(maximumFrameLength: Int = NDJSONFrameDecoder.defaultMaximumFrameLength) {
        self.maximumFrameLength = maximumFrameLength
    }

    public func encode(data frame: Frame, out: inout ByteBuffer) throws {
        let start = out.writerIndex
        if case .records(let records) = frame {
            // The records are JSON already: write them as they are.
            out.writeString(#"{"type":"records","jobID":"#)
            out.writeBytes(try encoder.encode(records.jobID))
            out.writeString(
                #","attempt":\#(records.attempt),"seq":\#(records.seq),"dropped":\#(records.dropped),"records":"#)
            out.writeImmutableBuffer(records.records.bytes)
            out.writeString("}")
        } else {
            out.writeBytes(try encoder.encode(frame))
        }
        if out.writerIndex - start > maximumFrameLength {
            out.moveWriterIndex(to: start)
            throw FrameCodecError.frameTooLarge(limit: maximumFrameLength)
        }
        out.writeInteger(UInt8(ascii: "\n"))
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// Installs the frame decoder and encoder: the one way coordinator, agent and tests frame a connection.
    public func addFrameCodec(maximumFrameLength: Int = NDJSONFrameDecoder.defaultMaximumFrameLength) throws {
        try addHandler(ByteToMessageHandler(NDJSONFrameDecoder(maximumFrameLength: maximumFrameLength)))
        try addHandler(MessageToByteHandler(NDJSONFrameEncoder(maximumFrameLength: maximumFrameLength)))
    }
}
