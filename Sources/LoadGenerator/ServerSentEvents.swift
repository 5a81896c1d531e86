import Foundation
import NIOCore
import Wire

/// Splits a `text/event-stream` body into events and hands on each event's `data`, as the bytes
/// arrive: an event may span reads, and one read may hold several events. Data that lies whole
/// in one read is handed on where it lies; only what a read's end cuts is copied, and that is
/// bounded by ``maximumEventBytes``.
///
/// Follows the SSE format: lines end in `\n`, `\r\n` or `\r`; an empty line ends an event;
/// `data:` lines of one event are joined with `\n`; comment lines (`:`) and other fields
/// (`event:`, `id:`, `retry:`) carry no data.
public struct ServerSentEventParser: Sendable {
    public static let maximumEventBytes = 1 << 20
    private static let tooLong = HTTPResponseError(
        reason: "a server-sent event longer than \(maximumEventBytes) bytes")
    private static let dataField = Array("data:".utf8)

    /// A line a read's end cut, so far.
    private var line: [UInt8] = []
    /// The event's data so far, once it could not stay where it lay.
    private var data: [UInt8] = []
    private var hasData = false
    private var sawCarriageReturn = false

    public init() {}

    /// Calls `onEvent` with the data of every event these bytes complete.
    public mutating func feed(
        _ bytes: UnsafeRawBufferPointer, _ onEvent: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var lineStart = 0
        // The current event's data while it is one `data:` line of these bytes.
        var inPlace: Range<Int>?
        var index = 0
        if sawCarriageReturn, bytes.count > 0, bytes[0] == UInt8(ascii: "\n") {
            index = 1  // the \n of a \r\n that straddled reads
            lineStart = 1
        }
        sawCarriageReturn = false
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                index += 1
                continue
            }
            if line.isEmpty {
                try endLine(bytes, lineStart..<index, inPlace: &inPlace, onEvent)
            } else {
                line.append(contentsOf: bytes[lineStart..<index])
                let whole = line
                line.removeAll(keepingCapacity: true)
                try whole.withUnsafeBytes { raw in
                    var none: Range<Int>?
                    try endLine(raw, 0..<raw.count, inPlace: &none, onEvent)
                    if let none { data.append(contentsOf: raw[none]) }
                }
            }
            index += 1
            if byte == UInt8(ascii: "\r") {
                if index < bytes.count {
                    if bytes[index] == UInt8(ascii: "\n") { index += 1 }
                } else {
                    sawCarriageReturn = true
                }
            }
            lineStart = index
        }
        // These bytes go away: keep what is still needed of them.
        if let inPlace { data.append(contentsOf: bytes[inPlace]) }
        line.append(contentsOf: bytes[lineStart...])
        guard line.count + data.count <= Self.maximumEventBytes else {
            throw Self.tooLong
        }
    }

    private mutating func endLine(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, inPlace: inout Range<Int>?,
        _ onEvent: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        if range.isEmpty {
            guard hasData else { return }
            hasData = false
            if let place = inPlace {
                inPlace = nil
                try onEvent(UnsafeRawBufferPointer(rebasing: bytes[place]))
            } else {
                defer { data.removeAll(keepingCapacity: true) }
                try data.withUnsafeBytes { raw in try onEvent(raw) }
            }
            return
        }
        guard bytes[range].starts(with: Self.dataField) else { return }
        var value = (range.lowerBound + Self.dataField.count)..<range.upperBound
        if value.first.map({ bytes[$0] }) == UInt8(ascii: " ") { value = (value.lowerBound + 1)..<value.upperBound }
        if !hasData {
            hasData = true
            inPlace = value
            return
        }
        // A second `data:` line: the event no longer lies in one place.
        if let place = inPlace {
            data.append(contentsOf: bytes[place])
            inPlace = nil
        }
        data.append(UInt8(ascii: "\n"))
        data.append(contentsOf: bytes[value])
        guard data.count <= Self.maximumEventBytes else {
            throw Self.tooLong
        }
    }

    /// The data of every event completed by these bytes, as strings (for tests and tools).
    public mutating func feed(_ buffer: ByteBuffer) throws -> [String] {
        var events: [String] = []
        try buffer.withUnsafeReadableBytes { raw in
            try feed(raw) { events.append(String(decoding: $0, as: UTF8.self)) }
        }
        return events
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
    public static func classify(_ data: UnsafeRawBufferPointer) -> StreamEvent {
        if data.elementsEqual("[DONE]".utf8) { return .done }
        return StreamChunk.classify(data)
            ?? .error("not a JSON chunk: \(String(decoding: data.prefix(200), as: UTF8.self))")
    }

    /// Classifies one event's data.
    public static func classify(_ data: String) -> StreamEvent {
        var text = data
        return text.withUTF8 { classify(UnsafeRawBufferPointer($0)) }
    }
}
