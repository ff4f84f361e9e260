import ArgumentParser
import Foundation
import InForce

/// `inforce-bench pages --count N DIR`: writes realistic synthetic pages (gov.cn-style HTML with a
/// metadata table, and plain text) for the ingest benchmark. Deterministic from the seed.
struct PagesGenerator: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Write N synthetic document pages (half HTML with a metadata table, half text) citing one another."
    )

    @Option(help: "How many pages.") var count: Int = 10_000
    @Option(help: "Seed for the generator.") var seed: UInt64 = 2016
    @Argument(help: "The folder to write into.") var folder: String

    static let places: [(name: String, code: String)] = [
        ("杭州市", "杭政"), ("宁波市", "甬政"), ("温州市", "温政"), ("绍兴市", "绍政"), ("湖州市", "湖政"), ("嘉兴市", "嘉政"),
        ("金华市", "金政"), ("衢州市", "衢政"), ("舟山市", "舟政"), ("台州市", "台政"), ("丽水市", "丽政"),
    ]
    static let topics = ["进一步做好为农民工服务工作", "加强城市供水价格管理", "推进政务新媒体健康有序发展", "促进中小企业发展", "加强安全生产工作",
                         "规范行政规范性文件管理", "推进养老服务体系建设", "加快发展现代农业", "深化户籍制度改革", "加强生态环境保护"]
    static let kinds = ["实施意见", "通知", "若干意见", "管理办法", "实施方案"]
    static let paragraph = "各地、各部门要高度重视，加强组织领导，明确责任分工，细化工作措施，确保各项任务落到实处。要加强督促检查，及时研究解决工作中遇到的问题，重大情况及时报告。"

    func run() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var random = SeededRandom(seed: seed)
        var written: [(number: String, title: String)] = []
        var sequences: [String: Int] = [:]
        for index in 0..<count {
            let place = Self.places[random.next(Self.places.count)]
            let office = random.next(2) == 0
            let year = 2005 + random.next(20)
            let agency = "\(place.code)\(office ? "办" : "")发"
            let sequence = sequences["\(agency)\(year)", default: 0] + 1
            sequences["\(agency)\(year)"] = sequence
            let number = "\(agency)〔\(year)〕\(sequence)号"
            let issuer = "\(place.name)人民政府\(office ? "办公室" : "")"
            let title = "\(issuer)关于\(Self.topics[random.next(Self.topics.count)])的\(Self.kinds[random.next(Self.kinds.count)])"
            var basis = "根据《国务院关于进一步做好为农民工服务工作的意见》（国发〔2014〕40号）"
            for _ in 0..<random.next(3) where !written.isEmpty {
                let cited = written[random.next(written.count)]
                basis += "和《\(cited.title)》（\(cited.number)）"
            }
            basis += "精神，结合本地实际，提出如下意见。"
            let date = "\(year)年\(1 + random.next(12))月\(1 + random.next(28))日"
            let body = "各县（市、区）人民政府，市政府各部门：\n\(basis)\n" + (0..<8).map { "（\($0 + 1)）\(Self.paragraph)" }.joined(separator: "\n") + "\n\(issuer)\n\(date)\n"
            let name = String(format: "%06d", index)
            if index % 2 == 0 {
                let html = """
                    <html><head><meta charset="utf-8"><title>\(title)</title></head><body>
                    <div class="nav">首页 &gt; 政府信息公开 &gt; 规范性文件</div>
                    <table><tr><td>发文机关：</td><td>\(issuer)</td><td>成文日期：</td><td>\(date)</td></tr>
                    <tr><td>标　　题：</td><td colspan="3">\(title)</td></tr>
                    <tr><td>发文字号：</td><td>\(number)</td><td>发布日期：</td><td>\(date)</td></tr></table>
                    <div id="content">\(body.split(separator: "\n").map { "<p>\($0)</p>" }.joined(separator: "\n"))</div>
                    <div class="share">扫一扫在手机打开当前页</div></body></html>
                    """
                try html.write(toFile: "\(folder)/\(name).html", atomically: false, encoding: .utf8)
            } else {
                try "\(title)\n\(number)\n\(body)".write(toFile: "\(folder)/\(name).txt", atomically: false, encoding: .utf8)
            }
            written.append((number, title))
        }
        print("wrote \(count) pages to \(folder)")
    }
}
