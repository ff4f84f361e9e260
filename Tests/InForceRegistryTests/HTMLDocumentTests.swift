import Foundation
import InForce
import InForceHTML
import InForceTestSupport
import Testing

@Suite("HTML through libxml2")
struct HTMLDocumentTests {
    static let page = """
        <html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>国务院关于进一步做好为农民工服务工作的意见</title>
        <script>var x = "国发〔1999〕1号";</script></head>
        <body><div class=nav>首页 &gt; 政策<p>国务院关于进一步做好<br>为农民工服务工作的意见<p>国发〔2014〕40号
        <table><tr><td>发文字号：<td>国发〔2014〕40号</table></body>
        """

    static func gbk(_ text: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", "GBK"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    @Test("a GBK page declared by <meta charset> reads as the same text as UTF-8")
    func gbkPage() throws {
        let document = try HTMLDocument(bytes: try Self.gbk(Self.page))
        #expect(document.title == "国务院关于进一步做好为农民工服务工作的意见")
        #expect(document.text.contains("国务院关于进一步做好\n为农民工服务工作的意见"), "<br> breaks the line")
        #expect(!document.text.contains("国发〔1999〕1号"), "scripts are not content")
        #expect(NumberScanner.scan(document.text).map(\.number.canonical) == ["国发〔2014〕40号", "国发〔2014〕40号"])
    }

    @Test("broken markup is recovered, and an empty page is an error, not a crash")
    func brokenMarkup() throws {
        let document = try HTMLDocument(bytes: Array("<p>绍政办发〔2016〕11号<div><b>未闭合".utf8))
        #expect(document.text.contains("绍政办发〔2016〕11号"))
        #expect(throws: PageError.self) { try HTMLDocument(bytes: []) }
    }

    @Test("a gov.cn page from the corpus reads with its number", .enabled(if: Corpus.isEnabled))
    func govcnPage() throws {
        let bytes = try Data(contentsOf: Corpus.root.appendingPathComponent("govcn/01.html"))
        let document = try HTMLDocument(bytes: Array(bytes))
        #expect(NumberScanner.scan(document.text).contains { $0.number.canonical == "国发〔2018〕43号" })
    }
}
