/// Everything the registry knows about one document, each fact with its source.
///
/// A record is the truth as people and extraction wrote it; statuses are computed from it for
/// a date and never stored here.
///
/// `Decodable` is synthesized here, in the file of the types: the JSON keys are the property
/// names, which `RecordJSON.swift` writes (every key, absent values as null).
public struct DocumentRecord: Hashable, Sendable, Decodable {
    /// The canonical number, or nil for a document known by title only (《劳动合同法》).
    public var number: DocumentNumber?
    /// The number exactly as the source wrote it.
    public var rawNumber: String?
    public var title: String
    /// The issuing body, as named in full (绍兴市人民政府办公室).
    public var issuer: String?
    public var level: Level?
    /// The instrument's rank (效力位阶: 法律, 行政法规 …), when known; nil for most normative documents.
    public var rank: LegalRank?
    /// 成文日期: the day it was signed or adopted.
    public var issued: Day?
    /// 发布日期: the day it was made public.
    public var published: Day?
    /// The first day in force, when the text says so (自…起施行).
    public var effective: Day?
    /// The last day in force, when the text says so (有效期至…).
    public var expires: Day?
    /// The validity period, when the text gives one (有效期5年).
    public var validity: ValidityPeriod?
    /// Where the record's own text was read: URLs or file names.
    public var sources: [String]
    /// A person's remark, kept as written.
    public var note: String?
    /// Documents this one cites, with the relation and the quote that shows it.
    public var citations: [Citation]
    /// Events reported about this document by others: dispositions, repeals, status notes.
    public var facts: [Fact]
    /// Present when this document is itself a cleanup notice.
    public var notice: CleanupNotice?
    /// The dated texts of a law that keeps its identity across amendments (a point in time each),
    /// oldest first; empty for a document known in one text.
    public var versions: [DocumentVersion] = []

    public init(
        number: DocumentNumber? = nil, rawNumber: String? = nil, title: String, issuer: String? = nil,
        level: Level? = nil, rank: LegalRank? = nil, issued: Day? = nil, published: Day? = nil, effective: Day? = nil,
        expires: Day? = nil, validity: ValidityPeriod? = nil, sources: [String] = [], note: String? = nil,
        citations: [Citation] = [], facts: [Fact] = [], notice: CleanupNotice? = nil, versions: [DocumentVersion] = []
    ) {
        self.number = number
        self.rawNumber = rawNumber
        self.title = title
        self.issuer = issuer
        self.level = level
        self.rank = rank
        self.issued = issued
        self.published = published
        self.effective = effective
        self.expires = expires
        self.validity = validity
        self.sources = sources
        self.note = note
        self.citations = citations
        self.facts = facts
        self.notice = notice
        self.versions = versions
    }

    /// The title of a numbered document whose page did not print one (an excerpt, a metadata-only
    /// page). `lint` warns about it; a later page with the title replaces it.
    public static let unknownTitle = "（题名不详）"

    /// Whether the title is still the `unknownTitle` placeholder.
    public var isTitleUnknown: Bool { title == DocumentRecord.unknownTitle }

    /// What identifies the record: its number, or its title when it has none.
    public var key: DocumentKey { number.map(DocumentKey.number) ?? DocumentKey(titleOnly: title) }

    /// The earliest day the document is known to exist: issued, else published.
    public var firstKnownDay: Day? { issued ?? published }
}

/// How a document is named: by canonical number, or by title when it has no number.
public enum DocumentKey: Hashable, Sendable, CustomStringConvertible {
    case number(DocumentNumber)
    case title(String)

    /// Reads what a user typed: a number if it parses as one, else a title (《》 removed).
    public init(parsing text: String) throws(NumberError) {
        let trimmed = String(Substring(text).trimmingSpaces())
        if let number = try? DocumentNumber(trimmed) {
            self = .number(number)
            return
        }
        let title = DocumentKey.stripTitleMarks(trimmed)
        let looksLikeNumber = title.unicodeScalars.contains { NumberCharacters.isOpeningBracket($0.value) }
            && title.unicodeScalars.contains { NumberCharacters.hao.contains($0.value) }
        if looksLikeNumber || title.isEmpty || title.contains("/") || title.contains("\\") {
            // Surface why the number did not parse rather than treating it as a title.
            _ = try DocumentNumber(trimmed)
        }
        self = .title(TitleIdentity.key(title))
    }

