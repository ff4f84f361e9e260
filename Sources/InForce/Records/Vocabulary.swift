/// The words InForce uses everywhere — in record files, JSON and on the command line.
///
/// Each is a closed set with stable raw values; a value outside the set is an input error,
/// never silently mapped.
public protocol Vocabulary: RawRepresentable<String>, CaseIterable, Sendable, Codable, Hashable {
    /// The Chinese term users expect (现行有效, 已废止 …).
    var chinese: String { get }
}

extension Vocabulary {
    /// All raw values, for help texts and error messages: `basis | implements | …`.
    public static var choices: String { allCases.map(\.rawValue).joined(separator: " | ") }
}

/// How one document relates to another it cites.
public enum Relation: String, Vocabulary {
    /// 根据 / 依据: the cited document is its legal basis.
    case basis
    /// 贯彻落实: it implements the cited document.
    case implements
    /// 参照, 按照 and other mentions.
    case reference
    /// 同时废止 / 予以废止: it repeals the cited document.
    case repeals
    /// 修改 / 修订: it amends the cited document.
    case amends
    /// A cleanup notice's disposition of the cited document.
    case reviews

    public var chinese: String {
        switch self {
        case .basis: "依据"
        case .implements: "贯彻落实"
        case .reference: "参照"
        case .repeals: "废止"
        case .amends: "修改"
        case .reviews: "清理"
        }
    }
}

/// What a cleanup notice (or a status note) says becomes of a document.
public enum DispositionOutcome: String, Vocabulary {
    /// 继续有效 / 保留.
    case continued
    /// 修改 / 拟修改 / 需修改后重新发布.
    case amend
    /// 废止.
    case repealed
    /// 宣布失效 / 失效.
    case invalidated

    /// The outcome a phrase states, in Chinese (继续有效, 保留, 拟修改, 废止, 宣布失效 …, traditional
    /// characters too) or in InForce's own words; nil when it states none.
    public init?(phrase: String) {
        if let word = DispositionOutcome(rawValue: phrase.lowercased().trimmingSpaces().description) {
            self = word
            return
        }
        let text = phrase.simplifiedCharacters
        // 修改后继续有效 / 需修改后重新发布 amend a document that stays in force.
        if text.contains("修改后") || text.contains("需修改") || text.contains("修订后") {
            self = .amend
        } else if text.contains("继续有效") || text.contains("保留") || text.contains("继续执行") || text == "有效" || text == "现行有效" {
            self = .continued
        } else if text.contains("修改") || text.contains("修订") || text.contains("修正") {
            self = .amend
        } else if text.contains("废止") || text.contains("撤销") {
            self = .repealed
        } else if text.contains("失效") || text.contains("停止执行") || text.contains("不再执行") || text.contains("有效期届满") {
            self = .invalidated
        } else {
            return nil
        }
    }

    /// Whether a phrase proposes its outcome rather than deciding it: 拟修改, 擬廢止, 建议废止,
    /// 拟予以宣布失效. A planned outcome is recorded as planned and changes no status.
    public static func isPlanned(_ phrase: String) -> Bool {
        let scalars = Array(phrase.simplifiedCharacters.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let markerLength: Int
            if scalar == "拟" {
                markerLength = 1
            } else if scalar == "建", index + 1 < scalars.count, scalars[index + 1] == "议" {
                markerLength = 2
            } else {
                continue
            }
            let start = index + markerLength
            let following = String(String.UnicodeScalarView(scalars[start..<min(scalars.count, start + 7)]))
            if DispositionOutcome(phrase: following) != nil { return true }
        }
        return false
    }

    public var chinese: String {
        switch self {
        case .continued: "继续有效"
        case .amend: "修改"
        case .repealed: "废止"
        case .invalidated: "宣布失效"
        }
    }
}

/// A document's standing on a date. Always computed from facts, never stored as the truth.
public enum Status: String, Vocabulary {
    /// Before the day it was issued: it did not exist yet.
    case notIssued = "not_issued"
    case notYetInForce = "not_yet_in_force"
    case inForce = "in_force"
    case partiallyInvalid = "partially_invalid"
    case repealed
    case expired
    case invalidated
    case unknown

    public var chinese: String {
        switch self {
        case .notIssued: "尚未印发"
        case .notYetInForce: "尚未生效"
        case .inForce: "现行有效"
        case .partiallyInvalid: "部分失效"
        case .repealed: "已废止"
        case .expired: "失效(有效期届满)"
        case .invalidated: "宣布失效"
        case .unknown: "状态不明"
        }
    }
}

/// The level of government (or a department) that issued a document.
public enum Level: String, Vocabulary {
    case national
    case provincial
    case prefecture
    case county
    case department

    public var chinese: String {
        switch self {
        case .national: "中央"
        case .provincial: "省级"
        case .prefecture: "市级"
        case .county: "县级"
        case .department: "部门"
        }
    }
}

/// Kinds of event a fact records about a document.
public enum FactEvent: String, Vocabulary {
    /// A cleanup notice's disposition (清理结果).
    case disposition
    /// Repeal by a later document.
    case repeal
    /// Amendment (修改, 修订).
    case amendment
    /// The end of a validity period (有效期届满).
    case expiry
    /// Re-publication under a new number.
    case republication
    /// A third party's note on its copy (USHUI.NET®提示, 税屋提示, [全文失效]).
    case statusNote = "status_note"

    public var chinese: String {
        switch self {
        case .disposition: "清理结果"
        case .repeal: "废止"
        case .amendment: "修改"
        case .expiry: "有效期届满"
        case .republication: "重新发布"
        case .statusNote: "第三方提示"
        }
    }
}
