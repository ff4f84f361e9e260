/// The records a page contributes: stubs for the documents it cites, lists or whose notes it
/// carries, then its own record with every fact it states.
public enum IngestPlanner {
    /// Records to merge into the registry, stubs first so an interrupted ingest never leaves a
    /// record citing a document that has no record. A page with neither number nor title still
    /// gives stubs for what it cites; the last record is the page's own only when it has a key.
    public static func records(from extraction: Extraction) -> [DocumentRecord] {
        let source = extraction.source
        let ownKey = key(of: extraction)
        // Stubs name where they were learnt: the page's document and the page, or the page itself.
        let from = ownKey.map { "\($0) (\(source))" } ?? source
        var stubs: [DocumentKey: DocumentRecord] = [:]
        var order: [DocumentKey] = []
        // Every document the page names gets a record; one named by number alone takes the
        // placeholder title until its own page arrives.
        func stub(number: DocumentNumber?, title: String?, why: String) {
            let written = title.map { String($0.trimmingSpaces()) }.flatMap { $0.isEmpty ? nil : $0 }
            guard let title = written ?? (number != nil ? DocumentRecord.unknownTitle : nil) else { return }
            let record = DocumentRecord(
                number: number, rawNumber: number.flatMap { $0.raw == $0.canonical ? nil : $0.raw }, title: title,
                note: "\(why) \(from).")
            guard record.key != ownKey, stubs[record.key] == nil else { return }
            stubs[record.key] = record
            order.append(record.key)
        }
        for citation in extraction.citations {
            stub(number: citation.number, title: citation.title, why: "Known from its citation in")
        }
        for disposition in extraction.dispositions {
            stub(number: disposition.number, title: disposition.title, why: "Known from the list of")
        }
        for note in extraction.statusNotes where note.by != nil {
            stub(number: note.by, title: note.byTitle, why: "Known from a site's note on")
        }
        for amendment in extraction.amendments {
            stub(number: amendment.by, title: amendment.byTitle, why: "Known as an amendment of")
        }

        guard ownKey != nil else { return order.compactMap { stubs[$0] } }
        var record = DocumentRecord(
            number: extraction.number, rawNumber: extraction.number.flatMap { $0.raw == $0.canonical ? nil : $0.raw },
            title: extraction.title ?? DocumentRecord.unknownTitle, issuer: extraction.issuer, issued: extraction.issued, published: extraction.published,
            effective: extraction.effective, expires: extraction.expires, validity: extraction.validity, sources: [source])
        if let law = extraction.law {
            record.rank = law.rank
            record.versions = versions(of: law, source: source)
        }
        // One citation per document: 《中华人民共和国档案法》 and a later 《档案法》 are one, and a
        // use that states a relation (根据…) says more than a mention.
        var citedAt: [DocumentKey: Int] = [:]
        for citation in extraction.citations {
            let cited = Citation(
                number: citation.number, rawNumber: citation.number.flatMap { $0.raw == $0.canonical ? nil : $0.raw },
                title: citation.title, relation: citation.relation, evidence: citation.evidence)
            // A text naming its own title (…《山东省实施〈渔业法〉办法》同时废止 in the new text of that
            // 办法) speaks of its earlier text, a version of the same document, not of another.
            if cited.target == record.key { continue }
            // So does a law keyed by its decree naming its own title (国务院令第203号 …《同名条例》同时废止).
            if record.number != nil, cited.number == nil, let title = cited.title, TitleIdentity.key(title) == TitleIdentity.key(record.title) { continue }
            guard let target = cited.target else {
                record.citations.append(cited)
                continue
            }
            if let index = citedAt[target] {
                if record.citations[index].relation == .reference, cited.relation != .reference { record.citations[index] = cited }
            } else {
                citedAt[target] = record.citations.count
                record.citations.append(cited)
            }
        }
        record.facts = extraction.statusNotes.map { note in
            let event: FactEvent = note.until != nil ? .expiry : (note.by != nil && note.outcome != nil ? .disposition : .statusNote)
            return Fact(
                event: event, outcome: event == .expiry ? nil : note.outcome, by: note.by, byTitle: note.byTitle, site: note.site,
                until: note.until, quote: note.evidence, source: source)
        }
        // 经…令第9号修正: the document's own history says who amended it.
        record.facts += extraction.amendments.map { amendment in
            Fact(event: .amendment, by: amendment.by, byTitle: amendment.byTitle, date: amendment.date, quote: amendment.evidence, source: source)
        }
        if extraction.isCleanupNotice {
            record.notice = CleanupNotice(
                issuedBefore: extraction.scopeIssuedBefore, closedList: extraction.closedListQuote != nil ? true : nil,
                closedListQuote: extraction.closedListQuote,
                dispositions: extraction.dispositions.map { disposition in
                    Disposition(
                        number: disposition.number, rawNumber: disposition.number.flatMap { $0.raw == $0.canonical ? nil : $0.raw },
                        title: disposition.title, outcome: disposition.outcome, planned: disposition.planned, quote: disposition.evidence)
                })
        }
        return order.compactMap { stubs[$0] } + [record]
    }

