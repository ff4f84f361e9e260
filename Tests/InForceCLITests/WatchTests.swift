import Foundation
import InForceTestSupport
import Testing

/// `inforce watch` run as a user runs it, on a copy of the shipped registry: every query after
/// a change answers from the change, by the watcher when one is alive and by the stat pass
/// when not. `INFORCE_TRACE_STORE=1` makes each query say which on standard error.
@Suite("Freshness from inotify: inforce watch")
struct WatchTests {
    static let number = "国发〔2014〕40号"
    static let record = "documents/国发/2014-40.toml"
    static let title = "国务院关于进一步做好为农民工服务工作的意见"

    /// A running `inforce watch`, its output gathered as it comes; stopped when it goes away.
    final class Watcher: @unchecked Sendable {
        /// What one of its pipes has given so far.
        final class Output: @unchecked Sendable {
            private let lock = NSLock()
            private var data = Data()

            var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }

            /// Gathers the pipe's bytes as they come, until it is closed.
            func gather(_ pipe: Pipe) {
                pipe.fileHandleForReading.readabilityHandler = { handle in
                    let chunk = handle.availableData
                    if chunk.isEmpty { handle.readabilityHandler = nil }
                    self.lock.withLock { self.data += chunk }
                }
            }
        }

        let process: Process
        private let out = Output()
        private let err = Output()

        init(_ registry: URL) throws {
            let (process, stdout, stderr) = try InforceProcess.start(["watch", "--registry", registry.path])
            self.process = process
            out.gather(stdout)
            err.gather(stderr)
            try wait(for: "Ready:")
        }

        var stdout: String { out.text }
        var stderr: String { err.text }

        /// Waits up to 20 s for `text` on standard output or standard error.
        func wait(for text: String) throws {
            let deadline = Date().addingTimeInterval(20)
            while !(stdout + stderr).contains(text) {
                guard process.isRunning, Date() < deadline else {
                    Issue.record("no \"\(text)\" from inforce watch (running: \(process.isRunning)): \(stdout) \(stderr)")
                    throw CancellationError()
                }
                usleep(5_000)
            }
        }

        func signal(_ number: Int32) {
            kill(process.processIdentifier, number)
        }

