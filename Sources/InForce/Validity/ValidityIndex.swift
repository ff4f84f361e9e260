/// The registry's facts arranged for questions about validity: every document as a node, its
/// citations as edges both ways (compressed arrays, built once), and for each document the
/// statements others make about it (notices listing it, documents repealing or amending it).
///
/// The arrays (`ValidityGraph`) and the records (`RecordStore`) are separate, so a derived index
/// can keep the graph on disk and hand out records only when a question reaches them. Built from
/// records alone, so the same index serves the command line, a web face and tests.
public struct ValidityIndex: Sendable {
    public let store: any RecordStore
    public let graph: any GraphSource
    public let issuers: IssuerTable
    public let regions: RegionTable
    public init(records: [DocumentRecord], issuers: IssuerTable = IssuerTable([]), regions: RegionTable = RegionTable([])) {
        self.init(graph: ValidityGraph(records: records, issuers: issuers, regions: regions), store: RecordArray(records), issuers: issuers, regions: regions)
    }

    /// An index over a graph built earlier from the same records.
    public init(graph: any GraphSource, store: any RecordStore, issuers: IssuerTable, regions: RegionTable) {
        precondition(graph.nodeCount == store.count, "the graph and the records disagree")
        self.graph = graph
        self.store = store
        self.issuers = issuers
        self.regions = regions
    }

    /// The same index for one thread describing a run of documents: the records and notices it
    /// reads are kept for the run (`RunRecords`).
    func forRun() -> ValidityIndex { ValidityIndex(graph: graph, store: RunRecords(store), issuers: issuers, regions: regions) }

    /// What this thread has learnt of the notices while describing a run of documents (nil: each
    /// question reads them afresh).
    var run: RunRecords? { store as? RunRecords }

    /// How many documents the index holds.
    public var count: Int { store.count }

    /// Every node, in the registry's order (its files' paths).
    public var nodes: [Int32] { graph.allNodes() }

    /// The node for a key, if the registry holds it (the first record when two issuers share a number).
    public func node(_ key: DocumentKey) -> Int32? { graph.node(key) }

    public func record(_ node: Int32) -> DocumentRecord { store.record(node) }

    /// What `node` cites that the registry holds, with the relation.
    func citations(of node: Int32) -> [(Int32, Relation)] { graph.citations(of: node) }

    /// Who cites `node`, with the relation.
    func citers(of node: Int32) -> [(Int32, Relation)] { graph.citers(of: node) }

    /// How many citations of `node` the registry holds (what `impact` starts from).
    public func citerCount(_ node: Int32) -> Int { graph.citerCount(node) }

    /// Notices that list `node`: (notice node, index into its dispositions).
    func listings(of node: Int32) -> [(notice: Int32, entry: Int)] { graph.listings(of: node) }

    /// Notices with a closed list whose scope names `issuer`.
    func closedListNotices(of issuer: String) -> [Int32] { graph.closedListNotices(of: issuer) }

    /// Every cleanup notice whose scope names `issuer`, closed list or not.
    func cleanupNotices(of issuer: String) -> [Int32] { graph.cleanupNotices(of: issuer) }

    /// The issuer of a document: its own field, else the one its 代字 names.
    func issuerName(of node: Int32) -> String? { graph.issuerName(of: node) }

    /// The rules of the region a document's issuer belongs to (and of the regions above it).
    func rules(for node: Int32) -> ApplicableRules {
        graph.regionRow(of: node).map { regions.rules(at: $0) } ?? ApplicableRules([])
    }

    /// The name of the region a document's issuer belongs to.
    func regionName(of node: Int32) -> String? {
        graph.regionRow(of: node).map { regions.regions[$0].name }
    }
}

/// Finding documents by title without reading every record (the derived store's index on titles).
public protocol TitleLookup {
    func documents(titled title: String) -> [Int32]
    func documents(titleHolding part: String, limit: Int) -> [Int32]
}

