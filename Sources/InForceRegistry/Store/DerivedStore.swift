import Foundation
import InForce

/// The derived store of a registry, `registry/.inforce-cache/store.sqlite`: never the truth, and
/// never trusted unchecked. One SQLite file (WAL) holding, for the registry as it was when last
/// refreshed:
///
/// - `folders` and `files`: the stamp (inode, size, modification time) of every folder and file,
///   so a refresh proves it fresh by `stat` alone and reads again only what changed;
/// - `documents`: one row per record, its queryable fields in columns and the whole record in
///   `RecordSnapshot`'s binary form (`record`), read only when a question reaches it;
/// - `keys`, `citations`, `listings`, `scopes`: the validity graph as rows keyed by the cited
///   document's key, resolved when asked, so adding or removing one record changes only its rows;
/// - `problems`: what could not be read, with file and line; `tables`: the issuer and region
///   tables; `search`: an FTS5 trigram index of numbers, titles and quotes.
///
/// `PRAGMA user_version` says the format; any other version, or a file SQLite calls damaged, is
/// removed and built again. Deleting the file loses nothing.
final class DerivedStore: @unchecked Sendable {
    static let folder = ".inforce-cache"
    static let fileName = "store.sqlite"
    /// The format. Bump it whenever a table, a column or the record's binary form changes.
    static let version = 2
    /// The graph read whole from the tables, kept beside the store (`LoadedGraph`).
    static let graphFileName = "graph.bin"

    static func graphURL(_ root: URL) -> URL { root.appendingPathComponent(folder).appendingPathComponent(graphFileName) }

    /// Set `INFORCE_NO_CACHE=1` to read every file as if there were no store.
    static var disabled: Bool { ProcessInfo.processInfo.environment["INFORCE_NO_CACHE"] == "1" }

    static func url(_ root: URL) -> URL { root.appendingPathComponent(folder).appendingPathComponent(fileName) }

    let database: SQLiteDatabase
    let root: URL

    init(database: SQLiteDatabase, root: URL) {
        self.database = database
        self.root = root
    }

    /// A store being built for the first time: filled in a temporary file beside the store,
    /// without a journal, and put in place by `install` once complete.
    private(set) var building: URL?

