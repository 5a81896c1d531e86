import Catalog
import Foundation

/// When a sweep runs by itself: a cron expression read on the wall clock of a time zone
/// (`0 2 * * *` in `Europe/Berlin` is 02:00 Berlin time, summer and winter).
public struct SweepSchedule: Hashable, Sendable, Codable {
    public var cron: String
    /// An IANA time zone name; UTC when the sweep file gives none.
    public var timeZone: String

    public init(cron: String, timeZone: String = "UTC") {
        self.cron = cron
        self.timeZone = timeZone
    }

    /// The parsed expression and zone, or why they cannot be used.
    public func resolved() throws(CronError) -> (cron: CronExpression, timeZone: TimeZone) {
        let expression = try CronExpression(cron)
        guard let zone = TimeZone(identifier: timeZone) else {
            let near = NearMiss.suggest(timeZone, among: TimeZone.knownTimeZoneIdentifiers)
            throw CronError(
                expression: cron,
                message: "time zone `\(timeZone)` is not an IANA name\(near.map { "; did you mean `\($0)`?" } ?? "")")
        }
        return (expression, zone)
    }

    /// The first run after `instant`, or nil if the expression never fires or cannot be read.
    public func next(after instant: Date) -> Date? {
        guard let (expression, zone) = try? resolved() else { return nil }
        return expression.next(after: instant, in: zone)
    }
}
