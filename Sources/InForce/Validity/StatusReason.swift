/// What a status stands on.
public enum Grounds: String, Vocabulary {
    /// An official text says so: a cleanup notice, a repeal decision, the document's own clause or dates.
    case stated
    /// A third-party site says so, and no official text the registry holds speaks.
    case reported
    /// A regional rule applied to the document's dates says so; the rule is quoted in the evidence.
    case rule
    /// The document's own record is known and nothing is known against it: in force by the
    /// presumption that a document binds until something ends it.
    case presumed
    /// Nothing known decides it (a document known only because others cite it).
    case none

    public var chinese: String {
        switch self {
        case .stated: "公文明文"
        case .reported: "第三方报告"
        case .rule: "依规定推算"
        case .presumed: "推定有效"
        case .none: "无依据"
        }
    }
}

/// The languages InForce speaks to people in.
public enum Language: String, Sendable, CaseIterable {
    case chinese = "zh"
    case english = "en"
}

/// Why a status is what it is, in one sentence: the catalogue of those sentences, in Chinese and
/// English. Built by the answer from the evidence; rendered here and nowhere else.
public enum StatusReason: Sendable, Hashable {
    /// Before the day it was issued (or published, when that is all that is known).
    case notIssued(first: Day, published: Bool)
    /// Before the year its number dates it to.
    case notIssuedByYear(year: Int)
    /// Issued, but it takes effect later.
    case notYetInForce(effective: Day, rule: String?)
    /// Ended on a day (or within a window) by a document, a site's report or a rule.
    case ended(Status, from: DateBound, by: String, site: Bool, rule: Bool)
    /// A rule's period ended and the rule wants a declaration that is not known.
    case periodEnded(lastDay: Day, rule: String)
    /// Kept (继续有效) by a notice, or amended by a document, as stated or as reported.
    case kept(by: String, on: DateBound?, site: Bool)
    case amended(by: String, on: DateBound?, site: Bool)
    /// In force by presumption; the last fact known and the day it is dated by.
    case presumed(lastFact: DateBound?)
    /// Known only because others cite it.
    case citedOnly(citers: [String])
    /// Its number dates it to a year holding the day asked about, and no day of its own is known.
    case undatedYear(year: Int, day: Day)
    /// Nothing is known to date it or decide it.
    case nothingKnown

    public func text(_ language: Language) -> String {
        switch language {
        case .english: english
        case .chinese: chinese
        }
    }

    public var english: String {
        switch self {
        case let .notIssued(first, published):
            "not issued yet: it was \(published ? "published" : "issued") on \(first)"
        case let .notIssuedByYear(year):
            "not issued yet: its number dates it to \(year)"
        case let .notYetInForce(effective, rule):
            "issued, but it takes effect on \(effective)" + (rule.map { " (by \($0))" } ?? "")
        case let .ended(status, from, by, site, rule):
            "\(status.englishPastTense) \(from.isExact ? "on \(from.earliest)" : "between \(from.earliest) and \(from.latest)") " + (rule ? "under \(by)" : "by \(by)") + (site ? " (as reported; no official text in the registry says so)" : "")
        case let .periodEnded(lastDay, rule):
            "its validity period under \(rule) ended on \(lastDay); that rule has such documents declared invalid, and no declaration is known"
        case let .kept(by, on, site):
            "kept in force by \(by)" + (on.map { " (\($0))" } ?? "") + (site ? ", as a site reports" : "")
        case let .amended(by, on, site):
            "in force, amended by \(by)" + (on.map { " (\($0))" } ?? "") + (site ? ", as a site reports" : "")
        case let .presumed(lastFact):
            "presumed: no cleanup, repeal or expiry known" + (lastFact.map { "; last fact \($0.isExact ? $0.earliest.description : String($0.earliest.year))" } ?? "; no dated fact known")
        case .citedOnly(let citers) where citers.isEmpty:
            "unknown: its record holds no text of its own (a stub), and nothing known decides its standing"
        case let .citedOnly(citers):
            "unknown: known only because \(Self.list(citers, and: "and")) cite\(citers.count == 1 ? "s" : "") it; no text of its own has been read"
        case let .undatedYear(year, day):
            "unknown: its number dates it to \(year) and no day of its own is known, so whether it existed on \(day) cannot be said"
        case .nothingKnown:
            "unknown: nothing known dates it or decides its standing"
        }
    }

    public var chinese: String {
        switch self {
        case let .notIssued(first, published):
            "尚未印发：该文件于\(first)\(published ? "发布" : "印发")"
        case let .notIssuedByYear(year):
            "尚未印发：其文号年份为\(year)年"
        case let .notYetInForce(effective, rule):
            "已印发，自\(effective)起施行" + (rule.map { "（依\($0)）" } ?? "")
        case let .ended(status, from, by, site, rule):
            (rule ? "依\(by)，" : "\(by)规定，") + (from.isExact ? "自\(from.earliest)起" : "于\(from.earliest)至\(from.latest)之间") + "\(status.chinese)" + (site ? "（据第三方报告；登记簿中无公文明文）" : "")
        case let .periodEnded(lastDay, rule):
            "依\(rule)，有效期于\(lastDay)届满；该规定要求宣布失效，尚未见宣布"
        case let .kept(by, on, site):
            "\(by)\(on.map { "（\($0)）" } ?? "")确认继续有效" + (site ? "（据第三方报告）" : "")
        case let .amended(by, on, site):
            "现行有效，已被\(by)\(on.map { "（\($0)）" } ?? "")修改" + (site ? "（据第三方报告）" : "")
        case let .presumed(lastFact):
            "推定有效：未见清理、废止或失效" + (lastFact.map { "；最近事实为\($0.isExact ? $0.earliest.description : "\($0.earliest.year)年")" } ?? "；无有日期的事实")
        case .citedOnly(let citers) where citers.isEmpty:
            "状态不明：登记记录中没有其本身文本（存根），也没有可确定其状态的事实"
        case let .citedOnly(citers):
            "状态不明：仅因\(citers.joined(separator: "、"))引用而知，未读到其本身文本"
        case let .undatedYear(year, day):
            "状态不明：文号年份为\(year)年，未知具体日期，无法确定\(day)时是否已印发"
        case .nothingKnown:
            "状态不明：没有可确定其日期或状态的事实"
        }
    }

    static func list(_ items: [String], and word: String) -> String {
        let shown = items.count > 5 ? Array(items.prefix(5)) + ["\(items.count - 5) more"] : items
        guard shown.count > 1 else { return shown.first ?? "" }
        return shown.dropLast().joined(separator: ", ") + " \(word) " + shown.last!
    }
}

extension Status {
    /// "repealed", "expired", "declared invalid": the status as a verb for a reason.
    var englishPastTense: String {
        switch self {
        case .repealed: "repealed"
        case .expired: "expired"
        case .invalidated: "declared invalid"
        default: rawValue
        }
    }
}

extension StatusReason: Encodable {
    /// Encoded as its English sentence; JSON faces that want both languages encode `text(_:)` themselves.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(english)
    }
}
