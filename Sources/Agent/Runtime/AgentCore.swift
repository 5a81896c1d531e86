import Logging
import Wire

/// The agent's side of protocol v1, as a value: what it holds, what it owes the coordinator,
/// and which frames to send when. No I/O and no clock — ``AgentRuntime`` feeds it events and
/// performs the actions it returns, as ``SchedulerCore`` and its shell do on the other side.
///
/// The rules it keeps:
/// - An assignment is accepted once; a repeat is answered `accepted` again and starts nothing.
///   One that cannot run here (unknown or busy GPU, agent stopping) is accepted and at once
///   finished `interrupted`, which costs the job no workload retry.
/// - Records leave in batches numbered 1, 2, … per attempt, at most ``window`` unacknowledged.
///   Every unacknowledged batch is sent again, with the same number, on the next connection, so
///   nothing is lost and the coordinator stores nothing twice.
/// - `finished` goes last: once every batch is acknowledged and the attempt's output is empty.
///   It too is sent again after a reconnect until the coordinator acknowledges it.
/// - `stale` means another attempt is current: stop this one and report nothing more of it.
struct AgentCore {
    enum Action: Equatable {
        /// Write this frame (dropped when no connection is up: what matters is resent).
        case send(Frame)
        /// Run this attempt's workload.
        case start(AssignedJob)
        /// Ask the attempt's workload to stop, SIGKILL after `graceSeconds`.
        case cancel(JobAttempt, graceSeconds: Double)
        /// The attempt is settled: nothing more is owed for it.
        case forget(JobAttempt)
        case log(Logger.Level, String)
    }

    /// One attempt this agent holds or still owes frames for.
    struct Held {
        var job: AssignedJob
        var nextSeq = 1
        var unacked: [Records] = []
        var droppedReported = 0
        var finished: Finished?
        var finishedSent = false
        var cancelRequested = false
        /// The coordinator said this attempt is not current: stop it and tell nobody.
        var abandoned = false
        /// Stopped by the agent's own shutdown: a `canceled` end is reported `interrupted`.
        var interrupting = false
    }

    /// What the shell sees of an attempt's output buffers, for heartbeats.
    struct OutputCounts {
        var recordsProduced = 0
        var recordsPendingDrops = 0
        var pointsDone = 0
    }

    /// Batches in flight per attempt before the agent stops taking from the buffer.
    static let window = 32

    let agentID: AgentID
    let inventory: Inventory
    let baseEnvironment: [String: String]
    /// Keyed by attempt: a new attempt of a job may arrive while an old one is still stopping.
    private(set) var held: [JobAttempt: Held] = [:]
    private(set) var isConnected = false
    private(set) var isStopping = false
    private(set) var drainReason: String?

    init(agentID: AgentID, inventory: Inventory, baseEnvironment: [String: String]) {
        self.agentID = agentID
        self.inventory = inventory
        self.baseEnvironment = baseEnvironment
    }

    /// Attempts the agent runs or still owes a `finished` for, in a stable order.
    var holding: [JobAttempt] {
        held.filter { !$0.value.abandoned }.keys.sorted(by: Self.order)
    }

    var isIdle: Bool { held.isEmpty }

    static func order(_ a: JobAttempt, _ b: JobAttempt) -> Bool {
        (a.jobID, a.attempt) < (b.jobID, b.attempt)
    }

    // MARK: Connection

    /// A connection is up: every unacknowledged batch goes again, in order, and every
    /// `finished` not yet acknowledged is due again.
    mutating func connected() -> [Action] {
        isConnected = true
        var actions: [Action] = []
        for key in holding {
            actions += held[key]!.unacked.map { .send(.records($0)) }
            held[key]!.finishedSent = false
        }
        return actions
    }

    mutating func disconnected() {
        isConnected = false
    }

    func heartbeat(_ counts: [JobAttempt: OutputCounts]) -> Frame {
        let jobs = held.filter { !$0.value.abandoned }.map { key, entry in
            let seen = counts[key] ?? OutputCounts()
            return HeldJob(
                jobID: key.jobID, attempt: key.attempt,
                progress: JobProgress(
                    recordsProduced: seen.recordsProduced,
                    recordsDropped: entry.droppedReported + seen.recordsPendingDrops,
                    pointsDone: seen.pointsDone, finished: entry.finished != nil))
        }
        return .heartbeat(Heartbeat(holding: jobs.sorted { $0.jobID < $1.jobID }))
    }

    // MARK: Frames from the coordinator

    mutating func received(_ frame: Frame) -> [Action] {
        switch frame {
        case .assign(let assign):
            return accept(assign)
        case .cancel(let cancel):
            return stop(JobAttempt(jobID: cancel.jobID, attempt: cancel.attempt), grace: cancel.graceSeconds)
        case .heartbeatAck(let ack):
            return ack.cancel.flatMap { stop($0, grace: held[$0]?.job.spec.cancelGraceSeconds ?? 10) }
        case .recordsAck(let ack):
            held[JobAttempt(jobID: ack.jobID, attempt: ack.attempt)]?.unacked.removeAll { $0.seq <= ack.upToSeq }
            return []
        case .finishedAck(let attempt):
            guard held[attempt]?.finished != nil else { return [] }
            held[attempt] = nil
            return [.forget(attempt), .log(.info, "job done: \(attempt)")]
        case .stale(let stale):
            return abandon(JobAttempt(jobID: stale.jobID, attempt: stale.attempt), current: stale.current)
        case .drain(let reason):
            drainReason = reason.reason
            return [.log(.notice, "drained by an operator: \(reason.reason)")]
        case .undrain:
            drainReason = nil
            return [.log(.notice, "undrained")]
        case .error(let reason):
            return [.log(.error, "coordinator reported an error: \(reason.reason)")]
        case .unknown(let type):
            return [.log(.info, "ignoring frame of unknown type \(type)")]
        default:
            return [.log(.warning, "ignoring unexpected frame \(frame.type)")]
        }
    }

