/// A calendar day with no time and no time zone: the unit every date in the registry uses.
///
/// Documents take effect, expire and are disposed of on days, not instants, so InForce never
/// routes a date through `Date` and a time zone.
///
/// ```swift
/// let day = try Day(iso: "2022-12-31")
/// day.adding(days: 1).description // "2023-01-01"
/// ```
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a day, or fails with the reason when no such day exists (2019-02-30).
    public init(year: Int, month: Int, day: Int) throws(DayError) {
        guard (1...9999).contains(year) else { throw DayError(text: "\(year)-\(month)-\(day)", reason: "the year \(year) is out of range") }
        guard (1...12).contains(month) else { throw DayError(text: Day.pad(year, month, day), reason: "there is no month \(month)") }
        let last = Day.daysIn(month: month, year: year)
        guard (1...last).contains(day) else {
            throw DayError(text: Day.pad(year, month, day), reason: "month \(month) of \(year) has \(last) days")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses an ISO 8601 calendar date, `YYYY-MM-DD`, exactly.
    public init(iso text: String) throws(DayError) {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10)
        else {
            throw DayError(text: text, reason: "a date is written YYYY-MM-DD")
        }
        try self.init(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`.
    public var description: String { Day.pad(year, month, day) }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01 (negative before it).
    public var ordinal: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day `ordinal` days after 1970-01-01.
    public init(ordinal: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    /// The same day `years` and `months` later, clamped to the month's end (02-29 + 1 year = 02-28).
    public func adding(years: Int = 0, months: Int = 0) -> Day {
        let total = (year * 12 + (month - 1)) + years * 12 + months
        let newYear = total / 12
        let newMonth = total % 12 + 1
        let newDay = min(day, Day.daysIn(month: newMonth, year: newYear))
        return Day(unchecked: newYear, newMonth, newDay)
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ year: Int, _ month: Int, _ day: Int) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + two(month) + "-" + two(day)
    }
}

/// A date that is malformed or names a day that does not exist.
public struct DayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text as given.
    public let text: String
    /// Why it is not a day.
    public let reason: String

    public var description: String { "'\(text)' is not a valid date: \(reason)" }
}

extension Day: Codable {
    /// Days are stored and exchanged as ISO 8601 text, `YYYY-MM-DD`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            self = try Day(iso: try container.decode(String.self))
        } catch let error as DayError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
