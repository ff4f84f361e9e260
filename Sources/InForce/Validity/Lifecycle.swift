/// When something happened: a day, or only a window when the sources give no day (a notice known
/// by its number alone happened within its number's year).
public struct DateBound: Sendable, Hashable, Encodable, CustomStringConvertible {
    public let earliest: Day
    public let latest: Day

    public init(exactly day: Day) {
        earliest = day
        latest = day
    }

    public init(earliest: Day, latest: Day) {
        self.earliest = earliest
        self.latest = latest
    }

    public var isExact: Bool { earliest == latest }

    public var description: String { isExact ? earliest.description : "\(earliest)…\(latest)" }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One step in a document's life, with who says so.
public struct LifecycleEvent: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        case issued, published
        /// Takes effect.
        case effective
        /// A cleanup notice keeps it (继续有效).
        case continued
        /// A notice or document amends it, or marks it for amendment.
        case amended
        case repealed
        /// Its validity ends: the day after `date` it is no longer in force.
        case expired
        case invalidated
        /// Invalid unless re-published by this day (需修改后重新发布…逾期未公布的…失效).
        case conditionalInvalidation = "conditional_invalidation"
        /// A third party's note with no date of its own.
        case note
        /// A notice proposes an outcome (拟修改, 拟废止) without deciding it: shown, never applied.
        case planned
        /// A validity period set by a rule has run out, and the rule has such documents declared
        /// invalid rather than lapsing by themselves: until a declaration is known, its standing
        /// cannot be said.
        case periodEnded = "period_ended"
    }

    public let kind: Kind
    public let date: DateBound?
    /// The document that says it (canonical number or title), or the site.
    public let source: String
    public let quote: String?
    /// Primary evidence comes from the deciding document itself; a site's report is third-party.
    public let thirdParty: Bool
    /// How the date was found, when it was not stated (年份, 30-day rule …).
    public let dateNote: String?
    /// What the event stands on: `stated` by an official text, `reported` by a site, or a `rule`
    /// applied to the document's dates (then `source` cites the rule and `quote` is its words).
    public let grounds: Grounds

    public init(kind: Kind, date: DateBound?, source: String, quote: String?, thirdParty: Bool, dateNote: String?, byRule: Bool = false) {
        self.kind = kind
        self.date = date
        self.source = source
        self.quote = quote
        self.thirdParty = thirdParty
        self.dateNote = dateNote
        grounds = byRule ? .rule : thirdParty ? .reported : .stated
    }

    /// The note of an invalidation by a closed list's silence.
    static let closedListNote = "not on the list of a closed-list cleanup that covered its issuer"

    /// Whether the event ends validity.
    var ends: Bool { kind == .repealed || kind == .expired || kind == .invalidated || kind == .conditionalInvalidation }

    /// The day from which the event's effect holds (an expiry's last day is still in force).
    var effectFrom: DateBound? {
        guard let date else { return nil }
        guard kind == .expired || kind == .periodEnded else { return date }
        return DateBound(earliest: date.earliest.adding(days: 1), latest: date.latest.adding(days: 1))
    }
}

extension ValidityIndex {
    /// The days a document (or notice) is dated by: effective, published or issued; else its
    /// number's year.
    func date(of node: Int32, record known: DocumentRecord? = nil) -> (bound: DateBound, note: String?)? {
        let record = known ?? record(node)
        if let day = record.effective ?? record.published ?? record.issued { return (DateBound(exactly: day), nil) }
        return yearBound(record)
    }

    func yearBound(_ record: DocumentRecord) -> (bound: DateBound, note: String?)? {
        guard let year = record.number?.year, let first = try? Day(year: year, month: 1, day: 1),
              let last = try? Day(year: year, month: 12, day: 31)
        else { return nil }
        return (DateBound(earliest: first, latest: last), "dated only by the year in its number")
    }

    /// Everything known to happen to a document, from its own record and from others', in order.
    public func events(of node: Int32) -> [LifecycleEvent] { events(of: node, record: record(node)) }

