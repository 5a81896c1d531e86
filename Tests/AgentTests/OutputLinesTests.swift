import Testing

@testable import Agent

/// The agent's line splitter: every byte looked at once, memory bounded by the line limit.
@Suite struct OutputLinesTests {
    static func lines(_ chunks: [String], maximumBytes: Int = 8) -> [OutputLines.Line] {
        var splitter = OutputLines(maximumBytes: maximumBytes)
        var lines: [OutputLines.Line] = []
        for chunk in chunks { splitter.feed(Array(chunk.utf8)[...]) { lines.append($0) } }
        splitter.finish { lines.append($0) }
        return lines
    }

    @Test func linesAcrossChunks_andALastLineWithoutNewline() {
        #expect(
            Self.lines(["ab", "c\nde", "\n\nf"]) == [
                .init(bytes: Array("abc".utf8)), .init(bytes: Array("de".utf8)), .init(bytes: []),
                .init(bytes: Array("f".utf8)),
            ])
    }

    @Test func aLineOverTheLimit_keepsItsStart_andCountsTheRest() {
        #expect(
            Self.lines(["0123456789", "abcdef\nok\n"]) == [
                .init(bytes: Array("01234567".utf8), cutBytes: 8), .init(bytes: Array("ok".utf8)),
            ])
    }

    @Test func fourMegabytesWithoutANewline_holdOnlyTheLimit() {
        var splitter = OutputLines(maximumBytes: 1 << 20)
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 16)
        var emitted = 0
        for _ in 0..<64 { splitter.feed(chunk[...]) { _ in emitted += 1 } }
        #expect(emitted == 0)
        var last: OutputLines.Line?
        splitter.finish { last = $0 }
        #expect(last?.bytes.count == 1 << 20)
        #expect(last?.cutBytes == (4 << 20) - (1 << 20))
    }
}
