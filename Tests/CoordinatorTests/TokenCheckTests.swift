import Testing

@testable import Coordinator

@Suite struct TokenCheckTests {
    @Test func matchesOnlyTheSameToken() {
        #expect(TokenCheck.matches("s3cret", "s3cret"))
        #expect(!TokenCheck.matches("s3cre", "s3cret"))
        #expect(!TokenCheck.matches("s3cret!", "s3cret"))
        #expect(!TokenCheck.matches("S3cret", "s3cret"))
        #expect(!TokenCheck.matches("", ""), "an empty configured token never matches")
        #expect(!TokenCheck.matches("s3cret" + String(repeating: "\0", count: 256), "s3cret"), "lengths differ by 256")
    }
}