    /// The same, with the document's record already at hand (each record is asked for once).
    func events(of node: Int32, record: DocumentRecord) -> [LifecycleEvent] {
        var events: [LifecycleEvent] = []
        let own = record.number?.canonical ?? "《\(record.title)》"
        if let issued = record.issued { events.append(.init(kind: .issued, date: DateBound(exactly: issued), source: own, quote: nil, thirdParty: false, dateNote: nil)) }
        if let published = record.published { events.append(.init(kind: .published, date: DateBound(exactly: published), source: own, quote: nil, thirdParty: false, dateNote: nil)) }
        let begins = start(of: node, record: record)
        if let begins { events.append(begins) }
        if let end = ownEnd(of: node, record: record, start: begins) { events.append(end) }

        // What cleanup notices list.
        let listings = listings(of: node)
        for (notice, entry) in listings {
            let facts = noticeFacts(notice)
            guard let list = facts.notice?.dispositions, list.indices.contains(entry) else { continue }
            let disposition = list[entry]
            events.append(disposition.event(source: facts.source, date: disposition.effective.map { (DateBound(exactly: $0), nil) } ?? facts.decisionDate, thirdParty: false))
        }
        // What later documents do to it (…同时废止, 修改).
        // (Never itself: a text that names its own title speaks of its earlier text.)
        for (citer, relation) in citers(of: node) where (relation == .repeals || relation == .amends) && citer != node {
            let citerRecord = self.record(citer)
            let quote = citerRecord.citations.first { $0.target == record.key && $0.relation == relation }?.evidence
            // A revised text (no day of the document's own) states its repeals for its version:
            // they take effect when the latest text read of it binds.
            let latestText = citerRecord.effective == nil ? citerRecord.versions.last { $0.source != nil }.map { DateBound(exactly: $0.inForceFrom) } : nil
            let when = latestText ?? start(of: citer)?.date ?? date(of: citer)?.bound
            events.append(.init(
                kind: relation == .repeals ? .repealed : .amended, date: when, source: citerRecord.number?.canonical ?? "《\(citerRecord.title)》",
                quote: quote, thirdParty: false, dateNote: nil))
        }
        // Closed lists that leave it out: only notices whose scope names its issuer.
        if let issuer = issuerName(of: node) {
            for notice in closedListNotices(of: issuer) where notice != node {
                if let event = closedListEvent(notice: notice, node: node, record: record, listings: listings) { events.append(event) }
            }
        }
        // Facts recorded on the document itself.
        for fact in record.facts {
            events.append(event(for: fact))
        }
        return events.sorted { lhs, rhs in
            switch (lhs.date, rhs.date) {
            case let (l?, r?): l.latest < r.latest
            case (_?, nil): true
            default: false
            }
        }
    }

    /// When the document takes effect: stated, else publication plus the delay a rule gives, else
    /// publication, else issue; nil when no date is known.
    func start(of node: Int32, record known: DocumentRecord? = nil) -> LifecycleEvent? {
        let record = known ?? record(node)
        let own = record.number?.canonical ?? "《\(record.title)》"
        if let effective = record.effective {
            return .init(kind: .effective, date: DateBound(exactly: effective), source: own, quote: nil, thirdParty: false, dateNote: nil)
        }
        guard let published = record.published ?? record.issued else {
            // A law known only by the texts of its versions is in force from its first version's day.
            guard let first = record.versions.first, first.effective != nil else { return nil }
            return .init(
                kind: .effective, date: DateBound(exactly: first.inForceFrom), source: own, quote: nil, thirdParty: false,
                dateNote: "from its earliest version known (\(first.date)); the text prints no history")
        }
        let from = record.published != nil ? "publication" : "issue"
        if let (rule, delay) = rules(for: node).first(on: published, \.effectiveDelayDays), delay > 0 {
            return .init(
                kind: .effective, date: DateBound(exactly: published.adding(days: delay)), source: rule.citation, quote: rule.words,
                thirdParty: false, dateNote: "\(delay) days after \(from) (\(published)), the rule of \(rule.region)", byRule: true)
        }
        return .init(kind: .effective, date: DateBound(exactly: published), source: own, quote: nil, thirdParty: false,
                     dateNote: record.published != nil ? "from publication (no effective date stated)" : "from issue (no effective or publication date stated)")
    }

