import Foundation
import Hummingbird

/// Who may call the HTTP API: bearer tokens with one of two roles.
public struct APITokens: Sendable {
    public enum Role: Int, Comparable, Sendable {
        /// May read everything.
        case reader
        /// May also submit, cancel, drain and undrain.
        case `operator`

        public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
    }

    public var operatorTokens: [String]
    public var readerTokens: [String]

    public init(operatorTokens: [String], readerTokens: [String]) {
        self.operatorTokens = operatorTokens.filter { !$0.isEmpty }
        self.readerTokens = readerTokens.filter { !$0.isEmpty }
    }

    func role(of token: String) -> Role? {
        // Check every token so timing does not tell which list matched.
        let isOperator = operatorTokens.map { TokenCheck.matches(token, $0) }.contains(true)
        let isReader = readerTokens.map { TokenCheck.matches(token, $0) }.contains(true)
        return isOperator ? .operator : isReader ? .reader : nil
    }

    /// Throws 401 without a known token, 403 when the token's role is too low.
    func require(_ needed: Role, _ request: Request) throws {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw HTTPError(.unauthorized, message: "missing `Authorization: Bearer <token>` header")
        }
        guard let role = role(of: String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)) else {
            throw HTTPError(.unauthorized, message: "unknown token")
        }
        guard role >= needed else {
            throw HTTPError(.forbidden, message: "this token is read-only; the call needs an operator token")
        }
    }
}
