public import Foundation
public import InForce

/// A record as stored: the record and its file, relative to the registry.
public struct StoredRecord: Sendable {
    public let path: String
    public let record: DocumentRecord
}

/// Everything in a registry at one moment, as read from its files.
public struct RegistrySnapshot: Sendable {
    public let records: [StoredRecord]
    public let issuers: IssuerTable
    public let regions: RegionTable
    /// What could not be read, with file and line.
    public let problems: [RegistryProblem]
    /// The same problems with the documents they leave in doubt.
    public let unreadable: UnreadableFiles
    /// Temporary files an interrupted write left behind (ignored; the next write removes them).
    public let leftoverTemporaryFiles: [String]
    private let byKey: [DocumentKey: [Int]]

    init(records: [StoredRecord], issuers: IssuerTable, regions: RegionTable, problems: [RegistryProblem], leftovers: [String]) {
        self.records = records
        self.issuers = issuers
        self.regions = regions
        self.problems = problems
        self.leftoverTemporaryFiles = leftovers
        var byKey: [DocumentKey: [Int]] = [:]
        for (index, stored) in records.enumerated() { byKey[stored.record.key, default: []].append(index) }
        self.byKey = byKey
        let origins = Set(problems.map(\.origin))
        var partlyRead: [String: DocumentKey] = [:]
        if !origins.isEmpty {
            for stored in records where origins.contains(stored.path) { partlyRead[stored.path] = stored.record.key }
        }
        unreadable = UnreadableFiles(problems, partlyRead: partlyRead)
    }

    /// The records for a number or title (two when two issuers share a 代字).
    public func records(for key: DocumentKey) -> [StoredRecord] {
        byKey[key, default: []].map { records[$0] }
    }
}

/// A registry opened for questions of validity: the index, and what could not be read.
public struct RegistryView: Sendable {
    public let index: ValidityIndex
    /// Files that could not be read, with file and line (as `inforce lint` reports them).
    public let problems: [RegistryProblem]
    /// The same problems with the documents they leave in doubt.
    public let unreadable: UnreadableFiles
    public let leftoverTemporaryFiles: [String]
    /// Every record in the registry's order, with the tables, when they are not all in memory
    /// already.
    /// The store's rows, when the index answers from them.
    let storeGraph: StoreGraph?
    let allRecords: (@Sendable () throws(RegistryError) -> (records: [DocumentRecord], issuers: IssuerTable, regions: RegionTable))?
    /// How the store was made sure to match the files before this view was opened.
    public var freshness: StoreFreshness = .files

    /// The same questions with every record in memory, read on every core: for audits, which
    /// reach every record (and many of them many times). When the derived store fails under the
    /// reading, they are read from the files.
    public func withAllRecords() throws(RegistryError) -> ValidityIndex {
        guard let allRecords else { return index }
        let all = try allRecords()
        return ValidityIndex(records: all.records, issuers: all.issuers, regions: all.regions)
    }

    /// Whether the derived store failed under a question (damaged pages): its answer is not to
    /// be trusted, and is asked again of the files.
    public var storeFailed: Bool { storeGraph?.failed ?? false }
}

/// What a write did.
public enum WriteOutcome: Sendable, Equatable {
    case created(path: String)
    case updated(path: String)
    /// The record was already exactly so; the file was not touched.
    case unchanged(path: String)

    public var path: String {
        switch self {
        case .created(let path), .updated(let path), .unchanged(let path): path
        }
    }
}

/// A registry folder: one TOML file per document under `documents/`, plus `issuers.toml` and
/// `regions.toml`. The files are the truth; this type reads them and writes them safely.
public struct Registry: Sendable {
    public let root: URL

    /// Files larger than this are not records: someone put something else in the folder.
    static let maximumFileSize = 4 << 20

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    // MARK: Reading

    /// Reads every record. Unreadable or invalid files become problems, not failures; only a
    /// missing registry folder throws.
    ///
    /// From the derived store, brought up to date by the file first; from the files themselves
    /// when no store can be kept or it fails.
    public func load() throws(RegistryError) -> RegistrySnapshot {
        try requireFolder()
        let watched = watcherSync()
        if let opened = DerivedStore.open(root) {
            do {
                guard let (store, freshness) = try refreshed(opened, watched: watched) else { throw SQLiteDatabase.Failure(code: 1, message: "the store could not be put in place") }
                let graph = try storeGraph(store)
                if let records = graph.graph.all() {
                    StoreFreshness.trace(freshness)
                    return RegistrySnapshot(
                        records: records, issuers: graph.issuers, regions: graph.regions, problems: graph.problems, leftovers: graph.leftovers)
                }
            } catch {}
            DerivedStore.remove(root)
        }
        StoreFreshness.trace(.files)
        let scan = try scanFiles()
        return RegistrySnapshot(records: scan.records, issuers: scan.issuers, regions: scan.regions, problems: scan.problems, leftovers: scan.leftovers)
    }

