/// A document's standing on a date, with the evidence for it and what looks wrong.
public struct StatusAnswer: Sendable, Encodable {
    public let number: String?
    public let title: String
    public let asOf: Day
    public let status: Status
    public let amended: Bool
    /// The day the status began, when known exactly.
    public let since: Day?
    /// When the day is not known exactly: the bound the answer used, in words.
    public let sinceBound: String?
    public let evidence: [EvidenceStep]
    public var findings: [Finding]
    /// What the status stands on, and why it is what it is, in one sentence.
    public let grounds: Grounds
    public let reason: StatusReason
    /// The latest dated fact known about the document: what a presumption is up to date with.
    public let lastFact: DateBound?
    /// Who cites it, when it is known only from their citations.
    public let citedBy: [Citer]
    /// For a law kept in dated versions: the version in force on the day; nil when it has none or
    /// none binds then (not yet in force, repealed, expired).
    public var version: DocumentVersion? = nil

    /// The answer's key for `check --format json`.
    public var key: String { number ?? "《\(title)》" }
}

/// A document citing the one asked about, and how.
public struct Citer: Sendable, Encodable, Hashable {
    public let document: String
    public let relation: Relation
    public let quote: String?

    public init(document: String, relation: Relation, quote: String?) {
        self.document = document
        self.relation = relation
        self.quote = quote
    }

    /// The citing documents, each once, in order (one may cite in several ways).
    static func documents(_ citers: [Citer]) -> [String] {
        var names: [String] = []
        for citer in citers where !names.contains(citer.document) { names.append(citer.document) }
        return names
    }

    enum CodingKeys: String, CodingKey { case document, relation, quote }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(document, forKey: .document)
        try container.encode(relation, forKey: .relation)
        try container.encode(quote, forKey: .quote)
    }
}

/// One fact behind an answer: when, what, who said it, in their words.
public struct EvidenceStep: Sendable, Encodable, Hashable {
    public let date: String?
    public let event: String
    public let source: String
    public let quote: String?
    /// `primary` (the deciding document), `third_party` (a site's report) or `rule` (a regional
    /// rule applied to the document's dates: the source is the rule, the quote its words).
    public let grade: String
    public let note: String?
    /// `stated`, `reported` or `rule`: what `grade` says, as the answer's grounds (not encoded).
    public let grounds: Grounds

    enum CodingKeys: String, CodingKey { case date, event, source, quote, grade, note }

    /// Every key always present, absent values as null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(date, forKey: .date)
        try container.encode(event, forKey: .event)
        try container.encode(source, forKey: .source)
        try container.encode(quote, forKey: .quote)
        try container.encode(grade, forKey: .grade)
        try container.encode(note, forKey: .note)
    }
}

/// Something about a document on a date that needs a person's attention.
public struct Finding: Sendable, Encodable, Hashable {
    public enum Kind: String, Sendable, Encodable, CaseIterable {
        /// Something it rests on (basis, implements), directly or through others, is no longer in force.
        case basisNotInForce = "basis_not_in_force"
        /// A document it only mentions (a reference, not its basis) is no longer in force.
        case mentionsNotInForce = "mentions_not_in_force"
        /// A notice kept it after its validity had ended.
        case confirmedAfterExpiry = "confirmed_after_expiry"
        /// Two notices say different things of it.
        case contradictoryDispositions = "contradictory_dispositions"
        /// It cites a document issued after it: usually a wrong number.
        case citesLaterDocument = "cites_later_document"
        /// It cites a number the registry does not hold.
        case unknownCitation = "unknown_citation"
        /// Its validity ends within the warning period.
        case expiringSoon = "expiring_soon"
        /// No cleanup has touched it for longer than the review period.
        case reviewOverdue = "review_overdue"
        /// Its citations lead back to itself.
        case cycle
        /// A site's note disagrees with the primary evidence.
        case thirdPartyDisagrees = "third_party_disagrees"
        /// Its validity ends within the time before expiry in which a rule asks the issuer to evaluate it.
        case evaluationDue = "evaluation_due"
        /// Its issuer has published no cleanup within the interval its region's rule sets.
        case cleanupOverdue = "cleanup_overdue"
        /// The latest closed-list cleanup covering it did not list it.
        case notOnLatestList = "not_on_latest_list"
    }

    public let kind: Kind
    public let message: String
    /// The documents involved, in order (for a chain: the document, then each step up).
    public let documents: [String]
    /// The words of the rule or notice the finding rests on, when it rests on one.
    public let quote: String?

