import Foundation
import Wire

/// Timing knobs of the scheduler, in seconds.
public struct SchedulerConfiguration: Sendable {
    /// How often agents send heartbeats.
    public var heartbeatSeconds: Double
    /// How long an assignment lives without a heartbeat naming it.
    public var leaseSeconds: Double
    /// After a coordinator restart, how long running jobs wait for their agents to reclaim them.
    public var recoveryGraceSeconds: Double
    /// First backoff after a workload failure; doubles with each failure up to the cap.
    public var retryBackoffSeconds: Double
    public var retryBackoffCapSeconds: Double
    /// At most this many jobs on agents at once across the fleet; nil for no limit. For nodes
    /// that share something a measurement would feel — one machine's cores in the demo, one
    /// power feed or network spine in a lab.
    public var maximumJobsOnAgents: Int?
    /// The most log text kept of one attempt (UTF-8 bytes): past it, lines are dropped and the
    /// log says so once, so a workload that floods its log cannot fill the coordinator's disk.
    public var logBytesPerAttempt: Int

    public init(
        heartbeatSeconds: Double = 5, leaseSeconds: Double = 15, recoveryGraceSeconds: Double = 60,
        retryBackoffSeconds: Double = 5, retryBackoffCapSeconds: Double = 300, maximumJobsOnAgents: Int? = nil,
        logBytesPerAttempt: Int = 16 << 20
    ) {
        self.maximumJobsOnAgents = maximumJobsOnAgents
        self.logBytesPerAttempt = logBytesPerAttempt
        self.heartbeatSeconds = heartbeatSeconds
        self.leaseSeconds = leaseSeconds
        self.recoveryGraceSeconds = recoveryGraceSeconds
        self.retryBackoffSeconds = retryBackoffSeconds
        self.retryBackoffCapSeconds = retryBackoffCapSeconds
    }
}

/// The time of an event, on two clocks: leases and backoffs are judged on the monotonic one,
/// history is written with the wall one.
public struct SchedulerTime: Sendable {
    public var monotonic: Double
    public var wall: Date

    public init(monotonic: Double, wall: Date) {
        self.monotonic = monotonic
        self.wall = wall
    }

    public func adding(seconds: Double) -> SchedulerTime {
        SchedulerTime(monotonic: monotonic + seconds, wall: wall.addingTimeInterval(seconds))
    }
}

/// A state change to make durable.
public enum StoreChange: Hashable, Sendable {
    /// Insert or update a job; the store never lets an older attempt overwrite a newer one.
    case job(Job)
    case event(JobEvent)
    case agent(AgentRecord)
    case log(JobAttempt, at: Date, lines: [String])
    /// Insert a schedule, or replace the one of the same name keeping what already ran.
    case schedule(StoredSchedule)
    case scheduleRemoved(name: String)
    /// An occurrence of a schedule started as sweep `sweepID`. The store refuses the whole
    /// transaction, jobs included, unless it still holds `previous` as the last occurrence: no
    /// occurrence starts twice, whoever else shares the store.
    case scheduleStarted(name: String, occurrence: Date, sweepID: String, previous: Date?)
    /// Store a batch of an agent's records, idempotently and only while its attempt is the job's
    /// current one on an agent; ``SweeplineStore/apply(_:)`` says what became of it.
    case records(RecordBatch)
    /// Enrol an agent, or replace its credential (a rotation): the old secret stops working.
    case credential(AgentCredential)
    case credentialRevoked(AgentID)
}

/// A frame for the agent's current session.
public struct Outbound: Hashable, Sendable {
    public var agentID: AgentID
    public var frame: Frame

    public init(_ agentID: AgentID, _ frame: Frame) {
        self.agentID = agentID
        self.frame = frame
    }
}

/// What the scheduler decided: the shell makes `changes` durable in one transaction, and only
/// then sends `frames`, so nothing is acknowledged before it is stored.
public struct Decision: Sendable {
    public var changes: [StoreChange] = []
    public var frames: [Outbound] = []

    public init(changes: [StoreChange] = [], frames: [Outbound] = []) {
        self.changes = changes
        self.frames = frames
    }

    public var isEmpty: Bool { changes.isEmpty && frames.isEmpty }

    mutating func send(_ agentID: AgentID, _ frame: Frame) { frames.append(Outbound(agentID, frame)) }

    mutating func merge(_ other: Decision) {
        changes += other.changes
        frames += other.frames
    }
}

/// What to do with a batch of records.
public enum RecordsVerdict: Hashable, Sendable {
    /// Current attempt, new batch: store it, then acknowledge.
    case store
    /// Already stored: acknowledge again, store nothing.
    case duplicate
    /// Not the job's current attempt on this agent: answer `stale`, store nothing.
    case stale(current: Attempt?)
    /// A `seq` no agent following the protocol sends (below 1, or past a gap): store nothing,
    /// and close the connection with the reason.
    case outOfOrder(next: Int)
}

/// What became of an operator's cancel.
public enum CancelResult: String, Hashable, Sendable, Codable {
    case canceled
    case canceling
    case alreadyFinished
    case notFound
}

/// What the coordinator knew when it stopped: enough to resume.
public struct RecoveredState: Sendable {
    public var jobs: [Job]
    public var agents: [AgentRecord]
    /// The stored record batches of each on-agent job's current attempt.
    public var storedSeqs: [JobAttempt: [Int]]
    public var schedules: [StoredSchedule]
    public var credentials: [AgentCredential]

    public init(
        jobs: [Job] = [], agents: [AgentRecord] = [], storedSeqs: [JobAttempt: [Int]] = [:],
        schedules: [StoredSchedule] = [], credentials: [AgentCredential] = []
    ) {
        self.jobs = jobs
        self.agents = agents
        self.storedSeqs = storedSeqs
        self.schedules = schedules
        self.credentials = credentials
    }
}
