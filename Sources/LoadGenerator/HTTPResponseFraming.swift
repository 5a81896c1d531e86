/// What a response's framing hands on: its head, its body's bytes as they arrive, its end.
protocol HTTPResponseSink {
    mutating func responseHead(status: Int, keepAlive: Bool) throws
    mutating func responseBody(_ bytes: UnsafeRawBufferPointer) throws
    mutating func responseEnd()
}

/// A response the client cannot read: the server broke HTTP/1.1, or sent more than a
/// benchmark response can need.
public struct HTTPResponseError: Error, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { "bad HTTP response: \(reason)" }
}

/// The framing of HTTP/1.1 responses on one connection, one after another: the status line and
/// headers, then a body by `Content-Length`, chunked transfer coding, or until the server
/// closes. Body bytes are handed on where they lie in the read, never copied; only a head or a
/// chunk-size line cut by the end of a read is kept, and those are bounded.
///
/// Written for the load generator instead of NIOHTTP1's decoder, which builds a head value, a
/// buffer per body piece and a message through the pipeline for each: at hundreds of thousands
/// of token events a second that was most of the client's own cost.
struct HTTPResponseFraming {
    static let maximumHeadBytes = 16 * 1024
    private static let maximumSizeLineBytes = 1024

    private enum State {
        case head
        case chunkSize
        case chunkData(remaining: Int)
        /// The CRLF after a chunk's data.
        case chunkDataEnd
        case trailers
        case fixed(remaining: Int)
        case untilClose
    }

    private var state = State.head
    /// The head or line so far, when a read ended inside it.
    private var carried: [UInt8] = []

    /// Whether the connection is between responses (nothing of one has arrived).
    var isIdle: Bool {
        if case .head = state { carried.isEmpty } else { false }
    }

