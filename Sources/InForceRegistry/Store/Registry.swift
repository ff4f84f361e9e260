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
    }

    /// The records for a number or title (two when two issuers share a 代字).
    public func records(for key: DocumentKey) -> [StoredRecord] {
        byKey[key, default: []].map { records[$0] }
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
    public func load() throws(RegistryError) -> RegistrySnapshot {
        try requireFolder()
        var problems: [RegistryProblem] = []
        let issuers = readTable(RegistryLayout.issuersFile, problems: &problems, decode: IssuersFile.decode) ?? IssuerTable([])
        let regions = readTable(RegistryLayout.regionsFile, problems: &problems, decode: RegionsFile.decode) ?? RegionTable([])
        var records: [StoredRecord] = []
        var leftovers: [String] = []
        let paths = recordPaths(leftovers: &leftovers)
        let cached = RecordCache.read(root)
        let rootPath = root.path
        // Read and parse the files on every core (or take them from the cache while their stamp
        // is unchanged); each file's result lands in its own slot.
        let slots = ResultSlots<(StoredRecord?, [RegistryProblem], RecordCache.Entry?, Bool)>(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.isEmpty ? 0 : min(paths.count, 64)) { chunk in
            var index = chunk
            while index < paths.count {
                let path = paths[index]
                let stamp = FileStamp.of(rootPath + "/" + path)
                if let stamp, let entry = cached[RecordCache.PathKey(path: path)], entry.stamp == stamp {
                    slots.set(index, (StoredRecord(path: path, record: entry.record), [], entry, false))
                } else {
                    switch readText(path) {
                    case .failure(let problem):
                        slots.set(index, (nil, [problem], nil, true))
                    case .success(let text):
                        let (record, recordProblems) = RecordFile.decode(text, origin: path)
                        // Only clean records are cached: a file with problems is read (and reported) every time.
                        let entry = record.flatMap { record in
                            stamp.flatMap { recordProblems.isEmpty ? RecordCache.Entry(path: path, stamp: $0, record: record) : nil }
                        }
                        slots.set(index, (record.map { StoredRecord(path: path, record: $0) }, locate(recordProblems, in: text), entry, true))
                    }
                }
                index += 64
            }
        }
        var entries: [RecordCache.Entry] = []
        var changed = false
        for index in paths.indices {
            guard let (record, found, entry, parsed) = slots.get(index) else { continue }
            problems += found
            if let record { records.append(record) }
            if let entry { entries.append(entry) }
            changed = changed || (parsed && entry != nil)
        }
        changed = changed || entries.count != cached.count
        if changed { RecordCache.write(root, entries: entries) }
        return RegistrySnapshot(records: records, issuers: issuers, regions: regions, problems: problems, leftovers: leftovers)
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

    /// Every record file under `documents/`, relative to the registry, sorted.
    private func recordPaths(leftovers: inout [String]) -> [String] {
        let documents = root.appendingPathComponent(RegistryLayout.documentsFolder).path
        var paths: [String] = []
        for path in FileSystem.walk(documents, prefix: RegistryLayout.documentsFolder).files {
            let name = path[path.index(after: path.lastIndex(of: "/")!)...]
            if AtomicFile.isTemporary(String(name)) {
                leftovers.append(path)
            } else if name.hasSuffix(RegistryLayout.recordExtension) && !name.hasPrefix(".") {
                paths.append(path)
            }
        }
        return paths
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
