/// A validity period such as 有效期5年, written in ISO 8601 as `P5Y` (years and months only).
public struct ValidityPeriod: Hashable, Sendable, Codable, CustomStringConvertible {
    public let years: Int
    public let months: Int

    public init(years: Int = 0, months: Int = 0) throws(ValidityPeriodError) {
        guard years >= 0, months >= 0, years + months > 0, years <= 100, months < 1200 else {
            throw ValidityPeriodError(text: "P\(years)Y\(months)M", reason: "a period is a positive number of years and months")
        }
        self.years = years
        self.months = months
    }

    /// Parses `P5Y`, `P2Y6M`, `P18M`.
    public init(iso text: String) throws(ValidityPeriodError) {
        let scalars = Array(text.unicodeScalars)
        guard scalars.first == "P", scalars.count >= 3 else {
            throw ValidityPeriodError(text: text, reason: "write a period as P5Y, P2Y6M or P18M")
        }
        var years = 0
        var months = 0
        var value = 0
        var digits = 0
        var seenYears = false
        var seenMonths = false
        for scalar in scalars.dropFirst() {
            if let digit = Int(String(scalar)), scalar.isASCII {
                value = value * 10 + digit
                digits += 1
                guard digits <= 4 else { throw ValidityPeriodError(text: text, reason: "the number is too large") }
            } else if scalar == "Y", digits > 0, !seenYears, !seenMonths {
                years = value
                seenYears = true
                value = 0
                digits = 0
            } else if scalar == "M", digits > 0, !seenMonths {
                months = value
                seenMonths = true
                value = 0
                digits = 0
            } else {
                throw ValidityPeriodError(text: text, reason: "write a period as P5Y, P2Y6M or P18M")
            }
        }
        guard digits == 0 else { throw ValidityPeriodError(text: text, reason: "a number must end in Y or M") }
        try self.init(years: years, months: months)
    }

    /// `P5Y`, `P2Y6M`.
    public var description: String {
        "P" + (years > 0 ? "\(years)Y" : "") + (months > 0 ? "\(months)M" : "")
    }

    /// `5年`, `2年6个月`.
    public var chinese: String {
        (years > 0 ? "\(years)年" : "") + (months > 0 ? "\(months)个月" : "")
    }

    /// The last day in force for a document in force from `start`: 2016-03-01 + P5Y → 2021-02-28.
    public func lastDay(from start: Day) -> Day {
        start.adding(years: years, months: months).adding(days: -1)
    }
}

extension ValidityPeriod {
    /// Periods are stored and exchanged as ISO 8601 text, `P5Y`, as days are as `YYYY-MM-DD`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            self = try ValidityPeriod(iso: try container.decode(String.self))
        } catch let error as ValidityPeriodError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A validity period that cannot be read.
public struct ValidityPeriodError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let reason: String
    public var description: String { "'\(text)' is not a validity period: \(reason)" }
}
