/// One thing GB/T 9704-2012 §7.2.5 (or plain good practice) would correct in a number as written.
public struct NumberLint: Hashable, Sendable, Codable, CustomStringConvertible {
    /// What kind of defect it is; stable names for JSON and scripts.
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// The year sits in brackets other than 六角括号 〔〕.
        case bracket
        /// The opening and closing year brackets are of different kinds.
        case mismatchedBrackets = "mismatched_brackets"
        /// The year is written with two digits (〔98〕).
        case twoDigitYear = "two_digit_year"
        /// The sequence number has leading zeros (〔2014〕040号).
        case leadingZeros = "leading_zeros"
        /// 第 before the sequence number of a 发文字号.
        case diInDispatch = "di_in_dispatch"
        /// A decree number without 第 (国务院令491号).
        case missingDi = "missing_di"
        /// The number does not end in 号.
        case missingHao = "missing_hao"
        /// Traditional characters (國發…號).
        case traditionalCharacters = "traditional_characters"
        /// Full-width digits (２０１４).
        case fullWidthDigits = "full_width_digits"
        /// Spaces or line breaks inside the number.
        case spaceInside = "space_inside"
        /// A pinyin gloss such as (hào) injected by a website.
        case pinyinGloss = "pinyin_gloss"
        /// A decree written in 发文字号 form (建设部〔2007〕第162号令).
        case decreeInDispatchForm = "decree_in_dispatch_form"
        /// A decree sequence in Chinese numerals (第六十九号).
        case chineseNumerals = "chinese_numerals"
        /// The issuer is left to context (省政府令): resolve it before using the number as a key.
        case impliedIssuer = "implied_issuer"
    }

    public let code: Code
    /// A sentence saying what is wrong and how GB/T 9704-2012 writes it.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