    public init(kind: Kind, message: String, documents: [String], quote: String? = nil) {
        self.kind = kind
        self.message = message
        self.documents = documents
        self.quote = quote
    }

    enum CodingKeys: String, CodingKey { case kind, message, documents, quote }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(message, forKey: .message)
        try container.encode(documents, forKey: .documents)
        try container.encode(quote, forKey: .quote)
    }

    /// Whether the finding is about the document's ending, so it matters even once it has ended.
    public var concernsEnding: Bool {
        [.contradictoryDispositions, .thirdPartyDisagrees, .confirmedAfterExpiry, .notOnLatestList].contains(kind)
    }
}

/// Statuses already computed for one day, shared by the questions of an audit.
public struct StatusMemo: Sendable {
    var day: Day?
    var answers: [Int32: StatusAnswer] = [:]

    public init() {}

    init(day: Day) { self.day = day }
}

/// Thresholds for the findings that depend on time.
public struct FindingPolicy: Sendable {
    /// `expiring_soon` within this many days.
    public var expiringWithinDays: Int
    /// `review_overdue` after this many years without a cleanup.
    public var reviewYears: Int

    public init(expiringWithinDays: Int = 90, reviewYears: Int = 5) {
        self.expiringWithinDays = expiringWithinDays
        self.reviewYears = reviewYears
    }
}

extension ValidityIndex {
    /// The status of a document on `day`, with the chain of evidence, and its findings.
    public func answer(_ node: Int32, on day: Day, policy: FindingPolicy = FindingPolicy()) -> StatusAnswer {
        var memo = StatusMemo()
        return answer(node, on: day, policy: policy, memo: &memo)
    }

    /// The same, sharing computed statuses across many questions about one day (an audit).
    public func answer(_ node: Int32, on day: Day, policy: FindingPolicy, memo: inout StatusMemo) -> StatusAnswer {
        if memo.day != day { memo = StatusMemo(day: day) }
        let events = events(of: node)
        var answer = status(node, on: day, memo: &memo.answers, events: events)
        answer.findings = findings(node, answer: answer, events: events, on: day, policy: policy, memo: &memo.answers)
        return answer
    }

    /// The status of a document on `day`, without its evidence's findings (a list of search hits).
    public func statusOnly(_ node: Int32, on day: Day) -> Status {
        var memo: [Int32: StatusAnswer] = [:]
        return status(node, on: day, memo: &memo).status
    }

    /// The status alone (no findings), memoised for graph walks.
    /// `events` may be passed when the caller already has them (an audit asks for both).
    /// `record` may be passed when the caller has it.
    func status(_ node: Int32, on day: Day, memo: inout [Int32: StatusAnswer], events known: [LifecycleEvent]? = nil,
                record knownRecord: DocumentRecord? = nil) -> StatusAnswer {
        if let answer = memo[node] { return answer }
        let record = knownRecord ?? record(node)
        let events = known ?? events(of: node, record: record)
        var evidence: [EvidenceStep] = []
        func step(_ event: LifecycleEvent, note: String? = nil) {
            guard !evidence.contains(where: { $0.event == event.kind.rawValue && $0.source == event.source && $0.quote == event.quote }) else { return }
            evidence.append(EvidenceStep(
                date: event.date?.description, event: event.kind.rawValue, source: event.source, quote: event.quote,
                grade: event.grounds == .rule ? "rule" : event.thirdParty ? "third_party" : "primary", note: note ?? event.dateNote,
                grounds: event.grounds))
        }
        func happened(_ event: LifecycleEvent) -> Bool {
            guard let from = event.effectFrom else { return false }
            return from.latest <= day
        }
        var lastFact: DateBound?
        for event in events {
            if let date = event.date, lastFact.map({ $0.latest < date.latest }) ?? true { lastFact = date }
        }
        if lastFact == nil { lastFact = yearBound(record)?.bound }
        func answer(_ status: Status, _ grounds: Grounds, _ reason: StatusReason, since: Day? = nil, sinceBound: String? = nil,
                    amended: Bool = false, citedBy: [Citer] = []) -> StatusAnswer {
            var answer = StatusAnswer(
                number: record.number?.canonical, title: record.title, asOf: day, status: status, amended: amended, since: since,
                sinceBound: sinceBound, evidence: evidence, findings: [], grounds: grounds, reason: reason, lastFact: lastFact, citedBy: citedBy)
            if status == .inForce || status == .partiallyInvalid { answer.version = record.version(on: day) }
            memo[node] = answer
            return answer
        }