    mutating func feed<Sink: HTTPResponseSink>(_ bytes: UnsafeRawBufferPointer, into sink: inout Sink)
        throws
    {
        var index = 0
        while index < bytes.count {
            switch state {
            case .head:
                index = try readHead(bytes, from: index, into: &sink)
            case .chunkSize:
                guard
                    let (size, next) = try withLine(
                        bytes, from: index, limit: Self.maximumSizeLineBytes, Self.chunkSize)
                else { return }
                index = next
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let count = min(remaining, bytes.count - index)
                try sink.responseBody(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)]))
                index += count
                state = remaining == count ? .chunkDataEnd : .chunkData(remaining: remaining - count)
            case .chunkDataEnd:
                guard let (empty, next) = try withLine(bytes, from: index, limit: 1, { $0.isEmpty }) else { return }
                guard empty else { throw HTTPResponseError(reason: "a chunk's data is longer than its size") }
                index = next
                state = .chunkSize
            case .trailers:
                guard
                    let (empty, next) = try withLine(bytes, from: index, limit: Self.maximumHeadBytes, { $0.isEmpty })
                else { return }
                index = next
                if empty { end(&sink) }
            case .fixed(let remaining):
                let count = min(remaining, bytes.count - index)
                try sink.responseBody(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)]))
                index += count
                if remaining == count { end(&sink) } else { state = .fixed(remaining: remaining - count) }
            case .untilClose:
                try sink.responseBody(UnsafeRawBufferPointer(rebasing: bytes[index...]))
                return
            }
        }
    }

    /// The server closed the connection: the end of a body read until close, else a response
    /// cut short (`false`).
    mutating func connectionClosed<Sink: HTTPResponseSink>(into sink: inout Sink) -> Bool {
        guard case .untilClose = state else { return isIdle }
        end(&sink)
        return true
    }

    private mutating func end<Sink: HTTPResponseSink>(_ sink: inout Sink) {
        state = .head
        sink.responseEnd()
    }

    // MARK: Head

    private mutating func readHead<Sink: HTTPResponseSink>(
        _ bytes: UnsafeRawBufferPointer, from start: Int, into sink: inout Sink
    ) throws -> Int {
        // The end of the head may straddle reads: look from a little before the new bytes.
        let carriedCount = carried.count
        guard let end = Self.headEnd(carried: carried, bytes, from: start) else {
            carried.append(contentsOf: bytes[start...])
            guard carried.count <= Self.maximumHeadBytes else {
                throw HTTPResponseError(reason: "a head longer than \(Self.maximumHeadBytes) bytes")
            }
            return bytes.count
        }
        let head: Head
        if carriedCount == 0 {
            head = try Head(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        } else {
            carried.append(contentsOf: bytes[start..<end])
            head = try carried.withUnsafeBytes { raw in try Head(raw) }
            carried.removeAll(keepingCapacity: true)
        }
        guard head.status >= 200 || head.status == 101 else { return end }  // 100 Continue and the like
        try sink.responseHead(status: head.status, keepAlive: head.keepAlive)
        if head.status == 204 || head.status == 304 {
            self.end(&sink)
        } else if head.chunked {
            state = .chunkSize
        } else if let length = head.contentLength {
            if length == 0 { self.end(&sink) } else { state = .fixed(remaining: length) }
        } else {
            state = .untilClose
        }
        return end
    }

    /// Index just past the blank line that ends the head, in `bytes` from `start`, counting the
    /// bytes carried from earlier reads.
    private static func headEnd(carried: [UInt8], _ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var last: (UInt8, UInt8, UInt8) = (0, 0, 0)
        let tail = carried.suffix(3)
        for byte in tail { last = (last.1, last.2, byte) }
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                if last.2 == UInt8(ascii: "\n") || (last.2 == UInt8(ascii: "\r") && last.1 == UInt8(ascii: "\n")) {
                    return index + 1
                }
            }
            last = (last.1, last.2, byte)
            index += 1
        }
        return nil
    }

    private struct Head {
        var status = 0
        var keepAlive = true
        var chunked = false
        var contentLength: Int?

        init(_ bytes: UnsafeRawBufferPointer) throws {
            var lines = HeadLines(bytes)
            guard let statusLine = lines.next() else { throw HTTPResponseError(reason: "no status line") }
            // HTTP/1.1 200 OK
            guard statusLine.count >= 12, statusLine.starts(with: "HTTP/1.".utf8),
                statusLine[statusLine.startIndex + 8] == 32,
                let status = Int(String(decoding: statusLine.dropFirst(9).prefix(3), as: UTF8.self)),
                (100...999).contains(status)
            else {
                throw HTTPResponseError(
                    reason: "not an HTTP/1.x status line: `\(String(decoding: statusLine.prefix(64), as: UTF8.self))`")
            }
            self.status = status
            keepAlive = statusLine[statusLine.startIndex + 7] == UInt8(ascii: "1")
            while let line = lines.next() {
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                    throw HTTPResponseError(
                        reason: "a header line without `:`: `\(String(decoding: line.prefix(64), as: UTF8.self))`")
                }
                let name = line[..<colon]
                // Only three headers matter here, and their values are short: compare bytes.
                if Self.equalsIgnoringCase(name, "content-length") {
                    let value = Self.trimmed(line[(colon + 1)...])
                    guard !value.isEmpty, value.count <= 18, value.allSatisfy({ (48...57).contains($0) }),
                        let length = Int(String(decoding: value, as: UTF8.self)),
                        contentLength == nil || contentLength == length
                    else {
                        throw HTTPResponseError(
                            reason: "Content-Length `\(String(decoding: value.prefix(32), as: UTF8.self))`")
                    }
                    contentLength = length
                } else if Self.equalsIgnoringCase(name, "transfer-encoding") {
                    let codings = line[(colon + 1)...].split(separator: UInt8(ascii: ","))
                    chunked = codings.last.map { Self.equalsIgnoringCase(Self.trimmed($0), "chunked") } ?? false
                } else if Self.equalsIgnoringCase(name, "connection") {
                    for token in line[(colon + 1)...].split(separator: UInt8(ascii: ",")) {
                        if Self.equalsIgnoringCase(Self.trimmed(token), "close") { keepAlive = false }
                        if Self.equalsIgnoringCase(Self.trimmed(token), "keep-alive") { keepAlive = true }
                    }
                }
            }
        }

        static func trimmed(_ bytes: UnsafeRawBufferPointer.SubSequence) -> UnsafeRawBufferPointer.SubSequence {
            let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            guard let first = bytes.firstIndex(where: { !isSpace($0) }),
                let last = bytes.lastIndex(where: { !isSpace($0) })
            else { return bytes[bytes.startIndex..<bytes.startIndex] }
            return bytes[first...last]
        }

        static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer.SubSequence, _ name: StaticString) -> Bool {
            guard bytes.count == name.utf8CodeUnitCount else { return false }
            for (offset, byte) in bytes.enumerated() where byte | 0x20 != name.utf8Start[offset] { return false }
            return true
        }
    }

    /// The lines of a head, without their line ends; stops at the blank line.
    private struct HeadLines {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func next() -> UnsafeRawBufferPointer.SubSequence? {
            guard let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            var line = bytes[index..<end]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            index = end + 1
            return line.isEmpty ? nil : line
        }
    }

    // MARK: Lines of the chunked coding

    /// Hands `body` the next line from `start` (without its line end) where it lies, and returns
    /// what it made of it with the index after the line; `nil` when the read ends first (the part
    /// seen is carried to the next read, up to `limit` bytes).
    private mutating func withLine<T>(
        _ bytes: UnsafeRawBufferPointer, from start: Int, limit: Int,
        _ body: (UnsafeRawBufferPointer.SubSequence) throws -> T
    ) throws -> (T, Int)? {
        guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            carried.append(contentsOf: bytes[start...])
            guard carried.count <= limit + 1 else { throw HTTPResponseError(reason: "a chunk line too long") }
            return nil
        }
        guard carried.count + newline - start <= limit + 1 else {
            throw HTTPResponseError(reason: "a chunk line too long")
        }
        if carried.isEmpty {
            var line = bytes[start..<newline]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            return (try body(line), newline + 1)
        }
        carried.append(contentsOf: bytes[start..<newline])
        if carried.last == UInt8(ascii: "\r") { carried.removeLast() }
        defer { carried.removeAll(keepingCapacity: true) }
        let value = try carried.withUnsafeBytes { raw in try body(raw[...]) }
        return (value, newline + 1)
    }

    /// A chunk-size line: hex digits, then perhaps extensions (`;name=value`), which carry
    /// nothing a benchmark needs.
    private static func chunkSize(_ line: UnsafeRawBufferPointer.SubSequence) throws -> Int {
        var size = 0
        var digits = 0
        for byte in line {
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A")) + 10
            case UInt8(ascii: ";"), UInt8(ascii: " "), 9:
                guard digits > 0 else { throw badChunkSize(line) }
                return size
            default: throw badChunkSize(line)
            }
            digits += 1
            guard digits <= 15 else { throw badChunkSize(line) }
            size = size * 16 + value
        }
        guard digits > 0 else { throw badChunkSize(line) }
        return size
    }

    private static func badChunkSize(_ line: UnsafeRawBufferPointer.SubSequence) -> HTTPResponseError {
        HTTPResponseError(reason: "a chunk size `\(String(decoding: line.prefix(32), as: UTF8.self))`")
    }
}
