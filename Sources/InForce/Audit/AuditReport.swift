/// Which documents an audit covers.
public enum AuditScope: Sendable, Equatable {
    case all
    /// An issuer, by full name or by a 代字 it uses.
    case issuer(String)
    /// A region and the regions below it (浙江省 covers 浙江省绍兴市).
    case region(String)
}

/// What an office has decided to set aside: a finding kind, on one document or all, for a reason,
/// until a day.
public struct AuditIgnore: Sendable, Equatable {
    public var kind: Finding.Kind
    public var document: DocumentKey?
    public var reason: String
    public var until: Day?

    public init(kind: Finding.Kind, document: DocumentKey? = nil, reason: String, until: Day? = nil) {
        self.kind = kind
        self.document = document
        self.reason = reason
        self.until = until
    }

    func covers(_ finding: Finding, of key: DocumentKey, on day: Day) -> Bool {
        finding.kind == kind && (document == nil || document == key) && (until.map { day <= $0 } ?? true)
    }
}

/// The audit's settings, from the registry's `audit.toml` and the command line.
public struct AuditSettings: Sendable {
    public var policy: FindingPolicy
    public var ignores: [AuditIgnore]
    /// Warn when the newest dated fact is older than this many days before the audit date.
    public var staleAfterDays: Int

    public init(policy: FindingPolicy = FindingPolicy(), ignores: [AuditIgnore] = [], staleAfterDays: Int = 730) {
        self.policy = policy
        self.ignores = ignores
        self.staleAfterDays = staleAfterDays
    }
}

/// One document in an audit.
public struct AuditEntry: Sendable, Encodable {
    public let number: String?
    public let title: String
    public let issuer: String?
    public let status: Status
    /// What the status stands on, and why, in one sentence (English and Chinese).
    public let grounds: Grounds
    public let reason: StatusReason
    public let amended: Bool
    public let since: Day?
    public let sinceBound: String?
    public let evidence: [EvidenceStep]
    public let findings: [Finding]
    /// Findings set aside by the configuration, with the reason.
    public let ignored: [IgnoredFinding]

    public var key: String { number ?? "《\(title)》" }

    enum CodingKeys: String, CodingKey {
        case number, title, issuer, status, grounds, reason, amended, since, sinceBound, evidence, findings, ignored
    }

    /// Every key always present, absent values as null, so the schema is stable.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(title, forKey: .title)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(status, forKey: .status)
        try container.encode(grounds, forKey: .grounds)
        // The JSON is for programs: one sentence, in English, beside the stable `grounds`. People
        // read the reason in Chinese in the text, Markdown, HTML and CSV reports.
        try container.encode(reason.english, forKey: .reason)
        try container.encode(amended, forKey: .amended)
        try container.encode(since, forKey: .since)
        try container.encode(sinceBound, forKey: .sinceBound)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(findings, forKey: .findings)
        try container.encode(ignored, forKey: .ignored)
    }

    /// Whether a person needs to act: a finding of an action kind remains. A document that has
    /// already ended needs action only for a finding about its ending (two lists disagree, a site
    /// says otherwise): what it rests on no longer matters.
    public var needsAction: Bool { !actionFindings.isEmpty }

    /// The findings that call for action, most urgent first.
    public var actionFindings: [Finding] {
        let ended = [.repealed, .expired, .invalidated].contains(status)
        return findings.filter { AuditReport.actionOrder.contains($0.kind) && (!ended || $0.concernsEnding) }
            .sorted { AuditReport.actionOrder.firstIndex(of: $0.kind)! < AuditReport.actionOrder.firstIndex(of: $1.kind)! }
    }
}

public struct IgnoredFinding: Sendable, Encodable {
    public let finding: Finding
    public let reason: String
    public let until: Day?

    enum CodingKeys: String, CodingKey { case finding, reason, until }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(finding, forKey: .finding)
        try container.encode(reason, forKey: .reason)
        try container.encode(until, forKey: .until)
    }
}

/// The state of a body of documents on a date: every document's status and findings, the counts,
/// and the documents needing action first.
public struct AuditReport: Sendable, Encodable {
    public let scope: String
    public let asOf: Day
    public let documents: [AuditEntry]
    public let countsByStatus: [String: Int]
    public let countsByFinding: [String: Int]
    public let countsByIssuer: [String: Int]
    /// Keys of the documents needing action, most urgent first.
    public let actionRequired: [String]
    /// Warnings about the registry itself (no new fact for a long time).
    public let warnings: [String]
    /// Registry files that could not be read in full: what they hold is missing from the report.
    public var problems: [RegistryProblem] = []

    /// Finding kinds that call for action, in the order a report lists them.
    /// First what makes an answer itself uncertain or wrong (lists that contradict each other, a
    /// document resting on ended law, one a closed list dropped), then what has a deadline
    /// (expiry, evaluation), then the office's periodic duties, then the registry's own gaps.
    public static let actionOrder: [Finding.Kind] = [
        .contradictoryDispositions, .basisNotInForce, .notOnLatestList, .expiringSoon, .evaluationDue, .confirmedAfterExpiry,
        .thirdPartyDisagrees, .mentionsNotInForce, .cleanupOverdue, .reviewOverdue, .citesLaterDocument, .unknownCitation, .cycle,
    ]

