/// Dates as Chinese documents write them: 2016年3月1日, 二○○八年十月十三日, 2018-12-29, 2020/9/30.
public enum ChineseDates {
    /// A date found in text, with its scalar range.
    public struct Found: Sendable, Equatable {
        public let day: Day
        public let range: Range<Int>
    }

    /// Every valid date in `text`, in order. Impossible days (2019年2月30日) are skipped.
    public static func find(in text: String) -> [Found] { find(in: ScalarText(text)) }

    static func find(in text: ScalarText, range: Range<Int>? = nil) -> [Found] {
        let bounds = range ?? 0..<text.count
        var found: [Found] = []
        var index = bounds.lowerBound
        while index < bounds.upperBound {
            if let date = date(in: text, at: index, limit: bounds.upperBound) {
                found.append(date)
                index = date.range.upperBound
            } else {
                index += 1
            }
        }
        return found
    }

    /// The date starting exactly at `index`, if one does.
    static func date(in text: ScalarText, at index: Int, limit: Int) -> Found? {
        // A date does not start in the middle of a number.
        if index > 0, value(of: text[index - 1]) != nil { return nil }
        var position = index
        func skipSpaces() { while position < limit, text[position].isSpaceLike { position += 1 } }
        func readNumber(maxDigits: Int) -> (value: Int, digits: Int)? {
            var number = 0
            var digits = 0
            var sawTen = false
            while position < limit, digits < maxDigits + 2 {
                let scalar = text[position]
                if let digit = value(of: scalar) {
                    number = sawTen ? number + digit : number * 10 + digit
                    digits += 1
                } else if scalar == "十" {
                    number = (number == 0 ? 1 : number) * 10
                    sawTen = true
                    digits += 1
                } else {
                    break
                }
                position += 1
            }
            return digits > 0 && digits <= maxDigits + (sawTen ? 1 : 0) ? (number, digits) : nil
        }
        guard let year = readNumber(maxDigits: 4), year.digits == 4 else { return nil }
        skipSpaces()
        guard position < limit else { return nil }
        let separator = text[position]
        let chinese = separator == "年"
        guard chinese || separator == "-" || separator == "/" || separator == "." else { return nil }
        position += 1
        skipSpaces()
        guard let month = readNumber(maxDigits: 2) else { return nil }
        skipSpaces()
        guard position < limit else { return nil }
        if chinese {
            guard text[position] == "月" else { return nil }
        } else {
            guard text[position] == separator else { return nil }
        }
        position += 1
        skipSpaces()
        guard let day = readNumber(maxDigits: 2) else { return nil }
        if chinese {
            skipSpaces()
            guard position < limit, text[position] == "日" || text[position] == "号" else { return nil }
            position += 1
        }
        guard let parsed = try? Day(year: year.value, month: month.value, day: day.value) else { return nil }
        return Found(day: parsed, range: index..<position)
    }

    /// A digit: ASCII, full-width, or Chinese (〇 ○ 零 一 … 九).
    static func value(of scalar: Unicode.Scalar) -> Int? {
        NumberCharacters.digitValue(scalar.value) ?? chineseDigit(scalar)
    }

    private static func chineseDigit(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar {
        case "〇", "○", "◯", "零", "Ｏ", "O": 0
        case "一": 1
        case "二": 2
        case "三": 3
        case "四": 4
        case "五": 5
        case "六": 6
        case "七": 7
        case "八": 8
        case "九": 9
        default: nil
        }
    }
}
