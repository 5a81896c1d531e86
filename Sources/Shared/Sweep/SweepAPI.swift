import Foundation

/// The answer to submitting a sweep: its id and the jobs it expanded into.
public struct SweepSubmitResponse: Hashable, Sendable, Codable {
    public var sweepID: String
    public var name: String
    public var jobs: [JobID]
    public var points: Int

    public init(sweepID: String, name: String, jobs: [JobID], points: Int) {
        self.sweepID = sweepID
        self.name = name
        self.jobs = jobs
        self.points = points
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