    /// The registry ready for questions of validity: from the derived store, brought up to date
    /// by the file (a question then reads only the rows it reaches), else from every file.
    public func open() throws(RegistryError) -> RegistryView {
        try requireFolder()
        let watched = watcherSync()
        if let newOrOld = DerivedStore.open(root) {
            do {
                guard let (store, freshness) = try refreshed(newOrOld, watched: watched) else { throw SQLiteDatabase.Failure(code: 1, message: "the store could not be put in place") }
                let opened = try storeGraph(store)
                let graph = opened.graph
                StoreFreshness.trace(freshness)
                return RegistryView(
                    index: ValidityIndex(graph: graph, store: graph, issuers: opened.issuers, regions: opened.regions),
                    problems: opened.problems, unreadable: UnreadableFiles(opened.problems, partlyRead: opened.partlyRead),
                    leftoverTemporaryFiles: opened.leftovers, storeGraph: graph,
                    allRecords: { () throws(RegistryError) in
                        if let records = graph.all() { return (records.map(\.record), opened.issuers, opened.regions) }
                        DerivedStore.remove(root)
                        let scan = try scanFiles()
                        return (scan.records.map(\.record), scan.issuers, scan.regions)
                    }, freshness: freshness)
            } catch {
                DerivedStore.remove(root)
            }
        }
        StoreFreshness.trace(.files)
        return try openFiles()
    }

    /// What a live watcher of this registry vouches for, asked before the store is opened (so
    /// that a store the watcher had to rebuild is the one opened); nil without one.
    private func watcherSync() -> StoreIdentity? {
        DerivedStore.disabled ? nil : WatchClient.sync(root)
    }

    /// The store brought up to date: trusted as it is when the watcher vouched for this very
    /// file, else by the stat pass; a new one built in full and put in place.
    private func refreshed(_ store: DerivedStore, watched: StoreIdentity?) throws(SQLiteDatabase.Failure) -> (DerivedStore, StoreFreshness)? {
        if store.building == nil, let watched, StoreIdentity.current(root) == watched { return (store, .watcher) }
        let freshness: StoreFreshness = store.building == nil ? .statPass : .built
        _ = try refresh(store)
        return store.install().map { ($0, freshness) }
    }

    /// The registry read from its files alone, every record in memory.
    public func openFiles() throws(RegistryError) -> RegistryView {
        let scan = try scanFiles()
        let snapshot = RegistrySnapshot(records: scan.records, issuers: scan.issuers, regions: scan.regions, problems: scan.problems, leftovers: scan.leftovers)
        return RegistryView(
            index: ValidityIndex(records: snapshot.records.map(\.record), issuers: snapshot.issuers, regions: snapshot.regions),
            problems: snapshot.problems, unreadable: snapshot.unreadable, leftoverTemporaryFiles: snapshot.leftoverTemporaryFiles,
            storeGraph: nil, allRecords: nil)
    }

    /// Asks `question` of the registry; when the derived store failed under it (pages damaged
    /// after it was opened), the store is removed and the question asked again of the files, so
    /// a damaged store never gives an answer.
    public func answer<Answer>(_ question: (RegistryView) throws -> Answer) throws -> Answer {
        let view = try open()
        do {
            let answer = try question(view)
            if !view.storeFailed { return answer }
        } catch {
            if !view.storeFailed { throw error }
        }
        DerivedStore.remove(root)
        return try question(try openFiles())
    }

