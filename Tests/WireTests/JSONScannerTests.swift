import Foundation
import NIOCore
import Testing

@testable import Wire

@Suite struct JSONScannerTests {
    static func scan(_ text: String) throws -> Int {
        var text = text
        return try text.withUTF8 { try JSONScanner(UnsafeRawBufferPointer($0)).skipValue(at: 0) }
    }

    @Test(arguments: [
        #"{}"#, #"[]"#, #""""#, "0", "-0.5e+10", "123", "true", "false", "null",
        #"{"a":[1,2,{"b":"c\"\\\/\b\f\n\r\t\u00e9"}],"d":null}"#, #" [ 1 , "x" ] "#, "\"✓ utf-8\"",
    ])
    func acceptsValidJSON(text: String) throws {
        let end = try Self.scan(text)
        #expect(text.utf8.count - end == text.utf8.reversed().prefix { $0 == UInt8(ascii: " ") }.count)
    }

    @Test(arguments: [
        "", "{", #"{"a"}"#, #"{"a":}"#, #"{a:1}"#, "[1,]", "[1 2]", "01", "1.", "-", "1e", "tru", "nul",
        "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"tab\tinside\"", "{\"a\":1,}",
    ])
    func refusesInvalidJSON(text: String) {
        // Either the scan fails, or it stops before the end (`01` is `0` and then junk).
        let end = try? Self.scan(text)
        #expect(end == nil || end! < text.utf8.count)
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONScanner.Invalid.self) { try Self.scan(deep) }
    }

    @Test func recordsJSON_countsObjects_andRefusesOtherElements() throws {
        #expect(try RecordsJSON(validating: ByteBuffer(string: #"[{"a":1}, {"b":[2]}]"#)).count == 2)
        #expect(try RecordsJSON(validating: ByteBuffer(string: "[]")).count == 0)
        #expect(throws: JSONScanner.Invalid.self) { try RecordsJSON(validating: ByteBuffer(string: #"[{"a":1}, 2]"#)) }
        #expect(throws: JSONScanner.Invalid.self) { try RecordsJSON(validating: ByteBuffer(string: #"{"a":1}"#)) }
        let joined = RecordsJSON(joiningObjects: [#"{"a":1}"#, #"{"b":"x"}"#])
        #expect(try joined.decode() == [.object(["a": .number(1)]), .object(["b": .string("x")])])
    }

    @Test func recordsFrame_fastPath_keepsTheBytes_andNamesProblems() throws {
        var decoder = NDJSONFrameDecoder()
        // Fields in any order, records kept byte for byte.
        var buffer = ByteBuffer(
            string: #"{"records":[{"x": 1.50}],"seq":2,"dropped":0,"attempt":1,"jobID":"j-1","type":"records"}"# + "\n")
        guard case .records(let records)? = try decoder.decode(buffer: &buffer) else {
            Issue.record("not a records frame")
            return
        }
        #expect(records.seq == 2)
        #expect(records.records.text == #"[{"x": 1.50}]"#)
        for (line, problem) in [
            (
                #"{"type":"records","jobID":"j","attempt":1,"seq":1,"dropped":0,"records":[1]}"#,
                "each record must be a JSON object"
            ),
            (#"{"type":"records","jobID":"j","attempt":1,"seq":1,"dropped":0}"#, #"missing field "records""#),
            (
                #"{"type":"records","jobID":"j","attempt":"one","seq":1,"dropped":0,"records":[]}"#,
                "expected Int at attempt"
            ),
        ] {
            var bad = ByteBuffer(string: line + "\n")
            #expect { try decoder.decode(buffer: &bad) } throws: { "\($0)".contains(problem) }
        }
    }
}
