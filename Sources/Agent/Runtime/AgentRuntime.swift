import Foundation
import Logging
import Wire

/// The shell around ``AgentCore``: it owns the attempts' output buffers and cancel signals, the
/// current connection's outbox, and performs what the core decides.
///
/// Output is sent when there is some: every buffer of every attempt notifies ``outputReady``
/// when a workload adds to it, and the connection's sender waits on that signal instead of
/// polling. Settling the last attempt notifies ``settled``, which shutdown waits on.
public actor AgentRuntime {
    /// A job the agent service should start running.
    public struct Start: Sendable {
        public var job: AssignedJob
        public var output: JobOutput
        public var cancel: CancelSignal
    }

    static let batchMaxRecords = 2000
    static let batchMaxBytes = 768 << 10

    public let agentID: AgentID
    public let instanceID = UUID().uuidString
    public let inventory: Inventory
    public let labels: [String: String]
    let logger: Logger
    private var core: AgentCore
    /// The I/O half of each attempt the core holds (none for one refused at once).
    private var outputs: [JobAttempt: (output: JobOutput, cancel: CancelSignal)] = [:]
    private var outbox: AsyncStream<Frame>.Continuation?
    public nonisolated let outputReady = WorkSignal()
    public nonisolated let settled = WorkSignal()
    public nonisolated let starts: AsyncStream<Start>
    private let startsContinuation: AsyncStream<Start>.Continuation

    public init(
        agentID: AgentID, inventory: Inventory, labels: [String: String],
        baseEnvironment: [String: String] = WorkloadEnvironment.inherited(from: ProcessInfo.processInfo.environment),
        logger: Logger
    ) {
        self.agentID = agentID
        self.inventory = inventory
        self.labels = labels
        self.logger = logger
        self.core = AgentCore(agentID: agentID, inventory: inventory, baseEnvironment: baseEnvironment)
        (starts, startsContinuation) = AsyncStream.makeStream(of: Start.self)
    }

    // MARK: Connection

    public func hello(credential: String, agentVersion: String) -> Hello {
        Hello(
            agentID: agentID, instanceID: instanceID, protocol: .current, agentVersion: agentVersion, token: credential,
            inventory: inventory, labels: labels, holding: holding)
    }

    /// Attempts the agent runs or still owes a `finished` for.
    public var holding: [JobAttempt] { core.holding }

    /// A connection is up: resend what is unacknowledged, in order, then whatever is due.
    public func attach(_ outbox: AsyncStream<Frame>.Continuation) {
        self.outbox = outbox
        perform(core.connected())
        flush()
    }

    public func detach() {
        outbox = nil
        core.disconnected()
    }

    public func heartbeat() -> Frame {
        core.heartbeat(
            outputs.mapValues { io in
                AgentCore.OutputCounts(
                    recordsProduced: io.output.records.produced, recordsPendingDrops: io.output.records.pendingDrops,
                    pointsDone: io.output.points.withLock { $0 })
            })
    }

    // MARK: Frames from the coordinator

    public func handle(_ frame: Frame) {
        perform(core.received(frame))
        // An acknowledgement opens the window, an assignment refused at once owes `finished`.
        flush()
    }

    // MARK: Workloads

    /// A runner returned.
    public func jobEnded(_ attempt: JobAttempt, outcome: JobOutcome, detail: String) {
        perform(core.jobEnded(attempt, outcome: outcome, detail: detail))
        flush()
    }

    /// Moves buffered records and log lines into frames, and sends `finished` once everything
    /// before it is acknowledged.
    public func flush() {
        guard let outbox else { return }
        for attempt in core.holding {
            guard let io = outputs[attempt] else {
                perform(core.outputDrained(attempt))
                continue
            }
            for _ in 0..<core.batchesAllowed(attempt) {
                let (records, dropped) = io.output.records.take(
                    maxItems: Self.batchMaxRecords, maxBytes: Self.batchMaxBytes)
                if records.isEmpty && dropped == 0 { break }
                perform([core.batch(attempt, records: records, dropped: dropped)])
            }
            while true {
                let (lines, droppedLines) = io.output.log.take(maxItems: 500, maxBytes: 256 << 10)
                if lines.isEmpty && droppedLines == 0 { break }
                outbox.yield(
                    .log(LogLines(jobID: attempt.jobID, attempt: attempt.attempt, lines: lines, dropped: droppedLines)))
            }
            if io.output.records.count == 0 && io.output.log.count == 0 {
                perform(core.outputDrained(attempt))
            }
        }
    }

    // MARK: Shutdown

    /// Stops every workload (reported as `interrupted`) and takes no new ones.
    public func beginShutdown() {
        perform(core.beginShutdown())
    }

    public var isStopping: Bool { core.isStopping }

    /// Whether anything is still owed to the coordinator.
    public var isIdle: Bool { core.isIdle }

    public func finishStarts() { startsContinuation.finish() }

    public var drained: String? { core.drainReason }

    // MARK: Actions

    private func perform(_ actions: [AgentCore.Action]) {
        for action in actions {
            switch action {
            case .send(let frame):
                outbox?.yield(frame)
            case .start(let job):
                let signal = outputReady
                let io = (output: JobOutput(onOutput: { signal.notify() }), cancel: CancelSignal())
                outputs[JobAttempt(jobID: job.jobID, attempt: job.attempt)] = io
                startsContinuation.yield(Start(job: job, output: io.output, cancel: io.cancel))
            case .cancel(let attempt, let grace):
                outputs[attempt]?.cancel.cancel(graceSeconds: grace)
            case .forget(let attempt):
                outputs[attempt] = nil
                if core.isIdle { settled.notify() }
            case .log(let level, let message):
                logger.log(level: level, "\(message)")
            }
        }
    }
}