/// What questions of validity ask of a registry's shape: which node a key names, who cites
/// whom, which notices list a document, each document's issuer and region. Held in memory
/// (`ValidityGraph`, built from the records), or answered by the derived store one question at
/// a time, so that a question reads only what it reaches.
///
/// Every list comes in the registry's order (the order of the records' files), so the two
/// give the same answers in the same order.
public protocol GraphSource: Sendable {
    var nodeCount: Int { get }
    /// Every node, in the registry's order.
    func allNodes() -> [Int32]
    /// The node of a key: a record read from its text first, then a law's title, then a stub;
    /// of equals, the first in the registry's order.
    func node(_ key: DocumentKey) -> Int32?
    func citations(of node: Int32) -> [(Int32, Relation)]
    func citers(of node: Int32) -> [(Int32, Relation)]
    func citerCount(_ node: Int32) -> Int
    func listings(of node: Int32) -> [(notice: Int32, entry: Int)]
    func closedListNotices(of issuer: String) -> [Int32]
    func cleanupNotices(of issuer: String) -> [Int32]
    func issuerName(of node: Int32) -> String?
    /// The row of the region table a document's issuer belongs to.
    func regionRow(of node: Int32) -> Int?
    /// The nodes citing a key the registry holds no record of, each once, in order.
    func unresolvedCiters(_ key: DocumentKey) -> [Int32]
    /// Every issuer name a document has (its own field, or the one its 代字 names).
    func issuerNames() -> [String]
    /// Calls `body` with every key held, as UTF-8 (for suggestions when a key is not found).
    func forEachKey(_ body: (UnsafeBufferPointer<UInt8>) -> Void)
    /// Told by a walk that it is about to ask about this many documents at once: a source that
    /// answers row by row may read itself whole instead.
    func expectQuestions(_ count: Int)
}

extension GraphSource {
    public func expectQuestions(_ count: Int) {}
}

/// Where an index gets its records: all in memory, or read on demand from a derived index.
public protocol RecordStore: Sendable {
    var count: Int { get }
    func record(_ node: Int32) -> DocumentRecord
    /// A record wanted once (a walk describes each document it reaches once): a store that keeps
    /// the records it decodes need not keep this one.
    func recordOnce(_ node: Int32) -> DocumentRecord
}

extension RecordStore {
    public func recordOnce(_ node: Int32) -> DocumentRecord { record(node) }
}

/// The records one thread reads while describing a run of documents: the notices and citing
/// documents their statuses look at, decoded once for the run and dropped with it, so a walk
/// over half the registry neither decodes them again and again nor leaves them in the store's
/// cache. Used by one thread only.
final class RunRecords: RecordStore, @unchecked Sendable {
    private let base: any RecordStore
    private var kept: [Int32: DocumentRecord] = [:]
    /// What each notice met says, worked out once for the run.
    var notices: [Int32: NoticeFacts] = [:]

    init(_ base: any RecordStore) { self.base = base }

    var count: Int { base.count }

    func record(_ node: Int32) -> DocumentRecord {
        if let record = kept[node] { return record }
        let record = base.recordOnce(node)
        kept[node] = record
        return record
    }

    func recordOnce(_ node: Int32) -> DocumentRecord { kept[node] ?? base.recordOnce(node) }
}

/// Records held in memory.
public struct RecordArray: RecordStore {
    public let records: [DocumentRecord]

    public init(_ records: [DocumentRecord]) { self.records = records }

    public var count: Int { records.count }

    public func record(_ node: Int32) -> DocumentRecord { records[Int(node)] }
}

/// The arrays of a validity index: everything a question needs besides the records themselves.
/// Plain integers and strings, so a derived index can store them and read them back without
/// the records.
public struct ValidityGraph: GraphSource, Equatable {
    public internal(set) var nodeCount: Int
    /// Every node's key (canonical number or 《title》) as UTF-8, nodes sorted by key (then by
    /// node) for binary search: `keyBytes[keyStart[i]..<keyStart[i+1]]` is the key of `keyNode[i]`.
    /// A node can be under two keys (a law's number and its title), so there may be more keys than nodes.
    var keyBytes: [UInt8]
    var keyStart: [Int32]
    var keyNode: [Int32]

    /// Citations as compressed sparse rows: `citedStart[n]..<citedStart[n+1]` index `cited`.
    var citedStart: [Int32]
    var cited: [Int32]
    var citedRelation: [Relation]
    /// The same edges reversed: who cites `n`.
    var citingStart: [Int32]
    var citing: [Int32]
    var citingRelation: [Relation]