        // Before it existed: not issued. Issued but not yet in effect: not yet in force.
        if let first = record.firstKnownDay, day < first {
            return answer(.notIssued, .stated, .notIssued(first: first, published: record.issued == nil))
        }
        // When it took effect, or the bound that shows it had by `day`.
        var since: Day?
        var sinceBound: String?
        var started: Bool?
        let year = yearBound(record)?.bound
        if let start = events.first(where: { $0.kind == .effective }), let date = start.date {
            step(start)
            started = date.earliest <= day
            since = date.earliest
            if started == false {
                return answer(.notYetInForce, start.grounds, .notYetInForce(effective: date.earliest, rule: start.grounds == .rule ? start.source : nil))
            }
        } else {
            let confirmations = events.filter { $0.kind == .continued || $0.kind == .amended || $0.kind == .repealed || $0.kind == .invalidated }
            let firstSeen = confirmations.compactMap { event in event.date.map { ($0, event) } }.min { $0.0.latest < $1.0.latest }
            if let year, day < year.earliest {
                return answer(.notIssued, .stated, .notIssuedByYear(year: year.earliest.year),
                              sinceBound: "its number dates it to \(year.earliest.year); \(day) is before that")
            } else if let (bound, event) = firstSeen, bound.latest <= day {
                started = true
                sinceBound = "no date of its own is known; it was in force by \(bound.latest), when \(event.source) dealt with it"
                step(event, note: event.dateNote.map { "bounds the start: \($0)" } ?? "bounds the start")
            } else if let year, year.latest <= day {
                started = true
                sinceBound = "no date of its own is known; its number dates it to \(year.earliest.year)"
            }
        }

        // Primary evidence decides; third-party reports count only where no primary evidence speaks.
        let primary = events.filter { !$0.thirdParty && $0.kind != .issued && $0.kind != .published && $0.kind != .effective }
        let thirdParty = events.filter { $0.thirdParty }
        func decisive(_ pool: [LifecycleEvent]) -> [LifecycleEvent] {
            pool.filter { happened($0) || ($0.kind == .note) }
        }
        var relevant = decisive(primary)
        let decisions: Set<LifecycleEvent.Kind> = [.continued, .amended, .repealed, .expired, .invalidated, .conditionalInvalidation]
        // A rule's reckoning of an end is not a text speaking of this document: where only a rule
        // speaks, sites' reports are heard too (and the earliest end decides).
        let primarySpeaks = primary.contains { decisions.contains($0.kind) && $0.grounds == .stated && happened($0) }
        // Reports by sites decide only where no primary evidence has spoken; otherwise they are
        // shown, and a disagreement becomes a finding.
        let reportsUsed = primarySpeaks ? [] : thirdParty.filter { $0.kind != .note }
        relevant += decisive(reportsUsed)
        // A conditional invalidation lapses when the document was re-published (amended) in time.
        relevant = relevant.filter { event in
            guard event.kind == .conditionalInvalidation, let deadline = event.date else { return true }
            return !relevant.contains { $0.kind == .amended && ($0.date?.latest ?? deadline.latest) < deadline.earliest }
        }
        relevant.sort { ($0.effectFrom?.latest ?? day) < ($1.effectFrom?.latest ?? day) }
        for event in relevant where event.kind != .note { step(event) }
        // A confirmation dated only by a window that holds the day asked about is evidence too,
        // said with its uncertainty; an end is never assumed before it surely happened.
        if primarySpeaks {
            for report in thirdParty where report.kind != .note && happened(report) {
                step(report, note: "reported by a third party; the primary evidence decides")
            }
        }
        for event in primary + reportsUsed where (event.kind == .continued || event.kind == .amended) && !happened(event) {
            if let window = event.date, window.earliest <= day {
                step(event, note: "\(event.dateNote ?? "the date is not known exactly"); it may fall after \(day)")
            }
        }

