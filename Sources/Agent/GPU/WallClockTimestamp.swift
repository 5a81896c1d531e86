/// Reads the timestamp `nvidia-smi` prints (`2024/05/13 10:21:33.123`) as seconds since the
/// Unix epoch.
///
/// The text carries no time zone: it is the node's local wall clock. The caller says which
/// offset from UTC that clock had (`utcOffsetSeconds`, e.g. `7200` for CEST); the agent knows
/// it, a parser cannot. Around a daylight-saving change the same text names two instants, so
/// an offset that is wrong for part of a capture shifts those samples by an hour; agents on
/// servers usually run in UTC, where this never happens.
///
/// Parsed by hand rather than with `DateFormatter`: the format is fixed, hand parsing is
/// exact to the millisecond, locale-proof, and cheap at one line per GPU per second.
public enum WallClockTimestamp {
    /// `nil` when the text is not `YYYY/MM/DD HH:MM:SS` with an optional `.fraction`.
    public static func secondsSinceEpoch(_ text: String, utcOffsetSeconds: Int = 0) -> Double? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard date.count == 3, clock.count == 3 else { return nil }
        guard let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]),
            let hour = Int(clock[0]), let minute = Int(clock[1])
        else { return nil }
        // Seconds may carry a fraction (`33.123`); keep whole and fraction apart so the
        // fraction is added once, after the large integer part.
        let secondParts = clock[2].split(separator: ".", omittingEmptySubsequences: false)
        guard secondParts.count <= 2, let second = Int(secondParts[0]) else { return nil }
        var fraction = 0.0
        if secondParts.count == 2 {
            let digits = secondParts[1]
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                let value = Double("0." + digits)
            else { return nil }
            fraction = value
        }
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
            (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let whole = days * 86_400 + hour * 3_600 + minute * 60 + second - utcOffsetSeconds
        return Double(whole) + fraction
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's
    /// `days_from_civil`), so no calendar object or time-zone database is needed.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
