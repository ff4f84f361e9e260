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
    /// The validity graph of these records, when this load built one.
    let graph: ValidityGraph?

    init(records: [StoredRecord], issuers: IssuerTable, regions: RegionTable, problems: [RegistryProblem], leftovers: [String], graph: ValidityGraph? = nil) {
        self.graph = graph
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
    let allRecords: @Sendable () -> [DocumentRecord]

    /// The same index with every record in memory, read on every core: for audits, which reach
    /// every record (and many of them many times).
    public func withAllRecords() -> ValidityIndex {
        if index.store is RecordArray { return index }
        return ValidityIndex(graph: index.graph, store: RecordArray(allRecords()), issuers: index.issuers, regions: index.regions)
    }
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

    /// Reads every file. Unreadable or invalid files become problems, not failures; only a
    /// missing registry folder throws.
    ///
    /// Files whose stamp matches the derived index are taken from it instead of parsed; when
    /// anything differs the index is rewritten for the registry as it is now.
    public func load() throws(RegistryError) -> RegistrySnapshot {
        let scan = try scan(keepRecords: true)
        return RegistrySnapshot(
            records: scan.records, issuers: scan.issuers, regions: scan.regions, problems: scan.problems, leftovers: scan.leftovers,
            graph: scan.graph)
    }

    /// The registry ready for questions of validity. From the derived index when it is fresh
    /// (every stamp unchanged): the graph comes from it and records are read as questions reach
    /// them. Otherwise the index is rebuilt first (without holding every record in memory), and
    /// only where no index can be written are all records loaded.
    public func open() throws(RegistryError) -> RegistryView {
        try requireFolder()
        if let view = indexedView() { return view }
        if !RegistryIndex.disabled {
            _ = try scan(keepRecords: false)
            if let view = indexedView() { return view }
        }
        let snapshot = try load()
        let records = snapshot.records.map(\.record)
        let index = snapshot.graph.map { ValidityIndex(graph: $0, store: RecordArray(records), issuers: snapshot.issuers, regions: snapshot.regions) }
            ?? ValidityIndex(records: records, issuers: snapshot.issuers, regions: snapshot.regions)
        return RegistryView(
            index: index, problems: snapshot.problems, unreadable: snapshot.unreadable, leftoverTemporaryFiles: snapshot.leftoverTemporaryFiles,
            allRecords: { records })
    }

    /// The view from the derived index, when it is there, intact and fresh.
    private func indexedView() -> RegistryView? {
        guard let mapped = MappedIndex(root), mapped.isFresh(), let meta = mapped.meta() else { return nil }
        var problems: [RegistryProblem] = []
        var partlyRead: [String: DocumentKey] = [:]
        for index in 0..<mapped.fileCount {
            guard let file = mapped.file(index), file.hasProblems else { continue }
            switch readText(file.path) {
            case .failure(let problem):
                problems.append(problem)
            case .success(let text) where file.node == RegistryIndex.tableNode:
                problems += locate(
                    file.path == RegistryLayout.issuersFile ? IssuersFile.decode(text, origin: file.path).problems : RegionsFile.decode(text, origin: file.path).problems,
                    in: text)
            case .success(let text):
                let (record, found) = RecordFile.decode(text, origin: file.path)
                problems += locate(found, in: text)
                if let record { partlyRead[file.path] = record.key }
            }
        }
        let store = IndexedRecords(mapped, registry: self)
        return RegistryView(
            index: ValidityIndex(graph: meta.graph, store: store, issuers: meta.issuers, regions: meta.regions),
            problems: problems, unreadable: UnreadableFiles(problems, partlyRead: partlyRead), leftoverTemporaryFiles: meta.leftovers,
            allRecords: store.all)
    }

    /// What one pass over the files found.
    private struct Scan {
        var records: [StoredRecord] = []
        var issuers = IssuerTable([])
        var regions = RegionTable([])
        var problems: [RegistryProblem] = []
        var leftovers: [String] = []
        /// The graph, when this pass built one and kept the records it belongs to.
        var graph: ValidityGraph?
    }

    /// Reads the registry once: stamps every folder and file, takes each unchanged file's record
    /// from the previous index and reads the others, and when anything changed writes a new index
    /// as it goes, a batch of files at a time on every core. `keepRecords: false` keeps only what
    /// the graph needs, so a national registry is indexed in bounded memory.
    private func scan(keepRecords: Bool, rebuild: Bool = false) throws(RegistryError) -> Scan {
        try requireFolder()
        // The cache folder exists before the registry is stamped, so creating it does not make
        // the index look stale at once.
        if !RegistryIndex.disabled {
            try? FileManager.default.createDirectory(at: root.appendingPathComponent(RegistryIndex.folder), withIntermediateDirectories: true)
        }
        let rootPath = root.path
        // Every stamp is taken before what it stamps is read: a change in between makes the next
        // reader see a different stamp and read again, never trust what was not read.
        let rootStamp = FileStamp.of(rootPath)
        var scan = Scan()
        var files: [RegistryIndex.FileEntry] = []
        for name in [RegistryLayout.issuersFile, RegistryLayout.regionsFile] {
            let stamp = FileStamp.of(rootPath + "/" + name)
            let before = scan.problems.count
            if name == RegistryLayout.issuersFile {
                scan.issuers = readTable(name, problems: &scan.problems, decode: IssuersFile.decode) ?? IssuerTable([])
            } else {
                scan.regions = readTable(name, problems: &scan.problems, decode: RegionsFile.decode) ?? RegionTable([])
            }
            // A table with problems is read again (and its problems reported) by every reader.
            if let stamp { files.append(.init(path: name, stamp: stamp, node: RegistryIndex.tableNode, hasProblems: scan.problems.count > before)) }
        }
        let walked = FileSystem.walk(rootPath + "/" + RegistryLayout.documentsFolder, prefix: RegistryLayout.documentsFolder)
        scan.leftovers = walked.files.filter { AtomicFile.isTemporary(Self.fileName($0)) }
        let paths = walked.files.filter { path in
            let name = Self.fileName(path)
            return !AtomicFile.isTemporary(name) && name.hasSuffix(RegistryLayout.recordExtension) && !name.hasPrefix(".")
        }
        let folders = (rootStamp.map { [(path: ".", stamp: $0)] } ?? []) + walked.folders

        // Which files the previous index holds unchanged (only while it is intact).
        let previous = MappedIndex(root)
        var known: [UTF8Key: (stamp: FileStamp, node: Int32)] = [:]
        if let previous {
            known.reserveCapacity(previous.fileCount)
            for index in 0..<previous.fileCount {
                // A file with problems is read (and its problems reported) every time.
                if let file = previous.file(index), file.node >= 0, !file.hasProblems { known[UTF8Key(file.path)] = (file.stamp, file.node) }
            }
        }
        let stamps = inParallel(paths.count, chunks: 64) { range in range.map { FileStamp.of(rootPath + "/" + paths[$0]) } }.flatMap { $0 }
        let cached: [Int32?] = paths.indices.map { index in
            guard let stamp = stamps[index], let entry = known[UTF8Key(paths[index])], entry.stamp == stamp else { return nil }
            return entry.node
        }
        // An index whose graph or tables do not decode is damaged even where its records are not.
        var changed = rebuild || previous == nil || cached.contains(nil) || previous?.meta() == nil
        if let previous, !changed {
            // Same files, all unchanged: stale only if a folder or a table changed, which the
            // stamps taken above tell without another `stat` of everything.
            changed = previous.fileCount != files.count + paths.count || previous.folderCount != folders.count
                || !folders.indices.allSatisfy { index in previous.folder(index).map { $0.path == folders[index].path && $0.stamp == folders[index].stamp } ?? false }
                || !files.indices.allSatisfy { index in previous.file(index).map { $0.path == files[index].path && $0.stamp == files[index].stamp } ?? false }
        }
        var writer = changed ? IndexWriter(root) : nil
        var inputs: [GraphInput] = []

        // Read, decode and encode a batch of files on every core, then append them in order.
        struct Outcome {
            var record: DocumentRecord?
            var problems: [RegistryProblem] = []
            var fromIndex = false
            var encoded: [UInt8] = []
            var input: GraphInput?
        }
        let batchSize = 8192
        var damaged = false
        for batchStart in stride(from: 0, to: paths.count, by: batchSize) {
            let batch = batchStart..<min(paths.count, batchStart + batchSize)
            let writing = writer != nil
            let outcomes = inParallel(batch.count, chunks: 64) { range in
                range.map { offset in
                    let index = batch.lowerBound + offset
                    var outcome = Outcome()
                    if let node = cached[index], let record = previous?.record(node) {
                        outcome.record = record
                        outcome.fromIndex = true
                    } else {
                        switch readText(paths[index]) {
                        case .failure(let problem):
                            outcome.problems = [problem]
                        case .success(let text):
                            let (record, found) = RecordFile.decode(text, origin: paths[index])
                            outcome.record = record
                            outcome.problems = locate(found, in: text)
                        }
                    }
                    if writing, let record = outcome.record {
                        outcome.encoded = IndexWriter.encode(record)
                        outcome.input = GraphInput(record)
                    }
                    return outcome
                }
            }.flatMap { $0 }
            for (offset, var outcome) in outcomes.enumerated() {
                let index = batch.lowerBound + offset
                scan.problems += outcome.problems
                damaged = damaged || (cached[index] != nil && !outcome.fromIndex)
                // Every record that could be read is a node, as in the snapshot; a file that
                // could not be read is listed (so a fix to it is seen) with no node.
                var node = RegistryIndex.problemNode
                if let record = outcome.record {
                    if let active = writer, let input = outcome.input {
                        node = Int32(active.nodeCount)
                        do {
                            try active.append(encoded: outcome.encoded, file: files.count)
                            inputs.append(input)
                        } catch {
                            // A full disk or a read-only registry: no index this time.
                            active.discard()
                            writer = nil
                        }
                    }
                    if keepRecords { scan.records.append(StoredRecord(path: paths[index], record: record)) }
                }
                outcome.encoded = []
                if let stamp = stamps[index] {
                    files.append(.init(path: paths[index], stamp: stamp, node: node, hasProblems: !outcome.problems.isEmpty))
                }
            }
        }
        if let writer {
            let graph = ValidityGraph(inputs: inputs, issuers: scan.issuers, regions: scan.regions)
            writer.finish(folders: folders, files: files, leftovers: scan.leftovers, issuers: scan.issuers, regions: scan.regions, graph: graph)
            if keepRecords && inputs.count == scan.records.count { scan.graph = graph }
        } else if damaged && !rebuild {
            // A record of an index that looked intact did not decode: build it anew.
            return try self.scan(keepRecords: keepRecords, rebuild: true)
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

    /// Creates or changes the record for `key` under the registry lock. `change` receives the
    /// current record (nil when there is none) and leaves the one to store. The result is
    /// validated before anything is written; an invalid record throws `.invalidInput`.
    ///
    /// `issuer` picks between two records that share a number (two issuers with one 代字).
    @discardableResult
    public func update(
        _ key: DocumentKey, issuer: String? = nil,
        _ change: (inout DocumentRecord?) throws(RegistryError) -> Void
    ) throws(RegistryError) -> WriteOutcome {
        try createFolderIfMissing()
        let lock = try RegistryLock.acquire(root: root)
        defer { lock.release() }

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

    /// Replaces `issuers.toml` or `regions.toml` under the lock.
    public func writeTables(issuers: IssuerTable?, regions: RegionTable?) throws(RegistryError) {
        try createFolderIfMissing()
        let lock = try RegistryLock.acquire(root: root)
        defer { lock.release() }
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

    private static func fileName(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    private func readTable<Table>(
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

    private func locate(_ problems: [RegistryProblem], in text: String) -> [RegistryProblem] {
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
