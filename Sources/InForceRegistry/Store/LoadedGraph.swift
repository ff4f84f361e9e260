import Foundation
import InForce

/// The store's graph read whole into memory, for a question that reaches much of the registry
/// (the impact of a document half the registry rests on, an audit): one pass over each table
/// instead of a query per document it reaches.
///
/// Nodes outside are the store's row ids; the graph inside numbers them densely in the
/// registry's order (by path), so every list keeps the order `StoreGraph`'s queries give.
final class LoadedGraph: Sendable {
    let graph: ValidityGraph
    /// The store id of each dense node.
    let ids: [Int32]
    /// The dense node of each store id (-1: none).
    private let dense: [Int32]

    private init(graph: ValidityGraph, ids: [Int32], dense: [Int32]) {
        self.graph = graph
        self.ids = ids
        self.dense = dense
    }

    /// The graph from `file` when it was written from this state of the store (its generation,
    /// read in the same transaction); else read from the tables, and written to `file` for the
    /// next question. A file that is stale, damaged or not ours is read past, never trusted.
    static func load(
        _ database: SQLiteDatabase, issuers: IssuerTable, regions: RegionTable, file: URL?, generation: Int64?, documents: Int
    ) throws(SQLiteDatabase.Failure) -> LoadedGraph {
        guard let file, let generation else { return try LoadedGraph(database, issuers: issuers, regions: regions) }
        if let stored = try? Data(contentsOf: file), stored.count > 8 {
            let highest = try database.prepare("SELECT coalesce(max(id), 0) FROM documents")
            _ = try highest.step()
            let maximum = highest.int(0)
            try highest.run()
            let graph = try? stored.withUnsafeBytes { bytes in
                guard bytes.loadUnaligned(as: Int64.self).littleEndian == generation else { throw LoadError() }
                let (graph, ids) = try GraphSnapshot.graph(from: UnsafeRawBufferPointer(rebasing: bytes[8...]), regionCount: regions.regions.count)
                guard graph.nodeCount == documents, ids.count == documents else { throw LoadError() }
                return try LoadedGraph(graph: graph, ids: ids, within: maximum)
            }
            if let graph { return graph }
        }
        let graph = try LoadedGraph(database, issuers: issuers, regions: regions)
        if let replacement = try? AtomicFile.Replacement(file) {
            let bytes = withUnsafeBytes(of: generation.littleEndian) { Array($0) } + GraphSnapshot.bytes(of: graph.graph, extra: graph.ids)
            do {
                try replacement.append(bytes)
                // A cache: a file cut short by a crash fails its checksum and is written again.
                try replacement.commit(durable: false)
            } catch {
                replacement.discard()
            }
        }
        return graph
    }

    private struct LoadError: Error {}

    /// The graph read back with the store id of each node, each id unique and at most `maximum`.
    private convenience init(graph: ValidityGraph, ids: [Int32], within maximum: Int) throws(LoadError) {
        var dense = [Int32](repeating: -1, count: maximum + 1)
        for (index, id) in ids.enumerated() {
            guard id >= 0, Int(id) <= maximum, dense[Int(id)] < 0 else { throw LoadError() }
            dense[Int(id)] = Int32(index)
        }
        self.init(graph: graph, ids: ids, dense: dense)
    }

