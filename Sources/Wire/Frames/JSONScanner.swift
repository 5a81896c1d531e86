/// A validating JSON scanner that finds where values end without building them.
///
/// Records are the bulk of the protocol's traffic and the coordinator never needs to look
/// inside them, only to check that they are well-formed and store them. Decoding them into
/// values (and encoding them again for the store) cost about 60 µs a record; scanning costs a
/// pass over the bytes. Grammar: RFC 8259, with nesting limited to ``maximumDepth``.
public struct JSONScanner {
    public struct Invalid: Error, Hashable, CustomStringConvertible {
        public var offset: Int
        public var reason: String

        @usableFromInline init(offset: Int, reason: String) {
            self.offset = offset
            self.reason = reason
        }
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    public static let maximumDepth = 64

    public let bytes: UnsafeRawBufferPointer

    @inlinable public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Index just past the value that starts at `index` (after any whitespace).
    @inlinable public func skipValue(at index: Int, depth: Int = 0) throws(Invalid) -> Int {
        let start = skipWhitespace(at: index)
        guard start < bytes.count else { throw Invalid(offset: start, reason: "a value was expected") }
        switch bytes[start] {
        case UInt8(ascii: "{"): return try skipObject(at: start, depth: depth + 1)
        case UInt8(ascii: "["): return try skipArray(at: start, depth: depth + 1, eachElement: nil)
        case UInt8(ascii: "\""): return try skipString(at: start)
        case UInt8(ascii: "t"): return try skipLiteral("true", at: start)
        case UInt8(ascii: "f"): return try skipLiteral("false", at: start)
        case UInt8(ascii: "n"): return try skipLiteral("null", at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try skipNumber(at: start)
        default: throw Invalid(offset: start, reason: "unexpected character")
        }
    }

    /// The top-level fields of an object filling all of `bytes`: each key (raw, as written
    /// between its quotes) with the byte range of its value.
    public func objectFields() throws(Invalid) -> [(key: String, value: Range<Int>)] {
        let (fields, end) = try scanFields(at: 0)
        guard skipWhitespace(at: end) == bytes.count else {
            throw Invalid(offset: end, reason: "text after the object")
        }
        return fields.map { (String(decoding: bytes[$0.key], as: UTF8.self), $0.value) }
    }

    /// Checks that `range` holds an array of objects and counts them.
    public func countObjectsInArray(_ range: Range<Int>) throws(Invalid) -> Int {
        var count = 0
        let end = try skipArray(at: range.lowerBound, depth: 1) { elementStart throws(Invalid) in
            guard bytes[elementStart] == UInt8(ascii: "{") else {
                throw Invalid(offset: elementStart, reason: "each record must be a JSON object")
            }
            count += 1
        }
        guard end == range.upperBound else { throw Invalid(offset: end, reason: "text after the array") }
        return count
    }

    /// The fields of the object in `range`: each key's bytes (between its quotes, as written)
    /// and its value's bytes, without making strings of them.
    public func fieldRanges(_ range: Range<Int>) throws(Invalid) -> [(key: Range<Int>, value: Range<Int>)] {
        try scanFields(at: range.lowerBound).fields
    }

    /// The fields of the object starting at `start`, and the index just past it.
    private func scanFields(at start: Int) throws(Invalid) -> (
        fields: [(key: Range<Int>, value: Range<Int>)], end: Int
    ) {
        var fields: [(key: Range<Int>, value: Range<Int>)] = []
        let end = try forEachField(ofObjectAt: start) { key, value in fields.append((key, value)) }
        return (fields, end)
    }

    /// Calls `body` with each field of the object that starts at `start` (after any whitespace):
    /// its key's bytes (between the quotes, as written) and its value's bytes; returns the index
    /// just past the object. Builds nothing, so it suits code that runs for every streamed event.
    @inlinable public func forEachField(
        ofObjectAt start: Int, _ body: (_ key: Range<Int>, _ value: Range<Int>) throws(Invalid) -> Void
    ) throws(Invalid) -> Int {
        var index = skipWhitespace(at: start)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            throw Invalid(offset: index, reason: "an object was expected")
        }
        index = skipWhitespace(at: index + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return index + 1 }
        while true {
            let keyStart = skipWhitespace(at: index)
            let keyEnd = try skipString(at: keyStart)
            index = try expect(":", at: keyEnd)
            let valueStart = skipWhitespace(at: index)
            let valueEnd = try skipValue(at: valueStart, depth: 1)
            try body((keyStart + 1)..<(keyEnd - 1), valueStart..<valueEnd)
            index = skipWhitespace(at: valueEnd)
            guard index < bytes.count else { throw Invalid(offset: index, reason: "unterminated object") }
            if bytes[index] == UInt8(ascii: "}") { return index + 1 }
            index = try expect(",", at: index)
        }
    }

    /// The byte range of the first element of the array in `range`, `nil` when it is empty.
    @inlinable public func firstElement(_ range: Range<Int>) throws(Invalid) -> Range<Int>? {
        let start = skipWhitespace(at: range.lowerBound)
        guard start < bytes.count, bytes[start] == UInt8(ascii: "[") else {
            throw Invalid(offset: start, reason: "an array was expected")
        }
        let first = skipWhitespace(at: start + 1)
        guard first < bytes.count, bytes[first] != UInt8(ascii: "]") else { return nil }
        return first..<(try skipValue(at: first, depth: 1))
    }

