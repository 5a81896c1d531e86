import Foundation

/// A line of a job's log.
public struct LogLine: Hashable, Sendable, Codable {
    public var attempt: Attempt
    public var at: Date
    public var line: String

    public init(attempt: Attempt, at: Date, line: String) {
        self.attempt = attempt
        self.at = at
        self.line = line
    }
}

/// How many records each attempt of a job stored, and how many its agent reported dropped.
public struct RecordCount: Hashable, Sendable, Codable {
    public var attempt: Attempt
    public var batches: Int
    public var records: Int
    public var dropped: Int

    public init(attempt: Attempt, batches: Int, records: Int, dropped: Int) {
        self.attempt = attempt
        self.batches = batches
        self.records = records
        self.dropped = dropped
    }
}