    /// The versions a law text names: the first text and each change its head prints (their texts
    /// not held: no source), and the version it is, with this source, in place of the step that
    /// made it (a file dated by the version's promulgation, days after the 修正 its head prints, is
    /// that 修正's text). Oldest first.
    static func versions(of law: LawText, source: String) -> [DocumentVersion] {
        var versions: [DocumentVersion] = []
        if let first = law.promulgated ?? law.adopted ?? law.approved, law.versionDate != nil {
            let original = law.originalEffective.flatMap { $0 >= first ? $0 : nil }
            versions.append(DocumentVersion(date: first, effective: original ?? first, effectiveStated: original != nil))
        }
        for change in law.changes where !versions.contains(where: { $0.date == change.date }) {
            versions.append(DocumentVersion(date: change.date, effective: change.date, effectiveStated: false, decision: change.decision))
        }
        guard let date = law.versionDate else { return versions }
        // The step this text is: its last one, unless the text is dated before it.
        if let last = versions.indices.last, versions[last].date <= date, sameStep(versions[last].date, date) {
            versions.remove(at: last)
        }
        versions.removeAll { $0.date == date }
        versions.append(DocumentVersion(
            date: date, effective: law.versionEffective, effectiveStated: law.versionEffectiveStated,
            decision: law.changes.last { sameStep($0.date, date) }?.decision, source: source))
        return versions.sorted { $0.date < $1.date }
    }

    /// Whether two days can be one step of a law's making: its adoption and the promulgation that
    /// follows within weeks (2020年12月23日…通过, 公布 on 2020-12-29).
    static func sameStep(_ one: Day, _ other: Day) -> Bool {
        abs(one.ordinal - other.ordinal) <= stepDays
    }

    static let stepDays = 62

    /// The key a page's own record goes under: its number, else its title; nil when it has neither.
    public static func key(of extraction: Extraction) -> DocumentKey? {
        if let number = extraction.number { return .number(number) }
        if let title = extraction.title, !title.trimmingSpaces().isEmpty { return DocumentKey(titleOnly: title) }
        return nil
    }
}

/// Folds what a page says into what the registry holds, without losing or silently replacing
/// anything: missing fields are filled, new citations, facts, list entries and sources are added
/// once, and a field the registry already holds with another value is kept and reported.
public enum RecordMerge {
    public struct Result: Sendable {
        public let record: DocumentRecord
        /// Fields where the registry and the page disagree; the registry's value was kept.
        public let conflicts: [String]
        /// What was added or filled in, for the change set.
        public let changes: [String]
    }