    /// Notices listing each node, as compressed rows of (notice, entry in its dispositions).
    var listedStart: [Int32]
    var listedNotice: [Int32]
    var listedEntry: [Int32]
    /// Notices with a closed list, by the issuers in their scope.
    var closedByIssuer: [String: [Int32]]
    /// Every notice with a scope, by the issuers in it (what `cleanup_overdue` looks for).
    var scopedByIssuer: [String: [Int32]]
    /// Citations of documents the registry has no record of, one row per (cited key, citing node),
    /// sorted by key: `unresolvedBytes[unresolvedStart[i]..<unresolvedStart[i+1]]` is cited by
    /// `unresolvedCiter[i]`. So a question about a document only cited reads only its citers.
    var unresolvedBytes: [UInt8]
    var unresolvedStart: [Int32]
    var unresolvedCiter: [Int32]
    /// Each node's issuer name (its own field, else the one its 代字 names) as an index into
    /// `issuerNames`, and its region as an index into the region table (-1: none). Worked out
    /// once: they are asked for many times per answer.
    var issuerNameList: [String]
    var issuerOfNode: [Int32]
    var region: [Int32]

    public init(records: [DocumentRecord], issuers: IssuerTable, regions: RegionTable) {
        self.init(inputs: records.map(GraphInput.init), issuers: issuers, regions: regions)
    }

    /// What the graph needs of each record, in node order: enough to build it while the records
    /// themselves are written out and dropped (a registry of a million documents).
    public init(inputs: [GraphInput], issuers: IssuerTable, regions: RegionTable) {
        nodeCount = inputs.count
        // Every record under its key; a law read from its text and keyed by its decree
        // (国务院令第250号) also under its title, so what cites it by title reaches it. Of one key,
        // first a record read from its text, then such a title, then a stub.
        var entries: [(key: [UInt8], rank: Int, node: Int32)] = []
        entries.reserveCapacity(inputs.count)
        for (index, input) in inputs.enumerated() {
            entries.append((input.key, input.read ? 0 : 2, Int32(index)))
            if let title = input.titleKey { entries.append((title, 1, Int32(index))) }
        }
        entries.sort { lhs, rhs in
            let order = lhs.key.withUnsafeBufferPointer { left in rhs.key.withUnsafeBufferPointer { Self.compare(left, $0) } }
            return order < 0 || (order == 0 && (lhs.rank, lhs.node) < (rhs.rank, rhs.node))
        }
        keyBytes = []
        keyStart = [0]
        keyNode = []
        keyStart.reserveCapacity(entries.count + 1)
        keyNode.reserveCapacity(entries.count)
        for entry in entries {
            keyBytes += entry.key
            keyStart.append(Int32(keyBytes.count))
            keyNode.append(entry.node)
        }
        citedStart = []
        cited = []
        citedRelation = []
        citingStart = []
        citing = []
        citingRelation = []
        listedStart = []
        listedNotice = []
        listedEntry = []
        closedByIssuer = [:]
        scopedByIssuer = [:]
        unresolvedBytes = []
        unresolvedStart = [0]
        unresolvedCiter = []
        issuerNameList = []
        issuerOfNode = []
        region = []

        var edges: [(Int32, Int32, Relation)] = []
        var listings: [(Int32, Int32, Int32)] = []
        var closed: [String: [Int32]] = [:]
        var scoped: [String: [Int32]] = [:]
        var unresolved: [(key: [UInt8], citer: Int32)] = []
        for (index, input) in inputs.enumerated() {
            for (target, relation) in input.citations {
                if let node = node(target) {
                    edges.append((Int32(index), node, relation))
                } else {
                    unresolved.append((target, Int32(index)))
                }
            }
            for (entry, target) in input.listings.enumerated() {
                if let target, let node = node(target) { listings.append((node, Int32(index), Int32(entry))) }
            }
            for issuer in input.noticeScope {
                scoped[issuer, default: []].append(Int32(index))
                if input.closedList { closed[issuer, default: []].append(Int32(index)) }
            }
        }
        closedByIssuer = closed
        scopedByIssuer = scoped
        unresolved.sort { $0.key.lexicographicallyPrecedes($1.key) || ($0.key == $1.key && $0.citer < $1.citer) }
        for (key, citer) in unresolved where unresolvedCiter.last != citer || !unresolvedKey(unresolvedCiter.count - 1).elementsEqual(key) {
            unresolvedBytes += key
            unresolvedStart.append(Int32(unresolvedBytes.count))
            unresolvedCiter.append(citer)
        }
        (citedStart, cited, citedRelation) = Self.compress(edges, nodes: inputs.count)
        (citingStart, citing, citingRelation) = Self.compress(edges.map { ($0.1, $0.0, $0.2) }, nodes: inputs.count)
        (listedStart, listedNotice, listedEntry) = Self.compress(listings, nodes: inputs.count)

        var nameIndex: [UTF8Key: Int32] = [:]
        var regionIndex: [UTF8Key: Int32] = [:]
        for input in inputs {
            let owner = input.owner ?? {
                let issuer = input.issuer.flatMap { issuers.issuer(named: $0) } ?? input.number.flatMap { issuers.issuer(of: $0) }
                return (input.issuer ?? issuer?.name, issuer?.region)
            }()
            if let name = owner.issuer {
                if nameIndex[UTF8Key(name)] == nil {
                    nameIndex[UTF8Key(name)] = Int32(issuerNameList.count)
                    issuerNameList.append(name)
                }
                issuerOfNode.append(nameIndex[UTF8Key(name)]!)
            } else {
                issuerOfNode.append(-1)
            }
            if let name = owner.region {
                if regionIndex[UTF8Key(name)] == nil { regionIndex[UTF8Key(name)] = regions.index(named: name).map(Int32.init) ?? -1 }
                region.append(regionIndex[UTF8Key(name)]!)
            } else {
                region.append(-1)
            }
        }
    }

