import Foundation

/// A sweep that runs by itself, as the coordinator keeps it: the sweep (whose `schedule` says
/// when) and the last occurrence that was started.
public struct StoredSchedule: Hashable, Sendable, Codable {
    /// The sweep's name: one schedule per name, so every run of it shares its point keys.
    public var name: String { spec.name }
    public var spec: SweepSpec
    /// Occurrences at or before this are never started (the schedule did not exist yet, or was
    /// replaced then).
    public var createdAt: Date
    /// The last occurrence started, and the sweep run it became.
    public var lastOccurrence: Date?
    public var lastSweepID: String?

    public init(spec: SweepSpec, createdAt: Date, lastOccurrence: Date? = nil, lastSweepID: String? = nil) {
        self.spec = spec
        self.createdAt = createdAt
        self.lastOccurrence = lastOccurrence
        self.lastSweepID = lastSweepID
    }
}
