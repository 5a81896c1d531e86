import Foundation

/// A five-field cron expression (minute, hour, day of month, month, day of week) as Vixie cron
/// reads it: `*`, lists, ranges, steps (`*/15`, `1-5/2`), month and day names, `@daily` and its
/// kin. When both day fields are restricted a day matches either, as in cron.
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    public let description: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    /// 0 = Sunday … 6 = Saturday (7 is read as Sunday).
    let daysOfWeek: Set<Int>
    let daysOfMonthRestricted: Bool
    let daysOfWeekRestricted: Bool

    private static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]
    private static let monthNames = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ]
    private static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    public init(_ text: String) throws(CronError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expanded = Self.macros[trimmed.lowercased()] ?? trimmed
        let fields = expanded.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else {
            throw CronError(
                expression: text,
                message:
                    "expected 5 fields (minute hour day-of-month month day-of-week) or @daily/@hourly/…, found \(fields.count)"
            )
        }
        description = trimmed
        minutes = try Self.field(fields[0], "minute", 0...59, names: [], in: text)
        hours = try Self.field(fields[1], "hour", 0...23, names: [], in: text)
        daysOfMonth = try Self.field(fields[2], "day of month", 1...31, names: [], in: text)
        months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames, nameBase: 1, in: text)
        daysOfWeek = Set(
            try Self.field(fields[4], "day of week", 0...7, names: Self.dayNames, in: text).map { $0 % 7 })
        daysOfMonthRestricted = !fields[2].hasPrefix("*")
        daysOfWeekRestricted = !fields[4].hasPrefix("*")
    }

    /// The first time after `instant` (strictly) at which the expression fires, read on the wall
    /// clock of `timeZone`; nil when it never does (`0 0 31 2 *`).
    ///
    /// A local time that a daylight-saving change skips fires once the clocks have moved past
    /// it; one that happens twice fires the first time only.
    public func next(after instant: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let sortedHours = hours.sorted()
        let sortedMinutes = minutes.sorted()
        let firstDay = calendar.startOfDay(for: instant)
        // Eight years cover every day-of-month × month × weekday combination, leap days included.
        for offset in 0..<(366 * 8) {
            guard let day = calendar.date(byAdding: .day, value: offset, to: firstDay) else { return nil }
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            guard let year = parts.year, let month = parts.month, let dayOfMonth = parts.day,
                let weekday = parts.weekday, months.contains(month), matchesDay(dayOfMonth, weekday: weekday - 1)
            else { continue }
            for hour in sortedHours {
                for minute in sortedMinutes {
                    let wanted = DateComponents(year: year, month: month, day: dayOfMonth, hour: hour, minute: minute)
                    if let time = calendar.date(from: wanted), time > instant { return time }
                }
            }
        }
        return nil
    }

    private func matchesDay(_ dayOfMonth: Int, weekday: Int) -> Bool {
        switch (daysOfMonthRestricted, daysOfWeekRestricted) {
        case (true, true): daysOfMonth.contains(dayOfMonth) || daysOfWeek.contains(weekday)
        case (true, false): daysOfMonth.contains(dayOfMonth)
        case (false, true): daysOfWeek.contains(weekday)
        case (false, false): true
        }
    }

    private static func field(
        _ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String], nameBase: Int = 0,
        in expression: String
    ) throws(CronError) -> Set<Int> {
        func fail(_ message: String) -> CronError {
            CronError(expression: expression, message: "\(name) `\(text)`: \(message)")
        }
        func value(_ token: Substring) throws(CronError) -> Int {
            if let number = Int(token) {
                guard range.contains(number) else {
                    throw fail("\(number) is out of \(range.lowerBound)–\(range.upperBound)")
                }
                return number
            }
            if let index = names.firstIndex(of: token.uppercased()) { return index + nameBase }
            throw fail(
                "`\(token)` is not a number\(names.isEmpty ? "" : " or a name (\(names.joined(separator: ", ")))")")
        }
        var values = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let base = parts.first, !base.isEmpty else {
                throw fail("`\(item)` is not a value")
            }
            var step = 1
            if parts.count == 2 {
                guard let parsed = Int(parts[1]), parsed > 0 else {
                    throw fail("step `\(parts[1])` is not a positive number")
                }
                step = parsed
            }
            let bounds: ClosedRange<Int>
            if base == "*" {
                bounds = range
            } else if let dash = base.firstIndex(of: "-") {
                let low = try value(base[..<dash])
                let high = try value(base[base.index(after: dash)...])
                guard low <= high else { throw fail("range \(low)-\(high) runs backwards") }
                bounds = low...high
            } else {
                let single = try value(base)
                // `5/15` means from 5 to the end in steps of 15, as in Vixie cron.
                bounds = parts.count == 2 ? single...range.upperBound : single...single
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }
}

/// A cron expression that cannot be read, with the part at fault.
public struct CronError: Error, Hashable, Sendable, CustomStringConvertible {
    public var expression: String
    public var message: String

    public init(expression: String, message: String) {
        self.expression = expression
        self.message = message
    }

    public var description: String { "cron `\(expression)`: \(message)" }
}
