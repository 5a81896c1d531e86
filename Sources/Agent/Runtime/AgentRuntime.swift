import Foundation
import Logging
import Wire

/// What an agent holds, and what it owes the coordinator, across connections.
///
/// Each attempt keeps the record batches it sent until the coordinator acknowledges them, and
/// its `finished` frame until that is acknowledged too; after a reconnect both are sent again,
/// with the same sequence numbers, so nothing is lost and nothing is stored twice.
public actor AgentRuntime {
    /// A job the agent service should start running.
    public struct Start: Sendable {
        public var job: AssignedJob
        public var output: JobOutput
        public var cancel: CancelSignal
    }

    struct Entry {
        var job: AssignedJob
        var output: JobOutput
        var cancel: CancelSignal
        var nextSeq = 1
        var unacked: [Records] = []
        var droppedReported = 0
        var finished: Finished?
        var finishedSent = false
        /// The coordinator said this attempt is not current: stop it and tell nobody.
        var abandoned = false
        var interrupting = false
    }

    /// Batches in flight per attempt before the agent stops taking from the buffer.
    static let window = 32
    static let batchMaxRecords = 2000
    static let batchMaxBytes = 768 << 10

    public let agentID: AgentID
    public let instanceID = UUID().uuidString
    public let inventory: Inventory
    public let labels: [String: String]
    let baseEnvironment: [String: String]
    let logger: Logger
    /// Keyed by attempt: a new attempt of a job may arrive while an old one is still stopping.
    private var entries: [JobAttempt: Entry] = [:]
    private var outbox: AsyncStream<Frame>.Continuation?
    private var drainReason: String?
    public private(set) var isStopping = false
    public nonisolated let starts: AsyncStream<Start>
    private let startsContinuation: AsyncStream<Start>.Continuation

    public init(
        agentID: AgentID, inventory: Inventory, labels: [String: String],
        baseEnvironment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) {
        self.agentID = agentID
        self.inventory = inventory
        self.labels = labels
        self.baseEnvironment = baseEnvironment
        self.logger = logger
        (starts, startsContinuation) = AsyncStream.makeStream(of: Start.self)
    }

    // MARK: Connection

    public func hello(token: String, agentVersion: String) -> Hello {
        Hello(
            agentID: agentID, instanceID: instanceID, protocol: .current, agentVersion: agentVersion, token: token,
            inventory: inventory, labels: labels, holding: holding)
    }

    /// Attempts the agent runs or still owes a `finished` for.
    public var holding: [JobAttempt] {
        entries.filter { !$0.value.abandoned }.keys.sorted(by: Self.order)
    }

    private static func order(_ a: JobAttempt, _ b: JobAttempt) -> Bool {
        (a.jobID, a.attempt) < (b.jobID, b.attempt)
    }

    /// A connection is up: resend what is unacknowledged, in order.
    public func attach(_ outbox: AsyncStream<Frame>.Continuation) {
        self.outbox = outbox
        for key in entries.keys.sorted(by: Self.order) {
            guard var entry = entries[key], !entry.abandoned else { continue }
            for batch in entry.unacked { outbox.yield(.records(batch)) }
            entry.finishedSent = false
            entries[key] = entry
        }
        flush()
    }

    public func detach() {
        outbox = nil
    }

    public func heartbeat() -> Frame {
        let held = entries.values.filter { !$0.abandoned }.map { entry in
            HeldJob(
                jobID: entry.job.jobID, attempt: entry.job.attempt,
                progress: JobProgress(
                    recordsProduced: entry.output.records.produced,
                    recordsDropped: entry.droppedReported + entry.output.records.pendingDrops,
                    pointsDone: entry.output.points.withLock { $0 }, finished: entry.finished != nil))
        }
        return .heartbeat(Heartbeat(holding: held.sorted { $0.jobID < $1.jobID }))
    }

    // MARK: Frames from the coordinator

    public func handle(_ frame: Frame) {
        switch frame {
        case .assign(let assign): accept(assign)
        case .cancel(let cancel):
            stop(JobAttempt(jobID: cancel.jobID, attempt: cancel.attempt), grace: cancel.graceSeconds)
        case .heartbeatAck(let ack):
            for attempt in ack.cancel {
                stop(attempt, grace: entries[attempt]?.job.spec.cancelGraceSeconds ?? 10)
            }
        case .recordsAck(let ack):
            let key = JobAttempt(jobID: ack.jobID, attempt: ack.attempt)
            entries[key]?.unacked.removeAll { $0.seq <= ack.upToSeq }
        case .finishedAck(let attempt):
            guard entries[attempt]?.finished != nil else { return }
            entries[attempt] = nil
            logger.info("job done", metadata: ["job": "\(attempt)"])
        case .stale(let stale):
            abandon(JobAttempt(jobID: stale.jobID, attempt: stale.attempt), current: stale.current)
        case .drain(let reason):
            drainReason = reason.reason
            logger.notice("drained by an operator", metadata: ["reason": "\(reason.reason)"])
        case .undrain:
            drainReason = nil
            logger.notice("undrained")
        case .error(let reason):
            logger.error("coordinator reported an error", metadata: ["reason": "\(reason.reason)"])
        case .unknown(let type):
            logger.info("ignoring frame of unknown type", metadata: ["type": "\(type)"])
        default:
            logger.warning("ignoring unexpected frame", metadata: ["type": "\(frame.type)"])
        }
    }

    private func accept(_ assign: Assign) {
        let attempt = JobAttempt(jobID: assign.jobID, attempt: assign.attempt)
        if entries[attempt] != nil {
            send(.accepted(attempt))  // a repeat: say so again, start nothing
            return
        }
        if isStopping {
            finishAtOnce(assign, .interrupted, "agent is shutting down")
            return
        }
        let known = Set(inventory.gpuIndices)
        let busy = Set(entries.values.flatMap(\.job.gpus))
        // Not the workload's fault: reported as `interrupted`, so no workload retry is spent.
        if let missing = assign.gpus.first(where: { !known.contains($0) }) {
            finishAtOnce(assign, .interrupted, "GPU \(missing) does not exist on \(agentID)")
            return
        }
        if let taken = assign.gpus.first(where: { busy.contains($0) }) {
            finishAtOnce(assign, .interrupted, "GPU \(taken) on \(agentID) is still in use by another attempt")
            return
        }
        let job = AssignedJob(
            jobID: assign.jobID, attempt: assign.attempt, spec: assign.spec, gpus: assign.gpus,
            vendor: inventory.vendor,
            baseEnvironment: baseEnvironment)
        let entry = Entry(job: job, output: JobOutput(), cancel: CancelSignal())
        entries[attempt] = entry
        send(.accepted(attempt))
        logger.info("job accepted", metadata: ["job": "\(attempt)", "gpus": "\(assign.gpus)"])
        startsContinuation.yield(Start(job: job, output: entry.output, cancel: entry.cancel))
    }

    /// Reports an attempt that never started (and holds no GPUs).
    private func finishAtOnce(_ assign: Assign, _ outcome: JobOutcome, _ detail: String) {
        logger.warning(
            "refusing assignment", metadata: ["job": "\(assign.jobID)#\(assign.attempt)", "reason": "\(detail)"])
        send(.accepted(JobAttempt(jobID: assign.jobID, attempt: assign.attempt)))
        let job = AssignedJob(
            jobID: assign.jobID, attempt: assign.attempt, spec: assign.spec, gpus: [], vendor: inventory.vendor,
            baseEnvironment: [:])
        var entry = Entry(job: job, output: JobOutput(recordCapacity: 1, logCapacity: 1), cancel: CancelSignal())
        entry.finished = Finished(jobID: assign.jobID, attempt: assign.attempt, outcome: outcome, detail: detail)
        entries[JobAttempt(jobID: assign.jobID, attempt: assign.attempt)] = entry
        flush()
    }

    private func stop(_ attempt: JobAttempt, grace: Double) {
        guard let entry = entries[attempt], entry.finished == nil else { return }
        if !entry.cancel.isCanceled { logger.info("canceling job", metadata: ["job": "\(attempt)"]) }
        entry.cancel.cancel(graceSeconds: grace)
    }

    private func abandon(_ attempt: JobAttempt, current: Attempt?) {
        guard var entry = entries[attempt] else { return }
        logger.warning(
            "coordinator says this attempt is stale; stopping it",
            metadata: ["job": "\(attempt)", "current": "\(current.map(String.init) ?? "none")"])
        if entry.finished != nil {
            entries[attempt] = nil
            return
        }
        entry.abandoned = true
        entries[attempt] = entry
        entry.cancel.cancel(graceSeconds: 5)
    }

    // MARK: Workloads

    /// A runner returned.
    public func jobEnded(_ attempt: JobAttempt, outcome: JobOutcome, detail: String) {
        guard var entry = entries[attempt] else { return }
        if entry.abandoned {
            entries[attempt] = nil
            return
        }
        let reported: JobOutcome = entry.interrupting && outcome == .canceled ? .interrupted : outcome
        entry.finished = Finished(jobID: attempt.jobID, attempt: attempt.attempt, outcome: reported, detail: detail)
        entries[attempt] = entry
        logger.info(
            "job ended", metadata: ["job": "\(attempt)", "outcome": "\(reported.rawValue)", "detail": "\(detail)"])
        flush()
    }

    /// Moves buffered records and log lines into frames, and sends `finished` once everything
    /// before it is acknowledged.
    public func flush() {
        guard let outbox else { return }
        for key in entries.keys.sorted(by: Self.order) {
            guard var entry = entries[key], !entry.abandoned else { continue }
            let id = key.jobID
            let attempt = key.attempt
            while entry.unacked.count < Self.window {
                let (records, dropped) = entry.output.records.take(
                    maxItems: Self.batchMaxRecords, maxBytes: Self.batchMaxBytes)
                if records.isEmpty && dropped == 0 { break }
                let batch = Records(
                    jobID: id, attempt: attempt, seq: entry.nextSeq, records: RecordsJSON(joiningObjects: records),
                    dropped: dropped)
                entry.nextSeq += 1
                entry.droppedReported += dropped
                entry.unacked.append(batch)
                outbox.yield(.records(batch))
            }
            while true {
                let (lines, droppedLines) = entry.output.log.take(maxItems: 500, maxBytes: 256 << 10)
                if lines.isEmpty && droppedLines == 0 { break }
                outbox.yield(.log(LogLines(jobID: id, attempt: attempt, lines: lines, dropped: droppedLines)))
            }
            // `finished` goes last: after every record is acknowledged and every log line sent.
            if let finished = entry.finished, !entry.finishedSent, entry.unacked.isEmpty,
                entry.output.records.count == 0,
                entry.output.log.count == 0
            {
                outbox.yield(.finished(finished))
                entry.finishedSent = true
            }
            entries[key] = entry
        }
    }

    private func send(_ frame: Frame) {
        outbox?.yield(frame)
    }

    // MARK: Shutdown

    /// Stops every workload (reported as `interrupted`) and takes no new ones.
    public func beginShutdown() {
        isStopping = true
        for key in entries.keys.sorted(by: Self.order) {
            guard var entry = entries[key], entry.finished == nil else { continue }
            entry.interrupting = true
            entries[key] = entry
            entry.cancel.cancel(graceSeconds: entry.job.spec.cancelGraceSeconds)
        }
    }

    /// Whether anything is still owed to the coordinator.
    public var isIdle: Bool { entries.isEmpty }

    public func finishStarts() { startsContinuation.finish() }

    public var drained: String? { drainReason }
}
