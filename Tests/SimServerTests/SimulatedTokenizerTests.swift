import Testing

@testable import SimServer

@Suite struct SimulatedTokenizerTests {
    /// The words as `String.split` sees them, hashed: what the byte-level pass must equal.
    static func byWords(_ text: String, vocabulary: Int) -> [Int] {
        text.split(whereSeparator: { " \n\t\r".contains($0) }).map { word in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return Int(hash % UInt64(vocabulary))
        }
    }

    @Test(arguments: [
        "", "   ", "one", "  leading and trailing  ", "tabs\tand\nnew lines\r",
        "ünïcødé wörds → and 🙂 emoji", "the simulated engine streams tokens at the pace of a real GPU",
    ])
    func tokensAreOnePerWord_hashedAsBefore(_ text: String) {
        let tokenizer = SimulatedTokenizer(vocabulary: 128_000)
        #expect(tokenizer.tokenize(text) == Self.byWords(text, vocabulary: 128_000))
        #expect(tokenizer.count(text) == Self.byWords(text, vocabulary: 128_000).count)
    }

    @Test func windowsLineEndings_separateWords() {
        // `String.split` sees "\r\n" as one Character that is neither "\r" nor "\n".
        #expect(SimulatedTokenizer(vocabulary: 10).count("a\r\nb") == 2)
    }
}