    /// The store's view: its graph, tables, problems and leftovers.
    private func storeGraph(_ store: DerivedStore) throws(SQLiteDatabase.Failure) -> (
        graph: StoreGraph, issuers: IssuerTable, regions: RegionTable, problems: [RegistryProblem], partlyRead: [String: DocumentKey], leftovers: [String]
    ) {
        guard let tables = try storedTables(store.database) else { throw SQLiteDatabase.Failure(code: 11, message: "the store holds no tables") }
        let graph = try StoreGraph(store.database, issuers: tables.issuers, regions: tables.regions, graphFile: DerivedStore.graphURL(store.root))
        var problems: [RegistryProblem] = []
        let rows = try store.database.prepare("SELECT path, severity, line, field, message FROM problems ORDER BY path, line, rowid")
        while try rows.step() {
            problems.append(RegistryProblem(
                RegistryProblem.Severity(rawValue: rows.text(1) ?? "") ?? .error, origin: rows.text(0) ?? "", field: rows.text(3),
                line: rows.isNull(2) ? nil : rows.int(2), rows.text(4) ?? ""))
        }
        var partlyRead: [String: DocumentKey] = [:]
        if !problems.isEmpty {
            let keys = try store.database.prepare("SELECT d.path, d.id FROM documents d WHERE d.path IN (SELECT path FROM problems)")
            var found: [(String, Int32)] = []
            while try keys.step() { found.append((keys.text(0) ?? "", Int32(keys.int(1)))) }
            for (path, node) in found { partlyRead[path] = graph.record(node).key }
        }
        var leftovers: [String] = []
        let temporary = try store.database.prepare("SELECT path FROM files WHERE kind = \(StoreFileKind.leftover.rawValue) ORDER BY path")
        while try temporary.step() { leftovers.append(temporary.text(0) ?? "") }
        return (graph, tables.issuers, tables.regions, problems, partlyRead, leftovers)
    }

    /// What one pass over the files found.
    private struct Scan {
        var records: [StoredRecord] = []
        var issuers = IssuerTable([])
        var regions = RegionTable([])
        var problems: [RegistryProblem] = []
        var leftovers: [String] = []
    }

    /// Reads every file, on every core: where no store can be kept, or `INFORCE_NO_CACHE=1`.
    private func scanFiles() throws(RegistryError) -> Scan {
        let rootPath = root.path
        var scan = Scan()
        scan.issuers = readTable(RegistryLayout.issuersFile, problems: &scan.problems, decode: IssuersFile.decode) ?? IssuerTable([])
        scan.regions = readTable(RegistryLayout.regionsFile, problems: &scan.problems, decode: RegionsFile.decode) ?? RegionTable([])
        let walked = FileSystem.walk(rootPath + "/" + RegistryLayout.documentsFolder, prefix: RegistryLayout.documentsFolder)
        scan.leftovers = walked.files.filter { AtomicFile.isTemporary(Self.fileName(of: $0)) }
        let paths = walked.files.filter { path in
            let name = Self.fileName(of: path)
            return !AtomicFile.isTemporary(name) && name.hasSuffix(RegistryLayout.recordExtension) && !name.hasPrefix(".")
        }
        let outcomes = inParallel(paths.count, chunks: 64) { range in
            range.map { index -> (record: DocumentRecord?, problems: [RegistryProblem]) in
                switch readText(paths[index]) {
                case .failure(let problem):
                    return (nil, [problem])
                case .success(let text):
                    let (record, found) = RecordFile.decode(text, origin: paths[index])
                    return (record, locate(found, in: text))
                }
            }
        }.flatMap { $0 }
        for (path, outcome) in zip(paths, outcomes) {
            scan.problems += outcome.problems
            if let record = outcome.record { scan.records.append(StoredRecord(path: path, record: record)) }
        }
        return scan
    }

    /// Everything wrong with the registry, each problem with its file and line. Writes nothing.
    public func lint() throws(RegistryError) -> [RegistryProblem] {
        let snapshot = try load()
        var problems = snapshot.problems
        var texts: [String: String] = [:]
        for stored in snapshot.records {
            var found = RecordValidation.problems(in: stored.record, origin: stored.path)
            let expected = RegistryLayout.path(for: stored.record.key)
            let expectedStem = String(expected.dropLast(RegistryLayout.recordExtension.count))
            if stored.path != expected && !stored.path.hasPrefix(expectedStem + "@") {
                found.append(RegistryProblem(.warning, origin: stored.path, field: "number", "the file is misplaced: its number or title puts it at \(expected)"))
            }
            problems += found
        }
        problems += RegistryConsistency.problems(
            records: snapshot.records.map { ($0.path, $0.record) }, issuers: snapshot.issuers,
            issuersOrigin: RegistryLayout.issuersFile, regions: snapshot.regions, regionsOrigin: RegistryLayout.regionsFile)
        if FileManager.default.fileExists(atPath: root.appendingPathComponent(AuditConfigFile.name).path),
           case .success(let text) = readText(AuditConfigFile.name)
        {
            problems += locate(AuditConfigFile.decode(text, origin: AuditConfigFile.name).problems, in: text)
        }
        for leftover in snapshot.leftoverTemporaryFiles {
            problems.append(RegistryProblem(.warning, origin: leftover, "an interrupted write left this temporary file; it is ignored, and the next write removes it"))
        }
        problems = problems.map { problem in
            guard problem.line == nil, let field = problem.field else { return problem }
            if texts[problem.origin] == nil, case .success(let text) = readText(problem.origin) { texts[problem.origin] = text }
            var located = problem
            located.line = texts[problem.origin].flatMap { LineLocator.line(of: field, in: $0) }
            return located
        }
        return problems.sorted { ($0.origin, $0.line ?? 0, $0.severity) < ($1.origin, $1.line ?? 0, $1.severity) }
    }

