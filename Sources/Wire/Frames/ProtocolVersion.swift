/// The wire protocol's version. Majors must match; minors interoperate.
public struct ProtocolVersion: Hashable, Sendable, Codable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// The version this build speaks. 2.0: `hello`'s `token` is the agent's own enrolled
    /// credential, no longer a secret the fleet shares, and the link is TLS (docs/protocol.md,
    /// section 2).
    public static let current = ProtocolVersion(major: 2, minor: 0)

    public var description: String { "\(major).\(minor)" }
}
