import Foundation
import InForceTestSupport
import Testing

/// A law read from two of its texts is one document with dated versions.
@Suite("Law versions on the command line", .enabled(if: Corpus.isEnabled))
struct LawVersionsCommandTests {
    static let texts = ["宪法相关法/立法法(2015-03-15).md", "宪法相关法/立法法(2023-03-13).md"]

    static func version(_ registry: String, _ name: String, on day: String) throws -> [String: Any]? {
        let result = try InforceProcess.run(["check", "--registry", registry, name, "--as-of", day, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        #expect(object["status"] as? String == "in_force")
        return object["version"] as? [String: Any]
    }

    @Test("two texts of the 立法法 are one record; check names the version in force on each day; a second ingest changes nothing")
    func legislationLaw() throws {
        let folder = try TemporaryFolder()
        let registry = folder.url.appendingPathComponent("registry").path
        let paths = Self.texts.map { LawRefBook.root.appendingPathComponent($0).path }
        let first = try InforceProcess.run(["ingest", "--registry", registry] + paths.reversed())
        #expect(first.status == 0, "\(first.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: registry + "/documents/_titles")
        #expect(files.filter { $0.hasPrefix("立法法") } == ["立法法.toml"])

        #expect(try Self.version(registry, "中华人民共和国立法法", on: "2010-01-01")?["date"] as? String == "2000-03-15")
        let between = try #require(try Self.version(registry, "立法法", on: "2016-01-01"))
        #expect(between["date"] as? String == "2015-03-15")
        #expect((between["source"] as? String)?.hasSuffix("立法法(2015-03-15).md") == true)
        #expect(try Self.version(registry, "《立法法》", on: "2024-01-01")?["date"] as? String == "2023-03-13")

        let again = try InforceProcess.run(["ingest", "--registry", registry] + paths)
        #expect(again.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }.allSatisfy { $0.contains("unchanged") }, "\(again.stdout)")
    }
}