    /// The first node whose key is `key`: a binary search over the sorted keys.
    public func node(_ key: DocumentKey) -> Int32? { node(Array(key.description.utf8)) }

    public func allNodes() -> [Int32] { Array(0..<Int32(nodeCount)) }

    public func citations(of node: Int32) -> [(Int32, Relation)] {
        (Int(citedStart[Int(node)])..<Int(citedStart[Int(node) + 1])).map { (cited[$0], citedRelation[$0]) }
    }

    public func citers(of node: Int32) -> [(Int32, Relation)] {
        (Int(citingStart[Int(node)])..<Int(citingStart[Int(node) + 1])).map { (citing[$0], citingRelation[$0]) }
    }

    public func citerCount(_ node: Int32) -> Int { Int(citingStart[Int(node) + 1] - citingStart[Int(node)]) }

    public func listings(of node: Int32) -> [(notice: Int32, entry: Int)] {
        (Int(listedStart[Int(node)])..<Int(listedStart[Int(node) + 1])).map { (listedNotice[$0], Int(listedEntry[$0])) }
    }

    public func closedListNotices(of issuer: String) -> [Int32] { closedByIssuer[issuer] ?? [] }

    public func cleanupNotices(of issuer: String) -> [Int32] { scopedByIssuer[issuer] ?? [] }

    public func issuerName(of node: Int32) -> String? {
        let name = issuerOfNode[Int(node)]
        return name < 0 ? nil : issuerNameList[Int(name)]
    }

    public func regionRow(of node: Int32) -> Int? {
        let row = region[Int(node)]
        return row < 0 ? nil : Int(row)
    }

    public func issuerNames() -> [String] { issuerNameList }

    public func forEachKey(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        keyBytes.withUnsafeBufferPointer { bytes in
            for index in 0..<keyNode.count {
                body(UnsafeBufferPointer(rebasing: bytes[Int(keyStart[index])..<Int(keyStart[index + 1])]))
            }
        }
    }

    func node(_ wanted: [UInt8]) -> Int32? {
        keyBytes.withUnsafeBufferPointer { bytes in
            wanted.withUnsafeBufferPointer { wanted in
                var low = 0
                var high = keyNode.count
                while low < high {
                    let middle = (low + high) / 2
                    let key = UnsafeBufferPointer(rebasing: bytes[Int(keyStart[middle])..<Int(keyStart[middle + 1])])
                    if Self.compare(key, wanted) < 0 { low = middle + 1 } else { high = middle }
                }
                guard low < keyNode.count,
                      Self.compare(UnsafeBufferPointer(rebasing: bytes[Int(keyStart[low])..<Int(keyStart[low + 1])]), wanted) == 0
                else { return nil }
                return keyNode[low]
            }
        }
    }

