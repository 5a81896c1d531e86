/// A job's identity, assigned by the coordinator at submit time (`j-000042`).
public typealias JobID = String

/// An agent's stable identity, chosen by the agent (its hostname by default).
public typealias AgentID = String

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