    // MARK: Writing

    /// Runs `body` holding the registry's lock, taken once: a run of writes (an ingest) waits for
    /// another writer only at its start, gives up at once with `.busy` when that writer keeps the
    /// lock past the timeout, and no other writer's change comes between its own. The `update`
    /// and `writeTables` calls in `body` write under this hold.
    public func whileLocked<T>(_ body: () throws -> T) throws -> T {
        if RegistryLock.heldRoots.contains(root.path) { return try body() }
        try createFolderIfMissing()
        let lock = try RegistryLock.acquire(root: root)
        defer { lock.release() }
        return try RegistryLock.$heldRoots.withValue(RegistryLock.heldRoots.union([root.path])) { try body() }
    }

    /// Creates or changes the record for `key` under the registry lock (taken here, unless
    /// `whileLocked` holds it). `change` receives the current record (nil when there is none)
    /// and leaves the one to store. The result is validated before anything is written; an
    /// invalid record throws `.invalidInput`.
    ///
    /// `issuer` picks between two records that share a number (two issuers with one 代字).
    @discardableResult
    public func update(
        _ key: DocumentKey, issuer: String? = nil,
        _ change: (inout DocumentRecord?) throws(RegistryError) -> Void
    ) throws(RegistryError) -> WriteOutcome {
        try createFolderIfMissing()
        let lock = try RegistryLock.acquireUnlessHeld(root: root)
        defer { lock?.release() }

        let folder = RegistryLayout.folder(for: key)
        let candidates = try existingRecords(for: key)
        let matching = candidates.filter { issuer == nil || $0.record.issuer == nil || $0.record.issuer == issuer }
        if matching.count > 1 {
            let issuers = matching.compactMap(\.record.issuer).joined(separator: ", ")
            throw RegistryError(.invalidInput, "\(key) has records for more than one issuer (\(issuers)); say which with --issuer")
        }
        let existing = matching.first
        var record = existing?.record
        try change(&record)
        guard let record else { throw RegistryError(.invalidInput, "nothing to write for \(key)") }
        guard record.key == key else {
            throw RegistryError(.invalidInput, "the change would turn \(key) into \(record.key); add a new record instead")
        }

        let path: String
        if let existing {
            path = existing.path
        } else if candidates.isEmpty {
            if let legacy = RegistryLayout.legacyPath(for: key),
               FileManager.default.fileExists(atPath: root.appendingPathComponent(legacy).deletingLastPathComponent().path)
            {
                throw RegistryError(.invalidRegistry, "\(key) may have a record under \(legacy.split(separator: "/").dropLast().joined(separator: "/"))/, where the registry's earlier layout (a folder per year) kept it; move every record to the current layout once with `inforce migrate --registry \(root.path)`, then try again")
            }
            path = RegistryLayout.path(for: key)
            // The file may hold another document (written by hand, or a name two keys share):
            // never write over it.
            if FileManager.default.fileExists(atPath: try fileURL(path).path) {
                throw RegistryError(.invalidRegistry, "\(path) already holds another document's record, not \(key)'s; move that file to where its own number or title puts it (inforce lint names it) and try again")
            }
        } else if let issuer = record.issuer {
            path = RegistryLayout.path(for: key, issuerSuffix: issuer)
        } else {
            throw RegistryError(.invalidInput, "\(key) already has a record for \(candidates.compactMap(\.record.issuer).joined(separator: ", ")); give --issuer to add another issuer's document with the same number")
        }
        let problems = RecordValidation.problems(in: record, origin: path).filter { $0.severity == .error }
        if !problems.isEmpty {
            throw RegistryError(.invalidInput, problems.map { ($0.field.map { "\($0): " } ?? "") + $0.message }.joined(separator: "; "), problems: problems)
        }
        let text = RecordFile.encode(record)
        let url = try fileURL(path)
        AtomicFile.removeLeftovers(in: root.appendingPathComponent(folder))
        if let existing, case .success(let old) = readText(existing.path), old == text {
            return .unchanged(path: path)
        }
        try AtomicFile.write(text, to: url)
        return existing == nil ? .created(path: path) : .updated(path: path)
    }

