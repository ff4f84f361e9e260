import Foundation
import InForce
import InForceRegistry
import InForceTestSupport
import Testing

@Suite("inforce ingest")
struct IngestCommandTests {
    static let page = """
        某市人民政府关于加强某项工作的通知
        某政发〔2020〕7号
        各县（区）人民政府：
        根据《国务院关于甲的意见》（国发〔2019〕1号）精神，结合实际，提出如下意见。《某市乙办法》（某政发〔2015〕5号）同时废止。
        某市人民政府
        2020年3月2日
        """

    @Test("a page becomes a record with its citations, and stubs for what it cites; re-ingest changes nothing")
    func ingestTwice() throws {
        let folder = try TemporaryFolder()
        try folder.write(Self.page, to: "pages/notice.txt")
        try folder.write("", to: "pages/empty.txt")
        let registry = folder.url.appendingPathComponent("registry").path
        let first = try InforceProcess.run(["ingest", "--registry", registry, folder.url.appendingPathComponent("pages").path])
        #expect(first.status == 3, "one bad file")
        #expect(first.stderr.contains("empty.txt") && first.stderr.contains("empty"))
        #expect(first.stdout.contains("created 某政发〔2020〕7号, 2 stubs created"), "\(first.stdout)")

        let snapshot = try Registry(root: URL(fileURLWithPath: registry)).load()
        let record = try #require(snapshot.records(for: .number(try DocumentNumber("某政发〔2020〕7号"))).first?.record)
        #expect(record.issued == (try Day(iso: "2020-03-02")))
        #expect(record.citations.map(\.relation) == [.basis, .repeals])
        #expect(snapshot.records(for: .number(try DocumentNumber("国发〔2019〕1号"))).first?.record.title == "国务院关于甲的意见")
        let files = try registryFiles(registry)

        let again = try InforceProcess.run(["ingest", "--registry", registry, folder.url.appendingPathComponent("pages/notice.txt").path])
        #expect(again.status == 0)
        #expect(again.stdout.contains("unchanged 某政发〔2020〕7号"))
        #expect(try registryFiles(registry) == files, "re-ingest writes nothing")
    }

    @Test("--source-base records each file by its public address, not by a path on this machine; a path outside the folder is refused")
    func publicAddresses() throws {
        let folder = try TemporaryFolder()
        try folder.write(Self.page, to: "collection/某 市/notice.txt")
        let registry = folder.url.appendingPathComponent("registry").path
        let collection = folder.url.appendingPathComponent("collection").path
        let base = "https://example.org/laws/blob/abc"
        let ingest = try InforceProcess.run(["ingest", "--registry", registry, "--source-base", base, collection + "/"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let snapshot = try Registry(root: URL(fileURLWithPath: registry)).load()
        let record = try #require(snapshot.records(for: .number(try DocumentNumber("某政发〔2020〕7号"))).first?.record)
        #expect(record.sources == ["https://example.org/laws/blob/abc/某%20市/notice.txt"])
        #expect(!(try String(contentsOfFile: registry + "/documents/某政发/2020-7.toml", encoding: .utf8)).contains(folder.url.path))

        let outside = try InforceProcess.run(["ingest", "--registry", registry, "--source-base", base, "--source-root", collection + "/某 市", collection])
        #expect(outside.status == 64 && outside.stderr.contains("is not inside --source-root"), "\(outside.stderr)")
        let two = try InforceProcess.run(["ingest", "--registry", registry, "--source-base", base, collection, collection])
        #expect(two.status == 64 && two.stderr.contains("give --source-root"), "\(two.stderr)")
    }

    @Test("a field a person set is kept and the disagreement reported; --dry-run writes nothing")
    func conflictAndDryRun() throws {
        let folder = try TemporaryFolder()
        try folder.write(Self.page, to: "notice.txt")
        let registry = folder.url.appendingPathComponent("registry").path
        let add = try InforceProcess.run(["add", "--registry", registry, "--number", "某政发〔2020〕7号", "--title", "某市人民政府关于加强某项工作的通知", "--issued", "2020-03-01"])
        #expect(add.status == 0, "\(add.stderr)")
        let before = try registryFiles(registry)
        let dry = try InforceProcess.run(["ingest", "--dry-run", "--registry", registry, folder.url.appendingPathComponent("notice.txt").path])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("would update") && dry.stdout.contains("conflict: issued"), "\(dry.stdout)")
        #expect(try registryFiles(registry) == before)
        let real = try InforceProcess.run(["ingest", "--registry", registry, folder.url.appendingPathComponent("notice.txt").path])
        #expect(real.stdout.contains("conflict: issued: the registry has 2020-03-01, the page says 2020-03-02"))
        let record = try Registry(root: URL(fileURLWithPath: registry)).load().records(for: .number(try DocumentNumber("某政发〔2020〕7号"))).first?.record
        #expect(record?.issued == (try Day(iso: "2020-03-01")))
        #expect(record?.citations.count == 2)
    }
}
