import ArgumentParser
import Foundation
import InForce
import InForceOffice
import InForceTestSupport

/// Reading speed of lists published as .xlsx and .docx: a workbook and a document of N rows made
/// from the rows of a real list (corpus file 70), read and extracted on one core.
struct OfficeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "office",
        abstract: "Rows/s and MB/s reading .xlsx and .docx lists (unzip, XML, extraction) on one core."
    )

    @Option(help: "Rows in each generated list.")
    var rows: Int = 20_000

    @Option(help: "Passes; the median is reported.")
    var runs: Int = 5

    @Option(help: "Folder for the generated files.")
    var work: String = NSTemporaryDirectory() + "inforce-office-bench"

    func run() throws {
        let folder = URL(fileURLWithPath: work)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The six rows of file 70's list, repeated with distinct numbers.
        let titles = ["城市社区有线电视系统管理暂行办法", "广播电影电视系统内部审计工作规定", "境外机构设立驻华广播电视办事机构管理规定",
                      "广播电视站审批管理暂行规定", "广播电视节目传送业务管理办法", "广播电视节目制作经营管理规定"]
        let outcomes = ["废止", "废止", "修改", "修改", "修改", "继续有效"]
        var table = [["序号", "文件名称", "文号", "清理结果"]]
        for index in 0..<rows {
            table.append([String(index + 1), titles[index % 6] + "（第\(index / 6 + 1)批）", "某省人民政府令第\(index + 1)号", outcomes[index % 6]])
        }
        let xlsx = folder.appendingPathComponent("list.xlsx")
        let docx = folder.appendingPathComponent("list.docx")
        try OfficeFixtures.xlsx([.init(name: "清理结果", rows: table)], to: xlsx)
        try OfficeFixtures.docx([.paragraph("某省人民政府关于公布规章清理结果的决定"), .table(table)], to: docx)

        for (name, url) in [("xlsx", xlsx), ("docx", docx)] {
            let fileBytes = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            var readTimes: [Double] = []
            var fullTimes: [Double] = []
            var textBytes = 0
            var found = 0
            for _ in 0..<runs {
                var start = DispatchTime.now().uptimeNanoseconds
                let page = try DocumentFile.load(url, name: url.lastPathComponent)
                readTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                textBytes = page.text.utf8.count
                start = DispatchTime.now().uptimeNanoseconds
                let extraction = DocumentExtractor.extract(try DocumentFile.load(url, name: url.lastPathComponent), source: url.lastPathComponent)
                fullTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                found = extraction.dispositions.count
            }
            let read = readTimes.sorted()[runs / 2]
            let full = fullTimes.sorted()[runs / 2]
            print(String(format: "%@: %d rows, file %.2f MB, text %.2f MB; read %.3f s (%.0f rows/s); read + extract %.3f s (%.0f rows/s, %.1f MB/s of text); %d dispositions",
                         name, rows, Double(fileBytes) / 1_048_576, Double(textBytes) / 1_048_576, read, Double(rows) / read, full, Double(rows) / full,
                         Double(textBytes) / 1_048_576 / full, found))
        }
    }
}