    /// Replaces `issuers.toml` or `regions.toml` under the lock (or `whileLocked`'s hold).
    public func writeTables(issuers: IssuerTable?, regions: RegionTable?) throws(RegistryError) {
        try createFolderIfMissing()
        let lock = try RegistryLock.acquireUnlessHeld(root: root)
        defer { lock?.release() }
        if let issuers { try AtomicFile.write(IssuersFile.encode(issuers), to: try fileURL(RegistryLayout.issuersFile)) }
        if let regions { try AtomicFile.write(RegionsFile.encode(regions), to: try fileURL(RegistryLayout.regionsFile)) }
    }

    // MARK: Files

    /// The records stored for a key, found by the layout (no full load).
    private func existingRecords(for key: DocumentKey) throws(RegistryError) -> [StoredRecord] {
        let folder = RegistryLayout.folder(for: key)
        let stem = RegistryLayout.stem(for: key)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: try fileURL(folder).path)) ?? []
        var found: [StoredRecord] = []
        for name in names.sorted() where name.hasSuffix(RegistryLayout.recordExtension) && !name.hasPrefix(".") {
            let nameStem = String(name.dropLast(RegistryLayout.recordExtension.count))
            guard nameStem == stem || nameStem.hasPrefix(stem + "@") else { continue }
            let path = "\(folder)/\(name)"
            let text: String
            switch readText(path) {
            case .success(let content): text = content
            case .failure(let problem): throw RegistryError(.invalidRegistry, "cannot update \(key): \(problem)")
            }
            let (record, problems) = RecordFile.decode(text, origin: path)
            if let problem = problems.first(where: { $0.severity == .error }) {
                throw RegistryError(.invalidRegistry, "cannot update \(key): \(locate([problem], in: text)[0]); fix the file first (inforce lint)")
            }
            if let record, record.key == key { found.append(StoredRecord(path: path, record: record)) }
        }
        return found
    }

    func readTable<Table>(
        _ path: String, problems: inout [RegistryProblem],
        decode: (String, String) -> (table: Table, problems: [RegistryProblem])
    ) -> Table? {
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) else { return nil }
        switch readText(path) {
        case .failure(let problem):
            problems.append(problem)
            return nil
        case .success(let text):
            let (table, found) = decode(text, path)
            problems += locate(found, in: text)
            return table
        }
    }

    /// A registry file as text, or the problem that stops it being one.
    func readText(_ path: String) -> Result<String, RegistryProblem> {
        let bytes: [UInt8]
        switch FileSystem.read(root.path + "/" + path, limit: Registry.maximumFileSize) {
        case .success(let read): bytes = read
        case .failure(.tooLarge(let size)):
            return .failure(RegistryProblem(.error, origin: path, "the file is \(size >> 20) MB; a record is a few KB, so this is not one"))
        case .failure(.system(let reason)):
            return .failure(RegistryProblem(.error, origin: path, "cannot read the file: \(reason)"))
        }
        if bytes.isEmpty { return .failure(RegistryProblem(.error, origin: path, "the file is empty")) }
        if bytes.contains(0) { return .failure(RegistryProblem(.error, origin: path, "the file is binary (it holds NUL bytes), not TOML text")) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(RegistryProblem(.error, origin: path, "the file is not UTF-8 text (registry files are UTF-8)"))
        }
        return .success(text)
    }

    func locate(_ problems: [RegistryProblem], in text: String) -> [RegistryProblem] {
        problems.map { problem in
            guard problem.line == nil, let field = problem.field else { return problem }
            var located = problem
            located.line = LineLocator.line(of: field, in: text)
            return located
        }
    }

    /// The URL of a path inside the registry; refuses any path that would leave it.
    func fileURL(_ path: String) throws(RegistryError) -> URL {
        let url = root.appendingPathComponent(path).standardizedFileURL
        guard url.path.hasPrefix(root.path + "/") else {
            throw RegistryError(.invalidInput, "the path \(path) would leave the registry \(root.path)")
        }
        return url
    }

    private func requireFolder() throws(RegistryError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder) else {
            throw RegistryError(.invalidRegistry, "there is no registry at \(root.path) (pass --registry DIR, or create one with inforce add)")
        }
        guard isFolder.boolValue else { throw RegistryError(.invalidRegistry, "\(root.path) is a file, not a registry folder") }
    }

    private func createFolderIfMissing() throws(RegistryError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw RegistryError(.invalidRegistry, "\(root.path) is a file, not a registry folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw RegistryError(.io, "cannot create the registry \(root.path): \(error.localizedDescription)")
        }
    }
}