    /// The store of `root`; a new, empty one (to be built, then installed) when it is missing,
    /// damaged or of another format; nil when none can be kept (a read-only registry,
    /// `INFORCE_NO_CACHE=1`).
    static func open(_ root: URL) -> DerivedStore? {
        guard !disabled else { return nil }
        let url = url(root)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        removeAbandoned(in: url.deletingLastPathComponent())
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                let database = try SQLiteDatabase(path: url.path)
                try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")
                guard try database.userVersion == Self.version else {
                    throw SQLiteDatabase.Failure(code: 26, message: "\(url.path) is of another format")
                }
                // A file cut short or not a database at all is caught here, before any question.
                let count = try database.prepare("SELECT value FROM meta WHERE name = 'documents'")
                guard try count.step() else { throw SQLiteDatabase.Failure(code: 11, message: "\(url.path) has no document count") }
                try count.run()
                return DerivedStore(database: database, root: root)
            } catch {
                remove(root)
            }
        }
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(fileName)\(AtomicFile.temporaryMarker)\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            let database = try SQLiteDatabase(path: temporary.path)
            try database.execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF")
            try create(database)
            let store = DerivedStore(database: database, root: root)
            store.building = temporary
            return store
        } catch {
            unlink(temporary.path)
            return nil
        }
    }

    /// A store in memory, for searches where none can be kept on disk.
    static func inMemory(_ root: URL) -> DerivedStore? {
        guard let database = try? SQLiteDatabase(path: ":memory:"), (try? create(database)) != nil,
              (try? database.execute("BEGIN; \(indexes) COMMIT")) != nil else { return nil }
        return DerivedStore(database: database, root: root)
    }

    /// Puts a newly built store in place: its indexes made, renamed over the store's name, and
    /// opened there again in WAL mode. Nil when it cannot be (the caller reads the files).
    func install() -> DerivedStore? {
        guard let building else { return self }
        do {
            try database.execute("BEGIN IMMEDIATE; \(Self.indexes) COMMIT")
        } catch {
            unlink(building.path)
            return nil
        }
        let target = Self.url(root)
        guard rename(building.path, target.path) == 0 else {
            unlink(building.path)
            return nil
        }
        return Self.open(root)
    }

    /// Removes the temporary files of builds whose process is gone (killed mid-build).
    private static func removeAbandoned(in folder: URL) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            guard let pid = AtomicFile.writer(ofTemporary: name, for: fileName) ?? AtomicFile.writer(ofTemporary: name, for: graphFileName),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Removes the store (and its WAL files): the next command builds it again.
    static func remove(_ root: URL) {
        let path = url(root).path
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
        unlink(graphURL(root).path)
    }

    /// The tables. Their indexes come after the first build has filled them (`indexes`): a
    /// national registry loads several times faster into tables without them.
    private static func create(_ database: SQLiteDatabase) throws(SQLiteDatabase.Failure) {
        try database.execute("""
            BEGIN IMMEDIATE;
            CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            INSERT OR IGNORE INTO meta(name, value) VALUES('documents', 0);
            INSERT OR IGNORE INTO meta(name, value) VALUES('generation', \(Int64.random(in: 0...(Int64.max / 2))));
            CREATE TABLE IF NOT EXISTS folders(path TEXT PRIMARY KEY, inode INTEGER NOT NULL, size INTEGER NOT NULL, modified INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, inode INTEGER NOT NULL, size INTEGER NOT NULL, modified INTEGER NOT NULL, kind INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS problems(path TEXT NOT NULL, severity TEXT NOT NULL, line INTEGER, field TEXT, message TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS tables(name TEXT PRIMARY KEY, snapshot BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS documents(
                id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, key TEXT NOT NULL, number TEXT, agency TEXT, year INTEGER,
                title TEXT NOT NULL, own_issuer TEXT, issuer TEXT, region TEXT, level TEXT, rank TEXT,
                issued TEXT, published TEXT, effective TEXT, expires TEXT, stub INTEGER NOT NULL, record BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS keys(key TEXT NOT NULL, rank INTEGER NOT NULL, path TEXT NOT NULL, document INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS citations(citer INTEGER NOT NULL, citer_path TEXT NOT NULL, position INTEGER NOT NULL, target TEXT NOT NULL, relation TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS listings(notice INTEGER NOT NULL, notice_path TEXT NOT NULL, entry INTEGER NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL, planned INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS scopes(notice INTEGER NOT NULL, notice_path TEXT NOT NULL, position INTEGER NOT NULL, issuer TEXT NOT NULL, closed INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS facts(document INTEGER NOT NULL, position INTEGER NOT NULL, event TEXT NOT NULL, date TEXT, by TEXT, quote TEXT NOT NULL);
            CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(number, title, quotes, tokenize='trigram');
            PRAGMA user_version=\(version);
            COMMIT;
            """)
    }

    /// The indexes the questions need; each list in the registry's order straight from its index.
    static let indexes = """
        CREATE INDEX IF NOT EXISTS problems_path ON problems(path);
        CREATE INDEX IF NOT EXISTS documents_title ON documents(title);
        CREATE INDEX IF NOT EXISTS documents_issuer ON documents(issuer);
        CREATE INDEX IF NOT EXISTS keys_key ON keys(key, rank, path, document);
        CREATE INDEX IF NOT EXISTS keys_document ON keys(document);
        CREATE INDEX IF NOT EXISTS citations_target ON citations(target, citer_path, position, citer, relation);
        CREATE INDEX IF NOT EXISTS citations_citer ON citations(citer, position);
        CREATE INDEX IF NOT EXISTS listings_target ON listings(target, notice_path, entry, notice);
        CREATE INDEX IF NOT EXISTS listings_notice ON listings(notice);
        CREATE INDEX IF NOT EXISTS scopes_issuer ON scopes(issuer, notice_path, position, notice, closed);
        CREATE INDEX IF NOT EXISTS scopes_notice ON scopes(notice);
        CREATE INDEX IF NOT EXISTS facts_document ON facts(document);
        """
}