    /// Whether the key at `key` (as `forEachField` gives it) is `name`, compared as bytes.
    @inlinable public func key(_ key: Range<Int>, is name: StaticString) -> Bool {
        guard key.count == name.utf8CodeUnitCount else { return false }
        for offset in 0..<key.count where bytes[key.lowerBound + offset] != name.utf8Start[offset] { return false }
        return true
    }

    /// The byte range of each element of the array in `range`.
    public func arrayElements(_ range: Range<Int>) throws(Invalid) -> [Range<Int>] {
        var elements: [Range<Int>] = []
        _ = try skipArray(at: range.lowerBound, depth: 1) { elementStart throws(Invalid) in
            elements.append(elementStart..<(try skipValue(at: elementStart, depth: 1)))
        }
        return elements
    }

    /// Whether all of `bytes` is one JSON object.
    public func isSingleObject() -> Bool {
        let start = skipWhitespace(at: 0)
        guard start < bytes.count, bytes[start] == UInt8(ascii: "{") else { return false }
        guard let end = try? skipValue(at: start) else { return false }
        return skipWhitespace(at: end) == bytes.count
    }

    // MARK: Grammar

    @inlinable public func skipWhitespace(at index: Int) -> Int {
        var index = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return index
            }
        }
        return index
    }

    @inlinable func expect(_ character: Unicode.Scalar, at index: Int) throws(Invalid) -> Int {
        let index = skipWhitespace(at: index)
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else {
            throw Invalid(offset: index, reason: "`\(character)` was expected")
        }
        return index + 1
    }

    @inlinable func skipObject(at start: Int, depth: Int) throws(Invalid) -> Int {
        guard depth <= Self.maximumDepth else {
            throw Invalid(offset: start, reason: "nested deeper than \(Self.maximumDepth)")
        }
        var index = skipWhitespace(at: start + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return index + 1 }
        while true {
            index = try skipString(at: skipWhitespace(at: index))
            index = try expect(":", at: index)
            index = skipWhitespace(at: try skipValue(at: index, depth: depth))
            guard index < bytes.count else { throw Invalid(offset: index, reason: "unterminated object") }
            if bytes[index] == UInt8(ascii: "}") { return index + 1 }
            index = try expect(",", at: index)
        }
    }

    @inlinable func skipArray(at start: Int, depth: Int, eachElement: ((Int) throws(Invalid) -> Void)?) throws(Invalid)
        -> Int
    {
        guard depth <= Self.maximumDepth else {
            throw Invalid(offset: start, reason: "nested deeper than \(Self.maximumDepth)")
        }
        guard start < bytes.count, bytes[start] == UInt8(ascii: "[") else {
            throw Invalid(offset: start, reason: "an array was expected")
        }
        var index = skipWhitespace(at: start + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { return index + 1 }
        while true {
            index = skipWhitespace(at: index)
            if index < bytes.count { try eachElement?(index) }
            index = skipWhitespace(at: try skipValue(at: index, depth: depth))
            guard index < bytes.count else { throw Invalid(offset: index, reason: "unterminated array") }
            if bytes[index] == UInt8(ascii: "]") { return index + 1 }
            index = try expect(",", at: index)
        }
    }

    @inlinable func skipString(at start: Int) throws(Invalid) -> Int {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else {
            throw Invalid(offset: start, reason: "a string was expected")
        }
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return index + 1 }
            if byte < 0x20 { throw Invalid(offset: index, reason: "control character in a string") }
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count else { break }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 5 < bytes.count, (2...5).allSatisfy({ Self.isHexDigit(bytes[index + $0]) }) else {
                        throw Invalid(offset: index, reason: "bad \\u escape")
                    }
                    index += 6
                default:
                    throw Invalid(offset: index, reason: "bad escape")
                }
                continue
            }
            index += 1
        }
        throw Invalid(offset: index, reason: "unterminated string")
    }

    @inlinable func skipNumber(at start: Int) throws(Invalid) -> Int {
        var index = start
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, Self.isDigit(bytes[index]) else {
            throw Invalid(offset: index, reason: "a digit was expected")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else {
                throw Invalid(offset: index, reason: "a digit was expected after `.`")
            }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, Self.isDigit(bytes[index]) else {
                throw Invalid(offset: index, reason: "a digit was expected in the exponent")
            }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        return index
    }

    @inlinable func skipLiteral(_ literal: StaticString, at start: Int) throws(Invalid) -> Int {
        let count = literal.utf8CodeUnitCount
        guard start + count <= bytes.count else { throw Invalid(offset: start, reason: "unexpected end") }
        for offset in 0..<count where bytes[start + offset] != literal.utf8Start[offset] {
            throw Invalid(offset: start + offset, reason: "`\(literal)` was expected")
        }
        return start + count
    }

    @inlinable static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    @inlinable static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
