import Wire

// The JSON bodies of the coordinator's HTTP API (docs/openapi.yaml), shared with the CLI.

/// An agent with what the coordinator knows of it right now.
public struct AgentStatus: Hashable, Sendable, Codable {
    public var record: AgentRecord
    public var connected: Bool
    public var busyGPUs: [Int]
    public var jobs: [JobID]

    public init(record: AgentRecord, connected: Bool, busyGPUs: [Int], jobs: [JobID]) {
        self.record = record
        self.connected = connected
        self.busyGPUs = busyGPUs
        self.jobs = jobs
    }
}

/// The coordinator's in-memory view of the fleet at one instant.
public struct FleetSnapshot: Sendable {
    public var jobs: [Job]
    public var agents: [AgentStatus]
    public var progress: [JobID: JobProgress]
    /// Set once the store has failed and the coordinator refuses changes.
    public var failure: String?

    public init(jobs: [Job], agents: [AgentStatus], progress: [JobID: JobProgress], failure: String?) {
        self.jobs = jobs
        self.agents = agents
        self.progress = progress
        self.failure = failure
    }
}

/// `GET /v1/status`.
public struct StatusResponse: Hashable, Sendable, Codable {
    public var jobs: [String: Int]
    public var agentsConnected: Int
    public var agentsKnown: Int
    public var agentsDrained: Int
    /// GPUs of connected agents, and how many of those are running a job.
    public var gpusTotal: Int
    public var gpusBusy: Int
    public var failure: String?
    /// The latest finished run of each sweep, where it regressed against its baseline.
    public var sweepRegressions: [SweepRegressionNote] = []
    /// Change points in the sweeps' histories that left a point worse and still stand.
    public var openChangePoints: [OpenChangePoint] = []

    public init(
        jobs: [String: Int], agentsConnected: Int, agentsKnown: Int, agentsDrained: Int, gpusTotal: Int, gpusBusy: Int,
        failure: String?
    ) {
        self.jobs = jobs
        self.agentsConnected = agentsConnected
        self.agentsKnown = agentsKnown
        self.agentsDrained = agentsDrained
        self.gpusTotal = gpusTotal
        self.gpusBusy = gpusBusy
        self.failure = failure
    }

    public init(_ snapshot: FleetSnapshot) {
        var counts: [String: Int] = [:]
        for state in JobState.allCases { counts[state.rawValue] = 0 }
        for job in snapshot.jobs { counts[job.state.rawValue, default: 0] += 1 }
        self.init(
            jobs: counts,
            agentsConnected: snapshot.agents.filter(\.connected).count,
            agentsKnown: snapshot.agents.count,
            agentsDrained: snapshot.agents.filter { $0.record.drainReason != nil }.count,
            gpusTotal: snapshot.agents.filter(\.connected).reduce(0) { $0 + $1.record.inventory.gpus.count },
            gpusBusy: snapshot.agents.filter(\.connected).reduce(0) { $0 + $1.busyGPUs.count },
            failure: snapshot.failure)
    }

    public var unfinishedJobs: Int {
        ["queued", "assigned", "running", "canceling"].reduce(0) { $0 + (jobs[$1] ?? 0) }
    }
}

/// A job with its progress, as `GET /v1/jobs` lists it.
public struct JobSummary: Hashable, Sendable, Codable {
    public var job: Job
    public var progress: JobProgress?

    public init(job: Job, progress: JobProgress?) {
        self.job = job
        self.progress = progress
    }
}

/// `GET /v1/jobs/{id}`.
public struct JobDetail: Hashable, Sendable, Codable {
    public var job: Job
    public var progress: JobProgress?
    public var history: [JobEvent]
    public var records: [RecordCount]
    public var logTail: [LogLine]

    public init(job: Job, progress: JobProgress?, history: [JobEvent], records: [RecordCount], logTail: [LogLine]) {
        self.job = job
        self.progress = progress
        self.history = history
        self.records = records
        self.logTail = logTail
    }
}

/// `POST /v1/jobs`.
public struct SubmitResponse: Hashable, Sendable, Codable {
    public var jobs: [JobID]
    public init(jobs: [JobID]) { self.jobs = jobs }
}

/// `POST /v1/jobs/{id}/cancel`.
public struct CancelResponse: Hashable, Sendable, Codable {
    public var job: JobID
    public var result: String
    public init(job: JobID, result: String) {
        self.job = job
        self.result = result
    }
}

/// `POST /v1/agents/{id}/drain` body.
public struct DrainRequest: Hashable, Sendable, Codable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

/// One page of `GET /v1/jobs/{id}/records`: `next` is the path of the following page, or nil
/// on the last, so a reader that ignores it sees that it holds only part.
public struct RecordsPage: Hashable, Sendable, Codable {
    public var records: [JSONValue]
    public var next: String?

    public init(records: [JSONValue], next: String?) {
        self.records = records
        self.next = next
    }
}
