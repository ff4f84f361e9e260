extension Extraction {
    /// Takes what a law text's own layout states over what reading it as a page guessed: its
    /// title, issuer, decree, the days it was adopted, published and put in force, and its
    /// amendments and revisions with their decisions, in order. The reading is kept whole in `law`.
    mutating func apply(_ law: LawText) {
        self.law = law
        title = law.title
        issuer = law.issuer ?? issuer
        // A number the history prints for a later version's promulgation is that version's, not the document's.
        let laterVersions = Set(law.history.compactMap { $0.kind == .promulgated ? $0.number : nil })
        number = law.number ?? number.flatMap { laterVersions.contains($0) ? nil : $0 }
        // A law's date is the day it was first made public (公布日期), as the national database
        // lists it — not a later version's promulgation.
        issued = law.firstMade ?? issued
        published = law.promulgated ?? published
        // The document's day of force is its first version's; a later version's day is that version's.
        effective = law.changes.isEmpty ? law.effective ?? effective : law.originalEffective
        let changes = law.changes
        if !changes.isEmpty {
            amendments = changes.map { change in
                ExtractedAmendment(by: change.number, byTitle: change.decision, date: change.date, evidence: change.quote)
            }
        }
    }
}

extension LegislativeEvent: Encodable {
    enum JSONKeys: String, CodingKey { case kind, date, body, decision, number, quote }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(date, forKey: .date)
        try container.encode(body, forKey: .body)
        try container.encode(decision, forKey: .decision)
        try container.encode(number?.canonical, forKey: .number)
        try container.encode(quote, forKey: .quote)
    }
}

extension LawText: Encodable {
    enum JSONKeys: String, CodingKey {
        case title, rank, issuer, number, history, adopted, approved, promulgated, effective, effectiveQuote
        case versionDate, versionEffective, versionEffectiveStated, repeals
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(rank, forKey: .rank)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(number?.canonical, forKey: .number)
        try container.encode(history, forKey: .history)
        try container.encode(adopted, forKey: .adopted)
        try container.encode(approved, forKey: .approved)
        try container.encode(promulgated, forKey: .promulgated)
        try container.encode(effective, forKey: .effective)
        try container.encode(effectiveQuote, forKey: .effectiveQuote)
        try container.encode(versionDate, forKey: .versionDate)
        try container.encode(versionEffective, forKey: .versionEffective)
        try container.encode(versionEffectiveStated, forKey: .versionEffectiveStated)
        try container.encode(repeals, forKey: .repeals)
    }
}

extension LawRepeal: Encodable {
    enum JSONKeys: String, CodingKey { case title, quote }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(quote, forKey: .quote)
    }
}
