/// The rank of a legal instrument (效力位阶), as the 立法法 orders them: what a citation chain
/// climbs through and what a finding ranks by.
public enum LegalRank: String, Vocabulary {
    /// 宪法 and its amendments.
    case constitution
    /// 法律: made by the 全国人民代表大会 or its 常务委员会 (their decisions on legal questions too).
    case law
    /// 行政法规: made by the 国务院.
    case administrativeRegulation = "administrative_regulation"
    /// 监察法规: made by the 国家监察委员会.
    case supervisoryRegulation = "supervisory_regulation"
    /// 司法解释: by the 最高人民法院 or the 最高人民检察院.
    case judicialInterpretation = "judicial_interpretation"
    /// 地方性法规: by a province's or a city's 人民代表大会 or its 常务委员会.
    case localRegulation = "local_regulation"
    /// 自治条例: an autonomous area's charter.
    case autonomousRegulation = "autonomous_regulation"
    /// 单行条例: an autonomous area's own regulation on one matter.
    case separateRegulation = "separate_regulation"
    /// 部门规章: by a ministry or commission of the 国务院.
    case departmentalRule = "departmental_rule"
    /// 地方政府规章: by a province's or a city's 人民政府.
    case localGovernmentRule = "local_government_rule"
    /// 行政规范性文件: the documents most of a registry holds (通知, 意见, 办法 of governments and departments).
    case normativeDocument = "normative_document"

    public var chinese: String {
        switch self {
        case .constitution: "宪法"
        case .law: "法律"
        case .administrativeRegulation: "行政法规"
        case .supervisoryRegulation: "监察法规"
        case .judicialInterpretation: "司法解释"
        case .localRegulation: "地方性法规"
        case .autonomousRegulation: "自治条例"
        case .separateRegulation: "单行条例"
        case .departmentalRule: "部门规章"
        case .localGovernmentRule: "地方政府规章"
        case .normativeDocument: "行政规范性文件"
        }
    }

    /// How high it stands: the 宪法 highest, then 法律, then 行政法规 and its peers, down to a
    /// normative document. Ranks on one step (a 部门规章 and a 地方政府规章) are not ordered by it.
    public var height: Int {
        switch self {
        case .constitution: 6
        case .law: 5
        case .administrativeRegulation, .supervisoryRegulation, .judicialInterpretation: 4
        case .localRegulation, .autonomousRegulation, .separateRegulation: 3
        case .departmentalRule, .localGovernmentRule: 2
        case .normativeDocument: 1
        }
    }

    /// The rank a name states (法律, 行政法规 …, or InForce's own word), nil when it states none.
    public init?(name: String) {
        let trimmed = String(Substring(name).trimmingSpaces())
        if let rank = LegalRank(rawValue: trimmed) {
            self = rank
            return
        }
        guard let rank = LegalRank.allCases.first(where: { $0.chinese == trimmed }) else { return nil }
        self = rank
    }
}
