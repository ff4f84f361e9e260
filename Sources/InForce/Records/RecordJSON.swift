/// The JSON form of records, the schema `--format json` prints (documented in the README).
/// Keys are camelCase, the property names; absent values are `null`, so every object of a kind
/// has the same keys. Reading it back is `Decodable`, synthesized beside the types
/// (`DocumentRecord.swift`) from the same names.
extension DocumentRecord: Encodable {
    enum JSONKeys: String, CodingKey {
        case number, rawNumber, title, issuer, level, rank, issued, published, effective, expires, validity, sources, note
        case citations, facts, notice, versions
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(rawNumber, forKey: .rawNumber)
        try container.encode(title, forKey: .title)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(level, forKey: .level)
        try container.encode(rank, forKey: .rank)
        try container.encode(issued, forKey: .issued)
        try container.encode(published, forKey: .published)
        try container.encode(effective, forKey: .effective)
        try container.encode(expires, forKey: .expires)
        try container.encode(validity, forKey: .validity)
        try container.encode(sources, forKey: .sources)
        try container.encode(note, forKey: .note)
        try container.encode(citations, forKey: .citations)
        try container.encode(facts, forKey: .facts)
        try container.encode(notice, forKey: .notice)
        try container.encode(versions, forKey: .versions)
    }
}

extension DocumentVersion: Encodable {
    enum JSONKeys: String, CodingKey { case date, effective, effectiveStated, decision, source }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(date, forKey: .date)
        try container.encode(effective, forKey: .effective)
        try container.encode(effectiveStated, forKey: .effectiveStated)
        try container.encode(decision, forKey: .decision)
        try container.encode(source, forKey: .source)
    }
}

extension Citation: Encodable {
    enum JSONKeys: String, CodingKey { case number, rawNumber, title, relation, evidence }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(rawNumber, forKey: .rawNumber)
        try container.encode(title, forKey: .title)
        try container.encode(relation, forKey: .relation)
        try container.encode(evidence, forKey: .evidence)
    }
}

extension Fact: Encodable {
    enum JSONKeys: String, CodingKey { case event, outcome, by, byTitle, site, date, until, quote, source }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(event, forKey: .event)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(by, forKey: .by)
        try container.encode(byTitle, forKey: .byTitle)
        try container.encode(site, forKey: .site)
        try container.encode(date, forKey: .date)
        try container.encode(until, forKey: .until)
        try container.encode(quote, forKey: .quote)
        try container.encode(source, forKey: .source)
    }
}

extension CleanupNotice: Encodable {
    enum JSONKeys: String, CodingKey { case scopeIssuers, issuedBefore, closedList, closedListQuote, effective, dispositions }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(scopeIssuers, forKey: .scopeIssuers)
        try container.encode(issuedBefore, forKey: .issuedBefore)
        try container.encode(closedList, forKey: .closedList)
        try container.encode(closedListQuote, forKey: .closedListQuote)
        try container.encode(effective, forKey: .effective)
        try container.encode(dispositions, forKey: .dispositions)
    }
}

extension Disposition: Encodable {
    enum JSONKeys: String, CodingKey { case number, rawNumber, title, outcome, planned, effective, quote }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(rawNumber, forKey: .rawNumber)
        try container.encode(title, forKey: .title)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(planned, forKey: .planned)
        try container.encode(effective, forKey: .effective)
        try container.encode(quote, forKey: .quote)
    }
}
