/// A rule of a region on how long documents stay in force and when cleanups act, as data: each
/// with the instrument that makes it, the article, the words read in a published text and where
/// they were read. An answer a rule decides quotes it.
///
/// A rule applies to documents of its region and the regions below it, and only to a document
/// whose start falls within the rule's own period of force (令第26号 governs what was made while
/// it was in force, not what came after its replacement). A parameter left unset says nothing.
public struct RegionRule: Hashable, Sendable {
    /// The region it governs (上海市), a name from the regions table.
    public var region: String
    /// The instrument's title (上海市行政规范性文件制定和备案规定).
    public var instrument: String
    /// Its number as written (上海市人民政府令第26号), when it has one.
    public var number: String?
    /// The article the words are from (第二十六条).
    public var article: String?
    /// The words, exactly as read.
    public var words: String
    /// Where the words were read: a URL, and what quotes them.
    public var source: String
    /// Anything a reader should know (a paraphrase, a text that may predate an amendment).
    public var note: String?
    /// The rule's own period of force; nil ends are open.
    public var inForceFrom: Day?
    public var inForceUntil: Day?

    /// Whether a document must state its validity period.
    public var periodRequired: Bool?
    /// The period of a document that states none; for a 通告; for a 暂行/试行 document.
    public var defaultValidity: ValidityPeriod?
    public var noticeValidity: ValidityPeriod?
    public var provisionalValidity: ValidityPeriod?
    /// What a period is counted from.
    public var countedFrom: PeriodStart?
    /// What the end of a period does.
    public var atEnd: PeriodEnd?
    /// Whether "有效期至D" keeps D in force (the usual reading); false: in force until the day before.
    public var endDayIncluded: Bool?
    /// Days from publication to taking effect when a document does not say.
    public var effectiveDelayDays: Int?
    /// How long before a period ends the issuer must evaluate the document.
    public var evaluationLeadMonths: Int?
    /// How often an issuer must clean up its documents.
    public var cleanupIntervalYears: Int?
    /// When a cleanup's decisions take effect.
    public var cleanupEffective: CleanupEffect?
    /// Documents already in force before this day with no stated period get `transitionalValidity`
    /// counted from this day …
    public var transitionalFrom: Day?
    public var transitionalValidity: ValidityPeriod?
    /// … except those made to implement law, regulations, rules or national policy.
    public var transitionalExemptsImplementing: Bool?

    public init(region: String, instrument: String, number: String? = nil, article: String? = nil, words: String, source: String) {
        self.region = region
        self.instrument = instrument
        self.number = number
        self.article = article
        self.words = words
        self.source = source
    }

    /// How the rule is cited in an answer: 上海市人民政府令第26号 第二十六条, else 《instrument》.
    public var citation: String {
        let name = number ?? "《\(instrument)》"
        return article.map { "\(name) \($0)" } ?? name
    }

    /// Whether the rule was in force on `day`.
    public func isInForce(on day: Day) -> Bool {
        (inForceFrom.map { $0 <= day } ?? true) && (inForceUntil.map { day <= $0 } ?? true)
    }

    /// Whether the rule sets any parameter at all (a rule that sets none decides nothing).
    public var setsAnything: Bool {
        periodRequired != nil || defaultValidity != nil || noticeValidity != nil || provisionalValidity != nil
            || countedFrom != nil || atEnd != nil || endDayIncluded != nil || effectiveDelayDays != nil
            || evaluationLeadMonths != nil || cleanupIntervalYears != nil || cleanupEffective != nil
            || transitionalValidity != nil
    }
}

/// What a validity period is counted from.
public enum PeriodStart: String, Vocabulary {
    /// 自施行之日起.
    case effective
    /// 自公布之日起 / 自印发之日起.
    case published

    public var chinese: String {
        switch self {
        case .effective: "自施行之日起"
        case .published: "自公布之日起"
        }
    }
}

/// What the end of a validity period does.
public enum PeriodEnd: String, Vocabulary {
    /// 有效期届满，自动失效: the document lapses by itself the next day.
    case lapses
    /// 予以宣布失效: the issuer must declare it invalid; until a declaration is known its standing
    /// cannot be said.
    case declared

    public var chinese: String {
        switch self {
        case .lapses: "自动失效"
        case .declared: "应宣布失效"
        }
    }
}

/// When a cleanup's decisions take effect.
public enum CleanupEffect: String, Vocabulary {
    /// On the day the decision or notice is issued (自本决定印发之日起).
    case issued
    /// On the notice's own 施行 date, else its publication.
    case effective

    public var chinese: String {
        switch self {
        case .issued: "自印发之日起"
        case .effective: "自施行之日起"
        }
    }
}

/// The rules that apply to one document, each parameter from the nearest region that sets it.
public struct ApplicableRules: Sendable {
    /// Rules of the region and the regions above it, nearest region first.
    public let rules: [RegionRule]

    public init(_ rules: [RegionRule]) { self.rules = rules }

    /// The first rule in force on `day` that sets the parameter, with its value.
    public func first<Value>(on day: Day?, _ parameter: (RegionRule) -> Value?) -> (rule: RegionRule, value: Value)? {
        for rule in rules {
            if let day, !rule.isInForce(on: day) { continue }
            if let value = parameter(rule) { return (rule, value) }
        }
        return nil
    }

    public var isEmpty: Bool { rules.isEmpty }
}