    private mutating func accept(_ assign: Assign) -> [Action] {
        let attempt = JobAttempt(jobID: assign.jobID, attempt: assign.attempt)
        if held[attempt] != nil { return [.send(.accepted(attempt))] }  // a repeat: start nothing
        if isStopping { return finishAtOnce(assign, "agent is shutting down") }
        let known = Set(inventory.gpuIndices)
        let busy = Set(held.values.flatMap(\.job.gpus))
        if let missing = assign.gpus.first(where: { !known.contains($0) }) {
            return finishAtOnce(assign, "GPU \(missing) does not exist on \(agentID)")
        }
        if let taken = assign.gpus.first(where: { busy.contains($0) }) {
            return finishAtOnce(assign, "GPU \(taken) on \(agentID) is still in use by another attempt")
        }
        let job = AssignedJob(
            jobID: assign.jobID, attempt: assign.attempt, spec: assign.spec, gpus: assign.gpus,
            vendor: inventory.vendor, baseEnvironment: baseEnvironment)
        held[attempt] = Held(job: job)
        return [
            .send(.accepted(attempt)), .log(.info, "job accepted: \(attempt) on GPUs \(assign.gpus)"), .start(job),
        ]
    }

    /// An attempt that never starts and holds no GPUs. Not the workload's fault, so it is
    /// reported `interrupted` and no workload retry is spent.
    private mutating func finishAtOnce(_ assign: Assign, _ detail: String) -> [Action] {
        let attempt = JobAttempt(jobID: assign.jobID, attempt: assign.attempt)
        var entry = Held(
            job: AssignedJob(
                jobID: assign.jobID, attempt: assign.attempt, spec: assign.spec, gpus: [], vendor: inventory.vendor,
                baseEnvironment: [:]))
        entry.finished = Finished(jobID: assign.jobID, attempt: assign.attempt, outcome: .interrupted, detail: detail)
        held[attempt] = entry
        return [.log(.warning, "refusing assignment \(attempt): \(detail)"), .send(.accepted(attempt))]
            + outputDrained(attempt)
    }

    private mutating func stop(_ attempt: JobAttempt, grace: Double) -> [Action] {
        guard var entry = held[attempt], entry.finished == nil else { return [] }
        var actions: [Action] = []
        if !entry.cancelRequested { actions.append(.log(.info, "canceling job \(attempt)")) }
        entry.cancelRequested = true
        held[attempt] = entry
        return actions + [.cancel(attempt, graceSeconds: grace)]
    }

    private mutating func abandon(_ attempt: JobAttempt, current: Attempt?) -> [Action] {
        guard var entry = held[attempt] else { return [] }
        let note = Action.log(
            .warning,
            "coordinator says attempt \(attempt) is stale (current: \(current.map(String.init) ?? "none")); stopping it"
        )
        if entry.finished != nil {
            held[attempt] = nil
            return [note, .forget(attempt)]
        }
        entry.abandoned = true
        entry.cancelRequested = true
        held[attempt] = entry
        return [note, .cancel(attempt, graceSeconds: 5)]
    }

    // MARK: Workloads

    /// The attempt's runner returned.
    mutating func jobEnded(_ attempt: JobAttempt, outcome: JobOutcome, detail: String) -> [Action] {
        guard var entry = held[attempt] else { return [] }
        if entry.abandoned {
            held[attempt] = nil
            return [.forget(attempt)]
        }
        let reported: JobOutcome = entry.interrupting && outcome == .canceled ? .interrupted : outcome
        entry.finished = Finished(jobID: attempt.jobID, attempt: attempt.attempt, outcome: reported, detail: detail)
        held[attempt] = entry
        return [.log(.info, "job ended: \(attempt) \(reported.rawValue) (\(detail))")]
    }

    /// How many more record batches the attempt may send now.
    func batchesAllowed(_ attempt: JobAttempt) -> Int {
        guard isConnected, let entry = held[attempt], !entry.abandoned else { return 0 }
        return Self.window - entry.unacked.count
    }

    /// The next batch of the attempt's records (call only while ``batchesAllowed(_:)`` > 0).
    mutating func batch(_ attempt: JobAttempt, records: [String], dropped: Int) -> Action {
        var entry = held[attempt]!
        let batch = Records(
            jobID: attempt.jobID, attempt: attempt.attempt, seq: entry.nextSeq,
            records: RecordsJSON(joiningObjects: records), dropped: dropped)
        entry.nextSeq += 1
        entry.droppedReported += dropped
        entry.unacked.append(batch)
        held[attempt] = entry
        return .send(.records(batch))
    }

    /// The shell emptied the attempt's output buffers into frames (or it had none): `finished`
    /// is due if the workload ended and every batch is acknowledged.
    mutating func outputDrained(_ attempt: JobAttempt) -> [Action] {
        guard isConnected, var entry = held[attempt], !entry.abandoned, let finished = entry.finished,
            !entry.finishedSent, entry.unacked.isEmpty
        else { return [] }
        entry.finishedSent = true
        held[attempt] = entry
        return [.send(.finished(finished))]
    }

    // MARK: Shutdown

    /// Stops every workload (reported `interrupted`) and takes no new ones.
    mutating func beginShutdown() -> [Action] {
        isStopping = true
        var actions: [Action] = []
        for key in held.keys.sorted(by: Self.order) where held[key]!.finished == nil {
            held[key]!.interrupting = true
            held[key]!.cancelRequested = true
            actions.append(.cancel(key, graceSeconds: held[key]!.job.spec.cancelGraceSeconds))
        }
        return actions
    }
}
