import Foundation

/// The coordinator's schedules and the decision of which occurrence to start when. Pure: the
/// engine feeds it the wall clock and makes its answers durable.
///
/// Each occurrence starts at most once: an occurrence is started only if it is later than the
/// last one started, and the store refuses to record a start whose previous occurrence is not
/// the one it holds. Occurrences missed while the coordinator was down collapse into one run,
/// of the latest of them, when it comes back.
struct ScheduleBook {
    /// An occurrence to start now.
    struct DueRun: Hashable, Sendable {
        var schedule: StoredSchedule
        var occurrence: Date
        /// The occurrence the store must still hold for this start to be recorded.
        var previous: Date?
        var sweepID: String
        /// Earlier occurrences skipped because the coordinator was not running at their time.
        var missed: Int
    }

    private(set) var schedules: [String: StoredSchedule] = [:]
    /// The next occurrence of each schedule, computed once per change rather than per tick.
    private var upcoming: [String: Date] = [:]

    init(_ stored: [StoredSchedule] = []) {
        for schedule in stored { put(schedule) }
    }

    func nextRun(of name: String) -> Date? { upcoming[name] }

    /// Adds a schedule, or replaces the one of the same name; a replacement keeps the record of
    /// what already ran, so it never starts an occurrence that already ran.
    mutating func upsert(_ spec: SweepSpec, at now: Date) -> StoredSchedule {
        let previous = schedules[spec.name]
        let schedule = StoredSchedule(
            spec: spec, createdAt: now, lastOccurrence: previous?.lastOccurrence, lastSweepID: previous?.lastSweepID)
        put(schedule)
        return schedule
    }

    mutating func remove(_ name: String) -> Bool {
        upcoming[name] = nil
        return schedules.removeValue(forKey: name) != nil
    }

    /// The runs due at `now`, each marked started here; the caller must make them durable.
    mutating func takeDue(at now: Date) -> [DueRun] {
        var due: [DueRun] = []
        for name in upcoming.keys.sorted() {
            guard let first = upcoming[name], first <= now, var schedule = schedules[name],
                let (cron, zone) = try? schedule.spec.schedule?.resolved()
            else { continue }
            var occurrence = first
            var missed = 0
            // Bounded: a minutely schedule down for a week is ~10,000 steps.
            while missed < 100_000, let later = cron.next(after: occurrence, in: zone), later <= now {
                occurrence = later
                missed += 1
            }
            let previous = schedule.lastOccurrence
            let sweepID = Self.sweepID(name: name, occurrence: occurrence)
            schedule.lastOccurrence = occurrence
            schedule.lastSweepID = sweepID
            put(schedule)
            due.append(
                DueRun(schedule: schedule, occurrence: occurrence, previous: previous, sweepID: sweepID, missed: missed)
            )
        }
        return due
    }

    private mutating func put(_ schedule: StoredSchedule) {
        schedules[schedule.name] = schedule
        let after = max(schedule.createdAt, schedule.lastOccurrence ?? schedule.createdAt)
        upcoming[schedule.name] = schedule.spec.schedule?.next(after: after)
    }

    /// The same occurrence always gets the same id: `sw-20261130-0100-nightly-llama` (UTC).
    static func sweepID(name: String, occurrence: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmm"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let slug = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return "sw-\(formatter.string(from: occurrence))-\(String(slug))"
    }
}
