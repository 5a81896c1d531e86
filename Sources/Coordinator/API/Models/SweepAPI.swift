import Foundation
import Results
import Wire

/// The answer to submitting a sweep: its id and the jobs it expanded into.
///
/// A sweep with a schedule is not run on submission: the answer carries the schedule instead,
/// with no sweep id and no jobs.
public struct SweepSubmitResponse: Hashable, Sendable, Codable {
    public var sweepID: String?
    public var name: String
    public var jobs: [JobID]
    public var points: Int
    public var schedule: ScheduleSummary?

    public init(sweepID: String?, name: String, jobs: [JobID], points: Int, schedule: ScheduleSummary? = nil) {
        self.sweepID = sweepID
        self.name = name
        self.jobs = jobs
        self.points = points
        self.schedule = schedule
    }
}

/// One sweep run as `sweepline sweeps` lists it.
public struct SweepSummary: Hashable, Sendable, Codable {
    public var sweepID: String
    public var name: String
    public var submittedAt: Date
    public var jobs: Int
    /// Jobs per state (`queued`, `running`, `succeeded`, …).
    public var jobStates: [String: Int]
    public var points: Int
    public var pointsDone: Int
    /// A finished run against the earlier runs of the same sweep; nil for the first run or
    /// while it runs.
    public var baseline: SweepRegressionNote?

    public init(
        sweepID: String, name: String, submittedAt: Date, jobs: Int, jobStates: [String: Int], points: Int,
        pointsDone: Int
    ) {
        self.sweepID = sweepID
        self.name = name
        self.submittedAt = submittedAt
        self.jobs = jobs
        self.jobStates = jobStates
        self.points = points
        self.pointsDone = pointsDone
    }

    /// Every job has ended, one way or another.
    public var isFinished: Bool {
        jobStates.keys.allSatisfy { JobState(rawValue: $0)?.isTerminal ?? false }
    }
}

/// A sweep that runs by itself, as `sweepline schedules` lists it.
public struct ScheduleSummary: Hashable, Sendable, Codable {
    /// The sweep's name.
    public var name: String
    public var cron: String
    public var timeZone: String
    public var createdAt: Date
    /// The occurrence last started and the sweep run it became.
    public var lastRunAt: Date?
    public var lastSweepID: String?
    public var nextRunAt: Date?
    /// Jobs and points each run expands into.
    public var jobs: Int
    public var points: Int

    public init(
        name: String, cron: String, timeZone: String, createdAt: Date, lastRunAt: Date?, lastSweepID: String?,
        nextRunAt: Date?, jobs: Int, points: Int
    ) {
        self.name = name
        self.cron = cron
        self.timeZone = timeZone
        self.createdAt = createdAt
        self.lastRunAt = lastRunAt
        self.lastSweepID = lastSweepID
        self.nextRunAt = nextRunAt
        self.jobs = jobs
        self.points = points
    }
}

/// How a finished sweep run fared against its baseline, as `status` and `sweepline sweeps`
/// flag it: points with a statistically supported regression at the default settings.
public struct SweepRegressionNote: Hashable, Sendable, Codable {
    public var sweepID: String
    public var name: String
    public var regressions: Int
    /// Points compared with a baseline.
    public var compared: Int
    /// Points whose requests could not detect a change as large as the effect.
    public var insufficientData: Int
    /// The false-discovery rate the regressions are held to.
    public var falseDiscoveryRate: Double
    /// The earlier runs the baselines came from.
    public var baselineSweepIDs: [String]

    public init(_ comparison: BaselineComparison) {
        sweepID = comparison.sweepID
        name = comparison.sweepName
        regressions = comparison.regressions.count
        compared = comparison.comparison.rows.count
        insufficientData = comparison.comparison.count(.insufficientData)
        falseDiscoveryRate = comparison.comparison.settings.falseDiscoveryRate
        baselineSweepIDs = Set(comparison.baselineSweeps.values).sorted()
    }
}

/// A change point that left a point worse and is the latest of its metric: where the point
/// still sits (`status`, `GET /v1/changepoints`).
public struct OpenChangePoint: Hashable, Sendable, Codable {
    public var sweepName: String
    public var pointKey: String
    public var changePoint: PointHistory.ChangePoint

    public init(sweepName: String, pointKey: String, changePoint: PointHistory.ChangePoint) {
        self.sweepName = sweepName
        self.pointKey = pointKey
        self.changePoint = changePoint
    }
}
