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

    /// Ingests LawRefBook texts (paths inside the folder) into a fresh registry in `folder`, oldest
    /// first or newest first; the ingest must succeed.
    static func ingest(_ texts: [String], newestFirst: Bool, in folder: TemporaryFolder) throws -> (registry: String, stdout: String) {
        let registry = folder.url.appendingPathComponent("registry").path
        let paths = texts.map { LawRefBook.root.appendingPathComponent($0).path }
        let result = try InforceProcess.run(["ingest", "--registry", registry] + (newestFirst ? paths.reversed() : paths))
        #expect(result.status == 0, "\(result.stderr)")
        return (registry, result.stdout)
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

    @Test(
        "a revised text's own day of force is its version's, not the document's: the two texts agree in either order",
        arguments: [false, true])
    func revisedTextStatesItsOwnDay(newestFirst: Bool) throws {
        let folder = try TemporaryFolder()
        let texts = ["上海市促进农业科技进步若干规定(2007-10-10).md", "上海市促进农业科技进步若干规定(2024-11-28).md"]
        let (registry, stdout) = try Self.ingest(texts.map { "DLC/上海地方法规/地方性法规/上海/" + $0 }, newestFirst: newestFirst, in: folder)
        #expect(!stdout.contains("conflict"), "\(stdout)")
        let title = "上海市促进农业科技进步若干规定"
        let first = try #require(try Self.version(registry, title, on: "2010-01-01"))
        #expect(first["date"] as? String == "2007-10-10" && first["effective"] as? String == "2007-12-01", "\(first)")
        // Revised on 2024-11-28, the new text is in force only from 2025-01-01.
        #expect(try Self.version(registry, title, on: "2024-12-15")?["date"] as? String == "2007-10-10")
        let revised = try #require(try Self.version(registry, title, on: "2025-06-01"))
        #expect(revised["date"] as? String == "2024-11-28" && revised["effective"] as? String == "2025-01-01", "\(revised)")
        let show = try InforceProcess.run(["show", "--registry", registry, title])
        #expect(show.stdout.contains("2007-12-01") && !show.stdout.contains("effective 2025-01-01"), "\(show.stdout)")
    }

    @Test(
        "an interpretation made again under the same title is a later version: its days are its own, the document's are the first text's",
        arguments: [false, true])
    func madeAgainUnderTheSameTitle(newestFirst: Bool) throws {
        let folder = try TemporaryFolder()
        let texts = ["最高人民法院关于适用《刑事诉讼法》的解释(2012-12-20).md", "最高人民法院关于适用《刑事诉讼法》的解释(2021-01-26).md"]
        let (registry, stdout) = try Self.ingest(texts.map { "司法解释/" + $0 }, newestFirst: newestFirst, in: folder)
        #expect(!stdout.contains("conflict"), "\(stdout)")
        let title = "最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释"
        let old = try #require(try Self.version(registry, title, on: "2015-01-01"))
        #expect(old["date"] as? String == "2012-12-20" && old["effective"] as? String == "2013-01-01", "\(old)")
        let new = try #require(try Self.version(registry, title, on: "2022-01-01"))
        #expect(new["date"] as? String == "2021-01-26" && new["effective"] as? String == "2021-03-01", "\(new)")
        let show = try InforceProcess.run(["show", "--registry", registry, title, "--format", "json"])
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any], "\(show.stderr)")
        let record = try #require(shown["record"] as? [String: Any])
        #expect(record["issued"] as? String == "2012-12-20" && record["effective"] as? String == "2013-01-01", "\(record)")
    }

    @Test(
        "a revision printed without its history gives the document no day of its own: in force before it, in either order",
        arguments: [false, true])
    func revisionWithoutHistory(newestFirst: Bool) throws {
        let folder = try TemporaryFolder()
        let texts = ["上海市科学技术进步条例(2010-09-17).md", "上海市科学技术进步条例(2024-05-10).md"]
        let (registry, _) = try Self.ingest(texts.map { "DLC/上海地方法规/地方性法规/上海/" + $0 }, newestFirst: newestFirst, in: folder)
        _ = try Self.version(registry, "上海市科学技术进步条例", on: "2005-01-01")
    }

    @Test(
        "an adoption and the promulgation weeks after it are one beginning: the first text's day of force is kept, in either order",
        arguments: [false, true])
    func adoptionAndPromulgation(newestFirst: Bool) throws {
        let folder = try TemporaryFolder()
        let name = "最高人民法院关于审理非法集资刑事案件具体应用法律若干问题的解释"
        let (registry, _) = try Self.ingest(["(2010-12-13).md", "(2022-02-23).md"].map { "司法解释/" + name + $0 }, newestFirst: newestFirst, in: folder)
        let show = try InforceProcess.run(["show", "--registry", registry, name, "--format", "json"])
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any], "\(show.stderr)")
        let record = try #require(shown["record"] as? [String: Any])
        #expect(record["effective"] as? String == "2011-01-04", "\(record)")
        #expect(try Self.version(registry, name, on: "2015-01-01")?["date"] as? String == "2010-12-13")
    }

    @Test("a law read into a stub of it gets the versions a fresh read gives, and reading it again changes nothing")
    func readIntoStubIsIdempotent() throws {
        let folder = try TemporaryFolder()
        try folder.write("某市人民政府关于加强养犬管理的通知\n某政发〔2012〕3号\n根据《洛阳市市区养犬管理规定》，现就有关事项通知如下。\n某市人民政府\n2012年3月1日\n", to: "notice.txt")
        let law = LawRefBook.root.appendingPathComponent("DLC/河南地方法规/地方性法规/河南/洛阳市市区养犬管理规定.md").path
        let fresh = folder.url.appendingPathComponent("fresh").path, stubbed = folder.url.appendingPathComponent("stubbed").path
        _ = try InforceProcess.run(["ingest", "--registry", fresh, law])
        _ = try InforceProcess.run(["ingest", "--registry", stubbed, folder.url.appendingPathComponent("notice.txt").path, law])
        let again = try InforceProcess.run(["ingest", "--registry", stubbed, law])
        #expect(again.stdout.contains("unchanged"), "\(again.stdout)")
        func versions(_ registry: String) throws -> [String] {
            let show = try InforceProcess.run(["show", "--registry", registry, "洛阳市市区养犬管理规定", "--format", "json"])
            let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any], "\(show.stderr)")
            return ((shown["record"] as? [String: Any])?["versions"] as? [[String: Any]] ?? []).compactMap { $0["date"] as? String }
        }
        #expect(try versions(stubbed) == versions(fresh))
    }

    @Test("a folder's _index.md and README are not documents; a revision the history names by its session is recorded, and said to be by that session")
    func revisionBySession() throws {
        let folder = try TemporaryFolder()
        let source = folder.url.appendingPathComponent("上海")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        let law = "DLC/上海地方法规/地方性法规/上海/上海市标准化条例(2019-07-25).md"
        try FileManager.default.copyItem(at: LawRefBook.root.appendingPathComponent(law), to: source.appendingPathComponent("上海市标准化条例(2019-07-25).md"))
        try "---\ntitle: 上海\n---\n".write(to: source.appendingPathComponent("_index.md"), atomically: true, encoding: .utf8)
        try "# 上海地方法规\n".write(to: source.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let registry = folder.url.appendingPathComponent("registry").path
        let ingest = try InforceProcess.run(["ingest", "--registry", registry, source.path])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(!ingest.stdout.contains("_index.md") && !ingest.stdout.contains("README"), "\(ingest.stdout)")
        let check = try InforceProcess.run(["check", "--registry", registry, "上海市标准化条例", "--as-of", "2020-01-01"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("amended by 上海市第十五届人民代表大会常务委员会第十三次会议 (2019-07-25)"), "\(check.stdout)")
    }
}
