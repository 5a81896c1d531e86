import Foundation
import NIOHTTP1

/// Establishes a ``PromptVocabulary`` against a live server, once per engine deployment.
///
/// Counts come from the server's `/tokenize` (vLLM's `{"prompt"}` → `{"count"}` shape, then
/// llama.cpp's `{"content"}` → `{"tokens"}`) where it has one and the API is completions; else
/// from `usage.prompt_tokens` of one-token requests, which also counts a chat template.
public enum PromptCalibration {
    /// How a prompt's tokens are counted.
    public enum Counter: String, Sendable, CaseIterable {
        case tokenize
        case usage
    }

    public static func calibrate(_ endpoint: BenchEndpoint, words wanted: Int = 64) async throws -> PromptVocabulary {
        let shape = endpoint.isChat ? nil : try await tokenizeShape(endpoint)
        let counter: Counter = shape == nil ? .usage : .tokenize
        func count(_ text: String) async throws -> Int {
            if let shape {
                try await tokenizeCount(text, shape: shape, endpoint)
            } else {
                try await usageCount(text, endpoint)
            }
        }
        let anchor = try await count("the")
        var words: [String] = []
        for candidate in PromptVocabulary.candidates where words.count < wanted {
            if try await count("the " + candidate) - anchor == 1 { words.append(candidate) }
        }
        guard words.count >= 8 else {
            throw CalibrationFailed(
                "only \(words.count) of \(PromptVocabulary.candidates.count) common words are one token for this server's tokenizer (\(counter.rawValue)); prompts of exact length cannot be built"
            )
        }
        // `the` is one of the prompt's tokens; anything else the server adds is overhead.
        let vocabulary = PromptVocabulary(words: words, overhead: anchor - 1, source: counter.rawValue)
        for (index, length) in [(987_654, 64), (3, 517)] {
            let counted = try await count(vocabulary.prompt(index: index, tokens: length))
            guard counted == length else {
                throw CalibrationFailed(
                    "a prompt built for \(length) tokens counts \(counted) on the server (\(counter.rawValue)): its tokenizer does not split on spaces"
                )
            }
        }
        return vocabulary
    }

    enum TokenizeShape {
        case vllm
        case llamaCpp
    }

    /// Which `/tokenize` the server speaks, `nil` when it has none.
    static func tokenizeShape(_ endpoint: BenchEndpoint) async throws -> TokenizeShape? {
        // llama.cpp answers vLLM's shape with an empty token list, so a shape counts only if it
        // finds the word's token.
        for shape in [TokenizeShape.vllm, .llamaCpp] {
            if let count = try? await tokenizeCount("the", shape: shape, endpoint), count > 0 { return shape }
        }
        return nil
    }

    static func tokenizeCount(_ text: String, shape: TokenizeShape, _ endpoint: BenchEndpoint) async throws -> Int {
        let body: [String: Any] =
            switch shape {
            case .vllm: ["model": endpoint.model, "prompt": text]
            case .llamaCpp: ["content": text, "add_special": true]
            }
        let object = try await post("/tokenize", body, endpoint)
        if let count = object["count"] as? Int { return count }
        if let tokens = object["tokens"] as? [Any] { return tokens.count }
        throw CalibrationFailed("/tokenize answered without `count` or `tokens`")
    }

    static func usageCount(_ text: String, _ endpoint: BenchEndpoint) async throws -> Int {
        var body: [String: Any] = ["model": endpoint.model, "max_tokens": 1, "stream": false]
        if endpoint.isChat {
            body["messages"] = [["role": "user", "content": text]]
        } else {
            body["prompt"] = text
        }
        let object = try await post(endpoint.path, body, endpoint)
        guard let usage = object["usage"] as? [String: Any], let prompt = usage["prompt_tokens"] as? Int else {
            throw CalibrationFailed("\(endpoint.path) answered without usage.prompt_tokens")
        }
        return prompt
    }

    static func post(_ path: String, _ body: [String: Any], _ endpoint: BenchEndpoint) async throws -> [String: Any] {
        let text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        let response = try await OneShotHTTP.send(.POST, path, body: text, to: endpoint)
        guard response.status == 200 else {
            throw CalibrationFailed(
                "\(path) answered HTTP \(response.status): \(String(decoding: response.body.prefix(200), as: UTF8.self))"
            )
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw CalibrationFailed("\(path) answered something other than a JSON object")
        }
        return object
    }
}

public struct CalibrationFailed: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = "prompt calibration: " + description }
}
