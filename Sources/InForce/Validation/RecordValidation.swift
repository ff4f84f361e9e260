/// Checks one record on its own: what no registry around it could make right.
public enum RecordValidation {
    public static func problems(in record: DocumentRecord, origin: String) -> [RegistryProblem] {
        var problems: [RegistryProblem] = []
        func error(_ field: String?, _ message: String) { problems.append(RegistryProblem(.error, origin: origin, field: field, message)) }
        func warning(_ field: String?, _ message: String) { problems.append(RegistryProblem(.warning, origin: origin, field: field, message)) }

        if record.title.trimmingSpaces().isEmpty { error("title", "the title is empty") }
        if record.isTitleUnknown {
            if record.number == nil { error("title", "a document without a number needs its real title") }
            warning("title", "the title is not known yet; add it when a page or the notice gives it")
        }
        if let raw = record.rawNumber {
            switch Result(catching: { () throws(NumberError) in try DocumentNumber(raw) }) {
            case .failure(let failure):
                error("raw_number", failure.description)
            case .success(let parsed):
                if record.number == nil {
                    error("number", "raw_number is given but number is not; add number = \"\(parsed.canonical)\"")
                } else if let number = record.number, parsed != number, !parsed.isIssuerImplied {
                    error("raw_number", "raw_number \(raw) is not the same number as \(number.canonical)")
                }
            }
        }
        checkDates(record, error: error, warning: warning)
        for (index, version) in record.versions.enumerated() where index > 0 {
            let previous = record.versions[index - 1]
            if version.date == previous.date {
                error("versions[\(index)]", "a second version of \(version.date) (also versions[\(index - 1)]): keep one")
            } else if version.date < previous.date {
                error("versions[\(index)]", "versions go oldest first: \(version.date) comes after \(previous.date)")
            }
        }
        var firstCitation: [CitationIdentity: Int] = [:]
        for (index, citation) in record.citations.enumerated() {
            let field = "citations[\(index)]"
            if let target = citation.target {
                let identity = CitationIdentity(target: target, relation: citation.relation)
                if let first = firstCitation[identity] {
                    warning(field, "cites \(target) as \(citation.relation.rawValue) again (first at citations[\(first)]): keep one, with the quote that shows it")
                } else {
                    firstCitation[identity] = index
                }
            }
            if citation.number == nil && (citation.title ?? "").trimmingSpaces().isEmpty {
                error(field, "a citation needs the cited document's number or title")
            }
            if let number = citation.number, number == record.number {
                warning(field + ".number", "the document cites itself")
            }
            if (citation.evidence ?? "").trimmingSpaces().isEmpty {
                warning(field + ".evidence", "no evidence quote: say which sentence cites \(citation.target?.description ?? "it")")
            }
        }
        for (index, fact) in record.facts.enumerated() {
            checkFact(fact, field: "facts[\(index)]", record: record, error: error, warning: warning)
        }
        if let notice = record.notice { checkNotice(notice, record: record, error: error, warning: warning) }
        return problems
    }

    private static func checkDates(
        _ record: DocumentRecord, error: (String?, String) -> Void, warning: (String?, String) -> Void
    ) {
        if let issued = record.issued, let published = record.published, published < issued {
            error("published", "published \(published) is before issued \(issued)")
        }
        if let effective = record.effective, let first = record.firstKnownDay, effective < first {
            warning("effective", "effective \(effective) is before the document was issued (\(first)): retroactive effect is rare, check the text")
        }
        if let expires = record.expires {
            if let effective = record.effective, expires < effective {
                error("expires", "expires \(expires) is before it takes effect (\(effective))")
            } else if let first = record.firstKnownDay, expires < first {
                error("expires", "expires \(expires) is before the document was issued (\(first))")
            }
        }
        // A law's number is given when it is published, which may be the year after its adoption
        // (法释〔2022〕3号, adopted 2021-12-20), or by a later version (法释〔2022〕4号 of a 2017 text amended in 2022).
        let numberedLater = { (year: Int, issued: Day) in
            record.rank != nil && (year == issued.year + 1 || record.versions.contains { $0.date.year == year })
        }
        if let number = record.number, number.kind == .dispatch, let year = number.year, let issued = record.issued,
           issued.year != year, !numberedLater(year, issued)
        {
            warning("issued", "issued \(issued) is not in \(year), the year of its number \(number.canonical)")
        }
    }

    private static func checkFact(
        _ fact: Fact, field: String, record: DocumentRecord,
        error: (String?, String) -> Void, warning: (String?, String) -> Void
    ) {
        if fact.quote.trimmingSpaces().isEmpty { error(field + ".quote", "a fact needs the quote that states it") }
        // A law's own history may print a revision by the session that made it, with no decision
        // named: the document's own text (its source) says it.
        let ownHistory = fact.event == .amendment && fact.source != nil
        if fact.by == nil && fact.site == nil && (fact.byTitle ?? "").isEmpty && !ownHistory {
            error(field, "a fact needs who said it: by (a document number), by_title, or site (a third party); an amendment its own text states needs its source")
        }
        if fact.event == .statusNote && fact.site == nil {
            error(field + ".site", "a status note needs the site that wrote it")
        }
        if fact.event == .disposition && fact.outcome == nil {
            error(field + ".outcome", "a disposition needs its outcome: \(DispositionOutcome.choices)")
        }
        if fact.event == .expiry && fact.until == nil && fact.date == nil {
            error(field + ".until", "an expiry needs the last day in force (until)")
        }
        if let by = fact.by, by == record.number {
            warning(field + ".by", "the fact is said by the document itself; put its own dates on the record instead")
        }
        if let first = record.firstKnownDay {
            if let date = fact.date, date < first {
                error(field + ".date", "\(fact.event.rawValue) dated \(date) is before the document was issued (\(first))")
            }
            if let until = fact.until, until < first {
                error(field + ".until", "until \(until) is before the document was issued (\(first))")
            }
        }
    }

    private static func checkNotice(
        _ notice: CleanupNotice, record: DocumentRecord,
        error: (String?, String) -> Void, warning: (String?, String) -> Void
    ) {
        if notice.closedList == true && (notice.closedListQuote ?? "").trimmingSpaces().isEmpty {
            warning("notice.closed_list_quote", "closed_list is true but the sentence that says so is not quoted")
        }
        if let cutoff = notice.issuedBefore, let issued = record.issued, issued < cutoff {
            error("notice.issued_before", "the cleanup's cut-off \(cutoff) is after the notice itself was issued (\(issued))")
        }
        for (index, disposition) in notice.dispositions.enumerated() {
            let field = "notice.dispositions[\(index)]"
            if disposition.quote.trimmingSpaces().isEmpty { error(field + ".quote", "a disposition needs its list row or sentence as quote") }
            if disposition.target == nil { error(field, "a disposition needs the listed document's number or title") }
            if let number = disposition.number, number == record.number {
                error(field + ".number", "the notice lists itself")
            }
        }
    }
}

/// What makes two citations the same: the document cited and how.
private struct CitationIdentity: Hashable {
    let target: DocumentKey
    let relation: Relation
}
