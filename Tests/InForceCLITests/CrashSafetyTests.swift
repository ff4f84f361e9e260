import Foundation
import InForce
import InForceRegistry
import InForceTestSupport
import Testing

@Suite("Writes survive being killed")
struct CrashSafetyTests {
    static let number = "国发〔2014〕40号"
    static let rounds = 30

    /// Kills `inforce add` while it rewrites a large record (about 256 KB) and checks the file is
    /// always the old version or the new one, whole, and that the next writer gets the lock.
    ///
    /// The kills land during the write: the test watches the record's folder (inotify) and kills
    /// the writer a seeded, random time after the write's first touch of it — the temporary file
    /// created, or the record itself changed — between 50 µs and 30 ms, log-uniform (as many
    /// rounds in 50–500 µs as in 3–30 ms). Nothing in the writer is slowed or hooked; it runs as
    /// a user runs it. With the real write, about half the rounds are killed before the new file
    /// is in place (the old one is left) and the rest finish or are killed just after.
    ///
    /// Checked by planting the bug (2026-12-03): with `AtomicFile.write` replaced by an `open`
    /// of the target with `O_TRUNC` and `write` calls of 4 KB each, this test failed in each of
    /// 3 runs, 10, 8 and 5 of the 30 rounds leaving a cut-off file ("round 0: a partial file,
    /// 180225 of 262634 bytes: …40.toml:10: error: not valid TOML …"). The test it replaced, which
    /// killed `add` at 0–200 ms after its start, passed 3 runs of 3 with that bug: its kills came
    /// before the process reached its write.
    @Test("a writer killed in the middle of its write leaves each record whole, old or new, and the lock free")
    func killedWriters() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        let key = DocumentKey.number(try DocumentNumber(Self.number))
        let relative = "documents/国发/2014-40.toml"
        let path = registry.appendingPathComponent(relative).path
        // Large sources make each write long: 4 of 64 KB, so some 64 pieces of 4 KB.
        let bulk = (0..<4).map { index in "https://example.org/" + String(repeating: "来源\(index)", count: 9_350) }
        try Registry(root: registry).update(key) { (record: inout DocumentRecord?) throws(RegistryError) in
            record?.sources += bulk
        }
        let others = try registryFiles(registry.path).filter { $0.key != relative }
        var generator = SeededRandom(seed: 14_08)
        var outcomes: [String: Int] = [:]
        for round in 0..<Self.rounds {
            let old = try String(contentsOfFile: path, encoding: .utf8)
            let fraction = Double(generator.next() >> 11) / Double(1 << 53)
            let delay = exp(log(50e-6) + fraction * (log(30e-3) - log(50e-6)))
            let note = "version \(round)"

            let killed = try Self.killDuringWrite(
                ["add", "--registry", registry.path, "--number", Self.number, "--note", note],
                watching: (path as NSString).deletingLastPathComponent, after: delay)
            // Read as bytes: a file cut off can end inside a character.
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            let (record, problems) = RecordFile.decode(text, origin: relative)
            guard problems.isEmpty else {
                Issue.record("round \(round): a partial file, \(text.utf8.count) of \(old.utf8.count) bytes: \(problems.prefix(1))")
                // Put the old file back, so the rounds after this one still test something.
                try Data(old.utf8).write(to: URL(fileURLWithPath: path))
                outcomes[(killed ? "killed, " : "finished, ") + "partial", default: 0] += 1
                continue
            }
            let state: String
            if text == old {
                state = "old"
            } else {
                var expected = RecordFile.decode(old, origin: relative).record
                expected?.note = note
                #expect(record == expected, "round \(round): neither the old record nor the new one")
                #expect(text == expected.map(RecordFile.encode), "round \(round): the new record, but not as it is written")
                state = "new"
            }
            #expect(killed || state == "new", "round \(round): the writer finished but the record is the old one")
            outcomes[(killed ? "killed, " : "finished, ") + state, default: 0] += 1
        }
        // Every kill came after the write had begun; most before the writer was done.
        let killed = outcomes.filter { $0.key.hasPrefix("killed") }.values.reduce(0, +)
        #expect(killed >= Self.rounds / 3, "the kills landed during writes: \(outcomes)")
        #expect(outcomes["killed, old", default: 0] > 0, "some kills came before the new file was in place: \(outcomes)")
        #expect(try registryFiles(registry.path).filter { $0.key != relative } == others, "no other file changed")

        // The kernel released each dead writer's lock: the next write goes through at once.
        let final = try InforceProcess.run(
            ["add", "--registry", registry.path, "--number", Self.number, "--note", "final"], environment: ["INFORCE_LOCK_TIMEOUT": "2"])
        #expect(final.status == 0, "\(final.stderr)")
        let lint = try InforceProcess.run(["lint", "--registry", registry.path])
        #expect(lint.status == 0, "\(lint.stdout)")
        #expect(!lint.stdout.contains("temporary file"), "the next write removed what killed writers left")
        print("killed writers: \(outcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))")
    }

    /// Starts `inforce` and kills it `delay` seconds after it first creates, changes or renames a
    /// file in `folder`; true when it was killed, false when it had finished by then.
    static func killDuringWrite(_ arguments: [String], watching folder: String, after delay: Double) throws -> Bool {
        let watch = inotify_init1(Int32(IN_CLOEXEC))
        try #require(watch >= 0)
        defer { close(watch) }
        try #require(inotify_add_watch(watch, folder, UInt32(IN_CREATE | IN_MODIFY | IN_MOVED_TO)) >= 0)
        let (process, out, err) = try InforceProcess.start(arguments)
        var touched = false
        let deadline = Date().addingTimeInterval(30)
        while !touched, Date() < deadline {
            var ready = pollfd(fd: watch, events: Int16(POLLIN), revents: 0)
            if poll(&ready, 1, 50) > 0 {
                touched = true
            } else if !process.isRunning {
                break
            }
        }
        if touched {
            usleep(UInt32(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
        }
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(touched, "the writer never wrote (exit \(process.terminationStatus)): \(stderr)")
        let killed = process.terminationReason == .uncaughtSignal
        if !killed { #expect(process.terminationStatus == 0, "\(stderr)") }
        return killed
    }
}
