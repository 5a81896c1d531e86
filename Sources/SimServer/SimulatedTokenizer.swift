import NIOCore

/// The simulated model's tokenizer: one token per whitespace-separated word.
///
/// Exact enough for what the simulator needs (prompt lengths), and easy for a load generator
/// to target: `/tokenize` answers with these counts, and a prompt of N words is N tokens.
/// Token ids are a stable hash of the word, modulo the model's vocabulary.
public struct SimulatedTokenizer: Sendable {
    public let vocabulary: Int

    public init(vocabulary: Int) { self.vocabulary = vocabulary }

    /// One pass over the UTF-8 bytes, no substrings: every request's prompt goes through here,
    /// and splitting it into `String`s cost the engine more than serving the request.
    public func tokenize(_ text: String) -> [Int] {
        var tokens: [Int] = []
        var hash: UInt64 = Self.fnvOffset
        var inWord = false
        for byte in text.utf8 {
            if Self.isSeparator(byte) {
                if inWord { tokens.append(Int(hash % UInt64(vocabulary))) }
                hash = Self.fnvOffset
                inWord = false
            } else {
                hash = (hash ^ UInt64(byte)) &* Self.fnvPrime  // FNV-1a
                inWord = true
            }
        }
        if inWord { tokens.append(Int(hash % UInt64(vocabulary))) }
        return tokens
    }

    /// How many tokens `text` is, without computing them.
    public func count(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for byte in text.utf8 {
            if Self.isSeparator(byte) {
                inWord = false
            } else if !inWord {
                count += 1
                inWord = true
            }
        }
        return count
    }

    private static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let fnvPrime: UInt64 = 0x100_0000_01b3

    /// The separators are ASCII, so a byte test matches a `Character` test: no UTF-8 byte of a
    /// multi-byte character is below 0x80.
    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// Text of `count` generated tokens, continuing from token `offset`.
    public func generatedText(offset: Int, count: Int) -> String {
        (offset..<(offset + count)).map { " " + Self.words[$0 % Self.words.count] }.joined()
    }

    /// Appends ``generatedText(offset:count:)``'s UTF-8 to `buffer` as one or a few copies from
    /// ``cycle``, not a `String` per word: the engine writes it for every token event. The words
    /// are ASCII letters: the text needs no JSON escaping.
    public func appendGeneratedText(offset: Int, count: Int, to buffer: inout ByteBuffer) {
        var position = offset % Self.words.count
        var remaining = count
        Self.cycle.withUnsafeBytes { cycle in
            while remaining > 0 {
                let run = min(remaining, Self.words.count - position)
                buffer.writeBytes(
                    UnsafeRawBufferPointer(rebasing: cycle[Self.starts[position]..<Self.starts[position + run]]))
                remaining -= run
                position = 0
            }
        }
    }

    /// Every word after its space, one after another, and where each starts in it.
    static let cycle: [UInt8] = words.flatMap { [UInt8(ascii: " ")] + Array($0.utf8) }
    static let starts: [Int] = words.reduce(into: [0]) { starts, word in
        starts.append(starts.last! + 1 + word.utf8.count)
    }

    static let words = [
        "the", "simulated", "engine", "streams", "tokens", "at", "the", "pace", "of", "a", "real", "GPU", "so", "that",
        "clients", "measure", "it", "as", "they", "would", "measure", "vLLM", "or", "SGLang",
    ]
}