    enum CodingKeys: String, CodingKey {
        case scope, asOf, documents, countsByStatus, countsByFinding, countsByIssuer, actionRequired, warnings
    }

    /// Audits the documents in `scope` on `day`.
    public init(index: ValidityIndex, scope: AuditScope, on day: Day, settings: AuditSettings = AuditSettings()) {
        self.asOf = day
        switch scope {
        case .all: self.scope = "all documents"
        case .issuer(let issuer): self.scope = "issuer \(issuer)"
        case .region(let region): self.scope = "region \(region)"
        }
        // Documents are answered in contiguous chunks on every core, each chunk with its own memo
        // (a chunk recomputes the few documents many others rest on, which is cheap).
        let nodes = index.nodes.filter { index.inScope($0, scope) }
        let entries = inParallel(nodes.count) { range in
            var memo = StatusMemo()
            return range.map { AuditReport.entry(nodes[$0], index: index, on: day, settings: settings, memo: &memo) }
        }.flatMap { $0 }
        documents = entries
        var byStatus: [String: Int] = [:]
        var byFinding: [String: Int] = [:]
        var byIssuer: [String: Int] = [:]
        for entry in entries {
            byStatus[entry.status.rawValue, default: 0] += 1
            for finding in entry.findings { byFinding[finding.kind.rawValue, default: 0] += 1 }
            byIssuer[entry.issuer ?? "(unknown issuer)", default: 0] += 1
        }
        countsByStatus = byStatus
        countsByFinding = byFinding
        countsByIssuer = byIssuer
        func urgency(_ entry: AuditEntry) -> Int {
            entry.actionFindings.first.flatMap { AuditReport.actionOrder.firstIndex(of: $0.kind) } ?? Int.max
        }
        actionRequired = entries.filter(\.needsAction).map { (urgency($0), $0.key) }.sorted { $0 < $1 }.map(\.1)

        var warnings: [String] = []
        if let newest = index.newestDatedFact(), newest.adding(days: settings.staleAfterDays) < day {
            warnings.append("the newest dated fact in the registry is of \(newest), more than \(settings.staleAfterDays) days before \(day): it may be missing recent notices")
        }
        self.warnings = warnings
    }

    /// One document's line of the report: its answer, with the findings audit.toml sets aside.
    private static func entry(_ node: Int32, index: ValidityIndex, on day: Day, settings: AuditSettings, memo: inout StatusMemo) -> AuditEntry {
        let record = index.record(node)
        let answer = index.answer(node, on: day, policy: settings.policy, memo: &memo)
        var kept: [Finding] = []
        var ignored: [IgnoredFinding] = []
        for finding in answer.findings {
            if let rule = settings.ignores.first(where: { $0.covers(finding, of: record.key, on: day) }) {
                ignored.append(IgnoredFinding(finding: finding, reason: rule.reason, until: rule.until))
            } else {
                kept.append(finding)
            }
        }
        return AuditEntry(
            number: record.number?.canonical, title: record.title, issuer: index.issuerName(of: node), status: answer.status,
            grounds: answer.grounds, reason: answer.reason, amended: answer.amended, since: answer.since, sinceBound: answer.sinceBound, evidence: answer.evidence,
            findings: kept, ignored: ignored)
    }

    /// The entries needing action, most urgent first.
    public var actionEntries: [AuditEntry] {
        let byKey = Dictionary(documents.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return actionRequired.compactMap { byKey[$0] }
    }

    /// Whether any remaining finding is of one of `kinds` (for `--deny`).
    public func has(_ kinds: Set<Finding.Kind>) -> Bool {
        documents.contains { $0.findings.contains { kinds.contains($0.kind) } }
    }
}

extension ValidityIndex {
    func inScope(_ node: Int32, _ scope: AuditScope) -> Bool {
        let record = record(node)
        switch scope {
        case .all:
            return true
        case .issuer(let wanted):
            if record.issuer == wanted || record.number?.agency == wanted { return true }
            let issuer = record.number.flatMap { issuers.issuer(of: $0) } ?? record.issuer.flatMap { issuers.issuer(named: $0) }
            return issuer.map { $0.name == wanted || $0.codes.contains(wanted) } ?? false
        case .region(let wanted):
            let issuer = record.issuer.flatMap { issuers.issuer(named: $0) } ?? record.number.flatMap { issuers.issuer(of: $0) }
            var region = issuer?.region
            var seen: Set<String> = []
            while let name = region, seen.insert(name).inserted {
                if name == wanted { return true }
                region = regions.region(named: name)?.parent
            }
            return false
        }
    }

    /// The latest date any record states.
    func newestDatedFact() -> Day? {
        var newest: Day?
        func see(_ day: Day?) {
            guard let day else { return }
            if newest == nil || day > newest! { newest = day }
        }
        for node in 0..<Int32(count) {
            let record = record(node)
            // A notice known only by its number still shows the registry knew of that year's cleanup.
            if let year = record.number?.year { see(try? Day(year: year, month: 1, day: 1)) }
            see(record.issued)
            see(record.published)
            see(record.effective)
            for fact in record.facts {
                see(fact.date)
                see(fact.until)
            }
            for disposition in record.notice?.dispositions ?? [] { see(disposition.effective) }
        }
        return newest
    }
}

