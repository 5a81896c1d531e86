import NIOCore

/// Builds prompts of an exact token count for one server's tokenizer, from words that are each
/// exactly one token there (metrics.md: the random dataset's ISL is in the server's tokens).
///
/// Every prompt starts with `the`, then three words that spell the request's index (so no two
/// prompts share a prefix a cache could reuse), then filler words. Byte-level BPE and
/// SentencePiece tokenizers split on spaces first, so the count is `overhead` + the word count;
/// ``PromptCalibration`` checks that on the server before a point relies on it.
public struct PromptVocabulary: Hashable, Sendable {
    /// Words that are one token each after a space.
    public var words: [String]
    /// Tokens the server counts beyond the words: a BOS token, a chat template.
    public var overhead: Int
    /// How it was established: `word-per-token`, `tokenize` or `usage`.
    public var source: String

    public init(words: [String], overhead: Int, source: String) {
        precondition(words.count >= 2, "a prompt vocabulary needs at least two words")
        self.words = words
        self.overhead = overhead
        self.source = source
    }

    /// For servers that count one token per word, such as Sweepline's simulated engine.
    public static let wordPerToken = PromptVocabulary(words: candidates, overhead: 0, source: "word-per-token")

    /// The words of a prompt the server counts as `tokens` tokens (at least the marker's four).
    public func promptWords(index: Int, tokens: Int) -> [String] {
        var prompt: [String] = []
        forEachWord(index: index, tokens: tokens) { prompt.append($0) }
        return prompt
    }

    public func prompt(index: Int, tokens: Int) -> String {
        promptWords(index: index, tokens: tokens).joined(separator: " ")
    }

    /// Appends ``prompt(index:tokens:)``'s UTF-8 to `buffer` without building it as strings
    /// first: at 8k tokens an array of words joined into a string was a fifth of the client's
    /// CPU, on the threads its event loops share the cores with. The words are plain ASCII
    /// letters (``candidates``): they need no JSON escaping.
    public func appendPrompt(index: Int, tokens: Int, to buffer: inout ByteBuffer) {
        var first = true
        forEachWord(index: index, tokens: tokens) { word in
            if !first { buffer.writeInteger(UInt8(ascii: " ")) }
            first = false
            buffer.writeString(word)
        }
    }

    private func forEachWord(index: Int, tokens: Int, _ body: (String) -> Void) {
        let count = max(4, tokens - overhead)
        body("the")
        var marker = index
        for _ in 0..<3 {
            body(words[marker % words.count])
            marker /= words.count
        }
        for position in 4..<count {
            body(words[(position &* 7 &+ index) % words.count])
        }
    }

    /// Common English words, most of them one token in the tokenizers of the field's models.
    static let candidates = [
        "time", "year", "people", "way", "day", "man", "thing", "woman", "life", "child", "world", "school", "state",
        "family", "student", "group", "country", "problem", "hand", "part", "place", "case", "week", "company",
        "system", "program", "question", "work", "government", "number", "night", "point", "home", "water", "room",
        "mother", "area", "money", "story", "fact", "month", "lot", "right", "study", "book", "eye", "job", "word",
        "business", "issue", "side", "kind", "head", "house", "service", "friend", "father", "power", "hour", "game",
        "line", "end", "member", "law", "car", "city", "community", "name", "president", "team", "minute", "idea",
        "kid", "body", "information", "back", "parent", "face", "others", "level", "office", "door", "health",
        "person", "art", "war", "history", "party", "result", "change", "morning", "reason", "research", "girl",
        "guy", "moment", "air", "teacher", "force", "education", "good", "new", "first", "last", "long", "great",
        "little", "own", "other", "old", "big", "high", "different", "small", "large", "next", "early", "young",
        "important", "few", "public", "bad", "same", "able", "make", "know", "take", "see", "come", "think", "look",
        "want", "give", "use", "find", "tell", "ask", "seem", "feel", "try", "leave", "call", "open", "light",
        "model", "data", "network", "table", "green", "river", "music", "paper", "road", "market", "field", "color",
    ]
}
