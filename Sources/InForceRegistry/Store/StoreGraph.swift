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
    private let lock = NSLock()
    let nodeCount: Int
    private let regions: RegionTable
    private(set) var failed = false
    private var records: [Int32: DocumentRecord] = [:]
    private var owners: [Int32: (issuer: String?, region: String?)] = [:]
    private var resolved: [String: Int32?] = [:]
    private var keysOf: [Int32: [String]] = [:]
    private var statements: [String: SQLiteStatement] = [:]
    /// At most this many decoded records are kept: a walk over 50,000 documents does not hold
    /// them all.
    private let recordLimit = 8192

    init(_ database: SQLiteDatabase, regions: RegionTable) throws(SQLiteDatabase.Failure) {
        self.database = database
        self.regions = regions
        try database.execute("BEGIN")
        let count = try database.prepare("SELECT value FROM meta WHERE name = 'documents'")
        _ = try count.step()
        nodeCount = count.int(0)
        try count.run()
    }

    deinit { try? database.execute("COMMIT") }

    var count: Int { nodeCount }

    /// Runs `body` on a statement prepared once, under the lock; on failure, remembers it and
    /// gives `fallback`.
    private func query<T>(_ sql: String, _ values: [SQLiteValue], fallback: T, _ body: (SQLiteStatement) throws(SQLiteDatabase.Failure) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        guard !failed else { return fallback }
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
            failed = true
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

    func node(_ key: DocumentKey) -> Int32? { node(key.description) }

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
        rows("SELECT target, relation FROM citations WHERE citer = ? ORDER BY position", [.int(Int64(node))]) {
            ($0.text(0) ?? "", Relation(rawValue: $0.text(1) ?? ""))
        }.compactMap { target, relation in
            guard let relation, let cited = self.node(target) else { return nil }
            return (cited, relation)
        }
    }

    func citers(of node: Int32) -> [(Int32, Relation)] {
        let keys = ownKeys(node)
        guard !keys.isEmpty else { return [] }
        return rows(
            "SELECT citer, relation FROM citations WHERE target IN (\(Self.placeholders(keys.count))) ORDER BY citer_path, citer, position",
            keys.map { .text($0) }
        ) { (Int32($0.int(0)), Relation(rawValue: $0.text(1) ?? "")) }.compactMap { citer, relation in relation.map { (citer, $0) } }
    }

    func citerCount(_ node: Int32) -> Int {
        let keys = ownKeys(node)
        guard !keys.isEmpty else { return 0 }
        return rows("SELECT count(*) FROM citations WHERE target IN (\(Self.placeholders(keys.count)))", keys.map { .text($0) }) { $0.int(0) }.first ?? 0
    }

    func listings(of node: Int32) -> [(notice: Int32, entry: Int)] {
        let keys = ownKeys(node)
        guard !keys.isEmpty else { return [] }
        return rows(
            "SELECT notice, entry FROM listings WHERE target IN (\(Self.placeholders(keys.count))) ORDER BY notice_path, notice, entry",
            keys.map { .text($0) }
        ) { (notice: Int32($0.int(0)), entry: $0.int(1)) }
    }

    func closedListNotices(of issuer: String) -> [Int32] {
        rows("SELECT notice FROM scopes WHERE issuer = ? AND closed = 1 ORDER BY notice_path, notice, position", [.text(issuer)]) {
            Int32($0.int(0))
        }
    }

    func cleanupNotices(of issuer: String) -> [Int32] {
        rows("SELECT notice FROM scopes WHERE issuer = ? ORDER BY notice_path, notice, position", [.text(issuer)]) {
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

    func issuerName(of node: Int32) -> String? { owner(node).issuer }

    func regionRow(of node: Int32) -> Int? { owner(node).region.flatMap { regions.index(named: $0) } }

    func unresolvedCiters(_ key: DocumentKey) -> [Int32] {
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

    func record(_ node: Int32) -> DocumentRecord {
        lock.lock()
        if let record = records[node] {
            lock.unlock()
            return record
        }
        lock.unlock()
        let decoded = query("SELECT record FROM documents WHERE id = ?", [.int(Int64(node))], fallback: nil) {
            (statement: SQLiteStatement) throws(SQLiteDatabase.Failure) -> DocumentRecord? in
            guard try statement.step() else { return nil }
            let record = statement.withBlob(0) { bytes in
                var reader = RecordSnapshot.Reader(Array(bytes))
                let record = try? reader.record()
                return reader.atEnd ? record : nil
            }
            try statement.run()
            return record
        }
        guard let decoded else {
            // No such row, or bytes that do not decode: the store is damaged.
            lock.lock()
            failed = true
            lock.unlock()
            return DocumentRecord(number: nil, rawNumber: nil, title: "(the derived store is damaged; the answer is asked again of the files)")
        }
        lock.lock()
        if records.count >= recordLimit { records.removeAll(keepingCapacity: true) }
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
            lock.lock()
            failed = true
            lock.unlock()
            return nil
        }
        return decoded.map { $0! }
    }
}