        let amended = relevant.contains { $0.kind == .amended }
        if let end = relevant.first(where: { $0.ends }), let from = end.effectFrom {
            let status: Status = switch end.kind {
            case .repealed: .repealed
            case .expired: .expired
            default: .invalidated
            }
            return answer(status, end.grounds, .ended(status, from: from, by: end.source, site: end.thirdParty, rule: end.grounds == .rule),
                          since: from.isExact ? from.earliest : nil,
                          sinceBound: from.isExact ? nil : "between \(from.earliest) and \(from.latest) (\(end.dateNote ?? "the date is not known exactly"))",
                          amended: amended)
        }
        let confirmation = relevant.last { $0.kind == .continued || $0.kind == .amended }
        // A period a rule set has ended and wants a declaration: nothing later has kept it.
        if let ended = relevant.last(where: { $0.kind == .periodEnded }), let last = ended.date,
           confirmation.map({ ($0.date?.earliest ?? last.latest) <= last.latest }) ?? true {
            return answer(.unknown, .rule, .periodEnded(lastDay: last.latest, rule: ended.source), since: nil,
                          sinceBound: sinceBound, amended: amended)
        }
        guard started == true else {
            if !record.hasOwnText {
                let citers = citerList(of: node)
                return answer(.unknown, .none, .citedOnly(citers: Citer.documents(citers)), citedBy: citers)
            }
            if let year, year.earliest <= day, day <= year.latest {
                return answer(.unknown, .none, .undatedYear(year: year.earliest.year, day: day), sinceBound: sinceBound)
            }
            return answer(.unknown, .none, .nothingKnown, sinceBound: sinceBound)
        }
        if let confirmation {
            if since == nil, sinceBound == nil, confirmation.kind == .continued { sinceBound = "kept by \(confirmation.source)" }
            let reason: StatusReason = confirmation.kind == .continued
                ? .kept(by: confirmation.source, on: confirmation.date, site: confirmation.thirdParty)
                : .amended(by: confirmation.source, on: confirmation.date, site: confirmation.thirdParty)
            return answer(.inForce, confirmation.grounds, reason, since: since, sinceBound: sinceBound, amended: amended)
        }
        // Nothing known against it. A stub — a document known only from others' citations, with no
        // text of its own read — is not presumed anything.
        guard record.hasOwnText else {
            let citers = citerList(of: node)
            return answer(.unknown, .none, .citedOnly(citers: Citer.documents(citers)), sinceBound: sinceBound, citedBy: citers)
        }
        return answer(.inForce, .presumed, .presumed(lastFact: lastFact), since: since, sinceBound: sinceBound, amended: amended)
    }

    /// Who cites a document, with the relation and the words.
    func citerList(of node: Int32) -> [Citer] {
        let key = record(node).key
        var seen: Set<Citer> = []
        var list: [Citer] = []
        for (citer, relation) in citers(of: node) {
            let citing = record(citer)
            let quote = citing.citations.first { $0.target == key && $0.relation == relation }?.evidence
            let entry = Citer(document: citing.key.description, relation: relation, quote: quote)
            if seen.insert(entry).inserted { list.append(entry) }
        }
        return list
    }
}

extension DocumentRecord {
    /// Whether anything of the document's own has been read: a source of its text, or a date of
    /// its own. A stub made from others' citations has neither.
    public var hasOwnText: Bool {
        !sources.isEmpty || issued != nil || published != nil || effective != nil || expires != nil || validity != nil
    }
}

extension ValidityIndex {
    /// The answer for a document the registry holds no record of but others cite: `unknown`, with
    /// who cites it and how. Nil when nothing cites it either. Reads only the citing records.
    public func unrecordedAnswer(_ key: DocumentKey, on day: Day) -> StatusAnswer? {
        guard node(key) == nil else { return nil }
        var citers: [Citer] = []
        var title: String?
        for node in graph.unresolvedCiters(key) {
            let citing = record(node)
            for citation in citing.citations where citation.target == key {
                title = title ?? citation.title
                let citer = Citer(document: citing.key.description, relation: citation.relation, quote: citation.evidence)
                if !citers.contains(citer) { citers.append(citer) }
            }
        }
        guard !citers.isEmpty else { return nil }
        let number: String? = if case .number(let number) = key { number.canonical } else { nil }
        let fallbackTitle: String = if case .title(let text) = key { text } else { DocumentRecord.unknownTitle }
        return StatusAnswer(
            number: number, title: title ?? fallbackTitle, asOf: day, status: .unknown, amended: false, since: nil,
            sinceBound: "the registry holds no record of it", evidence: [], findings: [], grounds: .none, reason: .citedOnly(citers: Citer.documents(citers)),
            lastFact: nil, citedBy: citers)
    }
}

extension ValidityIndex {
    /// The answer for whatever a user named: a recorded document, else one only cited (unknown,
    /// with its citers); else not found, with the nearest keys the registry holds.
    public func answer(for name: DocumentKey, on day: Day, policy: FindingPolicy = FindingPolicy(), place: String = "the registry") throws(UnknownName) -> StatusAnswer {
        let key = try resolve(name, place: place)
        if let node = node(key) { return answer(node, on: day, policy: policy) }
        if let cited = unrecordedAnswer(key, on: day) { return cited }
        throw UnknownName(.document, key.description, nearest: nearestKeys(to: key), place: place)
    }
}
