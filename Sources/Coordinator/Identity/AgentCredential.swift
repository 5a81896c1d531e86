import Crypto
import Foundation
import Wire

/// One enrolled agent's credential as the coordinator keeps it: the SHA-256 digest of a secret
/// minted for that agent id, never the secret itself.
///
/// A plain digest suffices because the secret is 256 random bits, not something a person chose:
/// there is nothing to guess, so a slow password hash would only slow down `hello`. A stolen
/// store therefore lets no one connect as an agent.
public struct AgentCredential: Hashable, Sendable, Codable {
    public var agentID: AgentID
    /// Lower-case hex SHA-256 of the secret's UTF-8 bytes.
    public var secretDigest: String
    public var enrolledAt: Date

    public init(agentID: AgentID, secretDigest: String, enrolledAt: Date) {
        self.agentID = agentID
        self.secretDigest = secretDigest
        self.enrolledAt = enrolledAt
    }

    /// A new secret for `agentID` and the credential that admits it.
    public static func mint(for agentID: AgentID, at now: Date) -> (secret: String, credential: AgentCredential) {
        var generator = SystemRandomNumberGenerator()  // getrandom(2): a cryptographic source
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = "swa_" + hex(bytes)
        return (secret, AgentCredential(agentID: agentID, secretDigest: digest(of: secret), enrolledAt: now))
    }

    /// Whether `presented` is this credential's secret, in time that does not depend on where
    /// it differs.
    public func admits(_ presented: String) -> Bool {
        TokenCheck.matches(Self.digest(of: presented), secretDigest)
    }

    static func digest(of secret: String) -> String {
        hex(Array(SHA256.hash(data: Data(secret.utf8))))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// What an operator sees of a credential: never its digest.
public struct EnrolledAgent: Codable, Hashable, Sendable {
    public var agent: AgentID
    public var enrolledAt: Date

    public init(agent: AgentID, enrolledAt: Date) {
        self.agent = agent
        self.enrolledAt = enrolledAt
    }
}

/// The answer to an enrolment or a rotation: the secret, shown once.
public struct EnrolmentResponse: Codable, Hashable, Sendable {
    public var agent: AgentID
    public var secret: String
    public var enrolledAt: Date

    public init(agent: AgentID, secret: String, enrolledAt: Date) {
        self.agent = agent
        self.secret = secret
        self.enrolledAt = enrolledAt
    }
}
