import Foundation
import Glibc
import InForceTestSupport
import Testing

/// `extract` and `ingest` on many paths, some of them not pages: each problem is one line naming
/// the file, the rest is still read, and the exit code says what happened.
@Suite("extract and ingest on missing, empty, damaged and special paths")
struct PageReaderCommandTests {
    /// A notice ending in 2020年3月2日: cutting its last byte cuts 日.
    static let notice = IngestCommandTests.page

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `inforce`, failing the test instead of hanging when it does not finish in time.
    static func run(_ arguments: [String], within seconds: Double = 20) throws -> Result {
        let (process, out, err) = try InforceProcess.start(arguments)
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        if !process.isRunning { done.signal() }
        if done.wait(timeout: .now() + seconds) == .timedOut {
            process.terminate()
            process.waitUntilExit()
            Issue.record("inforce \(arguments.joined(separator: " ")) did not finish within \(seconds) s")
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test("a missing path among many is one line naming it; the others are still read (exit 3)", arguments: ["extract", "ingest"])
    func missingPath(command: String) throws {
        let folder = try TemporaryFolder()
        try folder.write(Self.notice, to: "a.txt")
        try folder.write(Self.notice.replacingOccurrences(of: "7号", with: "8号"), to: "b.txt")
        let paths = ["a.txt", "missing.txt", "b.txt"].map { folder.url.appendingPathComponent($0).path }
        let registry = command == "ingest" ? ["--registry", folder.url.appendingPathComponent("registry").path] : []
        let result = try Self.run([command] + registry + paths)
        #expect(result.status == 3, "\(result.stderr)")
        let errors = Self.lines(result.stderr)
        #expect(errors == ["inforce: invalid input: \(paths[1]): no such file or folder"], "\(result.stderr)")
        #expect(result.stdout.contains("某政发〔2020〕7号") && result.stdout.contains("某政发〔2020〕8号"), "\(result.stdout)")
    }

    @Test("an empty folder, or one with no pages, says so in one line with exit code 2", arguments: ["extract", "ingest"])
    func emptyFolder(command: String) throws {
        let folder = try TemporaryFolder()
        let empty = folder.url.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try folder.write("II*", to: "scans/notice.tif")
        let registry = command == "ingest" ? ["--registry", folder.url.appendingPathComponent("registry").path] : []
        let result = try Self.run([command] + registry + [empty.path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(Self.lines(result.stderr) == ["inforce: not found: \(empty.path): the folder is empty"], "\(result.stderr)")
        #expect(result.stdout.isEmpty)

        let scans = folder.url.appendingPathComponent("scans").path
        let other = try Self.run([command] + registry + [scans])
        #expect(other.status == 2)
        #expect(Self.lines(other.stderr).count == 1 && other.stderr.contains("\(scans): the folder holds no pages"), "\(other.stderr)")

        try folder.write(Self.notice, to: "a.txt")
        let mixed = try Self.run([command] + registry + [empty.path, folder.url.appendingPathComponent("a.txt").path])
        #expect(mixed.status == 2, "the page is read; the empty folder is still reported")
        #expect(mixed.stdout.contains("某政发〔2020〕7号"))
    }

    @Test("a page cut inside a character is read with a warning naming the file and the bytes replaced", arguments: ["extract", "ingest"])
    func damagedPage(command: String) throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("cut.txt")
        try Data(Array(Self.notice.utf8).dropLast()).write(to: file)
        let registry = command == "ingest" ? ["--registry", folder.url.appendingPathComponent("registry").path] : []
        let result = try Self.run([command] + registry + [file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("某政发〔2020〕7号"))
        let warnings = Self.lines(result.stderr)
        #expect(warnings.count == 1 && warnings[0].hasPrefix("inforce: warning: \(file.path): 2 bytes that are not valid UTF-8"), "\(result.stderr)")
    }

    @Test("the corpus notice cut at 3,000 bytes is ingested with a warning, not refused", .enabled(if: Corpus.isEnabled))
    func corpusCut() throws {
        let folder = try TemporaryFolder()
        let original = try Data(contentsOf: Corpus.root.appendingPathComponent("raw/00-shaoxing-shaozhengbanfa-2016-11.txt"))
        let file = folder.url.appendingPathComponent("00-cut.txt")
        try original.prefix(3000).write(to: file)
        let result = try Self.run(["ingest", "--registry", folder.url.appendingPathComponent("registry").path, file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("created 绍政办发〔2016〕11号"), "\(result.stdout)")
        #expect(result.stderr.contains("warning: \(file.path):") && result.stderr.contains("replaced with U+FFFD"), "\(result.stderr)")
    }

    @Test("a FIFO, /dev/zero, a 2 GB file and a NUL in the text are refused at once, one line each; the page beside them is read")
    func specialFiles() throws {
        let folder = try TemporaryFolder()
        let fifo = folder.url.appendingPathComponent("pages/fifo.html").path
        try folder.write(Self.notice, to: "pages/good.txt")
        #expect(mkfifo(fifo, 0o644) == 0)
        let huge = folder.url.appendingPathComponent("pages/huge.html")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 2 << 30)
        try handle.close()
        var damaged = Array(String(repeating: Self.notice + "\n", count: 40).utf8)
        damaged[9000] = 0
        try Data(damaged).write(to: folder.url.appendingPathComponent("pages/nul.txt"))

        let started = Date()
        let result = try Self.run(["extract", "--format", "json", folder.url.appendingPathComponent("pages").path, "/dev/zero"])
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.status == 3)
        let errors = Self.lines(result.stderr)
        #expect(errors.count == 4, "\(result.stderr)")
        for (name, words) in [(fifo, "is a FIFO, not a regular file"), ("/dev/zero", "is a device"), (huge.path, "2048 MB"), ("nul.txt", "byte 9000")] {
            #expect(errors.contains { $0.hasPrefix("inforce: invalid input: ") && $0.contains(name) && $0.contains(words) }, "\(name): \(result.stderr)")
        }
        #expect(Self.lines(result.stdout).count == 1 && result.stdout.contains("某政发〔2020〕7号"))
    }
}