/// One record's rows, worked out on any core before the single writing transaction.
struct StoreRow {
    let path: String
    let record: DocumentRecord
    let blob: [UInt8]
    let input: GraphInput

    init(path: String, record: DocumentRecord) {
        self.path = path
        self.record = record
        var writer = RecordSnapshot.Writer()
        writer.record(record)
        blob = writer.bytes
        input = GraphInput(record)
    }
}

/// The statements that write a refresh, prepared once per transaction.
struct StoreWriter {
    let database: SQLiteDatabase
    let issuers: IssuerTable
    private let insertDocument: SQLiteStatement
    private let insertKey: SQLiteStatement
    private let insertCitation: SQLiteStatement
    private let insertListing: SQLiteStatement
    private let insertScope: SQLiteStatement
    private let insertFact: SQLiteStatement
    private let insertSearch: SQLiteStatement
    private let findDocument: SQLiteStatement
    private let deletes: [SQLiteStatement]
    private let insertProblem: SQLiteStatement
    private let deleteProblems: SQLiteStatement
    private let putFile: SQLiteStatement
    private let deleteFile: SQLiteStatement

    init(_ database: SQLiteDatabase, issuers: IssuerTable) throws(SQLiteDatabase.Failure) {
        self.database = database
        self.issuers = issuers
        insertDocument = try database.prepare("""
            INSERT INTO documents(path, key, number, agency, year, title, own_issuer, issuer, region, level, rank, issued, published, effective, expires, stub, record)
            VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertKey = try database.prepare("INSERT INTO keys(key, rank, path, document) VALUES(?, ?, ?, ?)")
        insertCitation = try database.prepare("INSERT INTO citations(citer, citer_path, position, target, relation) VALUES(?, ?, ?, ?, ?)")
        insertListing = try database.prepare("INSERT INTO listings(notice, notice_path, entry, target, outcome, planned) VALUES(?, ?, ?, ?, ?, ?)")
        insertScope = try database.prepare("INSERT INTO scopes(notice, notice_path, position, issuer, closed) VALUES(?, ?, ?, ?, ?)")
        insertFact = try database.prepare("INSERT INTO facts(document, position, event, date, by, quote) VALUES(?, ?, ?, ?, ?, ?)")
        insertSearch = try database.prepare("INSERT INTO search(rowid, number, title, quotes) VALUES(?, ?, ?, ?)")
        findDocument = try database.prepare("SELECT id FROM documents WHERE path = ?")
        deletes = try ["documents WHERE id", "keys WHERE document", "citations WHERE citer", "listings WHERE notice", "scopes WHERE notice",
                       "facts WHERE document", "search WHERE rowid"].map { (table: String) throws(SQLiteDatabase.Failure) in
            try database.prepare("DELETE FROM \(table) = ?")
        }
        insertProblem = try database.prepare("INSERT INTO problems(path, severity, line, field, message) VALUES(?, ?, ?, ?, ?)")
        deleteProblems = try database.prepare("DELETE FROM problems WHERE path = ?")
        putFile = try database.prepare("INSERT OR REPLACE INTO files(path, inode, size, modified, kind) VALUES(?, ?, ?, ?, ?)")
        deleteFile = try database.prepare("DELETE FROM files WHERE path = ?")
    }

    /// The issuer and region a document belongs to: its own issuer field, else the one its
    /// 代字 names in `issuers.toml`.
    static func issuerAndRegion(_ input: GraphInput, issuers: IssuerTable) -> (issuer: String?, region: String?, level: String?) {
        let issuer = input.issuer.flatMap { issuers.issuer(named: $0) } ?? input.number.flatMap { issuers.issuer(of: $0) }
        return (input.issuer ?? issuer?.name, issuer?.region, issuer?.level.rawValue)
    }

    /// How many documents this writer added, less those it removed.
    private(set) var documentChange: Int64 = 0

    /// Removes the rows of the record at `path`, if any.
    mutating func removeDocument(at path: String) throws(SQLiteDatabase.Failure) {
        try findDocument.bind(.text(path))
        guard try findDocument.step() else { return }
        documentChange -= 1
        let id = findDocument.int64(0)
        try findDocument.run()
        for statement in deletes { try statement.bind(.int(id)).run() }
    }

    mutating func insert(_ row: StoreRow) throws(SQLiteDatabase.Failure) {
        documentChange += 1
        let record = row.record
        let input = row.input
        let (issuer, region, level) = Self.issuerAndRegion(input, issuers: issuers)
        try insertDocument.bind(
            .text(row.path), .text(record.key.description), .optional(record.number?.canonical), .optional(record.number?.agency),
            .optional(record.number?.year ?? record.issued?.year), .text(record.title), .optional(record.issuer), .optional(issuer),
            .optional(region), .optional(level), .optional(record.rank?.rawValue), .optional(record.issued?.description),
            .optional(record.published?.description), .optional(record.effective?.description), .optional(record.expires?.description),
            .int(input.read ? 0 : 1), .blob(row.blob)
        ).run()
        let id = database.lastInsertedRow
        // Of one key: a record read from its text first, then a law's title, then a stub.
        try insertKey.bind(.text(record.key.description), .int(input.read ? 0 : 2), .text(row.path), .int(id)).run()
        if let title = input.titleKey { try insertKey.bind(.text(String(decoding: title, as: UTF8.self)), .int(1), .text(row.path), .int(id)).run() }
        var position: Int64 = 0
        var quotes: [String] = []
        for citation in record.citations {
            if let evidence = citation.evidence { quotes.append(evidence) }
            guard let target = citation.target else { continue }
            try insertCitation.bind(.int(id), .text(row.path), .int(position), .text(target.description), .text(citation.relation.rawValue)).run()
            position += 1
        }
        for (entry, disposition) in (record.notice?.dispositions ?? []).enumerated() {
            quotes.append(disposition.quote)
            guard let target = disposition.target else { continue }
            try insertListing.bind(.int(id), .text(row.path), .int(Int64(entry)), .text(target.description), .text(disposition.outcome.rawValue), .int(disposition.planned ? 1 : 0)).run()
        }
        for (position, scope) in input.noticeScope.enumerated() {
            try insertScope.bind(.int(id), .text(row.path), .int(Int64(position)), .text(scope), .int(input.closedList ? 1 : 0)).run()
        }
        for (position, fact) in record.facts.enumerated() {
            quotes.append(fact.quote)
            try insertFact.bind(.int(id), .int(Int64(position)), .text(fact.event.rawValue), .optional(fact.date?.description), .optional(fact.by?.canonical ?? fact.byTitle), .text(fact.quote)).run()
        }
        let numbers = [record.number?.canonical, record.number?.raw, record.rawNumber].compactMap { $0 }
        try insertSearch.bind(.int(id), .text(Array(Set(numbers)).sorted().joined(separator: " ")), .text(record.title), .text(quotes.joined(separator: "\n"))).run()
    }

    func replaceProblems(of path: String, with problems: [RegistryProblem]) throws(SQLiteDatabase.Failure) {
        try deleteProblems.bind(.text(path)).run()
        for problem in problems {
            try insertProblem.bind(.text(path), .text(problem.severity.rawValue), .optional(problem.line), .optional(problem.field), .text(problem.message)).run()
        }
    }

    func putFile(_ path: String, stamp: FileStamp, kind: StoreFileKind) throws(SQLiteDatabase.Failure) {
        try putFile.bind(.text(path), .int(Int64(bitPattern: stamp.inode)), .int(stamp.size), .int(stamp.modified), .int(Int64(kind.rawValue))).run()
    }

    func forgetFile(_ path: String) throws(SQLiteDatabase.Failure) {
        try deleteFile.bind(.text(path)).run()
        try deleteProblems.bind(.text(path)).run()
    }
}

/// What a file of the registry is to the store.
enum StoreFileKind: Int {
    /// A record file whose record is a row of `documents` (possibly with problems).
    case record = 0
    /// `issuers.toml` or `regions.toml`.
    case table = 1
    /// A file that could not be read as a record: only its problems are kept.
    case unreadable = 2
    /// A temporary file an interrupted write left.
    case leftover = 3
}
