public import Foundation

/// Why a registry cannot be watched whole: the user's limit of inotify watches is reached.
public struct WatchLimitReached: Error, Sendable, CustomStringConvertible {
    /// The folder, relative to the registry, whose watch the kernel refused.
    public let folder: String
    /// How many folders the registry has (as far as the watcher had counted).
    public let folders: Int
    /// `fs.inotify.max_user_watches`, when it can be read.
    public let limit: Int?

    /// The name of the limit that applies (`user.max_inotify_watches` in a user namespace
    /// that set a lower one).
    public let limitName: String

    public var description: String {
        let limitText = limit.map { "\(limitName) = \($0)" } ?? limitName
        return "cannot watch \(folder): the system's limit of inotify watches (\(limitText)) is reached, and the registry has "
            + "\(folders) folders (other programs of this user hold watches too). Raise it, e.g. sudo sysctl \(limitName)=\(max(524_288, folders * 2)); "
            + "until then every query checks every file (the stat pass)"
    }
}

/// Keeps a registry's derived store fresh from inotify events, and tells a query that asks
/// when every change made before it asked is in the store, so the query need not `stat` every
/// file (the way git's fsmonitor daemon and Watchman serve `git status`).
///
/// `start` watches every folder first and only then brings the store up to date by the stat
/// pass, so a change made before or during the start is seen by one or the other; `run` then
/// applies the events as they come (a short pause gathers a burst into one transaction) and
/// answers queries on the registry's socket (`WatchSocket`). A query's `sync` is answered
/// after a cookie file the watcher creates in a folder it watches comes back through the event
/// queue: inotify keeps one ordered queue, so every change made before the query asked is
/// applied by then. A lost event (the queue overflowed) means a full stat pass before the next
/// answer; a store file replaced under the watcher (a query rebuilt it) is opened again and
/// refreshed in full.
public final class RegistryWatcher {
    /// What the watcher did, for its face to report.
    public enum Event {
        /// Watching, the store fresh, queries answered from now on.
        case ready(folders: Int, documents: Int, seconds: Double)
        /// Changes applied in one transaction.
        case applied(changedFiles: Int, removedFiles: Int, seconds: Double)
        /// Events were lost: the store is brought up to date by a full stat pass.
        case overflowed
        /// The store file is not the one the watcher keeps (removed or rebuilt): opened again.
        case storeReplaced
        /// The store could not be refreshed; queries check every file until it can.
        case failed(String)
    }

    public let registry: Registry
    private let rootPath: String
    private let inotify: Inotify
    private var watches: [Int32: String] = [:]
    private var watchOf: [String: Int32] = [:]
    private var cookieWatch: Int32?
    private var cookies = 0
    private var pendingFiles: Set<String> = []
    private var pendingFolders: Set<String> = []
    private var needsFullRefresh = false
    private var store: DerivedStore?
    private var identity: StoreIdentity?
    private var generation: UInt64 = 0
    private var listener: Int32 = -1
    private let signals: (read: Int32, write: Int32)

    /// Where the cookies are made: the one folder of `.inforce-cache` that is watched.
    static let cookieFolder = DerivedStore.folder + "/watch"

    /// A watcher of `registry` that stops on `stopSignals`. Those signals are blocked in this
    /// thread and every thread started after (so make the watcher before any other thread).
    public init(registry: Registry, stopSignals: [Int32] = [SIGINT, SIGTERM]) throws(RegistryError) {
        self.registry = registry
        rootPath = registry.root.path
        guard let inotify = Inotify() else { throw RegistryError(.io, "cannot start inotify: \(Errno(errno)) (fs.inotify.max_user_instances may be reached)") }
        self.inotify = inotify
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw RegistryError(.io, "cannot make a pipe: \(Errno(errno))") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        signals = (ends[0], ends[1])
        var set = sigset_t()
        sigemptyset(&set)
        for signal in stopSignals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let blocked = set
        let writer = ends[1]
        Thread.detachNewThread {
            var waited = blocked
            var caught: Int32 = 0
            while sigwait(&waited, &caught) != 0 {}
            _ = withUnsafeBytes(of: &caught) { write(writer, $0.baseAddress, $0.count) }
        }
    }

    deinit {
        if listener >= 0 { close(listener) }
        close(signals.read)
        close(signals.write)
    }

    // MARK: Starting

