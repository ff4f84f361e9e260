/// A change to a record as a person states it: fields to set and entries to add. The command
/// line and a future web form both build one; `apply` validates every value it is given.
public struct RecordEdit: Sendable {
    public var title: String?
    public var rawNumber: String?
    public var issuer: String?
    public var level: String?
    public var issued: String?
    public var published: String?
    public var effective: String?
    public var expires: String?
    public var validity: String?
    public var sources: [String] = []
    public var note: String?
    /// `relation=basis;number=国发〔2014〕40号;title=…;evidence=…`
    public var citations: [String] = []
    /// `event=disposition;outcome=continued;by=…;site=…;date=…;quote=…`
    public var facts: [String] = []
    public var scopeIssuers: [String] = []
    public var issuedBefore: String?
    public var closedList: Bool?
    public var closedListQuote: String?
    public var noticeEffective: String?
    /// `number=…;title=…;outcome=repealed;effective=…;quote=…`
    public var dispositions: [String] = []

    public init() {}

    /// Applies the edit to the record for `key` (creating it when `record` is nil). Fields given
    /// replace what is there; citations, facts, dispositions and sources are added, once.
    public func apply(to record: inout DocumentRecord?, key: DocumentKey) throws(EditError) {
        var result: DocumentRecord
        if let record {
            result = record
        } else {
            switch key {
            case .number(let number):
                guard let title, !title.trimmingSpaces().isEmpty else {
                    throw EditError("\(number.canonical) is not in the registry yet: give its --title to create it")
                }
                result = DocumentRecord(number: number, rawNumber: number.raw == number.canonical ? nil : number.raw, title: title)
            case .title(let title):
                result = DocumentRecord(title: title)
            }
        }
        if let title { result.title = String(title.trimmingSpaces()) }
        if let rawNumber { result.rawNumber = rawNumber }
        if let issuer { result.issuer = issuer }
        if let level { result.level = try EditError.word(level, field: "level") }
        if let issued { result.issued = try EditError.day(issued, field: "issued") }
        if let published { result.published = try EditError.day(published, field: "published") }
        if let effective { result.effective = try EditError.day(effective, field: "effective") }
        if let expires { result.expires = try EditError.day(expires, field: "expires") }
        if let validity {
            do {
                result.validity = try ValidityPeriod(iso: validity)
            } catch {
                throw EditError("validity: \(error.description)")
            }
        }
        if let note { result.note = note }
        for source in sources where !result.sources.contains(source) { result.sources.append(source) }
        for spec in citations {
            var parsed = try FieldSpec(spec, kind: "citation")
            let citation = try parsed.citation()
            // One citation per cited document and relation: a second `basis` of the same
            // document adds nothing but a duplicate (its quote fills a missing one).
            if let same = result.citations.firstIndex(where: { $0.target != nil && $0.target == citation.target && $0.relation == citation.relation }) {
                if result.citations[same].evidence == nil { result.citations[same].evidence = citation.evidence }
            } else {
                result.citations.append(citation)
            }
        }
        for spec in facts {
            var parsed = try FieldSpec(spec, kind: "fact")
            let fact = try parsed.fact()
            if !result.facts.contains(fact) { result.facts.append(fact) }
        }
        if !scopeIssuers.isEmpty || issuedBefore != nil || closedList != nil || closedListQuote != nil
            || noticeEffective != nil || !dispositions.isEmpty
        {
            var notice = result.notice ?? CleanupNotice()
            for issuer in scopeIssuers where !notice.scopeIssuers.contains(issuer) { notice.scopeIssuers.append(issuer) }
            if let issuedBefore { notice.issuedBefore = try EditError.day(issuedBefore, field: "issued-before") }
            if let closedList { notice.closedList = closedList }
            if let closedListQuote { notice.closedListQuote = closedListQuote }
            if let noticeEffective { notice.effective = try EditError.day(noticeEffective, field: "notice-effective") }
            for spec in dispositions {
                var parsed = try FieldSpec(spec, kind: "disposition")
                let disposition = try parsed.disposition()
                if !notice.dispositions.contains(disposition) { notice.dispositions.append(disposition) }
            }
            result.notice = notice
        }
        record = result
    }
}

