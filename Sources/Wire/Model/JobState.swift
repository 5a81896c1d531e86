/// Where a job stands in its life.
///
/// ```
/// queued ──place──▶ assigned ──accepted──▶ running ──finished──▶ succeeded | failed
///   ▲                  │                      │
///   └──── lost / failed with budget left ─────┘──cancel──▶ canceling ──▶ canceled
/// ```
public enum JobState: String, Hashable, Sendable, Codable, CaseIterable {
    case queued
    case assigned
    case running
    case canceling
    case succeeded
    case failed
    case canceled

    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .canceled: true
        case .queued, .assigned, .running, .canceling: false
        }
    }

    /// States in which an agent holds the job and its lease counts.
    public var isOnAgent: Bool {
        switch self {
        case .assigned, .running, .canceling: true
        case .queued, .succeeded, .failed, .canceled: false
        }
    }
}

/// How an agent says an attempt ended.
public enum JobOutcome: String, Hashable, Sendable, Codable {
    case succeeded
    case failed
    case canceled
    /// The agent stopped the workload because it is shutting down; not the workload's fault.
    case interrupted
}