    /// Claims the registry's socket, watches every folder, brings the store up to date (the
    /// stat pass; a build when there is no store), and listens. Throws `.busy` when another
    /// watcher keeps this registry, `WatchLimitReached` when the kernel's limit stops a watch.
    public func start(_ report: (Event) -> Void) throws {
        let started = Date()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootPath, isDirectory: &isFolder), isFolder.boolValue else {
            throw RegistryError(.invalidRegistry, "there is no registry at \(rootPath) (pass --registry DIR, or create one with inforce add)")
        }
        guard !DerivedStore.disabled else {
            throw RegistryError(.invalidInput, "INFORCE_NO_CACHE=1 keeps no store, so there is nothing to keep fresh; unset it to watch \(rootPath)")
        }
        try claimSocket()
        try makeCookieFolder()
        try watchRegistry()
        needsFullRefresh = true
        // The first refresh is the start itself, reported as `ready`.
        guard applyPending({ if case .applied = $0 { return }; report($0) }) else { throw RegistryError(.io, "cannot keep a store in \(rootPath)/\(DerivedStore.folder) (is the registry read-only?)") }
        guard listen(listener, 64) == 0 else { throw RegistryError(.io, "cannot listen for queries: \(Errno(errno))") }
        report(.ready(folders: watchOf.count, documents: documentCount(), seconds: Date().timeIntervalSince(started)))
    }

    /// Binds the registry's abstract name: one watcher per registry.
    private func claimSocket() throws(RegistryError) {
        guard let name = WatchSocket.name(for: registry.root), let descriptor = WatchSocket.make(timeout: 1) else {
            throw RegistryError(.io, "cannot make the socket queries ask: \(Errno(errno))")
        }
        let bound = WatchSocket.withAddress(name) { bind(descriptor, $0, $1) }
        guard bound == 0 else {
            let reason = errno
            close(descriptor)
            guard reason == EADDRINUSE else { throw RegistryError(.io, "cannot make the socket queries ask: \(Errno(reason))") }
            throw RegistryError(.busy, "another inforce watch already keeps \(rootPath) fresh\(Self.holder(of: name).map { ", pid \($0)" } ?? ""); stop it first, or let it be")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        listener = descriptor
    }

    private static func holder(of name: [UInt8]) -> Int32? {
        guard let descriptor = WatchSocket.make(timeout: 1) else { return nil }
        defer { close(descriptor) }
        guard WatchSocket.withAddress(name, { connect(descriptor, $0, $1) }) == 0 else { return nil }
        return WatchSocket.peer(descriptor)?.pid
    }

    private func makeCookieFolder() throws {
        let path = rootPath + "/" + Self.cookieFolder
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RegistryError(.io, "cannot create \(path): \(error.localizedDescription)")
        }
        switch inotify.add(path, mask: UInt32(bitPattern: IN_CREATE | IN_ONLYDIR | IN_DONT_FOLLOW)) {
        case .success(let watch): cookieWatch = watch
        case .failure(let reason) where reason.code == ENOSPC: throw limitReached(at: Self.cookieFolder)
        case .failure(let reason): throw RegistryError(.io, "cannot watch \(path): \(reason)")
        }
    }

    /// Watches the registry's folder and every folder of `documents/`.
    private func watchRegistry() throws {
        try addWatch(".")
        _ = try watchTree(RegistryLayout.documentsFolder)
    }

    /// Watches a folder and every folder below it; the files and folders found, listed once
    /// every watch was in place (so a file made in between is in the list or has its event).
    private func watchTree(_ path: String) throws -> (files: [String], folders: [String]) {
        var previous: Set<String> = []
        while true {
            let walked = FileSystem.walk(rootPath + "/" + path, prefix: path)
            let folders = walked.folders.map(\.path)
            let found = Set(folders)
            if found == previous { return (walked.files, folders) }
            for folder in folders where !previous.contains(folder) { try addWatch(folder) }
            previous = found
        }
    }

    private func addWatch(_ path: String) throws {
        switch inotify.add(path == "." ? rootPath : rootPath + "/" + path) {
        case .success(let watch):
            if let old = watches[watch], old != path { watchOf[old] = nil }
            watches[watch] = path
            watchOf[path] = watch
        case .failure(let reason) where reason.code == ENOENT || reason.code == ENOTDIR:
            // Gone again: its parent's event says so.
            return
        case .failure(let reason) where reason.code == ENOSPC:
            throw limitReached(at: path)
        case .failure(let reason):
            throw RegistryError(.io, "cannot watch \(rootPath)/\(path): \(reason)")
        }
    }

    /// The limit, the lower of the system's and the user namespace's, and the registry's
    /// folders counted whole.
    private func limitReached(at folder: String) -> WatchLimitReached {
        func read(_ path: String) -> Int? {
            (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let limits = [("fs.inotify.max_user_watches", read("/proc/sys/fs/inotify/max_user_watches")), ("user.max_inotify_watches", read("/proc/sys/user/max_inotify_watches"))]
            .compactMap { name, value in value.map { (name, $0) } }
        let lowest = limits.min { $0.1 < $1.1 }
        let folders = 1 + FileSystem.walk(rootPath + "/" + RegistryLayout.documentsFolder, prefix: RegistryLayout.documentsFolder).folders.count
        return WatchLimitReached(folder: folder, folders: folders, limit: lowest?.1, limitName: lowest?.0 ?? "fs.inotify.max_user_watches")
    }

    // MARK: Running

    /// Applies events and answers queries until one of the stop signals comes; returns it.
    /// Throws `WatchLimitReached` when a new folder cannot be watched (the store can no longer
    /// be vouched for: the socket closes with the process, and queries check every file).
    public func run(_ report: (Event) -> Void) throws -> Int32 {
        while true {
            var entries = [inotify.descriptor, listener, signals.read].map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&entries, nfds_t(entries.count), -1) >= 0 else {
                if errno == EINTR { continue }
                throw RegistryError(.io, "cannot wait for events: \(Errno(errno))")
            }
            if entries[2].revents != 0 {
                var caught: Int32 = 0
                _ = withUnsafeMutableBytes(of: &caught) { read(signals.read, $0.baseAddress, $0.count) }
                return caught
            }
            if entries[0].revents != 0 {
                // A burst (a checkout, an ingest) is gathered for up to a quarter second, while
                // events keep coming within 15 ms of each other, and applied in one transaction.
                let burst = Date()
                repeat { _ = try collect(report) } while inotify.wait(milliseconds: 15) && Date().timeIntervalSince(burst) < 0.25
                _ = applyPending(report)
            }
            if entries[1].revents != 0 { try serve(report) }
        }
    }

    /// Handles the events waiting now.
    private func collect(_ report: (Event) -> Void, cookie: String? = nil) throws -> (cookieSeen: Bool, overflowed: Bool) {
        var seen = false
        var overflowed = false
        for event in inotify.read() {
            if event.has(IN_Q_OVERFLOW) {
                overflowed = true
                if !needsFullRefresh { report(.overflowed) }
                needsFullRefresh = true
                continue
            }
            if event.watch == cookieWatch {
                if event.has(IN_IGNORED) { cookieWatch = nil }
                if event.has(IN_CREATE) && event.name == cookie { seen = true }
                continue
            }
            guard let folder = watches[event.watch] else { continue }
            if event.has(IN_IGNORED) {
                watches[event.watch] = nil
                if watchOf[folder] == event.watch { watchOf[folder] = nil }
                continue
            }
            if event.has(IN_DELETE_SELF) || event.has(IN_MOVE_SELF) {
                pendingFolders.insert(folder)
                if event.has(IN_MOVE_SELF) { unwatch(folder) }
                continue
            }
            guard !event.name.isEmpty else { continue }
            let child = folder == "." ? event.name : folder + "/" + event.name
            if event.has(IN_CREATE) || event.has(IN_DELETE) || event.has(IN_MOVED_FROM) || event.has(IN_MOVED_TO) { pendingFolders.insert(folder) }
            guard event.has(IN_ISDIR) else {
                pendingFiles.insert(child)
                continue
            }
            guard Registry.isRegistryFolder(child) else { continue }
            pendingFolders.insert(child)
            if event.has(IN_MOVED_FROM) || event.has(IN_DELETE) { unwatch(child) }
            if event.has(IN_CREATE) || event.has(IN_MOVED_TO) {
                let found = try watchTree(child)
                pendingFiles.formUnion(found.files)
                pendingFolders.formUnion(found.folders)
            }
        }
        return (seen, overflowed)
    }

    /// Forgets the watches of a folder that moved away, and of the folders below it.
    private func unwatch(_ folder: String) {
        for (path, watch) in watchOf where path == folder || path.hasPrefix(folder == "." ? "" : folder + "/") {
            inotify.remove(watch)
            watchOf[path] = nil
            watches[watch] = nil
        }
    }

    /// Writes what the events named in one transaction (everything, after lost events or with
    /// a store that is new or not the watcher's own); false when the store could not be kept.
    private func applyPending(_ report: (Event) -> Void) -> Bool {
        let started = Date()
        if store != nil && StoreIdentity.current(registry.root) != identity {
            report(.storeReplaced)
            store = nil
        }
        if needsFullRefresh && store != nil {
            // After lost events, folders may have come without a watch: watch them first.
            do { try watchRegistry() } catch { report(.failed("\(error)")) }
        }
        if store == nil { needsFullRefresh = true }
        guard needsFullRefresh || !pendingFiles.isEmpty || !pendingFolders.isEmpty else { return true }
        guard let opened = store ?? DerivedStore.open(registry.root) else {
            report(.failed("no store can be kept in \(rootPath)/\(DerivedStore.folder)"))
            return false
        }
        let full = needsFullRefresh || opened.building != nil
        do throws(SQLiteDatabase.Failure) {
            let outcome = try registry.refresh(opened, scope: full ? .everything : .paths(files: pendingFiles, folders: pendingFolders))
            guard let installed = opened.install() else { throw SQLiteDatabase.Failure(code: 1, message: "the store could not be put in place") }
            if installed !== store {
                // The file just opened: the one this watcher vouches for from now on (taken once,
                // so that a file put in its place later is noticed, never adopted unopened).
                store = installed
                identity = StoreIdentity.current(registry.root)
            }
            pendingFiles = []
            pendingFolders = []
            needsFullRefresh = false
            if outcome.changed {
                generation += 1
                report(.applied(changedFiles: outcome.changedFiles, removedFiles: outcome.removedFiles, seconds: Date().timeIntervalSince(started)))
            }
            return true
        } catch {
            if error.isDamage { DerivedStore.remove(registry.root) }
            store = nil
            needsFullRefresh = true
            report(.failed("the store could not be refreshed: \(error)"))
            return false
        }
    }

    private func documentCount() -> Int {
        guard let store, let count = try? store.database.prepare("SELECT value FROM meta WHERE name = 'documents'"), (try? count.step()) == true else { return 0 }
        return count.int(0)
    }

    // MARK: Answering

    /// Answers every query waiting: one cookie for all of them.
    private func serve(_ report: (Event) -> Void) throws {
        var clients: [Int32] = []
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { break }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) & ~O_NONBLOCK)
            var limit = timeval(tv_sec: 1, tv_usec: 0)
            for option in [SO_RCVTIMEO, SO_SNDTIMEO] { _ = setsockopt(client, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size)) }
            if WatchSocket.peer(client)?.uid == getuid(), WatchSocket.receiveLine(from: client).map({ $0 + "\n" }) == WatchSocket.request {
                clients.append(client)
            } else {
                close(client)
            }
        }
        guard !clients.isEmpty else { return }
        let reply = try sync(report)
        for client in clients {
            _ = WatchSocket.send(reply, to: client)
            close(client)
        }
    }

    /// Applies every event queued before now, the store checked to be the watcher's own; the
    /// reply to the queries.
    private func sync(_ report: (Event) -> Void) throws -> String {
        if cookieWatch == nil {
            do { try makeCookieFolder() } catch { return "stale \(error)\n" }
        }
        let folder = rootPath + "/" + Self.cookieFolder
        var seen = false
        // A cookie lost in an overflowed queue is made again, after the queue is read.
        for _ in 0..<3 where !seen {
            cookies += 1
            let cookie = "cookie-\(getpid())-\(cookies)"
            let descriptor = open(folder + "/" + cookie, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return "stale cannot create a cookie in \(folder): \(Errno(errno))\n" }
            close(descriptor)
            defer { unlink(folder + "/" + cookie) }
            let deadline = Date().addingTimeInterval(1)
            while !seen {
                let collected = try collect(report, cookie: cookie)
                seen = collected.cookieSeen
                if seen || collected.overflowed { break }
                let left = Int32(deadline.timeIntervalSinceNow * 1000)
                guard left > 0, inotify.wait(milliseconds: left) else { break }
            }
        }
        guard seen else { return "stale the watcher's own cookie did not come back\n" }
        guard applyPending(report), let identity else { return "stale the store could not be refreshed\n" }
        return "fresh \(identity.device) \(identity.inode) \(generation)\n"
    }
}
