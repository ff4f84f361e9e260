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

    /// Which paths a refresh looks at.
    enum RefreshScope {
        /// Every file and folder the store knows, each by `stat`, and the folders that changed
        /// listed again: the stat pass, which needs to know nothing of what happened.
        case everything
        /// Only these paths, relative to the registry, which a watcher saw change (`Watch/`):
        /// each file is stamped and read again, added or removed; each folder that is new is
        /// walked whole, one that is gone is removed with all the store holds below it, and one
        /// that changed has its stamp kept. Every other row is trusted: the caller promises that
        /// each file added, changed or removed is among `files` (or below a new or gone folder).
        case paths(files: Set<String>, folders: Set<String>)
    }

    /// What a refresh is to write: folders to stamp or forget, files to read or forget.
    private struct RefreshPlan {
        var newFolders: [(path: String, stamp: FileStamp)] = []
        var goneFolders: [String] = []
        var changed: [String] = []
        var removed: [String] = []
        var added: [String] = []
    }

    /// Every stamp is taken before what it stamps is read: a change in between makes the next
    /// refresh see a different stamp and read again, never trust what was not read.
    func refresh(_ store: DerivedStore, scope: RefreshScope = .everything) throws(SQLiteDatabase.Failure) -> RefreshOutcome {
        let database = store.database
        let rootDescriptor = Glibc.open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if rootDescriptor >= 0 { close(rootDescriptor) } }
        var plan: RefreshPlan
        var building = false
        switch scope {
        case .paths(let files, let folders) where try Self.hasFolders(database):
            plan = try planPaths(files: files, folders: folders, in: database, relativeTo: rootDescriptor)
        case .everything, .paths:
            (plan, building) = try planEverything(database, relativeTo: rootDescriptor)
        }

        var outcome = RefreshOutcome()
        let tables = [RegistryLayout.issuersFile, RegistryLayout.regionsFile]
        outcome.tablesChanged = (plan.changed + plan.removed + plan.added).contains { tables.contains($0) } || building
        outcome.changedFiles = plan.changed.count + plan.added.count
        outcome.removedFiles = plan.removed.count
        guard outcome.changed || !plan.newFolders.isEmpty || !plan.goneFolders.isEmpty else { return outcome }

        try database.execute("BEGIN IMMEDIATE")
        do {
            try apply(outcome, changed: plan.changed + plan.added, removed: plan.removed, newFolders: plan.newFolders, goneFolders: plan.goneFolders, to: store)
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
        return outcome
    }

    /// The stat pass: every stored stamp compared with the file system.
    private func planEverything(_ database: SQLiteDatabase, relativeTo rootDescriptor: Int32) throws(SQLiteDatabase.Failure) -> (RefreshPlan, building: Bool) {
        let rootPath = root.path
        var folderPaths: [String] = []
        var folderStamps: [FileStamp] = []
        let folderRows = try database.prepare("SELECT path, inode, size, modified FROM folders")
        while try folderRows.step() {
            folderPaths.append(folderRows.text(0) ?? "")
            folderStamps.append(Self.stamp(folderRows, from: 1))
        }
        var filePaths: [String] = []
        var fileStamps: [FileStamp?] = []
        let fileRows = try database.prepare("SELECT path, inode, size, modified FROM files")
        while try fileRows.step() {
            filePaths.append(fileRows.text(0) ?? "")
            fileStamps.append(Self.stamp(fileRows, from: 1))
        }
        let building = folderPaths.isEmpty
        if building { folderPaths = ["."] }
        let nowFolders = Self.stamps(folderPaths, relativeTo: rootDescriptor)

        // Folders: a changed one is listed again, a new one walked whole. The sets of known
        // paths are made only then: a registry that did not change costs its `stat`s alone.
        var plan = RefreshPlan()
        let changedFolders = folderPaths.indices.filter { building || nowFolders[$0] != folderStamps[$0] }
        if !changedFolders.isEmpty {
            let knownFiles = Set(filePaths)
            let knownFolders = building ? [] : Set(folderPaths)
            for index in changedFolders {
                let path = folderPaths[index]
                guard let stamp = nowFolders[index] else {
                    plan.goneFolders.append(path)
                    continue
                }
                plan.newFolders.append((path, stamp))
                let listing = FileSystem.list(rootPath + "/" + path, prefix: path == "." ? "" : path)
                for file in listing.files where !knownFiles.contains(file) && Self.belongs(file) { plan.added.append(file) }
                for folder in listing.folders where !knownFolders.contains(folder) && (path != "." || folder == RegistryLayout.documentsFolder) {
                    let walked = FileSystem.walk(rootPath + "/" + folder, prefix: folder)
                    plan.newFolders += walked.folders
                    plan.added += walked.files.filter { !knownFiles.contains($0) && Self.belongs($0) }
                }
            }
            plan.added = Array(Set(plan.added)).sorted()
        }
        Self.compare(filePaths, stored: fileStamps, relativeTo: rootDescriptor, into: &plan)
        return (plan, building)
    }

    /// A watcher's refresh: only the paths it names, and what lies below a folder that came or
    /// went.
    private func planPaths(
        files: Set<String>, folders: Set<String>, in database: SQLiteDatabase, relativeTo rootDescriptor: Int32
    ) throws(SQLiteDatabase.Failure) -> RefreshPlan {
        let rootPath = root.path
        var plan = RefreshPlan()
        let folderRow = try database.prepare("SELECT inode, size, modified FROM folders WHERE path = ?")
        let folderPaths = folders.filter(Self.isRegistryFolder).sorted()
        let nowFolders = Self.stamps(folderPaths, relativeTo: rootDescriptor)
        var candidates = files.filter(Self.belongs)
        for (path, now) in zip(folderPaths, nowFolders) {
            let stored = try Self.storedStamp(folderRow, path)
            if let stored, let now, stored.inode == now.inode {
                if stored != now { plan.newFolders.append((path, now)) }
                continue
            }
            if stored != nil {
                // Gone, or another folder in its place: what the store holds below it is
                // forgotten, and each file stamped again.
                plan.goneFolders.append(path)
                let below = try database.prepare("SELECT path FROM folders WHERE path > ? AND path < ?").bind(.text(path + "/"), .text(path + "0"))
                while try below.step() { plan.goneFolders.append(below.text(0) ?? "") }
                let inside = try database.prepare("SELECT path FROM files WHERE path > ? AND path < ?").bind(.text(path + "/"), .text(path + "0"))
                while try inside.step() { candidates.insert(inside.text(0) ?? "") }
            }
            if now != nil {
                // New (made, or moved in): what it holds may have come without events of its own.
                let walked = FileSystem.walk(rootPath + "/" + path, prefix: path)
                plan.newFolders += walked.folders
                candidates.formUnion(walked.files.filter(Self.belongs))
            }
        }
        let filePaths = candidates.sorted()
        let fileRow = try database.prepare("SELECT inode, size, modified FROM files WHERE path = ?")
        var fileStamps: [FileStamp?] = []
        for path in filePaths { fileStamps.append(try Self.storedStamp(fileRow, path)) }
        // An event says the file changed even when its stamp does not: two writes of one size
        // within a tick of the file system's clock leave the same time.
        Self.compare(filePaths, stored: fileStamps, relativeTo: rootDescriptor, into: &plan, always: true)
        return plan
    }

    /// Files: any stamp that differs is read again (one the store did not have is added), and
    /// with `always` every file that is there; one that is gone is removed.
    private static func compare(_ paths: [String], stored: [FileStamp?], relativeTo rootDescriptor: Int32, into plan: inout RefreshPlan, always: Bool = false) {
        let now = stamps(paths, relativeTo: rootDescriptor)
        for index in paths.indices where now[index] != stored[index] || (always && now[index] != nil) {
            if now[index] == nil { plan.removed.append(paths[index]) } else { plan.changed.append(paths[index]) }
        }
    }

    /// The stamp a statement selecting `inode, size, modified` by path finds, if any.
    private static func storedStamp(_ statement: SQLiteStatement, _ path: String) throws(SQLiteDatabase.Failure) -> FileStamp? {
        try statement.bind(.text(path))
        guard try statement.step() else { return nil }
        let stamp = stamp(statement, from: 0)
        try statement.run()
        return stamp
    }

    private static func hasFolders(_ database: SQLiteDatabase) throws(SQLiteDatabase.Failure) -> Bool {
        try database.prepare("SELECT 1 FROM folders LIMIT 1").step()
    }

    /// Whether a folder is one the store stamps: the registry's own, `documents/` and the
    /// folders below it whose names are not hidden.
    static func isRegistryFolder(_ path: String) -> Bool {
        guard path != "." else { return true }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.first.map(String.init) == RegistryLayout.documentsFolder && !parts.contains { $0.isEmpty || $0.hasPrefix(".") }
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
    static func belongs(_ path: String) -> Bool {
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
        // Whatever was derived from the tables before this change (the graph file) is stale now.
        try database.execute("UPDATE meta SET value = value + 1 WHERE name = 'generation'")
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
