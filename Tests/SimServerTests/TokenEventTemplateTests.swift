import Foundation
import NIOCore
import Testing

@testable import SimServer

@Suite struct TokenEventTemplateTests {
    /// The filled-in template is byte for byte what JSONEncoder writes, whatever the text holds.
    @Test(arguments: [" the simulated engine", "", "quote \" backslash \\ slash /", "tab\tnew\nline\r", "\u{1}ç→🙂"])
    func anEventIsWhatTheEncoderWouldHaveWritten(_ text: String) throws {
        let encoder = SimEngineAPI.encoder
        func chunk(_ text: String) throws -> Data {
            try encoder.encode(
                SimEngineAPI.CompletionChunk(id: "cmpl-7", created: 1, model: "m", choices: [.init(text: text)]))
        }
        let template = try TokenEventTemplate(chunk)
        let expected = "data: " + String(decoding: try chunk(text), as: UTF8.self) + "\n\n"
        #expect(String(buffer: template.event(text: text)) == expected)
    }
}
