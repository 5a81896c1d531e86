import Foundation
import NIOCore
import NIOFoundationCompat

/// A batch of records as a JSON array of objects, kept as the bytes that were sent.
///
/// The coordinator stores records without looking inside them, so it checks them with
/// ``JSONScanner`` and keeps the bytes instead of building values it would only encode again.
/// ``decode()`` gives the values to whoever needs them (aggregation, tests).
public struct RecordsJSON: Hashable, Sendable {
    /// `[{…},{…}]`
    public let bytes: ByteBuffer
    public let count: Int

    /// Trusts its caller: `bytes` must be an array of `count` objects (see ``init(validating:)``).
    private init(bytes: ByteBuffer, count: Int) {
        self.bytes = bytes
        self.count = count
    }

    public init(_ records: [JSONValue]) {
        let encoded = (try? JSONEncoder().encode(records)) ?? Data("[]".utf8)
        self.init(bytes: ByteBuffer(data: encoded), count: records.count)
    }

    /// Joins records that are each one JSON object already (as a workload printed them).
    public init(joiningObjects objects: [String]) {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(objects.reduce(2) { $0 + $1.utf8.count + 1 })
        buffer.writeString("[")
        for (index, object) in objects.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(object)
        }
        buffer.writeString("]")
        self.init(bytes: buffer, count: objects.count)
    }

    /// Checks that `bytes` is a JSON array of objects.
    public init(validating bytes: ByteBuffer) throws(JSONScanner.Invalid) {
        let count = try bytes.withUnsafeReadableBytes { raw throws(JSONScanner.Invalid) in
            try JSONScanner(raw).countObjectsInArray(0..<raw.count)
        }
        self.init(bytes: bytes, count: count)
    }

    public var text: String { String(buffer: bytes) }

    public func decode() throws -> [JSONValue] {
        try JSONDecoder().decode([JSONValue].self, from: bytes)
    }
}

extension RecordsJSON: Codable {
    // The slow path, for `Codable` users; the frame codec writes and reads the bytes directly.
    public init(from decoder: any Decoder) throws {
        self.init(try [JSONValue](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try decode().encode(to: encoder)
    }
}