    public static func merge(_ incoming: DocumentRecord, into existing: DocumentRecord?) -> Result {
        guard var record = existing else {
            return Result(record: incoming, conflicts: [], changes: ["new record"])
        }
        var conflicts: [String] = []
        var changes: [String] = []
        func field<V: Equatable>(_ name: String, _ path: WritableKeyPath<DocumentRecord, V?>, describe: (V) -> String) {
            guard let new = incoming[keyPath: path] else { return }
            if let old = record[keyPath: path] {
                if old != new { conflicts.append("\(name): the registry has \(describe(old)), the page says \(describe(new)); kept the registry's") }
            } else {
                record[keyPath: path] = new
                changes.append("\(name) \(describe(new))")
            }
        }
        let sameTitle = TitleIdentity.key(record.title) == TitleIdentity.key(incoming.title)
        if record.isTitleUnknown, !incoming.isTitleUnknown, !incoming.title.isEmpty {
            record.title = incoming.title
            changes.append("title 《\(incoming.title)》")
        } else if record.title != incoming.title, !incoming.title.isEmpty, !incoming.isTitleUnknown {
            if sameTitle && record.sources.isEmpty {
                // A stub named the way others cite it (劳动合同法) takes the title its own text prints.
                record.title = incoming.title
                changes.append("title 《\(incoming.title)》")
            } else if !sameTitle {
                conflicts.append("title: the registry has 《\(record.title)》, the page says 《\(incoming.title)》; kept the registry's")
            }
        }
        field("raw_number", \.rawNumber) { $0 }
        field("issuer", \.issuer) { $0 }
        field("level", \.level) { $0.rawValue }
        field("rank", \.rank) { $0.rawValue }
        // Of two texts of one law, the one whose history begins earlier knows the document's own
        // days: a text that begins later (a revision printed without its history, a new
        // interpretation under the same title) states only its versions' days, and one that
        // begins earlier replaces what a later-beginning text had put there.
        // (An adoption and the promulgation weeks after it are one beginning: the fields compare.)
        if let known = record.versions.first?.date, let begins = incoming.versions.first?.date, begins != known,
            !IngestPlanner.sameStep(begins, known)
        {
            if begins < known {
                for (name, path) in [("issued", \DocumentRecord.issued), ("published", \.published), ("effective", \.effective)] {
                    // The registry's day was the later-beginning text's, which its version keeps.
                    let day = incoming[keyPath: path]
                    guard record[keyPath: path] != day else { continue }
                    record[keyPath: path] = day
                    changes.append("\(name) \(day?.description ?? "not known") (a text that begins earlier)")
                }
            }
        } else {
            field("issued", \.issued) { $0.description }
            field("published", \.published) { $0.description }
            field("effective", \.effective) { $0.description }
        }
        field("expires", \.expires) { $0.description }
        field("validity", \.validity) { $0.description }
        for source in incoming.sources where !record.sources.contains(source) {
            record.sources.append(source)
            changes.append("source \(source)")
        }
        // Of two texts of one law, the newer's reading of what it cites is the document's now
        // (the texts' days taken before this one's version joins the record).
        let read = { (versions: [DocumentVersion]) in versions.filter { $0.source != nil }.map(\.date).max() }
        let incomingText = read(incoming.versions), registryText = read(record.versions)
        // Another text of the same law is another version; the same version read again adds nothing.
        // A step pairs only with what the registry held before this text (not with its own versions),
        // so reading a text again, or into a stub, gives what reading it first gives.
        let held = Set(record.versions.map(\.date))
        for version in incoming.versions {
            // The same version: the same day, or a step known from a history (no text) and the text
            // of it, dated by its promulgation on or after the step (never before it).
            let index = record.versions.firstIndex { $0.date == version.date }
                ?? record.versions.firstIndex { old in
                    guard held.contains(old.date), !incoming.versions.contains(where: { $0.date == old.date }),
                        (old.source == nil) != (version.source == nil)
                    else { return false }
                    let (step, text) = old.source == nil ? (old.date, version.date) : (version.date, old.date)
                    return step <= text && IngestPlanner.sameStep(step, text)
                        && !record.versions.contains { $0.date > step && $0.date <= text && $0.date != old.date }
                        && !incoming.versions.contains { $0.date > step && $0.date <= text && $0.date != version.date }
                }
            if let index {
                let old = record.versions[index]
                if old.source == nil, version.source != nil {
                    // Known from another version's history; now its own text is read.
                    record.versions[index] = version
                    if record.versions[index].decision == nil { record.versions[index].decision = old.decision }
                    changes.append("version \(version.date) text")
                } else if old.date != version.date {
                    // This text's history names a version whose own text the registry holds.
                    if old.decision == nil, let decision = version.decision {
                        record.versions[index].decision = decision
                        changes.append("version \(old.date) decision 《\(decision)》")
                    }
                } else if old.effectiveStated, version.effectiveStated, old.effective != version.effective, let new = version.effective {
                    conflicts.append("version \(version.date): the registry has it in force from \(old.effective?.description ?? "an unknown day"), the page says \(new); kept the registry's")
                } else if !old.effectiveStated, version.effectiveStated {
                    record.versions[index].effective = version.effective
                    record.versions[index].effectiveStated = true
                    changes.append("version \(version.date) in force from \(version.effective?.description ?? "?")")
                }
            } else {
                record.versions.append(version)
                record.versions.sort { $0.date < $1.date }
                changes.append("version \(version.date)")
            }
        }
        // A version's text read in place of its step may have moved its day.
        record.versions.sort { $0.date < $1.date }
        for citation in incoming.citations {
            if let index = record.citations.firstIndex(where: { $0.target == citation.target }) {
                let old = record.citations[index]
                if old.relation == citation.relation { continue }
                if let incomingText, let registryText, incomingText != registryText {
                    guard incomingText > registryText else { continue }
                    record.citations[index] = citation
                    changes.append("citation \(citation.relation.rawValue) \(citation.target?.description ?? "?") (was \(old.relation.rawValue), in the older text)")
                } else {
                    conflicts.append("citation of \(citation.target?.description ?? "?"): the registry says \(old.relation.rawValue), the page reads \(citation.relation.rawValue); kept the registry's")
                }
            } else {
                record.citations.append(citation)
                changes.append("citation \(citation.relation.rawValue) \(citation.target?.description ?? "?")")
            }
        }
        for fact in incoming.facts where !record.facts.contains(where: { same($0, fact) }) {
            record.facts.append(fact)
            changes.append("fact \(fact.event.rawValue)\(fact.by.map { " by \($0.canonical)" } ?? "")\(fact.site.map { " (\($0))" } ?? "")")
        }
        if let notice = incoming.notice {
            var merged = record.notice ?? CleanupNotice()
            if record.notice == nil { changes.append("cleanup notice") }
            if merged.issuedBefore == nil, let cutoff = notice.issuedBefore { merged.issuedBefore = cutoff }
            if merged.closedList == nil, let closed = notice.closedList { merged.closedList = closed }
            if merged.closedListQuote == nil, let quote = notice.closedListQuote { merged.closedListQuote = quote }
            for disposition in notice.dispositions where !merged.dispositions.contains(where: { $0.target == disposition.target }) {
                merged.dispositions.append(disposition)
                changes.append("disposition \(disposition.outcome.rawValue) \(disposition.target?.description ?? "?")")
            }
            record.notice = merged
        }
        return Result(record: record, conflicts: conflicts, changes: changes)
    }

    /// The same fact, read again: same event, same source of authority, same words.
    static func same(_ lhs: Fact, _ rhs: Fact) -> Bool {
        // One amendment printed in two versions' heads (第一次修正 in the later one).
        if lhs.event == .amendment, rhs.event == .amendment, let date = lhs.date, date == rhs.date {
            return lhs.by == rhs.by && lhs.byTitle.map(TitleIdentity.key) == rhs.byTitle.map(TitleIdentity.key)
        }
        return lhs.event == rhs.event && lhs.by == rhs.by && lhs.site == rhs.site
            && lhs.quote.removingSpaces() == rhs.quote.removingSpaces()
    }
}
