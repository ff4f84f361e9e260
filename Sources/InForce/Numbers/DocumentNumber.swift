/// A document number (发文字号) or decree number (令), with its canonical form for identity and
/// the raw form as written for evidence.
///
/// GB/T 9704-2012 §7.2.5 writes a number as 机关代字 + 〔年份〕 + 发文顺序号 + 号 (绍政办发〔2016〕11号);
/// decrees as 机关令第N号 (国务院令第491号). Real pages write both in many other ways; parsing
/// folds every variant to one canonical form and keeps what was written:
///
/// ```swift
/// let number = try DocumentNumber("國發[2014]40號")
/// number.canonical // "国发〔2014〕40号"
/// number.raw       // "國發[2014]40號"
/// number.lint.map(\.code) // [.bracket, .traditionalCharacters]
/// ```
///
/// Two numbers are equal when their canonical forms are equal; the raw form and the lint
/// findings are evidence, not identity.
public struct DocumentNumber: Hashable, Sendable, CustomStringConvertible {
    /// The two shapes a number takes.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// 发文字号: 机关代字〔年份〕序号号.
        case dispatch
        /// 令: 机关令第N号, or 机关令〔年份〕第N号 where a series starts again each year.
        case decree
        /// 公告: 国家税务总局公告2018年第28号, 全国人民代表大会常务委员会公告第1号.
        case announcement

        /// 发文字号, 令, 公告.
        public var chinese: String {
            switch self {
            case .dispatch: "发文字号"
            case .decree: "令"
            case .announcement: "公告"
            }
        }
    }

    public let kind: Kind
    /// 机关代字 of a dispatch number (国发, 绍政办发); for a decree, the decree series with 令
    /// (国务院令, 省政府令).
    public let agency: String
    /// The year in the brackets; for a decree or an announcement, the year only when the text
    /// gave one (建设部〔2007〕第162号令). Part of a decree's or announcement's identity only when
    /// `yearInIdentity` says so.
    public let year: Int?
    /// Whether the year belongs to the number: always for a 发文字号; for a decree series that
    /// starts again each year (河北省人民政府令〔2011〕第10号) and an announcement numbered by
    /// year (国家税务总局公告2018年第28号). A year added around a continuous decree series
    /// (建设部〔2007〕第162号令) is not: 建设部令第162号 is the same decree.
    public let yearInIdentity: Bool
    /// 发文顺序号.
    public let sequence: Int
    /// The number exactly as written, spaces, brackets and glosses included.
    public internal(set) var raw: String
    /// What GB/T 9704-2012 would correct in the raw form.
    public let lint: [NumberLint]

    /// The canonical form: 〔〕, ASCII digits, no spaces, simplified characters, no leading zeros.
    /// Worked out once: reports and indexes ask for it many times per number.
    public let canonical: String

    public var description: String { canonical }

    /// Whether the issuer is only implied by context, as in 省政府令第372号 (which province?).
    public var isIssuerImplied: Bool { kind == .decree && DocumentNumber.impliedPrefix(of: agency) != nil }

    init(kind: Kind, agency: String, year: Int?, sequence: Int, raw: String, lint: [NumberLint], yearInIdentity: Bool = false) {
        let yearCounts = year != nil && (kind == .dispatch || yearInIdentity)
        self.kind = kind
        self.canonical = switch (kind, yearCounts) {
        case (.dispatch, _): "\(agency)〔\(year ?? 0)〕\(sequence)号"
        case (.decree, true): "\(agency)〔\(year ?? 0)〕第\(sequence)号"
        case (.announcement, true): "\(agency)\(year ?? 0)年第\(sequence)号"
        case (.decree, false), (.announcement, false): "\(agency)第\(sequence)号"
        }
        self.agency = agency
        self.year = year
        self.yearInIdentity = yearCounts
        self.sequence = sequence
        self.raw = raw
        self.lint = lint
    }

    /// Parses a text that is exactly one number (surrounding spaces and a 文件 suffix allowed).
    public init(_ text: String) throws(NumberError) {
        self = try NumberScanner.parseExactly(text)
    }

    /// Identity compares the 代字 by its UTF-8 bytes: the scanner has already folded its variants,
    /// and Swift's own string hashing (which normalises Unicode first) was the largest cost of
    /// indexing a registry of Chinese numbers.
    public static func == (lhs: DocumentNumber, rhs: DocumentNumber) -> Bool {
        lhs.kind == rhs.kind && lhs.sequence == rhs.sequence && lhs.yearInIdentity == rhs.yearInIdentity
            && (!lhs.yearInIdentity || lhs.year == rhs.year) && lhs.agency.utf8.elementsEqual(rhs.agency.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        var agency = agency
        agency.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(sequence)
        if yearInIdentity { hasher.combine(year) }
    }

    /// Names the issuer that an implied decree series leaves to context.
    ///
    /// `省政府令第372号` read in a Zhejiang document is `浙江省人民政府令第372号`:
    /// `number.resolvingImpliedIssuer(in: "浙江省")`. The place must be of the level the series
    /// implies (a 省 for 省政府令, a 市 for 市政府令); otherwise the number is returned unchanged.
    public func resolvingImpliedIssuer(in place: String) -> DocumentNumber {
        guard kind == .decree, let (level, rest) = DocumentNumber.impliedPrefix(of: agency) else { return self }
        guard !place.isEmpty else { return self }
        let endsWithLevel = DocumentNumber.levels.contains { place.hasSuffix($0) }
        if endsWithLevel && !place.hasSuffix(level) { return self }
        let placeName = endsWithLevel ? place : place + level
        return DocumentNumber(
            kind: .decree, agency: placeName + "人民政府" + rest, year: year, sequence: sequence, raw: raw, lint: lint,
            yearInIdentity: yearInIdentity)
    }

    private static let levels = ["自治区", "省", "市", "县", "区", "州"]

    /// 省政府令 → ("省", "令"); 市人民政府令 → ("市", "令").
    static func impliedPrefix(of agency: String) -> (level: String, rest: Substring)? {
        for level in levels {
            for government in ["人民政府", "政府"] where agency.hasPrefix(level + government) {
                return (level, agency.dropFirst(level.count + government.count))
            }
        }
        return nil
    }
}

/// Why a text is not a document number.
public struct NumberError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text as given.
    public let text: String
    /// What is wrong with it, in a sentence.
    public let reason: String

    public var description: String {
        let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
        return "'\(shown)' is not a document number: \(reason)"
    }
}

extension DocumentNumber: Codable {
    /// Numbers are stored as their canonical text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try DocumentNumber(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonical)
    }
}
