/// A job's identity, assigned by the coordinator at submit time (`j-000042`).
public typealias JobID = String

/// An agent's stable identity, chosen by the agent (its hostname by default).
public typealias AgentID = String

/// What an agent id may be: 1 to 253 bytes of ASCII letters, digits, `.`, `-` and `_` — a host
/// name fits. The id goes into logs, file names and URLs, so nothing else is let through: no
/// newline to forge a log line, no combining marks that make one "character" of kilobytes.
public enum AgentIDRule {
    public static let maximumBytes = 253

    /// Why `id` is not a valid agent id, or `nil` when it is.
    public static func problem(with id: AgentID) -> String? {
        let bytes = id.utf8
        guard !bytes.isEmpty, bytes.count <= maximumBytes else {
            return "an agent id is 1 to \(maximumBytes) bytes, got \(bytes.count)"
        }
        if let (offset, byte) = bytes.enumerated().first(where: { !allowed($0.element) }) {
            return "an agent id is made of letters, digits, '.', '-' and '_'; byte \(offset) is not (0x"
                + String(byte, radix: 16) + ")"
        }
        return nil
    }

    private static func allowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}

/// The attempt number of a job: 1 for its first placement, +1 each time it is placed again.
///
/// The attempt is the fencing token of the protocol: every frame about a job carries it, and the
/// coordinator refuses anything whose attempt is not the job's current one.
public typealias Attempt = Int

/// A job and the attempt at it, the unit that an agent holds.
public struct JobAttempt: Hashable, Sendable, Codable, CustomStringConvertible {
    public var jobID: JobID
    public var attempt: Attempt

    public init(jobID: JobID, attempt: Attempt) {
        self.jobID = jobID
        self.attempt = attempt
    }

    public var description: String { "\(jobID)#\(attempt)" }
}