    /// A key for a document known by title only: its `TitleIdentity` key, so every way of
    /// citing the title reaches it (《中华人民共和国劳动合同法》 and 劳动合同法 are one key).
    public init(titleOnly title: String) {
        self = .title(TitleIdentity.key(title))
    }

    public var description: String {
        switch self {
        case .number(let number): number.canonical
        case .title(let title): "《\(title)》"
        }
    }

    /// The text without the 《》 around it and the spaces around that.
    public static func stripTitleMarks(_ text: String) -> String {
        var title = Substring(text)
        if title.hasPrefix("《") && title.hasSuffix("》") && title.count >= 2 { title = title.dropFirst().dropLast() }
        return String(title.trimmingSpaces())
    }
}

/// One dated text of a document: the law as it stood after one amendment or revision.
public struct DocumentVersion: Hashable, Sendable, Decodable {
    /// The day of the version: of its 修正 or 修订, or of the first promulgation.
    public var date: Day
    /// The first day this version is in force, when known.
    public var effective: Day?
    /// Whether the text states `effective` (false: the version's own day, the best known).
    public var effectiveStated: Bool
    /// The decision that made this version (关于修改〈…〉的决定), when named.
    public var decision: String?
    /// Where this version's text was read: a URL or file name.
    public var source: String?

    public init(date: Day, effective: Day? = nil, effectiveStated: Bool = true, decision: String? = nil, source: String? = nil) {
        self.date = date
        self.effective = effective
        self.effectiveStated = effectiveStated
        self.decision = decision
        self.source = source
    }

    /// The first day this version binds: its stated or presumed day of force, else its own day.
    public var inForceFrom: Day { effective ?? date }
}

extension DocumentRecord {
    /// The version in force on `day`: the latest whose force has begun by then; nil when the
    /// record has no versions or none had begun.
    public func version(on day: Day) -> DocumentVersion? {
        versions.filter { $0.inForceFrom <= day }.max { ($0.inForceFrom, $0.date) < ($1.inForceFrom, $1.date) }
    }
}

/// One document citing another.
public struct Citation: Hashable, Sendable, Decodable {
    /// The cited document's canonical number, when the citation gives one.
    public var number: DocumentNumber?
    /// The number as the citing text wrote it.
    public var rawNumber: String?
    /// The cited document's title as the citing text wrote it.
    public var title: String?
    public var relation: Relation
    /// The sentence that shows the citation and its relation.
    public var evidence: String?

    public init(number: DocumentNumber? = nil, rawNumber: String? = nil, title: String? = nil, relation: Relation, evidence: String? = nil) {
        self.number = number
        self.rawNumber = rawNumber
        self.title = title
        self.relation = relation
        self.evidence = evidence
    }

    /// The cited document's key, if the citation names it at all.
    public var target: DocumentKey? { number.map(DocumentKey.number) ?? title.map { DocumentKey(titleOnly: $0) } }
}

/// An event reported about a document, with who said it, when, and the quote.
public struct Fact: Hashable, Sendable, Decodable {
    public var event: FactEvent
    /// What became of the document, for dispositions and status notes.
    public var outcome: DispositionOutcome?
    /// The document that said it (the notice, the repealing document).
    public var by: DocumentNumber?
    /// That document's title, as quoted.
    public var byTitle: String?
    /// The third party that reported it (USHUI.NET, 税屋): evidence of a lower grade.
    public var site: String?
    /// The day the event happened or takes effect.
    public var date: Day?
    /// For an expiry: the last day in force.
    public var until: Day?
    /// The words that say it, exactly as written.
    public var quote: String
    /// Where the quote was read: a URL or file name.
    public var source: String?

    public init(
        event: FactEvent, outcome: DispositionOutcome? = nil, by: DocumentNumber? = nil, byTitle: String? = nil,
        site: String? = nil, date: Day? = nil, until: Day? = nil, quote: String, source: String? = nil
    ) {
        self.event = event
        self.outcome = outcome
        self.by = by
        self.byTitle = byTitle
        self.site = site
        self.date = date
        self.until = until
        self.quote = quote
        self.source = source
    }