    init(_ database: SQLiteDatabase, issuers: IssuerTable, regions: RegionTable) throws(SQLiteDatabase.Failure) {
        var ids: [Int32] = []
        var owners: [(issuer: String?, region: String?)] = []
        let documents = try database.prepare("SELECT id, issuer, region FROM documents ORDER BY path")
        while try documents.step() {
            ids.append(Int32(documents.int(0)))
            owners.append((documents.text(1), documents.text(2)))
        }
        var dense = [Int32](repeating: -1, count: Int(ids.max() ?? 0) + 1)
        for (index, id) in ids.enumerated() { dense[Int(id)] = Int32(index) }
        func node(_ statement: SQLiteStatement) throws(SQLiteDatabase.Failure) -> Int {
            let id = statement.int(0)
            guard id >= 0, id < dense.count, dense[id] >= 0 else { throw SQLiteDatabase.Failure(code: 11, message: "a row names document \(id), which the store does not hold") }
            return Int(dense[id])
        }

        var keys = [[UInt8]](repeating: [], count: ids.count)
        var read = [Bool](repeating: false, count: ids.count)
        var titleKeys = [[UInt8]?](repeating: nil, count: ids.count)
        let keyRows = try database.prepare("SELECT document, key, rank FROM keys")
        while try keyRows.step() {
            let at = try node(keyRows)
            if keyRows.int(2) == 1 {
                titleKeys[at] = keyRows.bytes(1)
            } else {
                keys[at] = keyRows.bytes(1)
                read[at] = keyRows.int(2) == 0
            }
        }
        var citations = [[(target: [UInt8], relation: Relation)]](repeating: [], count: ids.count)
        let citationRows = try database.prepare("SELECT citer, target, relation FROM citations ORDER BY citer, position")
        while try citationRows.step() {
            guard let relation = citationRows.text(2).flatMap(Relation.init(rawValue:)) else { continue }
            citations[try node(citationRows)].append((citationRows.bytes(1), relation))
        }
        var listings = [[[UInt8]?]](repeating: [], count: ids.count)
        let listingRows = try database.prepare("SELECT notice, entry, target FROM listings ORDER BY notice, entry")
        while try listingRows.step() {
            let at = try node(listingRows)
            let entry = listingRows.int(1)
            guard entry >= 0, entry < 1 << 20 else { throw SQLiteDatabase.Failure(code: 11, message: "a listing has entry \(entry)") }
            if listings[at].count <= entry { listings[at] += Array(repeating: nil, count: entry + 1 - listings[at].count) }
            listings[at][entry] = listingRows.bytes(2)
        }
        var scopes = [[String]](repeating: [], count: ids.count)
        var closed = [Bool](repeating: false, count: ids.count)
        let scopeRows = try database.prepare("SELECT notice, issuer, closed FROM scopes ORDER BY notice, position")
        while try scopeRows.step() {
            let at = try node(scopeRows)
            scopes[at].append(scopeRows.text(1) ?? "")
            closed[at] = scopeRows.int(2) == 1
        }
        let inputs = ids.indices.map { at in
            GraphInput(
                key: keys[at], read: read[at], titleKey: titleKeys[at], citations: citations[at], listings: listings[at],
                noticeScope: scopes[at], closedList: closed[at], owner: owners[at])
        }
        graph = ValidityGraph(inputs: inputs, issuers: issuers, regions: regions)
        self.ids = ids
        self.dense = dense
    }

    private func inside(_ id: Int32) -> Int32? {
        id >= 0 && Int(id) < dense.count && dense[Int(id)] >= 0 ? dense[Int(id)] : nil
    }

    private func outside(_ pairs: [(Int32, Relation)]) -> [(Int32, Relation)] { pairs.map { (ids[Int($0.0)], $0.1) } }

    func node(_ key: DocumentKey) -> Int32? { graph.node(key).map { ids[Int($0)] } }

    func citations(of id: Int32) -> [(Int32, Relation)] { inside(id).map { outside(graph.citations(of: $0)) } ?? [] }

    func citers(of id: Int32) -> [(Int32, Relation)] { inside(id).map { outside(graph.citers(of: $0)) } ?? [] }

    func citerCount(_ id: Int32) -> Int { inside(id).map { graph.citerCount($0) } ?? 0 }

    func listings(of id: Int32) -> [(notice: Int32, entry: Int)] {
        inside(id).map { graph.listings(of: $0).map { (notice: ids[Int($0.notice)], entry: $0.entry) } } ?? []
    }

    func closedListNotices(of issuer: String) -> [Int32] { graph.closedListNotices(of: issuer).map { ids[Int($0)] } }

    func cleanupNotices(of issuer: String) -> [Int32] { graph.cleanupNotices(of: issuer).map { ids[Int($0)] } }

    func issuerName(of id: Int32) -> String? { inside(id).flatMap { graph.issuerName(of: $0) } }

    func regionRow(of id: Int32) -> Int? { inside(id).flatMap { graph.regionRow(of: $0) } }

    func unresolvedCiters(_ key: DocumentKey) -> [Int32] { graph.unresolvedCiters(key).map { ids[Int($0)] } }
}