    /// Byte order of two keys: negative, zero or positive (a plain loop; the generic comparison
    /// of slices was a tenth of building a graph).
    static func compare(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int {
        let shorter = min(lhs.count, rhs.count)
        var index = 0
        while index < shorter {
            if lhs[index] != rhs[index] { return Int(lhs[index]) - Int(rhs[index]) }
            index += 1
        }
        return lhs.count - rhs.count
    }

    private func unresolvedKey(_ row: Int) -> ArraySlice<UInt8> {
        row < 0 ? [] : unresolvedBytes[Int(unresolvedStart[row])..<Int(unresolvedStart[row + 1])]
    }

    /// The nodes citing a key the registry holds no record of, each once, in node order.
    public func unresolvedCiters(_ key: DocumentKey) -> [Int32] {
        let wanted = Array(key.description.utf8)
        var low = 0
        var high = unresolvedCiter.count
        while low < high {
            let middle = (low + high) / 2
            if unresolvedKey(middle).lexicographicallyPrecedes(wanted) { low = middle + 1 } else { high = middle }
        }
        var citers: [Int32] = []
        while low < unresolvedCiter.count, unresolvedKey(low).elementsEqual(wanted) {
            citers.append(unresolvedCiter[low])
            low += 1
        }
        return citers
    }

    /// Counting sort of rows by their first element into compressed rows.
    static func compress<Value>(_ rows: [(Int32, Int32, Value)], nodes: Int) -> ([Int32], [Int32], [Value]) {
        var start = [Int32](repeating: 0, count: nodes + 1)
        for row in rows { start[Int(row.0) + 1] += 1 }
        for index in 0..<nodes { start[index + 1] += start[index] }
        var fill = start
        var targets = [Int32](repeating: 0, count: rows.count)
        var values: [Value?] = Array(repeating: nil, count: rows.count)
        for (from, to, value) in rows {
            let slot = Int(fill[Int(from)])
            targets[slot] = to
            values[slot] = value
            fill[Int(from)] += 1
        }
        return (start, targets, values.map { $0! })
    }
}

/// What the validity graph needs of one record: its key, what it cites, what its cleanup list
/// names (by position in the list), the issuers a closed list covers, and what finds its issuer.
public struct GraphInput: Sendable {
    public let key: [UInt8]
    public let citations: [(target: [UInt8], relation: Relation)]
    public let listings: [[UInt8]?]
    public let noticeScope: [String]
    public let closedList: Bool
    public let issuer: String?
    public let number: DocumentNumber?
    /// Whether the record was read from a text of its own (it has a source), not a stub.
    public let read: Bool
    /// The title key of a law read from its text but keyed by its number.
    public let titleKey: [UInt8]?
    /// The issuer name and region, when they were worked out already (the derived store keeps
    /// them); otherwise they come from `issuer`, `number` and the issuer table.
    public let owner: (issuer: String?, region: String?)?

    /// The same, from parts kept elsewhere (the derived store's rows).
    public init(
        key: [UInt8], read: Bool, titleKey: [UInt8]?, citations: [(target: [UInt8], relation: Relation)], listings: [[UInt8]?],
        noticeScope: [String], closedList: Bool, owner: (issuer: String?, region: String?)
    ) {
        self.key = key
        self.read = read
        self.titleKey = titleKey
        self.citations = citations
        self.listings = listings
        self.noticeScope = noticeScope
        self.closedList = closedList
        self.owner = owner
        issuer = nil
        number = nil
    }

    public init(_ record: DocumentRecord) {
        key = Array(record.key.description.utf8)
        read = !record.sources.isEmpty
        titleKey = record.number != nil && record.rank != nil && read && !record.isTitleUnknown
            ? Array(DocumentKey(titleOnly: record.title).description.utf8) : nil
        citations = record.citations.compactMap { citation in citation.target.map { (Array($0.description.utf8), citation.relation) } }
        listings = record.notice?.dispositions.map { $0.target.map { Array($0.description.utf8) } } ?? []
        noticeScope = record.notice?.scopeIssuers ?? []
        closedList = record.notice?.closedList == true
        issuer = record.issuer
        number = record.number
        owner = nil
    }
}
