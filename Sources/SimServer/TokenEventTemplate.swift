import Foundation
import NIOCore

/// One request's token events, JSON-encoded once with a marker where the text goes and filled
/// in per event. Encoding every event with `JSONEncoder` cost the simulated engine more than
/// the simulation: at a high time scale it is tens of thousands of events a second, and the
/// engine's CPU is taken from the load generator sharing the machine.
struct TokenEventTemplate: Sendable {
    private static let marker = "@@sweepline-text@@"
    private let prefix: [UInt8]
    private let suffix: [UInt8]

    /// - Parameter encode: the event's JSON for a given text, as the API defines it.
    init(_ encode: (String) throws -> Data) throws {
        let bytes = Array(try encode(Self.marker))
        let marker = Array(Self.marker.utf8)
        guard let start = bytes.firstRange(of: marker) else {
            throw TemplateError(reason: "the encoded event does not contain its text")
        }
        prefix = Array("data: ".utf8) + bytes[..<start.lowerBound]
        suffix = Array(bytes[start.upperBound...]) + Array("\n\n".utf8)
    }

    /// `data: {…"text":"<text>"…}` and the blank line that ends the event, with the text that
    /// `writeText` writes straight into it. The text must need no JSON escaping
    /// (``SimulatedTokenizer/appendGeneratedText(offset:count:to:)``'s words): no `String` per
    /// event, and no pass over its bytes.
    func event(capacity: Int, writingText writeText: (inout ByteBuffer) -> Void) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(prefix.count + capacity + suffix.count)
        buffer.writeBytes(prefix)
        writeText(&buffer)
        buffer.writeBytes(suffix)
        return buffer
    }

    struct TemplateError: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }
}