/// An edit that cannot be applied, said in a sentence.
public struct EditError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    static func day(_ text: String, field: String) throws(EditError) -> Day {
        do {
            return try Day(iso: text)
        } catch {
            throw EditError("\(field): \(error.description)")
        }
    }

    static func word<V: Vocabulary>(_ text: String, field: String) throws(EditError) -> V {
        guard let value = V(rawValue: text) else { throw EditError("\(field) '\(text)' must be one of \(V.choices)") }
        return value
    }

    static func number(_ text: String, field: String) throws(EditError) -> DocumentNumber {
        do {
            return try DocumentNumber(text)
        } catch {
            throw EditError("\(field): \(error.description)")
        }
    }
}

/// `key=value;key=value` as typed on a command line; `\;` is a literal semicolon.
struct FieldSpec {
    let kind: String
    private var fields: [String: String] = [:]
    private var used: Set<String> = []

    init(_ text: String, kind: String) throws(EditError) {
        self.kind = kind
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ";" {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        for part in parts where !part.trimmingSpaces().isEmpty {
            guard let equals = part.firstIndex(of: "=") else {
                throw EditError("\(kind) '\(text)': '\(part)' is not key=value")
            }
            let key = String(part[..<equals].trimmingSpaces())
            guard fields[key] == nil else { throw EditError("\(kind) '\(text)': \(key) is given twice") }
            fields[key] = String(part[part.index(after: equals)...])
        }
    }

    mutating func take(_ key: String) -> String? {
        used.insert(key)
        return fields[key].flatMap { $0.isEmpty ? nil : $0 }
    }

    mutating func number(_ key: String) throws(EditError) -> DocumentNumber? {
        try take(key).map { text throws(EditError) in try EditError.number(text, field: "\(kind) \(key)") }
    }

    mutating func day(_ key: String) throws(EditError) -> Day? {
        try take(key).map { text throws(EditError) in try EditError.day(text, field: "\(kind) \(key)") }
    }

    mutating func word<V: Vocabulary>(_ key: String, required: Bool) throws(EditError) -> V? {
        guard let text = take(key) else {
            if required { throw EditError("a \(kind) needs \(key)=…: one of \(V.choices)") }
            return nil
        }
        return try EditError.word(text, field: "\(kind) \(key)") as V
    }

    func checkAllUsed() throws(EditError) {
        if let unknown = fields.keys.sorted().first(where: { !used.contains($0) }) {
            throw EditError("a \(kind) has no field '\(unknown)'; it has \(used.sorted().joined(separator: ", "))")
        }
    }

    mutating func citation() throws(EditError) -> Citation {
        let relation: Relation? = try word("relation", required: true)
        let number = try number("number")
        var raw = take("raw_number")
        if raw == nil, let number, number.raw != number.canonical { raw = number.raw }
        let citation = Citation(number: number, rawNumber: raw, title: take("title").map(DocumentKey.stripTitleMarks),
                                relation: relation!, evidence: take("evidence"))
        try checkAllUsed()
        return citation
    }

    mutating func fact() throws(EditError) -> Fact {
        let event: FactEvent? = try word("event", required: true)
        let outcome: DispositionOutcome? = try word("outcome", required: false)
        guard let quote = take("quote") else { throw EditError("a fact needs quote=… : the words that state it") }
        let fact = Fact(
            event: event!, outcome: outcome, by: try number("by"), byTitle: take("by_title").map(DocumentKey.stripTitleMarks),
            site: take("site"), date: try day("date"), until: try day("until"), quote: quote, source: take("source"))
        try checkAllUsed()
        return fact
    }

    mutating func disposition() throws(EditError) -> Disposition {
        let outcome: DispositionOutcome? = try word("outcome", required: true)
        guard let quote = take("quote") else { throw EditError("a disposition needs quote=… : its list row or sentence") }
        let number = try number("number")
        var raw = take("raw_number")
        if raw == nil, let number, number.raw != number.canonical { raw = number.raw }
        let disposition = Disposition(
            number: number, rawNumber: raw, title: take("title").map(DocumentKey.stripTitleMarks), outcome: outcome!,
            effective: try day("effective"), quote: quote)
        try checkAllUsed()
        return disposition
    }
}
