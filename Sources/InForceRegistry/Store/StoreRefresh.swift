import Foundation
import InForce

/// Bringing the derived store up to date with the files: by `stat` alone when nothing changed,
/// and by the file when something did — each changed, added or removed file is read and its
/// rows replaced, all in one transaction, so an edit costs its file, not the registry.
extension Registry {
    /// What one refresh found.
    struct RefreshOutcome {
        var changedFiles = 0
        var removedFiles = 0
        var tablesChanged = false
        var changed: Bool { changedFiles > 0 || removedFiles > 0 || tablesChanged }
    }

    /// Every stamp is taken before what it stamps is read: a change in between makes the next
    /// refresh see a different stamp and read again, never trust what was not read.
    func refresh(_ store: DerivedStore) throws(SQLiteDatabase.Failure) -> RefreshOutcome {
        let database = store.database
        let rootPath = root.path
        var folderPaths: [String] = []
        var folderStamps: [FileStamp] = []
        let folderRows = try database.prepare("SELECT path, inode, size, modified FROM folders")
        while try folderRows.step() {
            folderPaths.append(folderRows.text(0) ?? "")
            folderStamps.append(Self.stamp(folderRows, from: 1))
        }
        var filePaths: [String] = []
        var fileStamps: [FileStamp] = []
        let fileRows = try database.prepare("SELECT path, inode, size, modified FROM files")
        while try fileRows.step() {
            filePaths.append(fileRows.text(0) ?? "")
            fileStamps.append(Self.stamp(fileRows, from: 1))
        }
        let building = folderPaths.isEmpty
        if building { folderPaths = ["."] }
        let rootDescriptor = Glibc.open(rootPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if rootDescriptor >= 0 { close(rootDescriptor) } }
        let nowFolders = Self.stamps(folderPaths, relativeTo: rootDescriptor)
        let nowFiles = Self.stamps(filePaths, relativeTo: rootDescriptor)

        // Folders: a changed one is listed again, a new one walked whole. The sets of known
        // paths are made only then: a registry that did not change costs its `stat`s alone.
        var newFolders: [(path: String, stamp: FileStamp)] = []
        var goneFolders: [String] = []
        var added: [String] = []
        let changedFolders = folderPaths.indices.filter { building || nowFolders[$0] != folderStamps[$0] }
        if !changedFolders.isEmpty {
            let knownFiles = Set(filePaths)
            let knownFolders = building ? [] : Set(folderPaths)
            for index in changedFolders {
                let path = folderPaths[index]
                guard let stamp = nowFolders[index] else {
                    goneFolders.append(path)
                    continue
                }
                newFolders.append((path, stamp))
                let listing = FileSystem.list(rootPath + "/" + path, prefix: path == "." ? "" : path)
                for file in listing.files where !knownFiles.contains(file) && Self.belongs(file) { added.append(file) }
                for folder in listing.folders where !knownFolders.contains(folder) && (path != "." || folder == RegistryLayout.documentsFolder) {
                    let walked = FileSystem.walk(rootPath + "/" + folder, prefix: folder)
                    newFolders += walked.folders
                    added += walked.files.filter { !knownFiles.contains($0) && Self.belongs($0) }
                }
            }
            added = Array(Set(added)).sorted()
        }

        // Files: any stamp that differs is read again; one that is gone is removed.
        var changed: [String] = []
        var removed: [String] = []
        for index in filePaths.indices where nowFiles[index] != fileStamps[index] {
            if nowFiles[index] == nil { removed.append(filePaths[index]) } else { changed.append(filePaths[index]) }
        }
        var outcome = RefreshOutcome()
        let tables = [RegistryLayout.issuersFile, RegistryLayout.regionsFile]
        outcome.tablesChanged = (changed + removed + added).contains { tables.contains($0) } || building
        outcome.changedFiles = changed.count + added.count
        outcome.removedFiles = removed.count
        guard outcome.changed || !newFolders.isEmpty || !goneFolders.isEmpty else { return outcome }

        try database.execute("BEGIN IMMEDIATE")
        do {
            try apply(outcome, changed: changed + added, removed: removed, newFolders: newFolders, goneFolders: goneFolders, to: store)
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
        return outcome
    }

    /// The stamps of registry-relative paths, on every core, each `stat` relative to the
    /// registry's folder (a short walk for the kernel); nil for a path that is gone.
    private static func stamps(_ paths: [String], relativeTo root: Int32) -> [FileStamp?] {
        inParallel(paths.count, chunks: max(1, min(64, paths.count / 256))) { range in
            var info = stat()
            return range.map { index -> FileStamp? in
                guard root >= 0, fstatat(root, paths[index], &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
                return FileStamp(info)
            }
        }.flatMap { $0 }
    }

    private static func stamp(_ row: SQLiteStatement, from column: Int32) -> FileStamp {
        FileStamp(inode: UInt64(bitPattern: row.int64(column)), size: row.int64(column + 1), modified: row.int64(column + 2))
    }

    /// Whether a file found by listing a folder is one the store keeps: a record, a table, or an
    /// interrupted write's leftover (kept so that lint can name it).
    private static func belongs(_ path: String) -> Bool {
        if path == RegistryLayout.issuersFile || path == RegistryLayout.regionsFile { return true }
        guard path.hasPrefix(RegistryLayout.documentsFolder + "/") else { return false }
        let name = fileName(of: path)
        return AtomicFile.isTemporary(name) || (name.hasSuffix(RegistryLayout.recordExtension) && !name.hasPrefix("."))
    }

    static func fileName(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    private func apply(
        _ outcome: RefreshOutcome, changed: [String], removed: [String], newFolders: [(path: String, stamp: FileStamp)], goneFolders: [String],
        to store: DerivedStore
    ) throws(SQLiteDatabase.Failure) {
        let database = store.database
        let rootPath = root.path
        var issuers = try storedTables(database)?.issuers ?? IssuerTable([])
        if outcome.tablesChanged {
            var problems: [RegistryProblem] = []
            for name in [RegistryLayout.issuersFile, RegistryLayout.regionsFile] {
                let stamp = FileStamp.of(rootPath + "/" + name)
                problems = []
                var snapshot = RecordSnapshot.Writer()
                if name == RegistryLayout.issuersFile {
                    issuers = readTable(name, problems: &problems, decode: IssuersFile.decode) ?? IssuerTable([])
                    snapshot.issuers(issuers)
                } else {
                    snapshot.regions(readTable(name, problems: &problems, decode: RegionsFile.decode) ?? RegionTable([]))
                }
                try database.prepare("INSERT OR REPLACE INTO tables(name, snapshot) VALUES(?, ?)").bind(.text(name), .blob(snapshot.bytes)).run()
                let writer = try StoreWriter(database, issuers: issuers)
                try writer.replaceProblems(of: name, with: problems)
                if let stamp { try writer.putFile(name, stamp: stamp, kind: .table) } else { try writer.forgetFile(name) }
            }
        }
        var writer = try StoreWriter(database, issuers: issuers)
        for path in removed {
            try writer.removeDocument(at: path)
            try writer.forgetFile(path)
        }
        for path in goneFolders { try database.prepare("DELETE FROM folders WHERE path = ?").bind(.text(path)).run() }
        let putFolder = try database.prepare("INSERT OR REPLACE INTO folders(path, inode, size, modified) VALUES(?, ?, ?, ?)")
        for folder in newFolders {
            try putFolder.bind(.text(folder.path), .int(Int64(bitPattern: folder.stamp.inode)), .int(folder.stamp.size), .int(folder.stamp.modified)).run()
        }
        // Read and decode a batch on every core, then write it: a national registry is built in
        // bounded memory.
        let records = changed.filter { $0 != RegistryLayout.issuersFile && $0 != RegistryLayout.regionsFile }
        struct Read {
            var stamp: FileStamp?
            var row: StoreRow?
            var problems: [RegistryProblem] = []
            var leftover = false
        }
        for start in stride(from: 0, to: records.count, by: 8192) {
            let batch = Array(records[start..<min(records.count, start + 8192)])
            let reads = inParallel(batch.count, chunks: 64) { range in
                range.map { index -> Read in
                    let path = batch[index]
                    var read = Read(stamp: FileStamp.of(rootPath + "/" + path))
                    guard read.stamp != nil else { return read }
                    if AtomicFile.isTemporary(Self.fileName(of: path)) {
                        read.leftover = true
                        return read
                    }
                    switch readText(path) {
                    case .failure(let problem):
                        read.problems = [problem]
                    case .success(let text):
                        let (record, found) = RecordFile.decode(text, origin: path)
                        read.row = record.map { StoreRow(path: path, record: $0) }
                        read.problems = locate(found, in: text)
                    }
                    return read
                }
            }.flatMap { $0 }
            for (path, read) in zip(batch, reads) {
                try writer.removeDocument(at: path)
                guard let stamp = read.stamp else {
                    try writer.forgetFile(path)
                    continue
                }
                try writer.replaceProblems(of: path, with: read.problems)
                if let row = read.row { try writer.insert(row) }
                try writer.putFile(path, stamp: stamp, kind: read.leftover ? .leftover : read.row == nil ? .unreadable : .record)
            }
        }
        try database.prepare("UPDATE meta SET value = value + ? WHERE name = 'documents'").bind(.int(writer.documentChange)).run()
        if outcome.tablesChanged { try reassignIssuers(database, issuers: issuers) }
    }

    /// After `issuers.toml` changed: every document's issuer, region and level again.
    private func reassignIssuers(_ database: SQLiteDatabase, issuers: IssuerTable) throws(SQLiteDatabase.Failure) {
        let rows = try database.prepare("SELECT id, record FROM documents")
        var updates: [(Int64, String?, String?, String?)] = []
        while try rows.step() {
            let id = rows.int64(0)
            let record = rows.withBlob(1) { bytes -> DocumentRecord? in
                var reader = RecordSnapshot.Reader(Array(bytes))
                return try? reader.record()
            }
            guard let record else { throw SQLiteDatabase.Failure(code: 11, message: "a stored record does not decode") }
            let owner = StoreWriter.issuerAndRegion(GraphInput(record), issuers: issuers)
            updates.append((id, owner.issuer, owner.region, owner.level))
        }
        let update = try database.prepare("UPDATE documents SET issuer = ?, region = ?, level = ? WHERE id = ?")
        for (id, issuer, region, level) in updates { try update.bind(.optional(issuer), .optional(region), .optional(level), .int(id)).run() }
    }

    /// The issuer and region tables as the store last read them.
    func storedTables(_ database: SQLiteDatabase) throws(SQLiteDatabase.Failure) -> (issuers: IssuerTable, regions: RegionTable)? {
        let rows = try database.prepare("SELECT name, snapshot FROM tables")
        var issuers: IssuerTable?
        var regions: RegionTable?
        while try rows.step() {
            let name = rows.text(0)
            let decoded = rows.withBlob(1) { bytes -> Bool in
                var reader = RecordSnapshot.Reader(Array(bytes))
                if name == RegistryLayout.issuersFile {
                    issuers = try? reader.issuers()
                    return issuers != nil && reader.atEnd
                }
                regions = try? reader.regions()
                return regions != nil && reader.atEnd
            }
            guard decoded else { throw SQLiteDatabase.Failure(code: 11, message: "the stored \(name ?? "table") does not decode") }
        }
        guard let issuers, let regions else { return nil }
        return (issuers, regions)
    }
}