        /// Waits until SIGSTOP has stopped the process (its state in /proc is T).
        func waitUntilStopped() throws {
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                let stat = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)) ?? ""
                // pid (name) state …: the name may hold spaces, the state follows its ")".
                if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].hasPrefix(" T") { return }
                usleep(1_000)
            }
            Issue.record("inforce watch did not stop")
            throw CancellationError()
        }

        func stop() {
            guard process.isRunning else { return }
            signal(SIGTERM)
            process.waitUntilExit()
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    /// A query with the trace on: its result, and how it freshened the store.
    static func query(_ arguments: [String], _ registry: URL) throws -> (result: InforceProcess.Result, freshness: String) {
        let result = try InforceProcess.run(arguments + ["--registry", registry.path], environment: ["INFORCE_TRACE_STORE": "1"])
        let line = result.stderr.split(separator: "\n").first { $0.hasPrefix("inforce: store: ") }
        return (result, line.map { String($0.dropFirst("inforce: store: ".count)) } ?? "none")
    }

    /// Changes the record's title in place: one line, the file written over (no rename).
    static func retitle(_ registry: URL, to title: String) throws {
        let url = registry.appendingPathComponent(record)
        let text = try String(contentsOf: url, encoding: .utf8)
        let edited = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasPrefix("title = ") ? "title = \"\(title)\"" : String($0) }
        try #require(edited.joined(separator: "\n") != text)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(edited.joined(separator: "\n").utf8))
        try handle.close()
    }

    /// Checked by planting the bug (2026-12-03): with the watcher dropping every file event
    /// (`collect` not inserting into `pendingFiles`), the check after the edit printed the old
    /// title and this test failed on `edited`; with the client trusting the store when no
    /// watcher answers (`WatchClient.sync` returning the store's identity when `connect` fails),
    /// the check after the kill printed the first edit's title, "watcher", and failed on `after`.
    @Test("an edit is answered at once through the watcher, and after the watcher is killed through the stat pass")
    func editAndKill() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        let watcher = try Watcher(registry)
        defer { watcher.stop() }

        let before = try Self.query(["check", Self.number], registry)
        #expect(before.result.stdout.contains(Self.title), "\(before.result.stdout)")
        #expect(before.freshness == "watcher", "\(before.result.stderr)")

        let started = Date()
        try Self.retitle(registry, to: Self.title + "（第一次修改）")
        let edited = try Self.query(["check", Self.number], registry)
        let seconds = Date().timeIntervalSince(started)
        #expect(edited.result.stdout.contains(Self.title + "（第一次修改）"), "\(edited.result.stdout)")
        #expect(edited.freshness == "watcher", "\(edited.result.stderr)")
        #expect(seconds < 1, "the first query after the edit took \(seconds) s")

        // Killed: it applies nothing more, and no query may trust it.
        watcher.signal(SIGKILL)
        watcher.process.waitUntilExit()
        try Self.retitle(registry, to: Self.title + "（第二次修改）")
        let after = try Self.query(["check", Self.number], registry)
        #expect(after.result.stdout.contains(Self.title + "（第二次修改）"), "\(after.result.stdout)")
        #expect(after.freshness == "stat pass", "\(after.result.stderr)")
    }

    /// Checked by planting the bug (2026-12-03): with `collect` not watching a new folder
    /// (`watchTree` left out), the record made in it was still found (the refresh walks a folder
    /// it did not know), but the rewrite by `inforce add` was not: `rewritten` showed no note.
    @Test("a new folder with a record in it, a rewrite by inforce add and a removal are each seen by the next query")
    func newFolderAndRemoval() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        let watcher = try Watcher(registry)
        defer { watcher.stop() }

        // The folder and the file come in one breath: the file may come before its folder's watch.
        let number = "某政发〔2020〕1号"
        try folder.write("number = \"\(number)\"\ntitle = \"某市人民政府关于甲的通知\"\n", to: "registry/documents/某政发/2020-1.toml")
        let made = try Self.query(["show", number], registry)
        #expect(made.result.status == 0, "\(made.result.stderr)")
        #expect(made.result.stdout.contains("某市人民政府关于甲的通知"), "\(made.result.stdout)")
        #expect(made.freshness == "watcher", "\(made.result.stderr)")

        // An atomic rewrite (a temporary file renamed over the record).
        let add = try InforceProcess.run(["add", "--registry", registry.path, "--number", number, "--note", "a note added"])
        #expect(add.status == 0, "\(add.stderr)")
        let rewritten = try Self.query(["show", number], registry)
        #expect(rewritten.result.stdout.contains("a note added"), "\(rewritten.result.stdout)")
        #expect(rewritten.freshness == "watcher", "\(rewritten.result.stderr)")

        try FileManager.default.removeItem(at: registry.appendingPathComponent("documents/某政发"))
        let removed = try Self.query(["show", number], registry)
        #expect(removed.result.status == 2, "\(removed.result.stdout)")
        #expect(removed.freshness == "watcher", "\(removed.result.stderr)")
    }

    @Test("a watcher started after an edit made while none ran answers from the edit")
    func editBeforeStart() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        let first = try Self.query(["check", Self.number], registry)
        #expect(first.freshness == "built", "\(first.result.stderr)")
        try Self.retitle(registry, to: Self.title + "（无人看守时修改）")
        let watcher = try Watcher(registry)
        defer { watcher.stop() }
        let answer = try Self.query(["check", Self.number], registry)
        #expect(answer.result.stdout.contains(Self.title + "（无人看守时修改）"), "\(answer.result.stdout)")
        #expect(answer.freshness == "watcher", "\(answer.result.stderr)")
    }

    /// The overflow is real: the watcher is stopped (SIGSTOP) while more events than the
    /// kernel queues (`fs.inotify.max_queued_events`) are made, and the edit after them is lost.
    ///
    /// Checked by planting the bug (2026-12-03): with IN_Q_OVERFLOW ignored in `collect`, the
    /// check printed the old title and this test failed on `answer`. (Flooding with touches of
    /// the record itself hid the bug: any event of the record's has it read again.)
    @Test("events lost in an overflowed queue are made up by a full stat pass before the next answer")
    func overflow() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        // The events are made on files of their own (not records): any event of the record's
        // would have it read again, overflow or not.
        let files = ["documents/flood-a.txt", "documents/flood-b.txt"].map { registry.appendingPathComponent($0).path }
        for file in files { try Data().write(to: URL(fileURLWithPath: file)) }
        let watcher = try Watcher(registry)
        defer { watcher.stop() }
        let limit = (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 16_384
        try #require(limit <= 1 << 20, "max_queued_events is \(limit): too many events to make quickly")

        watcher.signal(SIGSTOP)
        try watcher.waitUntilStopped()
        // Two files touched in turn: the kernel merges only an event equal to the one before.
        for index in 0..<(2 * limit) { utimes(files[index % 2], nil) }
        try Self.retitle(registry, to: Self.title + "（溢出之后）")
        watcher.signal(SIGCONT)

        let answer = try Self.query(["check", Self.number], registry)
        #expect(answer.result.stdout.contains(Self.title + "（溢出之后）"), "\(answer.result.stdout)")
        #expect(answer.freshness == "watcher", "\(answer.result.stderr)")
        #expect(watcher.stderr.contains("the inotify queue overflowed"), "\(watcher.stderr)")
    }

    /// Checked by planting the bug (2026-12-03): with `applyPending` not comparing the store
    /// file with its own, the watcher went on writing the removed file; the queries, finding
    /// another file than the one it vouched for, fell back ("built", "stat pass") and this test
    /// failed on `removed` and `rebuilt`. With the query's own comparison (`Registry.refreshed`)
    /// planted out as well, `rebuilt` printed the old title.
    @Test("a store removed, or damaged and rebuilt by a query, under a running watcher: every answer stays fresh")
    func storeReplaced() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        let watcher = try Watcher(registry)
        defer { watcher.stop() }
        let store = registry.appendingPathComponent(".inforce-cache/store.sqlite").path

        for suffix in ["", "-wal", "-shm"] { unlink(store + suffix) }
        try Self.retitle(registry, to: Self.title + "（库被删除后）")
        let removed = try Self.query(["check", Self.number], registry)
        #expect(removed.result.stdout.contains(Self.title + "（库被删除后）"), "\(removed.result.stdout)")
        #expect(removed.freshness == "watcher", "\(removed.result.stderr)")

        // Junk over the store's first pages: the next query finds it damaged and builds it again.
        let junk = open(store, O_WRONLY)
        try #require(junk >= 0)
        _ = [UInt8](repeating: 0x5A, count: 8192).withUnsafeBytes { write(junk, $0.baseAddress, $0.count) }
        close(junk)
        try Self.retitle(registry, to: Self.title + "（库损坏后）")
        let damaged = try Self.query(["check", Self.number], registry)
        #expect(damaged.result.stdout.contains(Self.title + "（库损坏后）"), "\(damaged.result.stdout)")

        try Self.retitle(registry, to: Self.title + "（重建之后）")
        let rebuilt = try Self.query(["check", Self.number], registry)
        #expect(rebuilt.result.stdout.contains(Self.title + "（重建之后）"), "\(rebuilt.result.stdout)")
        #expect(rebuilt.freshness == "watcher", "\(rebuilt.result.stderr)")
        #expect(watcher.process.isRunning, "\(watcher.stderr)")
    }

    /// Runs a shell command line: its exit status and output.
    static func shell(_ line: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", line]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// Whether this system lets a test make a user namespace of its own, whose limit of inotify
    /// watches it may lower without touching anyone else's.
    static let namespaces = FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
        && (try? Self.shell("unshare -Ur sh -c 'echo 64 > /proc/sys/user/max_inotify_watches'"))?.status == 0

    /// The limit is real: `inforce watch` runs in a user namespace whose
    /// `user.max_inotify_watches` is lowered below the registry's folders, so the kernel refuses
    /// a watch with ENOSPC.
    ///
    /// Checked by planting the bug (2026-12-03): with ENOSPC treated as any other refusal in
    /// `addWatch`, the watcher stopped with exit code 6 ("i/o error: cannot watch …: No space
    /// left on device"), naming neither the limit nor the folders, and this test failed.
    @Test("a registry with more folders than the system lets one watch stops the watcher with exit code 7, naming the limit and the folders", .enabled(if: namespaces))
    func watchLimit() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        let folders = (FileManager.default.enumerator(at: registry.appendingPathComponent("documents"), includingPropertiesForKeys: [.isDirectoryKey])?
            .allObjects as? [URL] ?? []).filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }.count + 2
        let limit = folders / 2
        // `timeout`: a watcher that is not stopped by the limit would run until killed.
        let result = try Self.shell(
            "timeout 20 unshare -Ur sh -c 'echo \(limit) > /proc/sys/user/max_inotify_watches && exec \"$0\" watch --registry \"$1\"' \"\(InforceProcess.executable.path)\" \"\(registry.path)\"")
        #expect(result.status == 7, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("inforce: watch limit: cannot watch documents/"), "\(result.stderr)")
        #expect(result.stderr.contains("(user.max_inotify_watches = \(limit))"), "\(result.stderr)")
        #expect(result.stderr.contains("the registry has \(folders) folders"), "\(result.stderr)")
        #expect(!result.stdout.contains("Ready"), "\(result.stdout)")
    }

    @Test("a second watcher of the same registry is refused with exit code 5, naming the first")
    func second() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        let watcher = try Watcher(registry)
        defer { watcher.stop() }
        let again = try InforceProcess.run(["watch", "--registry", registry.path + "/."])
        #expect(again.status == 5, "\(again.stderr)")
        #expect(again.stderr.contains("another inforce watch already keeps"), "\(again.stderr)")
        #expect(again.stderr.contains("pid \(watcher.process.processIdentifier)"), "\(again.stderr)")
        watcher.stop()
        #expect(watcher.process.terminationStatus == 0)
        #expect(watcher.stdout.contains("Stopped (SIGTERM)"), "\(watcher.stdout)")
    }
}
