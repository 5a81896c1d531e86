import Foundation
import Wire

/// Reads the few fields of a streamed chunk that decide what it is straight from its bytes,
/// without building the chunk or any array of its fields: this runs on the event loop for every
/// token of every stream, and what it allocates is paid half a million times a second.
enum StreamChunk {
    /// `nil` when the bytes are not a JSON object.
    static func classify(_ bytes: UnsafeRawBufferPointer) -> StreamEvent? {
        let json = JSONScanner(bytes)
        var error: Range<Int>?
        var choices: Range<Int>?
        var usage: Range<Int>?
        var timings: Range<Int>?
        do {
            _ = try json.forEachField(ofObjectAt: 0) { key, value in
                if json.key(key, is: "choices") {
                    choices = value
                } else if json.key(key, is: "usage") {
                    usage = value
                } else if json.key(key, is: "error") {
                    error = value
                } else if json.key(key, is: "timings") {
                    timings = value
                }
            }
            if let error {
                let message = bytes[error.lowerBound] == UInt8(ascii: "{") ? try field("message", of: error, json) : nil
                return .error(
                    message.flatMap { string($0, bytes) } ?? string(error, bytes) ?? "the server streamed an error")
            }
            var finish: String?
            if let choices, bytes[choices.lowerBound] == UInt8(ascii: "["),
                let choice = try json.firstElement(choices), bytes[choice.lowerBound] == UInt8(ascii: "{")
            {
                var carries = false
                _ = try json.forEachField(ofObjectAt: choice.lowerBound) { key, value throws(JSONScanner.Invalid) in
                    if json.key(key, is: "text") {
                        carries = carries || isNonEmptyString(value, bytes)
                    } else if json.key(key, is: "delta") {
                        let deltaCarries = try deltaCarriesToken(value, json)
                        carries = carries || deltaCarries
                    } else if json.key(key, is: "finish_reason") {
                        finish = string(value, bytes)
                    }
                }
                if carries { return .token(finishReason: finish) }
            }
            // vLLM and SGLang send usage in a chunk of its own; llama.cpp on the choice that finishes.
            if let usage, bytes[usage.lowerBound] == UInt8(ascii: "{") {
                let prompt = try field("prompt_tokens", of: usage, json)
                let completion = try field("completion_tokens", of: usage, json)
                // A count no engine can have (negative, fractional, past Int) is a broken chunk.
                guard let promptTokens = prompt.map({ count($0, bytes) }) ?? 0,
                    let completionTokens = completion.map({ count($0, bytes) }) ?? 0
                else { return .error("usage carries a token count that is not one") }
                return .usage(
                    promptTokens: promptTokens, completionTokens: completionTokens,
                    engine: try timings.flatMap { try engineTimings($0, json) })
            }
            return .empty(finishReason: finish)
        } catch {
            return nil
        }
    }

    /// A chat delta with non-empty content, reasoning or tool calls.
    private static func deltaCarriesToken(_ delta: Range<Int>, _ json: JSONScanner) throws(JSONScanner.Invalid)
        -> Bool
    {
        let bytes = json.bytes
        guard bytes[delta.lowerBound] == UInt8(ascii: "{") else { return false }
        var carries = false
        _ = try json.forEachField(ofObjectAt: delta.lowerBound) { key, value throws(JSONScanner.Invalid) in
            if json.key(key, is: "content") || json.key(key, is: "reasoning_content") || json.key(key, is: "reasoning")
            {
                carries = carries || isNonEmptyString(value, bytes)
            } else if json.key(key, is: "tool_calls"), bytes[value.lowerBound] == UInt8(ascii: "[") {
                let first = try json.firstElement(value)
                carries = carries || first != nil
            }
        }
        return carries
    }

    private static func engineTimings(_ timings: Range<Int>, _ json: JSONScanner) throws(JSONScanner.Invalid)
        -> EngineTimings?
    {
        guard json.bytes[timings.lowerBound] == UInt8(ascii: "{"),
            let prompt = try field("prompt_ms", of: timings, json).flatMap({ number($0, json.bytes) }),
            let predicted = try field("predicted_ms", of: timings, json).flatMap({ number($0, json.bytes) }),
            let predictedTokens = try field("predicted_n", of: timings, json).flatMap({ count($0, json.bytes) })
        else { return nil }
        return EngineTimings(
            promptMilliseconds: prompt, predictedMilliseconds: predicted, predictedTokens: predictedTokens)
    }

    /// The value of `key` in the object at `object`.
    private static func field(_ key: StaticString, of object: Range<Int>, _ json: JSONScanner)
        throws(JSONScanner.Invalid) -> Range<Int>?
    {
        var found: Range<Int>?
        _ = try json.forEachField(ofObjectAt: object.lowerBound) { name, value in
            if found == nil, json.key(name, is: key) { found = value }
        }
        return found
    }

    private static func isNonEmptyString(_ value: Range<Int>, _ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes[value.lowerBound] == UInt8(ascii: "\"") && value.count > 2
    }

    private static func string(_ value: Range<Int>, _ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes[value.lowerBound] == UInt8(ascii: "\"") else { return nil }
        let inner = bytes[(value.lowerBound + 1)..<(value.upperBound - 1)]
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        // Escapes are rare here (an error message); let Foundation undo them.
        return try? JSONDecoder().decode(String.self, from: Data(bytes[value]))
    }

    private static func number(_ value: Range<Int>, _ bytes: UnsafeRawBufferPointer) -> Double? {
        Double(String(decoding: bytes[value], as: UTF8.self))
    }

    /// A token count: a whole number from 0 to Int.max (`12` or `12.0`), else `nil`.
    private static func count(_ value: Range<Int>, _ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let number = number(value, bytes), number >= 0, let count = Int(exactly: number) else { return nil }
        return count
    }
}