    /// Primary evidence comes from the document that decided; a site's note is secondary.
    public var isThirdParty: Bool { site != nil }
}

/// What makes a record a cleanup notice (清理结果的通知): its scope, its list and its rule for
/// documents it does not list.
public struct CleanupNotice: Hashable, Sendable, Decodable {
    /// The issuers whose documents the cleanup covered (绍兴市人民政府, 绍兴市人民政府办公室).
    public var scopeIssuers: [String]
    /// Documents issued up to this day were in scope.
    public var issuedBefore: Day?
    /// Whether documents in scope that the list does not keep lapse (未列入继续有效目录的…): nil when unknown.
    public var closedList: Bool?
    /// The sentence that states the closed-list rule.
    public var closedListQuote: String?
    /// The day the dispositions take effect, when not the notice's own date.
    public var effective: Day?
    /// The listed documents and what becomes of each.
    public var dispositions: [Disposition]

    public init(
        scopeIssuers: [String] = [], issuedBefore: Day? = nil, closedList: Bool? = nil, closedListQuote: String? = nil,
        effective: Day? = nil, dispositions: [Disposition] = []
    ) {
        self.scopeIssuers = scopeIssuers
        self.issuedBefore = issuedBefore
        self.closedList = closedList
        self.closedListQuote = closedListQuote
        self.effective = effective
        self.dispositions = dispositions
    }
}

/// One line of a cleanup notice's list.
public struct Disposition: Hashable, Sendable, Decodable {
    public var number: DocumentNumber?
    public var rawNumber: String?
    public var title: String?
    public var outcome: DispositionOutcome
    /// The outcome is proposed, not decided (拟修改, 拟废止, 建议废止): it changes nothing yet.
    public var planned: Bool
    /// A date of its own (需修改后重新发布…逾期未公布的, 自2021年1月1日起宣布失效).
    public var effective: Day?
    /// The list row or sentence, exactly as written.
    public var quote: String

    public init(
        number: DocumentNumber? = nil, rawNumber: String? = nil, title: String? = nil, outcome: DispositionOutcome, planned: Bool = false,
        effective: Day? = nil, quote: String
    ) {
        self.number = number
        self.rawNumber = rawNumber
        self.title = title
        self.outcome = outcome
        self.planned = planned
        self.effective = effective
        self.quote = quote
    }

    public var target: DocumentKey? { number.map(DocumentKey.number) ?? title.map { DocumentKey(titleOnly: $0) } }
}

extension DocumentRecord {
    /// Which default period a rule gives a document that states none: a 通告's, a 暂行/试行
    /// document's, or the general one.
    public var periodKind: PeriodKind {
        if title.hasSuffix("通告") { return .notice }
        return isProvisional ? .provisional : .general
    }

    /// Whether the title marks the document provisional (暂行, 试行), which some regions give a
    /// shorter default validity.
    public var isProvisional: Bool {
        title.utf8.containsBytes(of: "暂行") || title.utf8.containsBytes(of: "试行")
    }
}

/// The kinds of document rules give different default periods.
public enum PeriodKind: Sendable {
    case general
    /// 名称为"通告"的.
    case notice
    /// 名称冠以"暂行"、"试行"的.
    case provisional

    /// How an answer names the kind before a period: "通告: ", "暂行/试行: ", nothing.
    var words: String {
        switch self {
        case .general: ""
        case .notice: "a 通告, "
        case .provisional: "暂行/试行, "
        }
    }
}

extension String.UTF8View {
    /// Whether the UTF-8 of `needle` occurs in this text: a byte search, which for Chinese text
    /// is many times faster than `String.contains` and, on UTF-8, finds the same matches.
    func containsBytes(of needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return true }
        let bytes = Array(self)
        guard bytes.count >= pattern.count else { return false }
        var index = 0
        let last = bytes.count - pattern.count
        while index <= last {
            if bytes[index] == first, bytes[index..<index + pattern.count].elementsEqual(pattern) { return true }
            index += 1
        }
        return false
    }
}
