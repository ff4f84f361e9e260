import Foundation
import InForce
import InForceRegistry
import InForceTestSupport
import Testing

@Suite("Cleanup list files")
struct CleanupListFileTests {
    /// Checked by planting the bug: read with `trimFields: false`, the quoted title after a space
    /// was not taken as quoted and split at its comma, so row 2's outcome was read as
    /// '绍政发〔2010〕1号' and the row refused ("row 2: the outcome …"), and this test failed; restored,
    /// it passes.
    @Test("a CSV export with a byte-order mark, CRLF, quoted cells holding commas, quotes and a line break, a blank line and a short row")
    func quotingAndLines() throws {
        let text = "\u{FEFF}序号,文件名称,文号,清理结果\r\n"
            + "1, \"关于甲,乙的\"\"通知\"\"\" ,绍政发〔2010〕1号,继续有效\r\n"
            + "\r\n"
            + "3,\"关于丙的\n规定\",绍政办发[2012]5号,废止\r\n"
            + "4,关于丁的意见\r\n"
        let (dispositions, problems) = try CleanupListFile.read(Array(text.utf8), name: "list.csv")
        #expect(dispositions.map(\.title) == ["关于甲,乙的\"通知\"", "关于丙的\n规定"])
        #expect(dispositions.map(\.number?.canonical) == ["绍政发〔2010〕1号", "绍政办发〔2012〕5号"])
        #expect(dispositions.map(\.outcome) == [.continued, .repealed])
        #expect(dispositions.first?.quote == "list.csv row 2: 1 | 关于甲,乙的\"通知\" | 绍政发〔2010〕1号 | 继续有效")
        // The blank line counts: the short row is the file's fifth line of records.
        #expect(problems.map(\.description) == ["row 5: the outcome '' is not one of 继续有效, 修改, 废止, 宣布失效"])
    }
}
