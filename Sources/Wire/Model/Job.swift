import Foundation

/// A job as the coordinator keeps it: its spec and where it stands.
public struct Job: Hashable, Sendable, Codable {
    public var id: JobID
    /// Order of submission, for first-come-first-served within a priority.
    public var submitSeq: Int
    public var spec: JobSpec
    public var state: JobState
    /// The attempt the job runs (or will run) as: 1 at submit, +1 each time it is requeued.
    public var attempt: Attempt
    public var agentID: AgentID?
    public var gpus: [Int]
    public var retriesUsed: RetryCounts
    /// The last thing that happened to the job, in words.
    public var detail: String
    /// After a workload failure the job prefers any other node to this one.
    public var avoidAgent: AgentID?
    public var submittedAt: Date
    public var updatedAt: Date

    public init(
        id: JobID, submitSeq: Int, spec: JobSpec, state: JobState = .queued, attempt: Attempt = 1,
        agentID: AgentID? = nil, gpus: [Int] = [], retriesUsed: RetryCounts = .init(), detail: String = "",
        avoidAgent: AgentID? = nil, submittedAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.submitSeq = submitSeq
        self.spec = spec
        self.state = state
        self.attempt = attempt
        self.agentID = agentID
        self.gpus = gpus
        self.retriesUsed = retriesUsed
        self.detail = detail
        self.avoidAgent = avoidAgent
        self.submittedAt = submittedAt
        self.updatedAt = updatedAt
    }

    public var jobAttempt: JobAttempt { JobAttempt(jobID: id, attempt: attempt) }

    /// The id of the n-th submitted job: `j-000042`.
    public static func id(forSubmitSeq seq: Int) -> JobID {
        let digits = String(seq)
        return "j-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}

/// How much of each retry budget a job has used.
public struct RetryCounts: Hashable, Sendable, Codable {
    public var workloadFailures: Int
    public var agentLosses: Int
    public var drains: Int

    public init(workloadFailures: Int = 0, agentLosses: Int = 0, drains: Int = 0) {
        self.workloadFailures = workloadFailures
        self.agentLosses = agentLosses
        self.drains = drains
    }
}

/// One entry of a job's state history.
public struct JobEvent: Hashable, Sendable, Codable {
    public var jobID: JobID
    public var attempt: Attempt
    public var at: Date
    public var state: JobState
    public var agentID: AgentID?
    public var detail: String

    public init(jobID: JobID, attempt: Attempt, at: Date, state: JobState, agentID: AgentID?, detail: String) {
        self.jobID = jobID
        self.attempt = attempt
        self.at = at
        self.state = state
        self.agentID = agentID
        self.detail = detail
    }
}

/// An agent as the coordinator remembers it across restarts.
public struct AgentRecord: Hashable, Sendable, Codable {
    public var id: AgentID
    public var instanceID: String
    public var agentVersion: String
    public var inventory: Inventory
    public var labels: [String: String]
    /// Set while an operator has drained the agent: it takes no new jobs.
    public var drainReason: String?
    public var firstSeenAt: Date
    public var lastSeenAt: Date

    public init(
        id: AgentID, instanceID: String, agentVersion: String, inventory: Inventory, labels: [String: String],
        drainReason: String?, firstSeenAt: Date, lastSeenAt: Date
    ) {
        self.id = id
        self.instanceID = instanceID
        self.agentVersion = agentVersion
        self.inventory = inventory
        self.labels = labels
        self.drainReason = drainReason
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
    }
}