    /// The end the document sets itself (有效期至…, a validity period), else the end a rule in force
    /// when it took effect gives it.
    func ownEnd(of node: Int32, record: DocumentRecord, start startEvent: LifecycleEvent?) -> LifecycleEvent? {
        let own = record.number?.canonical ?? "《\(record.title)》"
        let rules = rules(for: node)
        let start = startEvent?.date?.earliest
        if let expires = record.expires {
            // "有效期至D" keeps D in force, unless the rule of its region reads it otherwise.
            if let (rule, included) = rules.first(on: start ?? expires, \.endDayIncluded), !included {
                return .init(kind: .expired, date: DateBound(exactly: expires.adding(days: -1)), source: own, quote: nil, thirdParty: false,
                             dateNote: "有效期至\(expires): the end day is not included under \(rule.citation) (\(rule.region))")
            }
            return .init(kind: .expired, date: DateBound(exactly: expires), source: own, quote: nil, thirdParty: false, dateNote: nil)
        }
        guard let start else { return nil }
        // Periods run from 施行, or from 公布 where the rule says so.
        func counted(_ rule: RegionRule?) -> (day: Day, words: String) {
            if rule?.countedFrom == .published, let published = record.published ?? record.issued { return (published, "公布 \(published)") }
            return (start, "施行 \(start)")
        }
        if let validity = record.validity {
            let from = counted(rules.first(on: start, \.countedFrom)?.rule)
            return .init(kind: .expired, date: DateBound(exactly: validity.lastDay(from: from.day)), source: own, quote: nil,
                         thirdParty: false, dateNote: "validity \(validity.chinese) from \(from.words)")
        }
        let kind = record.periodKind
        // The rule in force when the document took effect.
        let found: (rule: RegionRule, value: ValidityPeriod)? = switch kind {
        case .notice: rules.first(on: start, \.noticeValidity) ?? rules.first(on: start, \.defaultValidity)
        case .provisional: rules.first(on: start, \.provisionalValidity) ?? rules.first(on: start, \.defaultValidity)
        case .general: rules.first(on: start, \.defaultValidity)
        }
        if let (rule, period) = found {
            let from = counted(rule)
            return periodEnd(rule, period: period, lastDay: period.lastDay(from: from.day),
                             note: "no period stated: \(kind.words)\(period.chinese) from \(from.words) under \(rule.citation)")
        }
        // A rule that gives documents already in force a period from its own start.
        for rule in rules.rules {
            guard let cutoff = rule.transitionalFrom, let period = rule.transitionalValidity, start < cutoff else { continue }
            if rule.transitionalExemptsImplementing == true, record.citations.contains(where: { $0.relation == .basis || $0.relation == .implements }) {
                // Made to implement what it cites, perhaps: the rule exempts those, so it decides nothing.
                continue
            }
            return periodEnd(rule, period: period, lastDay: period.lastDay(from: cutoff),
                             note: "in force before \(cutoff) with no period stated: \(period.chinese) from \(cutoff) under \(rule.citation)")
        }
        return nil
    }

    private func periodEnd(_ rule: RegionRule, period: ValidityPeriod, lastDay: Day, note: String) -> LifecycleEvent {
        let lapses = rule.atEnd == .lapses
        return .init(
            kind: lapses ? .expired : .periodEnded, date: DateBound(exactly: lastDay), source: rule.citation, quote: rule.words, thirdParty: false,
            dateNote: note + (lapses ? "; it lapses by itself (\(PeriodEnd.lapses.chinese))" : "; the rule has it declared invalid, not lapse by itself"),
            byRule: true)
    }

    /// The day a notice's decisions take effect: its own date for them; else the day the rule of
    /// its region gives (its 印发 date, or its own 施行 date); else its effective, published or
    /// issue date; else its number's year.
    func decisionDate(of notice: Int32, record known: DocumentRecord? = nil) -> (bound: DateBound, note: String?)? {
        let record = known ?? record(notice)
        if let effective = record.notice?.effective { return (DateBound(exactly: effective), nil) }
        let known = record.effective ?? record.published ?? record.issued
        if let (rule, effect) = rules(for: notice).first(on: known, \.cleanupEffective) {
            let day: Day? = switch effect {
            case .issued: record.issued ?? record.published
            case .effective: record.effective ?? record.published ?? record.issued
            }
            if let day { return (DateBound(exactly: day), "\(effect.chinese) (\(day)), the rule of \(rule.region): \(rule.citation) “\(rule.words)”") }
        }
        return date(of: notice, record: record)
    }

    /// A closed-list notice's effect on a document in its scope that it does not keep.
    /// `target` is the record of `node`, and `listings` the notices listing it.
    func closedListEvent(notice: Int32, node: Int32, record target: DocumentRecord, listings: [(notice: Int32, entry: Int)]) -> LifecycleEvent? {
        let facts = noticeFacts(notice)
        guard let rule = facts.notice, let issuer = issuerName(of: node), rule.scopeIssuers.contains(issuer) else { return nil }
        guard let noticeDate = facts.decisionDate?.bound else { return nil }
        let cutoff = rule.issuedBefore ?? noticeDate.earliest
        // Only documents that existed before the cut-off were in scope.
        guard let first = target.firstKnownDay ?? yearBound(target)?.bound.latest, first <= cutoff else { return nil }
        let kept = listings.contains { $0.notice == notice }
        guard !kept else { return nil }
        return .init(
            kind: .invalidated, date: noticeDate, source: facts.source, quote: rule.closedListQuote, thirdParty: false,
            dateNote: LifecycleEvent.closedListNote)
    }

