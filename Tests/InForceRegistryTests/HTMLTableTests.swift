import InForce
import InForceHTML
import Testing

/// A list in an HTML table reads the same whether its cells are merged or written out.
@Suite("HTML tables")
struct HTMLTableTests {
    static let merged = """
        <html><body><p>某市人民政府关于公布清理结果的通知</p>
        <table><tr><th>序号</th><th>文件名称</th><th>文号</th><th>清理结果</th></tr>
        <tr><td>1</td><td>关于甲的通知</td><td>某政发〔2010〕1号</td><td rowspan="2">继续有效</td></tr>
        <tr><td>2</td><td>关于乙的通知</td><td>某政发〔2011〕2号</td></tr>
        <tr><td rowspan="2">3</td><td>关于丙的通知</td><td>某政发〔2012〕3号</td><td>废止</td></tr>
        <tr><td>关于丁的通知</td><td>某政发〔2013〕4号</td><td>宣布失效</td></tr>
        <tr><td colspan="3">以下空白</td><td>—</td></tr>
        </table></body></html>
        """

    @Test("rowspan and colspan are resolved: each row carries the cells merged over it")
    func spans() throws {
        let page = try HTMLDocument(bytes: Array(Self.merged.utf8)).pageText()
        let lines = page.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("2 | 关于乙的通知 | 某政发〔2011〕2号 | 继续有效"), "\(lines)")
        #expect(lines.contains("3 | 关于丁的通知 | 某政发〔2013〕4号 | 宣布失效"), "\(lines)")
        #expect(lines.contains("以下空白 | 以下空白 | 以下空白 | —"), "\(lines)")
        let extraction = DocumentExtractor.extract(page, source: "merged.html")
        #expect(extraction.dispositions.map { "\($0.number?.canonical ?? "-") \($0.outcome.rawValue)" } == [
            "某政发〔2010〕1号 continued", "某政发〔2011〕2号 continued", "某政发〔2012〕3号 repealed", "某政发〔2013〕4号 invalidated",
        ])
        #expect(extraction.number == nil, "a listed number is not the notice's own")
    }

    @Test("a span out of range is capped, not obeyed")
    func hostileSpan() throws {
        let page = try HTMLDocument(bytes: Array("<table><tr><td rowspan=\"99999999\" colspan=\"-5\">x</td></tr><tr><td>y</td></tr></table>".utf8)).pageText()
        #expect(page.text.split(separator: "\n").map(String.init) == ["x", "x | y"])
    }
}
