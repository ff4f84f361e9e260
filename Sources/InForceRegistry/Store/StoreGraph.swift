import Foundation
public import InForce

/// The validity graph and the records, answered by the derived store one question at a time: a
/// check reads the rows its answer reaches, never the whole registry. Each list comes in the
/// registry's order (by file path), as `ValidityGraph` gives it, so both answer alike.
///
/// The whole view reads one snapshot of the store (a read transaction held open), so a refresh by
/// another process never mixes two states of the registry into one answer. A failure of SQLite
/// (pages damaged under the question) is remembered in `failed`: whoever asked discards the
/// answer and asks the files (`Registry.answer`).
final class StoreGraph: GraphSource, RecordStore, TitleLookup, @unchecked Sendable {
    private let database: SQLiteDatabase
    /// One lock for the connection, another for the caches: a question answered from memory
    /// never waits for another thread's reading.
    private let databaseLock = NSLock()
    private let lock = NSLock()
    let nodeCount: Int
    private let regions: RegionTable
    private var failedFlag = false
    /// Whether SQLite failed under a question of this view (its answer is not to be trusted).
    var failed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return failedFlag
    }
    private var hasFailed: Bool { failed }
    private func markFailed() {
        lock.lock()
        failedFlag = true
        lock.unlock()
    }
    private let issuers: IssuerTable
    /// The whole graph in memory, once a question has asked so much of it that one pass over
    /// each table costs less than going on row by row (`LoadedGraph`).
    private var loaded: LoadedGraph?
    private var asked = 0
    private let askedBeforeLoading: Int
    /// Decoded records, in two generations: when the newer fills, the older is dropped, so what
    /// a walk keeps using (the notices it meets again and again) stays.
    private var records: [Int32: DocumentRecord] = [:]
    private var olderRecords: [Int32: DocumentRecord] = [:]
    private var owners: [Int32: (issuer: String?, region: String?)] = [:]
    private var resolved: [String: Int32?] = [:]
    private var keysOf: [Int32: [String]] = [:]
    private var statements: [String: SQLiteStatement] = [:]
    /// At most this many decoded records are kept: a walk over 50,000 documents does not hold
    /// them all.
    private let recordLimit = 8192
    private let graphFile: URL?
    /// The store's state this view reads, as the refresh that made it numbered it.
    private let generation: Int64?

    /// `loadingAfter` sets how many questions are asked row by row before the graph is read
    /// whole (tests set it to compare the two).
    /// `graphFile` is where the graph read whole is kept for the next question (nil: nowhere).
    init(_ database: SQLiteDatabase, issuers: IssuerTable, regions: RegionTable, graphFile: URL? = nil, loadingAfter: Int? = nil) throws(SQLiteDatabase.Failure) {
        self.database = database
        self.issuers = issuers
        self.regions = regions
        self.graphFile = graphFile
        try database.execute("BEGIN")
        let count = try database.prepare("SELECT value FROM meta WHERE name = 'documents'")
        _ = try count.step()
        nodeCount = count.int(0)
        try count.run()
        let stamp = try database.prepare("SELECT value FROM meta WHERE name = 'generation'")
        generation = try stamp.step() ? stamp.int64(0) : nil
        try stamp.run()
        // A question per document costs a few microseconds, one pass over the tables about as
        // much per document: past a tenth of the registry, the pass is cheaper.
        askedBeforeLoading = loadingAfter ?? max(2_000, nodeCount / 10)
    }

    /// The graph in memory, when this view has asked enough questions of it row by row; nil
    /// before that (and when the store fails under the loading).
    private func inMemory() -> LoadedGraph? {
        lock.lock()
        if let loaded {
            lock.unlock()
            return loaded
        }
        asked += 1
        let due = asked > askedBeforeLoading && !failedFlag
        lock.unlock()
        guard due else { return nil }
        // The connection's lock first, then the caches' (as `query` takes them): never the
        // other way round.
        databaseLock.lock()
        defer { databaseLock.unlock() }
        lock.lock()
        let already = loaded
        lock.unlock()
        if let already { return already }
        do {
            let graph = try LoadedGraph.load(database, issuers: issuers, regions: regions, file: graphFile, generation: generation, documents: nodeCount)
            lock.lock()
            loaded = graph
            lock.unlock()
            return graph
        } catch {
            markFailed()
            return nil
        }
    }

    /// A walk about to ask about `count` documents at once (the citers of the one it starts
    /// from): counted as that many questions, so a walk that will reach much of the registry
    /// reads the graph whole at its next question instead of row by row first.
    func expectQuestions(_ count: Int) {
        lock.lock()
        asked += count
        lock.unlock()
    }

    deinit { try? database.execute("COMMIT") }

    var count: Int { nodeCount }

    /// Runs `body` on a statement prepared once, under the lock; on failure, remembers it and
    /// gives `fallback`.
    private func query<T>(_ sql: String, _ values: [SQLiteValue], fallback: T, _ body: (SQLiteStatement) throws(SQLiteDatabase.Failure) -> T) -> T {
        databaseLock.lock()
        defer { databaseLock.unlock() }
        guard !hasFailed else { return fallback }
        do {
            let statement: SQLiteStatement
            if let prepared = statements[sql] {
                statement = prepared
            } else {
                statement = try database.prepare(sql)
                statements[sql] = statement
            }
            try statement.bind(values)
            let result = try body(statement)
            return result
        } catch {
            markFailed()
            return fallback
        }
    }

    private func rows<T>(_ sql: String, _ values: [SQLiteValue], _ row: (SQLiteStatement) -> T) -> [T] {
        query(sql, values, fallback: []) { (statement: SQLiteStatement) throws(SQLiteDatabase.Failure) -> [T] in
            var all: [T] = []
            while try statement.step() { all.append(row(statement)) }
            return all
        }
    }

    /// Rows of a query that must not fail quietly (a search): a failure is thrown.
    func rowsOrThrow<T>(_ sql: String, _ values: [SQLiteValue], _ row: (SQLiteStatement) -> T) throws(SQLiteDatabase.Failure) -> [T] {
        let all = rows(sql, values, row)
        if failed { throw SQLiteDatabase.Failure(code: 11, message: "the derived store failed under a search") }
        return all
    }

    func documents(titled title: String) -> [Int32] {
        rows("SELECT id FROM documents WHERE title = ? ORDER BY path", [.text(title)]) { Int32($0.int(0)) }
    }

    func documents(titleHolding part: String, limit: Int) -> [Int32] {
        rows("SELECT id FROM documents WHERE instr(title, ?) > 0 ORDER BY length(title), path LIMIT ?", [.text(part), .int(Int64(limit))]) { Int32($0.int(0)) }
    }

    func allNodes() -> [Int32] {
        rows("SELECT id FROM documents ORDER BY path", []) { Int32($0.int(0)) }
    }

    func node(_ key: DocumentKey) -> Int32? {
        if let loaded = inMemory() { return loaded.node(key) }
        return node(key.description)
    }

    private func node(_ key: String) -> Int32? {
        lock.lock()
        if let known = resolved[key] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let found = rows("SELECT document FROM keys WHERE key = ? ORDER BY rank, path LIMIT 1", [.text(key)]) { Int32($0.int(0)) }.first
        lock.lock()
        resolved[key] = found
        lock.unlock()
        return found
    }

    /// The keys under which `node` is the one a citation reaches.
    private func ownKeys(_ node: Int32) -> [String] {
        lock.lock()
        if let known = keysOf[node] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let keys = rows("SELECT key FROM keys WHERE document = ?", [.int(Int64(node))]) { $0.text(0) ?? "" }.filter { self.node($0) == node }
        lock.lock()
        if keysOf.count >= recordLimit { keysOf.removeAll(keepingCapacity: true) }
        keysOf[node] = keys
        lock.unlock()
        return keys
    }

    private static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

    func citations(of node: Int32) -> [(Int32, Relation)] {
        if let loaded = inMemory() { return loaded.citations(of: node) }
        return rows("SELECT target, relation FROM citations WHERE citer = ? ORDER BY position", [.int(Int64(node))]) {
            ($0.text(0) ?? "", Relation(rawValue: $0.text(1) ?? ""))
        }.compactMap { target, relation in
            guard let relation, let cited = self.node(target) else { return nil }
            return (cited, relation)
        }
    }

    func citers(of node: Int32) -> [(Int32, Relation)] {
        if let loaded = inMemory() { return loaded.citers(of: node) }
        let keys = ownKeys(node)
        guard !keys.isEmpty else { return [] }
        return rows(
            "SELECT citer, relation FROM citations WHERE target IN (\(Self.placeholders(keys.count))) ORDER BY citer_path, citer, position",
            keys.map { .text($0) }
        ) { (Int32($0.int(0)), Relation(rawValue: $0.text(1) ?? "")) }.compactMap { citer, relation in relation.map { (citer, $0) } }
    }

    func citerCount(_ node: Int32) -> Int {
        if let loaded = inMemory() { return loaded.citerCount(node) }
        let keys = ownKeys(node)
        guard !keys.isEmpty else { return 0 }
        return rows("SELECT count(*) FROM citations WHERE target IN (\(Self.placeholders(keys.count)))", keys.map { .text($0) }) { $0.int(0) }.first ?? 0
    }

    func listings(of node: Int32) -> [(notice: Int32, entry: Int)] {
        if let loaded = inMemory() { return loaded.listings(of: node) }
        let keys = ownKeys(node)
        guard !keys.isEmpty else { return [] }
        return rows(
            "SELECT notice, entry FROM listings WHERE target IN (\(Self.placeholders(keys.count))) ORDER BY notice_path, notice, entry",
            keys.map { .text($0) }
        ) { (notice: Int32($0.int(0)), entry: $0.int(1)) }
    }

    func closedListNotices(of issuer: String) -> [Int32] {
        if let loaded = inMemory() { return loaded.closedListNotices(of: issuer) }
        return rows("SELECT notice FROM scopes WHERE issuer = ? AND closed = 1 ORDER BY notice_path, notice, position", [.text(issuer)]) {
            Int32($0.int(0))
        }
    }

    func cleanupNotices(of issuer: String) -> [Int32] {
        if let loaded = inMemory() { return loaded.cleanupNotices(of: issuer) }
        return rows("SELECT notice FROM scopes WHERE issuer = ? ORDER BY notice_path, notice, position", [.text(issuer)]) {
            Int32($0.int(0))
        }
    }

    private func owner(_ node: Int32) -> (issuer: String?, region: String?) {
        lock.lock()
        if let known = owners[node] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let found = rows("SELECT issuer, region FROM documents WHERE id = ?", [.int(Int64(node))]) { (issuer: $0.text(0), region: $0.text(1)) }.first
        lock.lock()
        owners[node] = found ?? (nil, nil)
        lock.unlock()
        return found ?? (nil, nil)
    }

    func issuerName(of node: Int32) -> String? {
        if let loaded = inMemory() { return loaded.issuerName(of: node) }
        return owner(node).issuer
    }

    func regionRow(of node: Int32) -> Int? {
        if let loaded = inMemory() { return loaded.regionRow(of: node) }
        return owner(node).region.flatMap { regions.index(named: $0) }
    }

    func unresolvedCiters(_ key: DocumentKey) -> [Int32] {
        if let loaded = inMemory() { return loaded.unresolvedCiters(key) }
        var seen: Set<Int32> = []
        return rows("SELECT citer FROM citations WHERE target = ? ORDER BY citer_path, citer", [.text(key.description)]) {
            Int32($0.int(0))
        }.filter { seen.insert($0).inserted }
    }

    func issuerNames() -> [String] {
        rows("SELECT DISTINCT issuer FROM documents WHERE issuer IS NOT NULL ORDER BY issuer", []) { $0.text(0) ?? "" }
    }

    func forEachKey(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        for key in rows("SELECT DISTINCT key FROM keys ORDER BY key", [], { $0.text(0) ?? "" }) {
            var key = key
            key.withUTF8 { body($0) }
        }
    }

    // MARK: Records

    func record(_ node: Int32) -> DocumentRecord { record(node, keeping: true) }

    func recordOnce(_ node: Int32) -> DocumentRecord { record(node, keeping: false) }

    private func record(_ node: Int32, keeping: Bool) -> DocumentRecord {
        lock.lock()
        if let record = records[node] {
            lock.unlock()
            return record
        }
        if let record = olderRecords[node] {
            records[node] = record
            lock.unlock()
            return record
        }
        lock.unlock()
        let blob = query("SELECT record FROM documents WHERE id = ?", [.int(Int64(node))], fallback: nil) {
            (statement: SQLiteStatement) throws(SQLiteDatabase.Failure) -> [UInt8]? in
            guard try statement.step() else { return nil }
            let bytes = statement.bytes(0)
            try statement.run()
            return bytes
        }
        let decoded = blob.flatMap { blob -> DocumentRecord? in
            var reader = RecordSnapshot.Reader(blob)
            let record = try? reader.record()
            return reader.atEnd ? record : nil
        }
        guard let decoded else {
            // No such row, or bytes that do not decode: the store is damaged.
            markFailed()
            return DocumentRecord(number: nil, rawNumber: nil, title: "(the derived store is damaged; the answer is asked again of the files)")
        }
        guard keeping else { return decoded }
        lock.lock()
        if records.count >= recordLimit {
            olderRecords = records
            records = [:]
        }
        records[node] = decoded
        lock.unlock()
        return decoded
    }

    /// Every record, in the registry's order, with its path (for audits and listings, which reach
    /// them all): decoded on every core. Nil when the store fails under the reading.
    func all() -> [StoredRecord]? {
        let blobs = rows("SELECT path, record FROM documents ORDER BY path", []) { row in
            (row.text(0) ?? "", row.withBlob(1) { Array($0) })
        }
        guard !failed else { return nil }
        let decoded = inParallel(blobs.count) { range in
            range.map { index -> StoredRecord? in
                var reader = RecordSnapshot.Reader(blobs[index].1)
                guard let record = try? reader.record(), reader.atEnd else { return nil }
                return StoredRecord(path: blobs[index].0, record: record)
            }
        }.flatMap { $0 }
        guard decoded.allSatisfy({ $0 != nil }) else {
            markFailed()
            return nil
        }
        return decoded.map { $0! }
    }
}
