import Foundation
import NIOCore
import Wire

/// Splits a `text/event-stream` body into events and returns each event's `data`, as the bytes
/// arrive: an event may span reads, and one read may hold several events.
///
/// Follows the SSE format: lines end in `\n`, `\r\n` or `\r`; an empty line ends an event;
/// `data:` lines of one event are joined with `\n`; comment lines (`:`) and other fields
/// (`event:`, `id:`, `retry:`) carry no data.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var data: [String] = []
    private var sawCarriageReturn = false

    public init() {}

    /// The data of every event completed by these bytes.
    public mutating func feed(_ buffer: ByteBuffer) -> [String] {
        var events: [String] = []
        for byte in buffer.readableBytesView {
            if sawCarriageReturn {
                sawCarriageReturn = false
                if byte == UInt8(ascii: "\n") { continue }  // the \n of a \r\n
            }
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                sawCarriageReturn = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    private static let dataField = Array("data:".utf8)

    private mutating func endLine() -> String? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            guard !data.isEmpty else { return nil }
            defer { data.removeAll() }
            return data.joined(separator: "\n")
        }
        guard line.starts(with: Self.dataField) else { return nil }
        var value = line.dropFirst(5)
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        data.append(String(decoding: value, as: UTF8.self))
        return nil
    }
}

/// What one event of an OpenAI-compatible stream is, by metrics.md's rules.
public enum StreamEvent: Hashable, Sendable {
    /// A choice with non-empty text (completions), or delta content, reasoning or tool calls (chat).
    case token(finishReason: String?)
    /// A chunk with no token: the role-only first delta, or a choice that only finishes.
    case empty(finishReason: String?)
    /// The usage chunk (a chunk with usage and no token), with the engine's own timings when it
    /// sends them (llama.cpp's `timings`).
    case usage(promptTokens: Int, completionTokens: Int, engine: EngineTimings? = nil)
    case done
    /// Not JSON, or an error object the server streamed.
    case error(String)

    /// Classifies one event's data.
    public static func classify(_ data: String) -> StreamEvent {
        if data == "[DONE]" { return .done }
        var text = data
        let event = text.withUTF8 { StreamChunk.classify(UnsafeRawBufferPointer($0)) }
        return event ?? .error("not a JSON chunk: \(data.prefix(200))")
    }
}
