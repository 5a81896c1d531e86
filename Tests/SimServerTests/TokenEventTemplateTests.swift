import Foundation
import NIOCore
import Testing

@testable import SimServer

@Suite struct TokenEventTemplateTests {
    /// The filled-in template is byte for byte what JSONEncoder writes for the same text.
    @Test(arguments: [(0, 1), (0, 16), (5, 16), (20, 30), (23, 1), (1_000_003, 100), (7, 0)])
    func anEventIsWhatTheEncoderWouldHaveWritten(_ offset: Int, _ count: Int) throws {
        let encoder = SimEngineAPI.encoder
        // A model name the encoder escapes: it sits in the template's fixed part.
        func chunk(_ text: String) throws -> Data {
            try encoder.encode(
                SimEngineAPI.CompletionChunk(
                    id: "cmpl-7", created: 1, model: #"org/m "q""#, choices: [.init(text: text)]))
        }
        let template = try TokenEventTemplate(chunk)
        let tokenizer = SimulatedTokenizer(vocabulary: 1000)
        let text = tokenizer.generatedText(offset: offset, count: count)
        let expected = "data: " + String(decoding: try chunk(text), as: UTF8.self) + "\n\n"
        let event = template.event(capacity: 8 * count) {
            tokenizer.appendGeneratedText(offset: offset, count: count, to: &$0)
        }
        #expect(String(buffer: event) == expected)
    }

    @Test func theGeneratedWords_needNoEscaping() {
        for word in SimulatedTokenizer.words {
            #expect(word.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }, "\(word)")
        }
    }
}
