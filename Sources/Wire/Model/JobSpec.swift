/// What a job runs: the seam where job kinds plug in.
///
/// A job kind names the runner an agent uses for it; its settings live in the field of the same
/// name on ``JobSpec`` (`command:` for ``JobKind/command``, `benchmark:` for ``JobKind/benchmark``).
public enum JobKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Run an argv on the assigned GPUs; JSON-object stdout lines become records.
    case command
    /// Bring an engine up, measure its points in order, stream every request's record.
    case benchmark
}

/// A job as submitted: what to run and what it needs from a node.
public struct JobSpec: Hashable, Sendable, Codable {
    public var name: String
    public var kind: JobKind
    /// GPUs the job needs on one node; 0 for CPU-only work.
    public var gpus: Int
    /// Take the whole node, whatever `gpus` says.
    public var exclusive: Bool
    /// Required GPU model: matches when the agent's model name contains it, ignoring case (`H200`).
    public var gpuModel: String?
    /// Labels the agent must carry, each with this exact value.
    public var labels: [String: String]
    /// Higher runs first; equal priorities run in submission order.
    public var priority: Int
    public var retries: RetryBudgets
    /// Settings of a `command` job.
    public var command: CommandWorkload?
    /// Settings of a `benchmark` job.
    public var benchmark: BenchmarkWorkload?
    /// The sweep this job measures a deployment of, if any.
    public var sweep: SweepMembership?

    public init(
        name: String,
        kind: JobKind = .command,
        gpus: Int = 0,
        exclusive: Bool = false,
        gpuModel: String? = nil,
        labels: [String: String] = [:],
        priority: Int = 0,
        retries: RetryBudgets = .init(),
        command: CommandWorkload? = nil,
        benchmark: BenchmarkWorkload? = nil,
        sweep: SweepMembership? = nil
    ) {
        self.name = name
        self.kind = kind
        self.gpus = gpus
        self.exclusive = exclusive
        self.gpuModel = gpuModel
        self.labels = labels
        self.priority = priority
        self.retries = retries
        self.command = command
        self.benchmark = benchmark
        self.sweep = sweep
    }

    /// Seconds between SIGTERM and SIGKILL when the job is stopped.
    public var cancelGraceSeconds: Double {
        switch kind {
        case .command: command?.cancelGraceSeconds ?? 10
        case .benchmark:
            if case .launch(let engine) = benchmark?.engine { engine.stopGraceSeconds } else { 10 }
        }
    }
}

/// An argv run directly (never through a shell) with extra environment.
public struct CommandWorkload: Hashable, Sendable, Codable {
    public var argv: [String]
    public var environment: [String: String]
    /// Seconds between SIGTERM and SIGKILL when the job is canceled.
    public var cancelGraceSeconds: Double
    /// Wall-clock limit; the job fails when it runs longer. `nil` for none.
    public var timeoutSeconds: Double?

    public init(
        argv: [String],
        environment: [String: String] = [:],
        cancelGraceSeconds: Double = 10,
        timeoutSeconds: Double? = nil
    ) {
        self.argv = argv
        self.environment = environment
        self.cancelGraceSeconds = cancelGraceSeconds
        self.timeoutSeconds = timeoutSeconds
    }
}

/// The three retry budgets of a job, kept apart because their causes differ.
///
/// - `workloadFailures`: the workload itself failed (non-zero exit, timeout). Retried after a
///   backoff, preferring another node.
/// - `agentLosses`: the agent vanished (lease expired). Requeued at once.
/// - `drains`: the agent was drained by an operator. Free for the job; capped only so that a
///   flapping fleet cannot loop forever.
public struct RetryBudgets: Hashable, Sendable, Codable {
    public var workloadFailures: Int
    public var agentLosses: Int
    public var drains: Int

    public init(workloadFailures: Int = 2, agentLosses: Int = 3, drains: Int = 100) {
        self.workloadFailures = workloadFailures
        self.agentLosses = agentLosses
        self.drains = drains
    }
}
