/// The registry's facts arranged for questions about validity: every document as a node, its
/// citations as edges both ways (compressed arrays, built once), and for each document the
/// statements others make about it (notices listing it, documents repealing or amending it).
///
/// Built from records alone, so the same index serves the command line, a web face and tests.
public struct ValidityIndex: Sendable {
    public let records: [DocumentRecord]
    public let issuers: IssuerTable
    public let regions: RegionTable
    /// Node of each key (the first record when two issuers share a number).
    let nodeOf: [DocumentKey: Int32]

    /// Citations as compressed sparse rows: `citedStart[n]..<citedStart[n+1]` index `cited`.
    let citedStart: [Int32]
    let cited: [Int32]
    let citedRelation: [Relation]
    /// The same edges reversed: who cites `n`.
    let citingStart: [Int32]
    let citing: [Int32]
    let citingRelation: [Relation]

    /// Notices that list a node: (notice node, index into its dispositions).
    let listedBy: [Int32: [(notice: Int32, entry: Int)]]
    /// Notices with a closed list, by the issuers in their scope.
    let closedListNotices: [String: [Int32]]
    /// Each node's issuer name (its own field, else the one its 代字 names) and the rules of its
    /// region, worked out once: they are asked for many times per answer.
    let issuerNames: [String?]
    let regionRules: [RegionRules?]

    public init(records: [DocumentRecord], issuers: IssuerTable = IssuerTable([]), regions: RegionTable = RegionTable([])) {
        self.records = records
        self.issuers = issuers
        self.regions = regions
        var nodeOf: [DocumentKey: Int32] = [:]
        nodeOf.reserveCapacity(records.count)
        for (index, record) in records.enumerated() where nodeOf[record.key] == nil {
            nodeOf[record.key] = Int32(index)
        }
        self.nodeOf = nodeOf

        var edges: [(from: Int32, to: Int32, relation: Relation)] = []
        var listedBy: [Int32: [(notice: Int32, entry: Int)]] = [:]
        var closed: [String: [Int32]] = [:]
        for (index, record) in records.enumerated() {
            for citation in record.citations {
                if let target = citation.target, let node = nodeOf[target] {
                    edges.append((Int32(index), node, citation.relation))
                }
            }
            if let notice = record.notice {
                for (entry, disposition) in notice.dispositions.enumerated() {
                    if let target = disposition.target, let node = nodeOf[target] {
                        listedBy[node, default: []].append((Int32(index), entry))
                    }
                }
                if notice.closedList == true {
                    for issuer in notice.scopeIssuers { closed[issuer, default: []].append(Int32(index)) }
                }
            }
        }
        self.listedBy = listedBy
        self.closedListNotices = closed
        var rulesByRegion: [String: RegionRules?] = [:]
        issuerNames = records.map { record in record.issuer ?? record.number.flatMap { issuers.issuer(of: $0)?.name } }
        regionRules = records.map { record in
            let issuer = record.issuer.flatMap { issuers.issuer(named: $0) } ?? record.number.flatMap { issuers.issuer(of: $0) }
            guard let region = issuer?.region else { return nil }
            if let known = rulesByRegion[region] { return known }
            let rules = regions.effectiveRules(for: region)
            rulesByRegion[region] = rules
            return rules
        }
        (citedStart, cited, citedRelation) = ValidityIndex.compress(edges.map { ($0.from, $0.to, $0.relation) }, nodes: records.count)
        (citingStart, citing, citingRelation) = ValidityIndex.compress(edges.map { ($0.to, $0.from, $0.relation) }, nodes: records.count)
    }

    /// Counting sort of edges by source into compressed rows.
    static func compress(_ edges: [(Int32, Int32, Relation)], nodes: Int) -> ([Int32], [Int32], [Relation]) {
        var start = [Int32](repeating: 0, count: nodes + 1)
        for (from, _, _) in edges { start[Int(from) + 1] += 1 }
        for index in 0..<nodes { start[index + 1] += start[index] }
        var fill = start
        var targets = [Int32](repeating: 0, count: edges.count)
        var relations = [Relation](repeating: .reference, count: edges.count)
        for (from, to, relation) in edges {
            let slot = Int(fill[Int(from)])
            targets[slot] = to
            relations[slot] = relation
            fill[Int(from)] += 1
        }
        return (start, targets, relations)
    }

    /// The node for a key, if the registry holds it.
    public func node(_ key: DocumentKey) -> Int32? { nodeOf[key] }

    public func record(_ node: Int32) -> DocumentRecord { records[Int(node)] }

    /// What `node` cites that the registry holds, with the relation.
    func citations(of node: Int32) -> some Sequence<(Int32, Relation)> {
        (Int(citedStart[Int(node)])..<Int(citedStart[Int(node) + 1])).lazy.map { (cited[$0], citedRelation[$0]) }
    }

    /// Who cites `node`, with the relation.
    func citers(of node: Int32) -> some Sequence<(Int32, Relation)> {
        (Int(citingStart[Int(node)])..<Int(citingStart[Int(node) + 1])).lazy.map { (citing[$0], citingRelation[$0]) }
    }

    /// The issuer of a document: its own field, else the one its 代字 names.
    func issuerName(of node: Int32) -> String? { issuerNames[Int(node)] }

    /// The rules of the region a document's issuer belongs to.
    func rules(for node: Int32) -> RegionRules? { regionRules[Int(node)] }
}
