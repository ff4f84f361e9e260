import Foundation
import InForce
import InForceRegistry
import InForceTestSupport
import Testing

@Suite("inforce ingest-list")
struct IngestListCommandTests {
    @Test("a GBK list with Chinese headers and a UTF-8 one with English headers fill the notice once; bad rows are named")
    func lists() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        let chinese = "序号,文件名称,文号,清理结果\n1,绍兴市人民政府关于甲的通知,\"绍政发〔2010〕1号\",继续有效\n2,绍兴市人民政府办公室关于乙的意见,绍政办发[2012]5号,废止\n3,关于丙的规定,,宣布失效\n4,丁,绍政发〔2013〕2号,不知道\n"
        try Iconv.convert(Data(chinese.utf8), to: "GBK").write(to: folder.url.appendingPathComponent("list.csv"))
        let result = try InforceProcess.run(["ingest-list", "--registry", registry.path, folder.url.appendingPathComponent("list.csv").path, "--notice", "绍政办发[2019]34号"])
        #expect(result.status == 3)
        #expect(result.stdout.contains("3 rows read, added 3 dispositions"), "\(result.stdout)")
        #expect(result.stderr.contains("row 5") && result.stderr.contains("不知道"))

        try folder.write("No,Title,Number,Outcome\n1,绍兴市人民政府关于甲的通知,绍政发〔2010〕1号,continued\n", to: "english.csv")
        let again = try InforceProcess.run(["ingest-list", "--registry", registry.path, folder.url.appendingPathComponent("english.csv").path, "--notice", "绍政办发〔2019〕34号"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("added 0 dispositions"))

        let notice = try Registry(root: registry).load().records(for: .number(try DocumentNumber("绍政办发〔2019〕34号"))).first?.record.notice
        #expect(notice?.dispositions.map(\.outcome) == [.continued, .repealed, .invalidated])
        #expect(notice?.dispositions.first?.quote.contains("row 2") == true)
        #expect(notice?.scopeIssuers == ["绍兴市人民政府", "绍兴市人民政府办公室"], "what the notice held is kept")
        let lint = try InforceProcess.run(["lint", "--registry", registry.path])
        #expect(lint.status == 0)
    }

    @Test("a notice not in the registry, and a file without an outcome column, are refused")
    func refused() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        try folder.write("序号,文件名称,文号\n1,甲,绍政发〔2010〕1号\n", to: "no-outcome.csv")
        let missing = try InforceProcess.run(["ingest-list", "--registry", registry.path, folder.url.appendingPathComponent("no-outcome.csv").path, "--notice", "绍政办发〔2099〕1号"])
        #expect(missing.status == 3 && missing.stderr.contains("outcome column"), "\(missing.stderr)")
        try folder.write("文件名称,清理结果\n甲,废止\n", to: "ok.csv")
        let unknown = try InforceProcess.run(["ingest-list", "--registry", registry.path, folder.url.appendingPathComponent("ok.csv").path, "--notice", "绍政办发〔2099〕1号"])
        #expect(unknown.status == 2 && unknown.stderr.contains("not in the registry"))
    }
}
