import Foundation
import Testing

@testable import Coordinator

@Suite struct CronExpressionTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    struct Case: Sendable, CustomStringConvertible {
        var cron: String
        var zone: String
        var after: String
        var expected: String?
        var description: String { "\(cron) in \(zone) after \(after)" }
    }

    static let cases: [Case] = [
        Case(cron: "0 2 * * *", zone: "UTC", after: "2026-11-29T20:00:00Z", expected: "2026-11-30T02:00:00Z"),
        Case(cron: "0 2 * * *", zone: "UTC", after: "2026-11-30T02:00:00Z", expected: "2026-12-01T02:00:00Z"),
        Case(cron: "*/15 * * * *", zone: "UTC", after: "2026-11-29T20:07:30Z", expected: "2026-11-29T20:15:00Z"),
        Case(cron: "5/20 * * * *", zone: "UTC", after: "2026-11-29T20:46:00Z", expected: "2026-11-29T21:05:00Z"),
        Case(cron: "@hourly", zone: "UTC", after: "2026-11-29T20:00:00Z", expected: "2026-11-29T21:00:00Z"),
        Case(cron: "0 9 * * MON-FRI", zone: "UTC", after: "2026-11-28T10:00:00Z", expected: "2026-11-30T09:00:00Z"),
        Case(cron: "0 0 1 JAN,jul *", zone: "UTC", after: "2026-11-29T00:00:00Z", expected: "2027-01-01T00:00:00Z"),
        // Both day fields restricted: either matches (Friday 4 Dec comes before the 13th).
        Case(cron: "0 0 13 * FRI", zone: "UTC", after: "2026-11-29T00:00:00Z", expected: "2026-12-04T00:00:00Z"),
        Case(cron: "0 0 * * 7", zone: "UTC", after: "2026-11-29T00:00:00Z", expected: "2026-12-06T00:00:00Z"),
        Case(cron: "0 0 29 2 *", zone: "UTC", after: "2026-11-29T00:00:00Z", expected: "2028-02-29T00:00:00Z"),
        Case(cron: "0 0 31 2 *", zone: "UTC", after: "2026-11-29T00:00:00Z", expected: nil),
        // Berlin's wall clock: 02:00 is 01:00 UTC in winter and 00:00 UTC in summer.
        Case(cron: "0 2 * * *", zone: "Europe/Berlin", after: "2026-11-29T20:00:00Z", expected: "2026-11-30T01:00:00Z"),
        Case(cron: "0 2 * * *", zone: "Europe/Berlin", after: "2027-06-01T12:00:00Z", expected: "2027-06-02T00:00:00Z"),
        // 28 March 2027: Berlin's clocks jump from 02:00 to 03:00; the skipped 02:30 runs at 03:30.
        Case(
            cron: "30 2 * * *", zone: "Europe/Berlin", after: "2027-03-27T12:00:00Z", expected: "2027-03-28T01:30:00Z"),
        // 31 October 2027: 02:30 happens twice in Berlin; the run is the first one only.
        Case(
            cron: "30 2 * * *", zone: "Europe/Berlin", after: "2027-10-30T12:00:00Z", expected: "2027-10-31T00:30:00Z"),
        Case(
            cron: "30 2 * * *", zone: "Europe/Berlin", after: "2027-10-31T00:30:00Z", expected: "2027-11-01T01:30:00Z"),
    ]

    @Test(arguments: cases)
    func next(_ check: Case) throws {
        let cron = try CronExpression(check.cron)
        let next = cron.next(after: Self.date(check.after), in: TimeZone(identifier: check.zone)!)
        #expect(next == check.expected.map(Self.date))
    }

    @Test(arguments: [
        ("0 2 * *", "expected 5 fields"),
        ("0 25 * * *", "hour `25`: 25 is out of 0–23"),
        ("61 * * * *", "minute `61`: 61 is out of 0–59"),
        ("0 0 * FOO *", "month `FOO`: `FOO` is not a number or a name"),
        ("0 0 * * 1-9", "day of week `1-9`: 9 is out of 0–7"),
        ("*/0 * * * *", "step `0` is not a positive number"),
        ("0 0 10-2 * *", "range 10-2 runs backwards"),
        ("0 0 1,,2 * *", "is not a value"),
    ])
    func refusesWhatCronWouldNotRead(_ text: String, _ message: String) {
        #expect {
            _ = try CronExpression(text)
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains(text)
        }
    }

    @Test func aScheduleNamesAnUnknownTimeZone_withTheNearMiss() {
        #expect {
            _ = try SweepSchedule(cron: "0 2 * * *", timeZone: "Europe/Berln").resolved()
        } throws: { error in
            "\(error)".contains("time zone `Europe/Berln` is not an IANA name; did you mean `Europe/Berlin`?")
        }
    }
}
