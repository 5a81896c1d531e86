import Synchronization
import Wire

/// An attempt as its runner sees it.
public struct AssignedJob: Hashable, Sendable {
    public var jobID: JobID
    public var attempt: Attempt
    public var spec: JobSpec
    public var gpus: [Int]
    public var vendor: GPUVendor
    /// What the workload inherits from the agent (``WorkloadEnvironment``: never its secrets).
    public var baseEnvironment: [String: String]

    /// The environment of the workload: the agent's, the job's, and the visible-devices variable,
    /// which always wins so a job cannot escape its GPUs.
    public func environment(adding extra: [String: String]) -> [String: String] {
        var environment = baseEnvironment.merging(extra) { _, new in new }
        environment[vendor.visibleDevicesVariable] = gpus.map(String.init).joined(separator: ",")
        environment["SWEEPLINE_JOB_ID"] = jobID
        environment["SWEEPLINE_ATTEMPT"] = String(attempt)
        return environment
    }
}

/// Where a runner puts what its workload produces. Neither call ever blocks.
public final class JobOutput: Sendable {
    /// Each record is one JSON object, encoded (see ``RecordsJSON``).
    public let records: BoundedBuffer<String>
    public let log: BoundedBuffer<String>
    /// Points measured so far (benchmark kinds).
    public let points: Mutex<Int>

    /// - Parameter onOutput: called after each record or log line is added (the agent's sender
    ///   waits on it); it must not block.
    ///   Records are bounded by count and by bytes (64 MiB: a coordinator that does not
    ///   acknowledge must not grow the agent without limit), the log likewise (8 MiB).
    public init(
        recordCapacity: Int = 100_000, recordByteCapacity: Int = 64 << 20, logCapacity: Int = 10_000,
        logByteCapacity: Int = 8 << 20, onOutput: @escaping @Sendable () -> Void = {}
    ) {
        records = BoundedBuffer(capacity: recordCapacity, byteCapacity: recordByteCapacity, onPush: onOutput)
        log = BoundedBuffer(capacity: logCapacity, byteCapacity: logByteCapacity, onPush: onOutput)
        points = Mutex(0)
    }

    public func logLine(_ line: String) {
        log.push(line, bytes: line.utf8.count + 4)
    }
}

/// The agent's request to stop an attempt, with the grace it allows before SIGKILL.
public final class CancelSignal: Sendable {
    private struct State {
        var grace: Double?
        var waiters: [CheckedContinuation<Double?, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func cancel(graceSeconds: Double) {
        let waiters = state.withLock { state -> [CheckedContinuation<Double?, Never>] in
            guard state.grace == nil else { return [] }
            state.grace = graceSeconds
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: graceSeconds) }
    }

    public var isCanceled: Bool { state.withLock { $0.grace != nil } }

    /// Returns the grace once a cancel arrives, or `nil` when the waiting task is cancelled first.
    public func wait() async -> Double? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let grace = state.withLock { state -> Double?? in
                    if let grace = state.grace { return .some(grace) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters.append(continuation)
                    return .none
                }
                if let grace { continuation.resume(returning: grace) }
            }
        } onCancel: {
            let waiters = state.withLock { state -> [CheckedContinuation<Double?, Never>] in
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: nil) }
        }
    }
}

/// Runs one kind of job. The seam where job kinds plug in: the agent picks the runner by
/// ``JobKind`` and gives it the attempt, an output and a cancel signal.
public protocol JobRunner: Sendable {
    /// Runs the attempt to its end and says how it ended. Must honour `cancel` promptly.
    func run(_ job: AssignedJob, output: JobOutput, cancel: CancelSignal) async -> (JobOutcome, String)
}
