// The parts of the OpenAI-compatible API the simulated engine serves, as vLLM names them.

/// A prompt: text, several texts, or token ids (whose count is exact).
public enum PromptInput: Decodable, Sendable {
    case text(String)
    case texts([String])
    case tokens([Int])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let tokens = try? container.decode([Int].self) {
            self = .tokens(tokens)
        } else {
            self = .texts(try container.decode([String].self))
        }
    }

    func tokenCount(_ tokenizer: SimulatedTokenizer) -> Int {
        switch self {
        case .text(let text): tokenizer.count(text)
        case .texts(let texts): texts.reduce(0) { $0 + tokenizer.count($1) }
        case .tokens(let tokens): tokens.count
        }
    }
}

public struct StreamOptions: Decodable, Sendable {
    public var include_usage: Bool?
}

/// `POST /v1/completions`.
public struct CompletionRequest: Decodable, Sendable {
    public var model: String?
    public var prompt: PromptInput
    public var max_tokens: Int?
    public var min_tokens: Int?
    public var stream: Bool?
    public var stream_options: StreamOptions?
    public var ignore_eos: Bool?
}

/// `POST /v1/chat/completions`.
public struct ChatCompletionRequest: Decodable, Sendable {
    public struct Message: Decodable, Sendable {
        public var role: String
        public var content: MessageContent?
    }

    public enum MessageContent: Decodable, Sendable {
        case text(String)
        case parts([Part])

        public struct Part: Decodable, Sendable {
            public var type: String
            public var text: String?
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .parts(try container.decode([Part].self))
            }
        }

        var text: String {
            switch self {
            case .text(let text): text
            case .parts(let parts): parts.compactMap(\.text).joined(separator: " ")
            }
        }
    }

    public var model: String?
    public var messages: [Message]
    public var max_tokens: Int?
    public var max_completion_tokens: Int?
    public var min_tokens: Int?
    public var stream: Bool?
    public var stream_options: StreamOptions?
    public var ignore_eos: Bool?
}

public struct Usage: Encodable, Sendable {
    public var prompt_tokens: Int
    public var completion_tokens: Int
    public var total_tokens: Int
}
