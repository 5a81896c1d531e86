import Foundation
import NIOCore
import Testing

@testable import LoadGenerator

@Suite struct RequestBodyTests {
    static func context(path: String, model: String) -> RequestContext {
        RequestContext(
            endpoint: BenchEndpoint(host: "127.0.0.1", port: 1, model: model, path: path),
            vocabulary: .wordPerToken, origin: .now, timeout: nil, onRecord: { _ in })
    }

    @Test func theCompletionsBody_isJSON_withThePromptAndTheLengths() throws {
        // A model name that needs escaping: it is the one string that comes from the user.
        let context = Self.context(path: "/v1/completions", model: #"org/m "q""#)
        let body = ClosedLoopClient.body(17, input: 1000, output: 64, context: context)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
        #expect(json["model"] as? String == #"org/m "q""#)
        #expect(json["prompt"] as? String == PromptVocabulary.wordPerToken.prompt(index: 17, tokens: 1000))
        #expect(json["max_tokens"] as? Int == 64 && json["min_tokens"] as? Int == 64)
        #expect(json["stream"] as? Bool == true && json["ignore_eos"] as? Bool == true)
    }

    @Test func theChatBody_carriesThePromptAsTheUserMessage() throws {
        let context = Self.context(path: "/v1/chat/completions", model: "m")
        let body = ClosedLoopClient.body(3, input: 10, output: 8, context: context)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
        let messages = try #require(json["messages"] as? [[String: String]])
        #expect(messages == [["role": "user", "content": PromptVocabulary.wordPerToken.prompt(index: 3, tokens: 10)]])
    }

    @Test func theRequest_saysItsBodysLength() {
        let body = ByteBuffer(string: #"{"a":1}"#)
        let request = StreamingConnection.request(
            path: "/v1/completions", host: "h", body: body, apiKey: "k", keepAlive: true)
        let text = String(buffer: request)
        #expect(text.hasPrefix("POST /v1/completions HTTP/1.1\r\nHost: h\r\n"))
        #expect(text.contains("Authorization: Bearer k\r\n") && text.contains("Content-Length: 7\r\n\r\n"))
        #expect(text.hasSuffix("\r\n\r\n" + #"{"a":1}"#))
    }
}
