/// Where other records speak of a document: citations of it, facts said by it, notices listing it.
public struct Mention: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        /// The other document cites this one.
        case citedBy = "cited_by"
        /// A cleanup notice lists this one.
        case listedBy = "listed_by"
        /// This document is the source of a fact recorded on the other one.
        case saidOf = "said_of"
    }

    public let kind: Kind
    /// The other document.
    public let other: String
    /// The relation or outcome: `basis`, `continued`, `disposition`.
    public let what: String
    public let quote: String?

    /// Every mention of `key` in `records`, in record order.
    public static func of(_ key: DocumentKey, in records: [DocumentRecord]) -> [Mention] {
        var mentions: [Mention] = []
        for record in records where record.key != key {
            let other = record.key.description
            for citation in record.citations where citation.target == key {
                mentions.append(Mention(kind: .citedBy, other: other, what: citation.relation.rawValue, quote: citation.evidence))
            }
            for disposition in record.notice?.dispositions ?? [] where disposition.target == key {
                mentions.append(Mention(kind: .listedBy, other: other, what: disposition.outcome.rawValue, quote: disposition.quote))
            }
            if case .number(let number) = key {
                for fact in record.facts where fact.by == number {
                    mentions.append(Mention(kind: .saidOf, other: other, what: fact.outcome?.rawValue ?? fact.event.rawValue, quote: fact.quote))
                }
            }
        }
        return mentions
    }
}