    /// What a notice says of the documents it deals with: who it is, the day its decisions take
    /// effect, its list. Worked out once per run of documents described together.
    func noticeFacts(_ notice: Int32) -> NoticeFacts {
        let run = run
        if let known = run?.notices[notice] { return known }
        // A run keeps the facts, not the record as well.
        let record = run == nil ? record(notice) : store.recordOnce(notice)
        let facts = NoticeFacts(
            source: record.number?.canonical ?? "《\(record.title)》", decisionDate: decisionDate(of: notice, record: record), notice: record.notice)
        run?.notices[notice] = facts
        return facts
    }

    /// Who made a change a law's own history prints with no decision named — the session in
    /// "2019年7月25日 上海市第十五届人民代表大会常务委员会第十三次会议修订" — or, failing that, the header itself.
    static func session(in quote: String) -> String {
        if let day = quote.firstIndex(of: "日"), let meeting = quote[day...].firstRange(of: "会议") {
            let name = String(quote[quote.index(after: day)..<meeting.upperBound]).trimmingSpaces()
            if !name.isEmpty { return String(name) }
        }
        return "本件题注 (its own header)"
    }

    func event(for fact: Fact) -> LifecycleEvent {
        let source = fact.by?.canonical ?? fact.byTitle.map { "《\($0)》" } ?? fact.site ?? Self.session(in: fact.quote)
        let thirdParty = fact.site != nil
        var bound: (DateBound, String?)? = fact.date.map { (DateBound(exactly: $0), nil) }
        if bound == nil, let by = fact.by, let node = node(.number(by)), let date = date(of: node) { bound = (date.bound, date.note) }
        if bound == nil, let by = fact.by, let year = by.year, let first = try? Day(year: year, month: 1, day: 1), let last = try? Day(year: year, month: 12, day: 31) {
            bound = (DateBound(earliest: first, latest: last), "dated only by the year in \(by.canonical)")
        }
        switch fact.event {
        case .expiry:
            let until = fact.until ?? fact.date
            return .init(kind: .expired, date: until.map { DateBound(exactly: $0) }, source: source, quote: fact.quote, thirdParty: thirdParty, dateNote: nil)
        case .repeal:
            return .init(kind: .repealed, date: bound?.0, source: source, quote: fact.quote, thirdParty: thirdParty, dateNote: bound?.1)
        case .amendment:
            return .init(kind: .amended, date: bound?.0, source: source, quote: fact.quote, thirdParty: thirdParty, dateNote: bound?.1)
        case .republication:
            return .init(kind: .amended, date: bound?.0, source: source, quote: fact.quote, thirdParty: thirdParty, dateNote: bound?.1)
        case .disposition, .statusNote:
            let disposition = Disposition(outcome: fact.outcome ?? .continued, effective: fact.until, quote: fact.quote)
            if fact.outcome == nil || (fact.event == .statusNote && fact.by == nil && fact.date == nil) {
                return .init(kind: .note, date: nil, source: source, quote: fact.quote, thirdParty: thirdParty, dateNote: fact.outcome.map { "says \($0.chinese), undated" })
            }
            return disposition.event(source: source, date: bound.map { ($0.0, $0.1) }, thirdParty: thirdParty)
        }
    }
}

/// A notice as the statuses of the documents it deals with see it.
final class NoticeFacts {
    /// Its number, or its title in 《》.
    let source: String
    let decisionDate: (bound: DateBound, note: String?)?
    let notice: CleanupNotice?

    init(source: String, decisionDate: (bound: DateBound, note: String?)?, notice: CleanupNotice?) {
        self.source = source
        self.decisionDate = decisionDate
        self.notice = notice
    }
}

extension Disposition {
    /// What this list entry does, dated by the notice (or its own date).
    func event(source: String, date: (bound: DateBound, note: String?)?, thirdParty: Bool) -> LifecycleEvent {
        let kind: LifecycleEvent.Kind = switch outcome {
        case _ where planned: .planned
        case .continued: .continued
        case .amend: effective != nil ? .conditionalInvalidation : .amended
        case .repealed: .repealed
        case .invalidated: .invalidated
        }
        let note = planned ? "planned (\(outcome.chinese) proposed, not decided): it changes nothing yet" : date?.note
        return LifecycleEvent(kind: kind, date: date?.bound, source: source, quote: quote, thirdParty: thirdParty, dateNote: note)
    }
}
