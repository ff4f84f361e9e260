import Foundation
import InForceTestSupport
import Testing

@Suite("Search and titles")
struct SearchCommandTests {
    func hits(_ arguments: [String], registry: String) throws -> [[String: Any]] {
        let result = try InforceProcess.run(["search", "--registry", registry, "--format", "json", "--as-of", "2023-06-01"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(object["hits"] as? [[String: Any]])
    }

    @Test("search finds shipped documents by two-character and longer words of their titles, ranked, with the match shown")
    func shippedTitles() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let migrant = try hits(["农民工", "--limit", "50"], registry: registry)
        let documents = migrant.compactMap { $0["document"] as? String }
        #expect(documents.contains("国发〔2014〕40号") && documents.contains("绍政办发〔2016〕11号"), "\(documents)")
        for hit in migrant {
            let snippet = Array(try #require(hit["snippet"] as? String))
            let start = try #require(hit["matchStart"] as? Int)
            #expect(String(snippet[start..<start + 3]) == "农民工", "\(hit)")
        }
        // Two characters: no trigram holds them, so titles are searched as text.
        let zhejiang = try hits(["浙江", "--limit", "1000"], registry: registry).compactMap { $0["document"] as? String }
        #expect(zhejiang.contains("浙政办发〔2015〕83号"), "\(zhejiang.prefix(20))")
        // Every word must match; a number in another written form finds its document first.
        #expect(try hits(["绍兴", "农民工"], registry: registry).compactMap { $0["document"] as? String } == ["绍政办发〔2016〕11号"])
        #expect(try hits(["绍政办发[2016]11号"], registry: registry).first?["document"] as? String == "绍政办发〔2016〕11号")
        // Filters: a status on the date.
        let expired = try hits(["农民工", "--status", "expired"], registry: registry)
        #expect(!expired.isEmpty && expired.allSatisfy { $0["status"] as? String == "expired" }, "\(expired)")
        let none = try InforceProcess.run(["search", "--registry", registry, "没有这样的标题词语"])
        #expect(none.status == 2, "\(none.stderr)")
    }

    /// Checked by planting the bug: with the refresh reading again only files that are gone (not
    /// those whose stamp changed), this test failed (the search found nothing); restored, it passes.
    @Test("an edited title is found by the next search: the store is refreshed by the file")
    func editSeen() throws {
        let folder = try TemporaryFolder()
        let root = try folder.copyOfShippedRegistry()
        #expect(try hits(["农民工"], registry: root.path).count > 0)
        let file = root.appendingPathComponent("documents/国发/2014-40.toml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "为农民工服务工作的意见", with: "为新就业形态劳动者服务工作的意见").write(to: file, atomically: true, encoding: .utf8)
        let found = try hits(["新就业形态劳动者"], registry: root.path).compactMap { $0["document"] as? String }
        #expect(found == ["国发〔2014〕40号"])
    }

    @Test("check and show take the exact title of a numbered document; a part of a title lists the titles that hold it")
    func titleLookup() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let title = "国务院关于进一步做好为农民工服务工作的意见"
        let check = try InforceProcess.run(["check", "--registry", registry, title, "--as-of", "2023-06-01"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.hasPrefix("国发〔2014〕40号"), "\(check.stdout)")
        let show = try InforceProcess.run(["show", "--registry", registry, title])
        #expect(show.status == 0 && show.stdout.hasPrefix("国发〔2014〕40号"), "\(show.stderr)")
        let part = try InforceProcess.run(["check", "--registry", registry, "为农民工服务工作"])
        #expect(part.status == 2)
        #expect(part.stderr.contains("titles that hold it: 国发〔2014〕40号（\(title)）"), "\(part.stderr)")
    }
}
