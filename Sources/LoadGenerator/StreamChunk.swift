import Foundation
import Wire

/// Reads the few fields of a streamed chunk that decide what it is straight from its bytes,
/// without building the chunk: this runs on the event loop for every token of every stream,
/// and Foundation's JSONDecoder cost more per event than everything else the client does.
enum StreamChunk {
    /// `nil` when the bytes are not a JSON object.
    static func classify(_ bytes: UnsafeRawBufferPointer) -> StreamEvent? {
        guard let chunk = Fields(bytes, 0..<bytes.count) else { return nil }
        if let error = chunk["error"] {
            let message = Fields(bytes, error).flatMap { $0.string("message") } ?? chunk.string("error")
            return .error(message ?? "the server streamed an error")
        }
        let choices = chunk["choices"].flatMap { try? JSONScanner(bytes).arrayElements($0) } ?? []
        let choice = choices.first.flatMap { Fields(bytes, $0) }
        let finish = choice?.string("finish_reason")
        if let choice, carriesToken(choice) { return .token(finishReason: finish) }
        // vLLM and SGLang send usage in a chunk of its own; llama.cpp on the choice that finishes.
        if let usage = chunk["usage"].flatMap({ Fields(bytes, $0) }) {
            let timings = chunk["timings"].flatMap { Fields(bytes, $0) }
            var engine: EngineTimings?
            if let timings, let prompt = timings.number("prompt_ms"), let predicted = timings.number("predicted_ms"),
                let count = timings.number("predicted_n")
            {
                engine = EngineTimings(
                    promptMilliseconds: prompt, predictedMilliseconds: predicted, predictedTokens: Int(count))
            }
            return .usage(
                promptTokens: Int(usage.number("prompt_tokens") ?? 0),
                completionTokens: Int(usage.number("completion_tokens") ?? 0), engine: engine)
        }
        return .empty(finishReason: finish)
    }

    /// A choice with non-empty text (completions), or delta content, reasoning or tool calls (chat).
    static func carriesToken(_ choice: Fields) -> Bool {
        if choice.isNonEmptyString("text") { return true }
        guard let delta = choice["delta"].flatMap({ Fields(choice.bytes, $0) }) else { return false }
        if delta.isNonEmptyString("content") || delta.isNonEmptyString("reasoning_content")
            || delta.isNonEmptyString("reasoning")
        {
            return true
        }
        guard let calls = delta["tool_calls"] else { return false }
        return !((try? JSONScanner(delta.bytes).arrayElements(calls)) ?? []).isEmpty
    }

    /// The top-level fields of the object at `range` in `bytes`, as byte ranges; keys are
    /// compared as bytes, never made into strings.
    struct Fields {
        let bytes: UnsafeRawBufferPointer
        private let fields: [(key: Range<Int>, value: Range<Int>)]

        init?(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) {
            self.bytes = bytes
            guard let fields = try? JSONScanner(bytes).fieldRanges(range) else { return nil }
            self.fields = fields
        }

        subscript(key: StaticString) -> Range<Int>? {
            let wanted = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
            for field in fields where field.key.count == wanted.count {
                if bytes[field.key].elementsEqual(wanted) { return field.value }
            }
            return nil
        }

        func isNonEmptyString(_ key: StaticString) -> Bool {
            guard let range = self[key] else { return false }
            return bytes[range.lowerBound] == UInt8(ascii: "\"") && range.count > 2
        }

        func string(_ key: StaticString) -> String? {
            guard let range = self[key], bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
            let inner = bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]
            guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
            // Escapes are rare here (an error message); let Foundation undo them.
            return try? JSONDecoder().decode(String.self, from: Data(bytes[range]))
        }

        func number(_ key: StaticString) -> Double? {
            guard let range = self[key] else { return nil }
            return Double(String(decoding: bytes[range], as: UTF8.self))
        }
    }
}
