/// What extraction read from one page: the document's own facts, what it cites, what it lists
/// (when it is a cleanup notice) and what third parties noted on it. Every item keeps its quote.
public struct Extraction: Sendable, Equatable {
    public var source: String
    public var number: DocumentNumber?
    public var title: String?
    public var issuer: String?
    /// 成文日期 or the signature date.
    public var issued: Day?
    public var published: Day?
    public var effective: Day?
    public var expires: Day?
    public var validity: ValidityPeriod?
    public var citations: [ExtractedCitation] = []
    /// Documents that amended or revised this one, as its own header says (经…令第9号修正).
    public var amendments: [ExtractedAmendment] = []
    public var dispositions: [ExtractedDisposition] = []
    /// Counts the page states for an outcome (继续有效270件), with the rows read under each.
    public var statedCounts: [StatedCount] = []
    public var statusNotes: [StatusNote] = []
    /// For a cleanup notice: the sentence that makes unlisted documents lapse.
    public var closedListQuote: String?
    /// For a cleanup notice: documents issued up to this day were in scope.
    public var scopeIssuedBefore: Day?
    /// For a law text (its history printed under the title): what that layout states, whole.
    public var law: LawText?

    public init(source: String) {
        self.source = source
    }

    /// Whether the page reads as a cleanup notice or decision (it lists dispositions or states a rule).
    public var isCleanupNotice: Bool { !dispositions.isEmpty || closedListQuote != nil }
}

/// A citation of another document.
public struct ExtractedCitation: Sendable, Equatable {
    public var number: DocumentNumber?
    public var title: String?
    public var relation: Relation
    /// The clause that cites it.
    public var evidence: String
    /// Where the evidence starts in the page text, in Unicode scalars.
    public var offset: Int
}

/// A document that amended this one: 经2010年…省人民政府令第9号修正.
public struct ExtractedAmendment: Sendable, Equatable, Encodable {
    public var by: DocumentNumber?
    /// The amending document's title, when the header names it (《关于修改〈…〉等九件地方性法规的决定》第二次修正).
    public var byTitle: String?
    public var date: Day?
    public var evidence: String

    enum CodingKeys: String, CodingKey { case by, byTitle, date, evidence }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(by?.canonical, forKey: .by)
        try container.encode(byTitle, forKey: .byTitle)
        try container.encode(date, forKey: .date)
        try container.encode(evidence, forKey: .evidence)
    }
}

/// One document a cleanup notice lists.
public struct ExtractedDisposition: Sendable, Equatable {
    public var number: DocumentNumber?
    public var title: String?
    public var outcome: DispositionOutcome
    /// Proposed, not decided (拟修改, 拟废止).
    public var planned: Bool = false
    public var evidence: String
}

/// A third party's note on its copy of the document (USHUI.NET®提示, 税屋提示, [全文失效], 公文时效).
public struct StatusNote: Sendable, Equatable {
    /// The document the note says decided, when it names one.
    public var by: DocumentNumber?
    /// That document's title, as the note quotes it.
    public var byTitle: String?
    /// `nil` when the note states only a date (有效期截止到…).
    public var outcome: DispositionOutcome?
    /// The last day in force, when the note gives one.
    public var until: Day?
    /// Who wrote the note: USHUI.NET, 税屋, or the page's own metadata.
    public var site: String
    public var evidence: String
}

extension Extraction: Encodable {
    enum JSONKeys: String, CodingKey {
        case source, number, rawNumber, title, issuer, issued, published, effective, expires, validity
        case citations, amendments, dispositions, statedCounts, statusNotes, closedListQuote, scopeIssuedBefore, law
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(number?.canonical, forKey: .number)
        try container.encode(number?.raw, forKey: .rawNumber)
        try container.encode(title, forKey: .title)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(issued, forKey: .issued)
        try container.encode(published, forKey: .published)
        try container.encode(effective, forKey: .effective)
        try container.encode(expires, forKey: .expires)
        try container.encode(validity?.description, forKey: .validity)
        try container.encode(citations, forKey: .citations)
        try container.encode(amendments, forKey: .amendments)
        try container.encode(dispositions, forKey: .dispositions)
        try container.encode(statedCounts, forKey: .statedCounts)
        try container.encode(statusNotes, forKey: .statusNotes)
        try container.encode(closedListQuote, forKey: .closedListQuote)
        try container.encode(scopeIssuedBefore, forKey: .scopeIssuedBefore)
        try container.encode(law, forKey: .law)
    }
}

extension ExtractedCitation: Encodable {
    enum JSONKeys: String, CodingKey { case number, rawNumber, title, relation, evidence, offset }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(number?.canonical, forKey: .number)
        try container.encode(number?.raw, forKey: .rawNumber)
        try container.encode(title, forKey: .title)
        try container.encode(relation, forKey: .relation)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(offset, forKey: .offset)
    }
}

extension ExtractedDisposition: Encodable {
    enum JSONKeys: String, CodingKey { case number, rawNumber, title, outcome, planned, evidence }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(number?.canonical, forKey: .number)
        try container.encode(number?.raw, forKey: .rawNumber)
        try container.encode(title, forKey: .title)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(planned, forKey: .planned)
        try container.encode(evidence, forKey: .evidence)
    }
}

extension StatusNote: Encodable {
    enum JSONKeys: String, CodingKey { case by, byTitle, outcome, until, site, evidence }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(by?.canonical, forKey: .by)
        try container.encode(byTitle, forKey: .byTitle)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(until, forKey: .until)
        try container.encode(site, forKey: .site)
        try container.encode(evidence, forKey: .evidence)
    }
}
