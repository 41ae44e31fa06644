/// Moments written as text, in UTC, by arithmetic alone: a date formatter costs more to build than a whole API
/// response, and these strings are written for every voice in every list.
public enum Timestamp {
    /// `2026-11-21T14:05:09.123Z` (Mastodon's `created_at`), or without the milliseconds.
    public static func iso8601(milliseconds: Int64, fractional: Bool = true) -> String {
        let (day, rest) = floorDivision(milliseconds, 86_400_000)
        let (year, month, dayOfMonth) = civil(daysSinceEpoch: day)
        let seconds = rest / 1000
        var text = "\(digits(year, 4))-\(digits(month, 2))-\(digits(dayOfMonth, 2))T"
        text += "\(digits(seconds / 3600, 2)):\(digits(seconds / 60 % 60, 2)):\(digits(seconds % 60, 2))"
        if fractional { text += ".\(digits(rest % 1000, 3))" }
        return text + "Z"
    }

    /// `2026-11-21`.
    public static func day(milliseconds: Int64) -> String {
        let (year, month, day) = civil(daysSinceEpoch: floorDivision(milliseconds, 86_400_000).quotient)
        return "\(digits(year, 4))-\(digits(month, 2))-\(digits(day, 2))"
    }

    /// `2026-11-21 14:05 UTC`: the same in every language, for pages.
    public static func readable(milliseconds: Int64) -> String {
        let iso = iso8601(milliseconds: milliseconds, fractional: false)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }

    /// Year, month and day of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }

    private static func digits(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
