// The payload of every frame of protocol v2. docs/protocol.md is the reference; keep both in step.

/// agent → coordinator, first frame on a connection.
public struct Hello: Hashable, Sendable, Codable {
    public var agentID: AgentID
    /// Changes each time the agent process starts, so the coordinator can tell a restart from a reconnect.
    public var instanceID: String
    public var `protocol`: ProtocolVersion
    public var agentVersion: String
    /// The agent's own credential (`sweepline agents enroll`); admits this `agentID` only.
    public var token: String
    public var inventory: Inventory
    public var labels: [String: String]
    /// Attempts the agent still runs (or has finished but not yet had acknowledged).
    public var holding: [JobAttempt]

    public init(
        agentID: AgentID, instanceID: String, protocol: ProtocolVersion, agentVersion: String, token: String,
        inventory: Inventory, labels: [String: String], holding: [JobAttempt]
    ) {
        self.agentID = agentID
        self.instanceID = instanceID
        self.protocol = `protocol`
        self.agentVersion = agentVersion
        self.token = token
        self.inventory = inventory
        self.labels = labels
        self.holding = holding
    }
}

/// coordinator → agent: the handshake succeeded.
public struct Welcome: Hashable, Sendable, Codable {
    public var sessionID: String
    public var heartbeatSeconds: Double
    public var leaseSeconds: Double

    public init(sessionID: String, heartbeatSeconds: Double, leaseSeconds: Double) {
        self.sessionID = sessionID
        self.heartbeatSeconds = heartbeatSeconds
        self.leaseSeconds = leaseSeconds
    }
}

/// A reason, for `rejected`, `error` and `drain`.
public struct Reason: Hashable, Sendable, Codable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

/// How far an attempt has come, reported on every heartbeat.
public struct JobProgress: Hashable, Sendable, Codable {
    public var recordsProduced: Int
    public var recordsDropped: Int
    public var pointsDone: Int
    /// The attempt has ended and its `finished` frame awaits acknowledgement.
    public var finished: Bool

    public init(recordsProduced: Int = 0, recordsDropped: Int = 0, pointsDone: Int = 0, finished: Bool = false) {
        self.recordsProduced = recordsProduced
        self.recordsDropped = recordsDropped
        self.pointsDone = pointsDone
        self.finished = finished
    }
}

public struct HeldJob: Hashable, Sendable, Codable {
    public var jobID: JobID
    public var attempt: Attempt
    public var progress: JobProgress

    public init(jobID: JobID, attempt: Attempt, progress: JobProgress) {
        self.jobID = jobID
        self.attempt = attempt
        self.progress = progress
    }

    public var jobAttempt: JobAttempt { JobAttempt(jobID: jobID, attempt: attempt) }
}

public struct Heartbeat: Hashable, Sendable, Codable {
    public var holding: [HeldJob]
    public init(holding: [HeldJob]) { self.holding = holding }
}

public struct HeartbeatAck: Hashable, Sendable, Codable {
    /// Attempts the agent must stop; repeated until the agent reports them finished.
    public var cancel: [JobAttempt]
    public init(cancel: [JobAttempt]) { self.cancel = cancel }
}

/// coordinator → agent: run this attempt on these GPUs.
public struct Assign: Hashable, Sendable, Codable {
    public var jobID: JobID
    public var attempt: Attempt
    public var spec: JobSpec
    /// Indices of the node's GPUs given to this attempt; disjoint from every other attempt's.
    public var gpus: [Int]

    public init(jobID: JobID, attempt: Attempt, spec: JobSpec, gpus: [Int]) {
        self.jobID = jobID
        self.attempt = attempt
        self.spec = spec
        self.gpus = gpus
    }
}

/// A batch of a job's per-request (or per-line) records. `seq` counts batches from 1 per attempt.
public struct Records: Hashable, Sendable, Codable {
    public var jobID: JobID
    public var attempt: Attempt
    public var seq: Int
    public var records: RecordsJSON
    /// Records the agent had to drop (buffer full) since the previous batch.
    public var dropped: Int

    public init(jobID: JobID, attempt: Attempt, seq: Int, records: RecordsJSON, dropped: Int) {
        self.jobID = jobID
        self.attempt = attempt
        self.seq = seq
        self.records = records
        self.dropped = dropped
    }
}

/// coordinator → agent: every batch up to and including `upToSeq` is durably stored.
public struct RecordsAck: Hashable, Sendable, Codable {
    public var jobID: JobID
    public var attempt: Attempt
    public var upToSeq: Int

    public init(jobID: JobID, attempt: Attempt, upToSeq: Int) {
        self.jobID = jobID
        self.attempt = attempt
        self.upToSeq = upToSeq
    }
}

/// agent → coordinator: lines of the workload's output that are not records (v1.0 addition).
public struct LogLines: Hashable, Sendable, Codable {
    public var jobID: JobID
    public var attempt: Attempt
    public var lines: [String]
    public var dropped: Int

    public init(jobID: JobID, attempt: Attempt, lines: [String], dropped: Int) {
        self.jobID = jobID
        self.attempt = attempt
        self.lines = lines
        self.dropped = dropped
    }
}

public struct Finished: Hashable, Sendable, Codable {
    public var jobID: JobID
    public var attempt: Attempt
    public var outcome: JobOutcome
    public var detail: String

    public init(jobID: JobID, attempt: Attempt, outcome: JobOutcome, detail: String) {
        self.jobID = jobID
        self.attempt = attempt
        self.outcome = outcome
        self.detail = detail
    }
}

public struct CancelJob: Hashable, Sendable, Codable {
    public var jobID: JobID
    public var attempt: Attempt
    public var graceSeconds: Double

    public init(jobID: JobID, attempt: Attempt, graceSeconds: Double) {
        self.jobID = jobID
        self.attempt = attempt
        self.graceSeconds = graceSeconds
    }
}

/// coordinator → agent: this attempt is not (or no longer) the job's current one; stop and forget it.
public struct Stale: Hashable, Sendable, Codable {
    public var jobID: JobID
    public var attempt: Attempt
    /// The job's current attempt, `nil` when the job is unknown.
    public var current: Attempt?

    public init(jobID: JobID, attempt: Attempt, current: Attempt?) {
        self.jobID = jobID
        self.attempt = attempt
        self.current = current
    }
}
