import Foundation
import InForceTestSupport
import Testing

/// A notice whose lists are attachments: ingesting the page with its workbook puts the rows on
/// the notice, and `check` of a listed document answers from its row.
@Suite("Notices with attached lists", .enabled(if: Corpus.isEnabled))
struct AttachmentCommandTests {
    /// Corpus file 02: the 铜川 cleanup notice (铜政发〔2020〕33号), whose three lists are in an attachment.
    static let notice = "raw/02-tongchuan-tongzhengfa-2020-33-cleanup-notice.txt"

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> InforceProcess.Result {
        try InforceProcess.run(arguments, environment: environment)
    }

    /// The notice and a workbook with one sheet per list, named as the notice names its lists.
    static func workspace() throws -> (folder: TemporaryFolder, page: String, list: String, registry: String) {
        let folder = try TemporaryFolder()
        try folder.write(try Corpus.text(notice), to: "notice.txt")
        let list = folder.url.appendingPathComponent("目录.xlsx")
        try OfficeFixtures.xlsx([
            .init(name: "继续有效的市政府行政规范性文件目录", rows: [
                ["序号", "文件名称", "文号"],
                ["1", "铜川市人民政府关于测试继续有效的通知", "铜政发〔2018〕5号"],
                ["2", "铜川市人民政府关于测试保留的意见", "铜政发〔2019〕12号"],
            ]),
            .init(name: "宣布失效的市政府行政规范性文件目录", rows: [
                ["序号", "文件名称", "文号"],
                ["1", "铜川市人民政府关于测试失效的通知", "铜政发〔2015〕7号"],
            ]),
        ], to: list)
        let registry = try folder.copyOfShippedRegistry()
        return (folder, folder.url.appendingPathComponent("notice.txt").path, list.path, registry.path)
    }

    @Test("check of a document the attachment lists answers from its row, quoting it and naming the attachment")
    func checkFromAttachment() throws {
        let workspace = try Self.workspace()
        let (page, list, registry) = (workspace.page, workspace.list, workspace.registry)
        let ingest = try Self.run(["ingest", "--registry", registry, page, "--attachment", list])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let kept = try Self.run(["check", "铜政发〔2018〕5号", "--registry", registry, "--as-of", "2021-06-01", "--format", "json"])
        #expect(kept.status == 0, "\(kept.stdout) \(kept.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(kept.stdout.utf8)) as? [String: Any])
        #expect(answer["status"] as? String == "in_force")
        let evidence = answer["evidence"] as? [[String: Any]] ?? []
        let step = try #require(evidence.first { ($0["source"] as? String) == "铜政发〔2020〕33号" }, "\(evidence)")
        let quote = step["quote"] as? String ?? ""
        #expect(quote.contains("目录.xlsx") && quote.contains("铜政发〔2018〕5号"), "\(quote)")
        #expect(step["event"] as? String == "continued")

        let ended = try Self.run(["check", "铜政发〔2015〕7号", "--registry", registry, "--as-of", "2021-06-01"])
        #expect(ended.status == 1, "\(ended.stdout)")
        #expect(ended.stdout.contains("宣布失效") && ended.stdout.contains("目录.xlsx"), "\(ended.stdout)")
    }

    @Test("an attachment lying beside the page under the name it links is found without --attachment")
    func besideThePage() throws {
        let workspace = try Self.workspace()
        let folder = workspace.folder
        let page = "国务院办公厅关于印发测试清理结果的通知\n国办发〔2020〕99号\n附件：目录.xlsx\n"
        try folder.write(page, to: "linked.txt")
        let extract = try Self.run(["extract", folder.url.appendingPathComponent("linked.txt").path, "--format", "json"])
        #expect(extract.status == 0, "\(extract.stderr)")
        #expect(extract.stdout.contains("铜政发〔2019〕12号") && extract.stdout.contains("目录.xlsx: "), "\(extract.stdout)")
    }

    @Test("a .doc list with no LibreOffice installed is one line naming the file and the package to install; nothing of it is written")
    func legacyWithoutLibreOffice() throws {
        let workspace = try Self.workspace()
        let (folder, page, registry) = (workspace.folder, workspace.page, workspace.registry)
        try folder.write("not really a doc", to: "list.doc")
        let doc = folder.url.appendingPathComponent("list.doc").path
        let untouched = try registryFiles(registry)
        let alone = try Self.run(["ingest", "--registry", registry, doc], environment: ["PATH": "/nonexistent"])
        #expect(alone.status == 3 && alone.stderr.contains("list.doc") && alone.stderr.contains("libreoffice-writer-nogui"), "\(alone.stderr)")
        #expect(try registryFiles(registry) == untouched)
        let before = try registryFiles(registry)
        let result = try Self.run(["ingest", "--registry", registry, page, "--attachment", doc], environment: ["PATH": "/nonexistent"])
        #expect(result.status == 3)
        let lines = result.stderr.split(separator: "\n").filter { $0.contains("list.doc") }
        #expect(lines.count == 1 && lines[0].contains("libreoffice-writer-nogui"), "\(result.stderr)")
        // The page itself is still ingested; the attachment adds nothing.
        #expect(try registryFiles(registry).count > before.count)
        let direct = try Self.run(["extract", doc], environment: ["PATH": "/nonexistent"])
        #expect(direct.status == 3 && direct.stderr.contains("list.doc") && direct.stderr.contains("apt-get install -y libreoffice-writer-nogui"), "\(direct.stderr)")
    }
}
