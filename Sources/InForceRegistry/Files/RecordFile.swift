public import InForce

/// One document's record as a TOML file: the registry's unit of truth and of review.
///
/// Fields come in one fixed order, dates as TOML dates, Chinese as is, so a file is the same
/// bytes whenever the record is the same and a change of status is a one-line diff.
public enum RecordFile {
    /// The file text for a record.
    public static func encode(_ record: DocumentRecord) -> String {
        var toml = TOMLText()
        toml.set("number", record.number?.canonical)
        toml.set("raw_number", record.rawNumber)
        toml.set("title", record.title)
        toml.set("issuer", record.issuer)
        toml.set("level", record.level)
        toml.set("rank", record.rank)
        toml.set("issued", record.issued)
        toml.set("published", record.published)
        toml.set("effective", record.effective)
        toml.set("expires", record.expires)
        toml.set("validity", record.validity?.description)
        toml.set("sources", record.sources)
        toml.set("note", record.note)
        for citation in record.citations {
            toml.header("citations", array: true)
            toml.set("number", citation.number?.canonical)
            toml.set("raw_number", citation.rawNumber)
            toml.set("title", citation.title)
            toml.set("relation", citation.relation)
            toml.set("evidence", citation.evidence)
        }
        for fact in record.facts {
            toml.header("facts", array: true)
            toml.set("event", fact.event)
            toml.set("outcome", fact.outcome)
            toml.set("by", fact.by?.canonical)
            toml.set("by_title", fact.byTitle)
            toml.set("site", fact.site)
            toml.set("date", fact.date)
            toml.set("until", fact.until)
            toml.set("quote", fact.quote)
            toml.set("source", fact.source)
        }
        for version in record.versions {
            toml.header("versions", array: true)
            toml.set("date", version.date)
            toml.set("effective", version.effective)
            toml.set("effective_stated", version.effectiveStated ? nil : false)
            toml.set("decision", version.decision)
            toml.set("source", version.source)
        }
        if let notice = record.notice {
            toml.header("notice", array: false)
            toml.set("scope_issuers", notice.scopeIssuers)
            toml.set("issued_before", notice.issuedBefore)
            toml.set("closed_list", notice.closedList)
            toml.set("closed_list_quote", notice.closedListQuote)
            toml.set("effective", notice.effective)
            for disposition in notice.dispositions {
                toml.header("notice.dispositions", array: true)
                toml.set("number", disposition.number?.canonical)
                toml.set("raw_number", disposition.rawNumber)
                toml.set("title", disposition.title)
                toml.set("outcome", disposition.outcome)
                toml.set("planned", disposition.planned ? true : nil)
                toml.set("effective", disposition.effective)
                toml.set("quote", disposition.quote)
            }
        }
        return toml.text
    }

    /// Reads a record file; `origin` names it in problems. Returns the record when it could be
    /// read at all, and every problem found on the way.
    public static func decode(_ text: String, origin: String) -> (record: DocumentRecord?, problems: [RegistryProblem]) {
        var reader: TableReader
        switch TableReader.parse(text, origin: origin) {
        case .success(let root): reader = root
        case .failure(let problem): return (nil, [problem])
        }
        let number = reader.number("number")
        let rawNumber = reader.string("raw_number")
        let title = reader.string("title", required: true)
        var record = DocumentRecord(
            number: number, rawNumber: rawNumber, title: title ?? "", issuer: reader.string("issuer"),
            level: reader.word("level"), rank: reader.word("rank"), issued: reader.day("issued"), published: reader.day("published"),
            effective: reader.day("effective"), expires: reader.day("expires"), validity: reader.period("validity"),
            sources: reader.strings("sources"), note: reader.string("note"))

        for var citation in reader.tables("citations") {
            let relation: Relation? = citation.word("relation", required: true)
            let value = Citation(
                number: citation.number("number"), rawNumber: citation.string("raw_number"), title: citation.string("title"),
                relation: relation ?? .reference, evidence: citation.string("evidence"))
            if relation != nil { record.citations.append(value) }
            reader.merge(citation)
        }
        for var fact in reader.tables("facts") {
            let event: FactEvent? = fact.word("event", required: true)
            let value = Fact(
                event: event ?? .statusNote, outcome: fact.word("outcome"), by: fact.number("by"), byTitle: fact.string("by_title"),
                site: fact.string("site"), date: fact.day("date"), until: fact.day("until"),
                quote: fact.string("quote", required: true) ?? "", source: fact.string("source"))
            if event != nil { record.facts.append(value) }
            reader.merge(fact)
        }
        for var version in reader.tables("versions") {
            let date = version.day("date", required: true)
            if let date {
                record.versions.append(DocumentVersion(
                    date: date, effective: version.day("effective"), effectiveStated: version.bool("effective_stated") ?? true,
                    decision: version.string("decision"), source: version.string("source")))
            }
            reader.merge(version)
        }
        if var notice = reader.table("notice") {
            var value = CleanupNotice(
                scopeIssuers: notice.strings("scope_issuers"), issuedBefore: notice.day("issued_before"),
                closedList: notice.bool("closed_list"), closedListQuote: notice.string("closed_list_quote"),
                effective: notice.day("effective"))
            for var disposition in notice.tables("dispositions") {
                let outcome: DispositionOutcome? = disposition.word("outcome", required: true)
                let entry = Disposition(
                    number: disposition.number("number"), rawNumber: disposition.string("raw_number"),
                    title: disposition.string("title"), outcome: outcome ?? .continued, planned: disposition.bool("planned") ?? false,
                    effective: disposition.day("effective"), quote: disposition.string("quote", required: true) ?? "")
                if outcome != nil { value.dispositions.append(entry) }
                notice.merge(disposition)
            }
            record.notice = value
            reader.merge(notice)
        }
        let problems = reader.finished()
        return (title == nil ? nil : record, problems)
    }
}
