/// The simulated model's tokenizer: one token per whitespace-separated word.
///
/// Exact enough for what the simulator needs (prompt lengths), and easy for a load generator
/// to target: `/tokenize` answers with these counts, and a prompt of N words is N tokens.
/// Token ids are a stable hash of the word, modulo the model's vocabulary.
public struct SimulatedTokenizer: Sendable {
    public let vocabulary: Int

    public init(vocabulary: Int) { self.vocabulary = vocabulary }

    public func tokenize(_ text: String) -> [Int] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).map { word in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
            for byte in word.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return Int(hash % UInt64(vocabulary))
        }
    }

    /// Text of `count` generated tokens, continuing from token `offset`.
    public func generatedText(offset: Int, count: Int) -> String {
        (offset..<(offset + count)).map { " " + Self.words[$0 % Self.words.count] }.joined()
    }

    static let words = [
        "the", "simulated", "engine", "streams", "tokens", "at", "the", "pace", "of", "a", "real", "GPU", "so", "that",
        "clients", "measure", "it", "as", "they", "would", "measure", "vLLM", "or", "SGLang",
    ]
}
