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

    /// The answer's key for `check --format json`.
    public var key: String { number ?? "《\(title)》" }
}

/// One fact behind an answer: when, what, who said it, in their words.
public struct EvidenceStep: Sendable, Encodable, Hashable {
    public let date: String?
    public let event: String
    public let source: String
    public let quote: String?
    /// `primary` (the deciding document) or `third_party` (a site's report).
    public let grade: String
    public let note: String?

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
    }

    public let kind: Kind
    public let message: String
    /// The documents involved, in order (for a chain: the document, then each step up).
    public let documents: [String]
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

    /// The status alone (no findings), memoised for graph walks.
    /// `events` may be passed when the caller already has them (an audit asks for both).
    func status(_ node: Int32, on day: Day, memo: inout [Int32: StatusAnswer], events known: [LifecycleEvent]? = nil) -> StatusAnswer {
        if let answer = memo[node] { return answer }
        let record = record(node)
        let events = known ?? events(of: node)
        var evidence: [EvidenceStep] = []
        func step(_ event: LifecycleEvent, note: String? = nil) {
            guard !evidence.contains(where: { $0.event == event.kind.rawValue && $0.source == event.source && $0.quote == event.quote }) else { return }
            evidence.append(EvidenceStep(
                date: event.date?.description, event: event.kind.rawValue, source: event.source, quote: event.quote,
                grade: event.thirdParty ? "third_party" : "primary", note: note ?? event.dateNote))
        }
        func happened(_ event: LifecycleEvent) -> Bool {
            guard let from = event.effectFrom else { return false }
            return from.latest <= day
        }

        // When it took effect, or the bound that shows it had by `day`.
        var since: Day?
        var sinceBound: String?
        var started: Bool?
        if let start = events.first(where: { $0.kind == .effective }), let date = start.date {
            step(start)
            started = date.earliest <= day
            since = date.earliest
        } else {
            let confirmations = events.filter { $0.kind == .continued || $0.kind == .amended || $0.kind == .repealed || $0.kind == .invalidated }
            let firstSeen = confirmations.compactMap { event in event.date.map { ($0, event) } }.min { $0.0.latest < $1.0.latest }
            let year = yearBound(record)?.bound
            if let year, day < year.earliest {
                started = false
                sinceBound = "its number dates it to \(year.earliest.year); \(day) is before that"
            } else if let (bound, event) = firstSeen, bound.latest <= day {
                started = true
                sinceBound = "no date of its own is known; it was in force by \(bound.latest), when \(event.source) dealt with it"
                step(event, note: event.dateNote.map { "bounds the start: \($0)" } ?? "bounds the start")
            } else if let year, year.latest <= day {
                started = true
                sinceBound = "no date of its own is known; its number dates it to \(year.earliest.year)"
            }
        }
        if started == false {
            let answer = StatusAnswer(number: record.number?.canonical, title: record.title, asOf: day, status: .notYetInForce, amended: false,
                                      since: nil, sinceBound: sinceBound, evidence: evidence, findings: [])
            memo[node] = answer
            return answer
        }

        // Primary evidence decides; third-party reports count only where no primary evidence speaks.
        let primary = events.filter { !$0.thirdParty && $0.kind != .issued && $0.kind != .published && $0.kind != .effective }
        let thirdParty = events.filter { $0.thirdParty }
        func decisive(_ pool: [LifecycleEvent]) -> [LifecycleEvent] {
            pool.filter { happened($0) || ($0.kind == .note) }
        }
        var relevant = decisive(primary)
        let decisions: Set<LifecycleEvent.Kind> = [.continued, .amended, .repealed, .expired, .invalidated, .conditionalInvalidation]
        let primarySpeaks = primary.contains { decisions.contains($0.kind) && happened($0) }
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

        let end = relevant.first { $0.ends }
        let amended = relevant.contains { $0.kind == .amended }
        var status: Status = started == true ? .inForce : .unknown
        if let end {
            status = switch end.kind {
            case .repealed: .repealed
            case .expired: .expired
            default: .invalidated
            }
            since = end.effectFrom?.isExact == true ? end.effectFrom?.earliest : nil
            sinceBound = end.effectFrom?.isExact == false ? "between \(end.effectFrom!.earliest) and \(end.effectFrom!.latest) (\(end.dateNote ?? "the date is not known exactly"))" : nil
        } else if status == .inForce {
            if let confirmation = relevant.last(where: { $0.kind == .continued }), since == nil, sinceBound == nil {
                sinceBound = "kept by \(confirmation.source)"
            }
        }
        let answer = StatusAnswer(number: record.number?.canonical, title: record.title, asOf: day, status: status, amended: amended,
                                  since: since, sinceBound: sinceBound, evidence: evidence, findings: [])
        memo[node] = answer
        return answer
    }
}
