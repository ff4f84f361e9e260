import Foundation
import InForce
import InForceRegistry
import InForceTestSupport
import Testing

@Suite("Writes survive being killed")
struct CrashSafetyTests {
    /// Kills `inforce add` at random moments while it rewrites a large record and checks the file
    /// is always a whole old or new version, and that the next writer gets the lock.
    @Test("a killed writer leaves each record whole, old or new, and the lock free")
    func killedWriters() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let path = registry + "/documents/国发/2014/40.toml"
        // Large sources make each write take long enough to be interrupted in the middle.
        let bulk = (0..<8).map { index in String(repeating: "来源\(index)", count: 12_000) }
        func arguments(_ version: Int) -> [String] {
            ["add", "--registry", registry, "--number", "国发〔2014〕40号", "--note", "version \(version)"]
                + bulk.flatMap { ["--source", $0 + "-\(version)"] }
        }
        let original = try String(contentsOfFile: path, encoding: .utf8)
        var versionsSeen: Set<String> = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<30 {
            let (process, _, _) = try InforceProcess.start(arguments(round))
            usleep(UInt32.random(in: 0...200_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let text = try String(contentsOfFile: path, encoding: .utf8)
            let (record, problems) = RecordFile.decode(text, origin: path)
            #expect(problems.isEmpty, "round \(round): a partial file: \(problems)")
            let record_ = try #require(record)
            if text == original {
                versionsSeen.insert("original")
            } else {
                let note = try #require(record_.note)
                #expect(note.hasPrefix("version "), "round \(round)")
                versionsSeen.insert(note)
                // Sources accumulate across writes; the ones written with this note must all be there.
                let version = note.dropFirst("version ".count)
                #expect(bulk.allSatisfy { record_.sources.contains($0 + "-\(version)") }, "round \(round): note and sources of different writes")
            }
        }
        // The kernel released each dead writer's lock: the next write goes through at once.
        let final = try InforceProcess.run(arguments(99))
        #expect(final.status == 0, "\(final.stderr)")
        let lint = try InforceProcess.run(["lint", "--registry", registry])
        #expect(lint.status == 0, "\(lint.stdout)")
        #expect(!lint.stdout.contains("temporary file"), "the next write removed what killed writers left")
        print("killed writers: versions seen on disk: \(versionsSeen.count)")
    }
}
