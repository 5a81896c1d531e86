import Foundation
import Wire

/// A batch of records from one attempt, as received.
public struct RecordBatch: Hashable, Sendable {
    public var jobID: JobID
    public var attempt: Attempt
    public var seq: Int
    public var agentID: AgentID
    public var records: RecordsJSON
    public var dropped: Int
    public var receivedAt: Date

    public init(
        jobID: JobID, attempt: Attempt, seq: Int, agentID: AgentID, records: RecordsJSON, dropped: Int, receivedAt: Date
    ) {
        self.jobID = jobID
        self.attempt = attempt
        self.seq = seq
        self.agentID = agentID
        self.records = records
        self.dropped = dropped
        self.receivedAt = receivedAt
    }

    public var jobAttempt: JobAttempt { JobAttempt(jobID: jobID, attempt: attempt) }
}

/// One page of an attempt's records.
public struct RecordPage: Sendable {
    public var records: [JSONValue]
    /// The `seq` of the page's last batch, when more batches follow it.
    public var moreAfterSeq: Int?

    public init(records: [JSONValue], moreAfterSeq: Int?) {
        self.records = records
        self.moreAfterSeq = moreAfterSeq
    }
}

/// What the store did with a batch of records.
public enum RecordAppendResult: Hashable, Sendable {
    case stored
    /// The same (job, attempt, seq) is already stored; nothing changed.
    case duplicate
    /// The attempt is not the job's current running attempt; nothing stored.
    case stale
}

/// Where the coordinator keeps everything, durably.
///
/// Every method returns only after what it wrote is durable. Implementations fence by attempt:
/// a job row is never overwritten by an older attempt, and records are stored only while their
/// attempt is the job's current one on an agent. `StoreConformance` in the tests holds every
/// implementation to this contract.
public protocol SweeplineStore: Sendable {
    /// Makes a group of changes durable, all or nothing, in order; returns what became of each
    /// `.records` change, in order. The coordinator's ``StateWriter`` is the one caller that
    /// groups: everything queued while a transaction commits goes into the next.
    @discardableResult
    func apply(_ changes: [StoreChange]) async throws -> [RecordAppendResult]
    /// Everything needed to resume after a restart.
    func recover() async throws -> RecoveredState

    func jobs(state: JobState?, limit: Int) async throws -> [Job]
    func job(_ id: JobID) async throws -> Job?
    func history(of id: JobID) async throws -> [JobEvent]
    func logTail(of id: JobID, lines: Int) async throws -> [LogLine]
    func recordCounts(of id: JobID) async throws -> [RecordCount]
    /// Every stored record of one attempt, in the order the agent produced them.
    func records(of id: JobID, attempt: Attempt) async throws -> [JSONValue]
    /// The records of the attempt's batches after `afterSeq`, whole batches, until at least
    /// `limit` records or the last batch: what one reader call may cost is bounded.
    func records(of id: JobID, attempt: Attempt, afterSeq: Int, limit: Int) async throws -> RecordPage
    func agents() async throws -> [AgentRecord]
}

extension SweeplineStore {
    /// Stores one batch of records idempotently, fenced by attempt, in a transaction of its own.
    public func appendRecords(_ batch: RecordBatch) async throws -> RecordAppendResult {
        try await apply([.records(batch)])[0]
    }
}

/// A store operation that failed, naming the store and what it was doing.
public struct StoreError: Error, CustomStringConvertible {
    public var store: String
    public var operation: String
    public var underlying: String
    /// The write may succeed later unchanged (a full disk, an I/O error): nothing of it was
    /// stored, and the coordinator holds it and tries again rather than stopping.
    public var isTransient: Bool

    public init(store: String, operation: String, underlying: any Error, isTransient: Bool = false) {
        self.store = store
        self.operation = operation
        self.underlying = "\(underlying)"
        self.isTransient = isTransient
    }

    public var description: String { "store \(store): \(operation) failed: \(underlying)" }
}
