import Foundation
import InForceTestSupport
import Testing

@Suite("The inforce command")
struct CommandTests {
    @Test("inforce number folds brackets and traditional characters and says so")
    func number() throws {
        let result = try InforceProcess.run(["number", "國發[2014]40號"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("canonical  国发〔2014〕40号"))
        #expect(result.stdout.contains("bracket:"))
        #expect(result.stdout.contains("traditional_characters:"))
        let json = try InforceProcess.run(["number", "--format", "json", "國發[2014]40號"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["canonical"] as? String == "国发〔2014〕40号")
        #expect(object["raw"] as? String == "國發[2014]40號")
        #expect(object["agency"] as? String == "国发")
        #expect(object["year"] as? Int == 2014)
        #expect(object["sequence"] as? Int == 40)
        #expect(object["kind"] as? String == "dispatch")
        #expect((object["lint"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["bracket", "traditional_characters"])
    }

    @Test("show, list and lint answer on the shipped registry")
    func shippedRegistry() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let show = try InforceProcess.run(["show", "--registry", registry, "绍政办发[2016]11号"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("绍政办发〔2019〕34号") && show.stdout.contains("USHUI.NET"))
        let list = try InforceProcess.run(["list", "--registry", registry, "--issuer", "绍兴市人民政府办公室", "--format", "json"])
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        #expect((listing["problems"] as? [Any])?.isEmpty == true)
        let rows = try #require(listing["documents"] as? [[String: Any]])
        #expect(rows.compactMap { $0["number"] as? String } == ["绍政办发〔2016〕11号", "绍政办发〔2019〕34号", "绍政办发〔2023〕3号"])
        let lint = try InforceProcess.run(["lint", "--registry", registry])
        #expect(lint.status == 0)
        #expect(lint.stdout.contains("0 errors, 0 warnings"))
    }

    @Test("bad input gets one clear line and a distinct exit code", arguments: [
        (["show", "国发〔2099〕1号"], Int32(2), "not in the registry"),
        (["add", "--number", "国发〔2014〕40号", "--title", "t", "--issued", "2019-02-30"], 3, "2019-02-30"),
        (["add", "--number", "../../etc〔2014〕1号", "--title", "t"], 3, "cannot appear in a number"),
        (["show", "../../etc/passwd"], 3, "cannot appear in a number"),
        (["add", "--number", "国发〔2014〕40号", "--cite", "relation=cites;number=国发〔2006〕5号"], 3, "relation"),
        (["add", "--number", "国发〔2014〕40号", "--level", "city"], 3, "level"),
        (["number", "hello"], 3, "not a document number"),
    ])
    func badInput(arguments: [String], status: Int32, words: String) throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let before = try registryFiles(registry)
        let result = try InforceProcess.run(arguments + (arguments[0] == "number" ? [] : ["--registry", registry]))
        #expect(result.status == status, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("inforce: ") && lines[0].contains(words), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal") && !result.stderr.contains("Stack"))
        #expect(try registryFiles(registry) == before, "bad input writes nothing")
    }

    @Test("a missing registry and a broken file are reported with their own exit codes")
    func brokenRegistry() throws {
        let folder = try TemporaryFolder()
        let missing = try InforceProcess.run(["list", "--registry", folder.url.appendingPathComponent("nowhere").path])
        #expect(missing.status == 4)
        let registry = try folder.copyOfShippedRegistry()
        let file = registry.appendingPathComponent("documents/国发/2014-40.toml")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "relation = \"reference\"", with: "relation = \"referenc\"")
        try Data(text.utf8).write(to: file)
        let lint = try InforceProcess.run(["lint", "--registry", registry.path])
        #expect(lint.status == 1)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("relation") }! + 1
        #expect(lint.stdout.contains("documents/国发/2014-40.toml:\(line): error: citations[0].relation is 'referenc'"), "\(lint.stdout)")
    }
}

@Suite("inforce check on the shipped registry")
struct CheckCommandTests {
    @Test("绍政办发〔2016〕11号 is in force on 2023-06-01, kept by 绍政办发〔2023〕3号, resting on an expired basis")
    func shaoxing() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let result = try InforceProcess.run(["check", "--registry", registry, "绍政办发〔2016〕11号", "--as-of", "2023-06-01", "--format", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "in_force")
        #expect(object["number"] as? String == "绍政办发〔2016〕11号")
        #expect(object["asOf"] as? String == "2023-06-01")
        let evidence = object["evidence"] as? [[String: Any]] ?? []
        #expect(evidence.contains { $0["source"] as? String == "绍政办发〔2023〕3号" })
        let findings = object["findings"] as? [[String: Any]] ?? []
        let basis = try #require(findings.first { $0["kind"] as? String == "basis_not_in_force" })
        #expect((basis["documents"] as? [String])?.contains("浙政办发〔2015〕83号") == true)
        #expect((basis["documents"] as? [String])?.contains("浙政办发〔2021〕69号") == true)
        #expect((basis["message"] as? String)?.contains("2022-12-31") == true)
    }

    @Test("浙政办发〔2015〕83号 is expired on 2023-06-01 (exit 1) and in force on 2020-01-01 (exit 0); an unknown number exits 2")
    func province() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let expired = try InforceProcess.run(["check", "--registry", registry, "浙政办发〔2015〕83号", "--as-of", "2023-06-01"])
        #expect(expired.status == 1)
        #expect(expired.stdout.contains("expired"))
        let earlier = try InforceProcess.run(["check", "--registry", registry, "浙政办发[2015]83号", "--as-of", "2020-01-01"])
        #expect(earlier.status == 0)
        #expect(earlier.stdout.contains("现行有效"))
        let unknown = try InforceProcess.run(["check", "--registry", registry, "浙政办发〔2015〕84号"])
        #expect(unknown.status == 2)
        let badDate = try InforceProcess.run(["check", "--registry", registry, "浙政办发〔2015〕83号", "--as-of", "2023-02-30"])
        #expect(badDate.status == 3 && badDate.stderr.contains("2023-02-30"))
    }
}

@Suite("Help")
struct HelpTests {
    @Test("help works for the tool and for every command", arguments: [[], ["check"], ["impact"], ["audit"], ["add"], ["ingest-list"], ["generate"]])
    func help(command: [String]) throws {
        let result = try InforceProcess.run(command + ["--help"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE: inforce"))
        #expect(result.stderr.isEmpty)
    }
}
