import Foundation
import InForceTestSupport
import Testing

@Suite("Many questions in one process")
struct ManyQuestionsTests {
    /// Checked by planting the bug: with the answers of many written as pretty JSON (several lines
    /// each), this test failed; restored, it passes.
    @Test("check answers several documents, or one per line of standard input: one JSON object per line, the worst exit code")
    func manyChecks() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let input = "绍政办发〔2016〕11号\n\n浙政办发[2015]83号\n绍正办发〔2016〕11号\n国务院关于进一步做好为农民工服务工作的意见\n"
        let result = try InforceProcess.run(["check", "--registry", registry, "-", "--as-of", "2023-06-01", "--format", "json"], input: input)
        #expect(result.status == 2, "the mistyped number is not found: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "one line per question, the empty line skipped: \(lines)")
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects[0]["number"] as? String == "绍政办发〔2016〕11号" && objects[0]["status"] as? String == "in_force")
        #expect(objects[1]["number"] as? String == "浙政办发〔2015〕83号" && objects[1]["status"] as? String == "expired")
        #expect(objects[2]["query"] as? String == "绍正办发〔2016〕11号" && objects[2]["error"] as? String == "not_found" && objects[2]["exit"] as? Int == 2)
        #expect((objects[2]["message"] as? String)?.contains("did you mean 绍政办发〔2016〕11号") == true)
        #expect(objects[3]["number"] as? String == "国发〔2014〕40号", "a title stands for its number")
        // The same answers as one process per question.
        let alone = try InforceProcess.run(["check", "--registry", registry, "浙政办发〔2015〕83号", "--as-of", "2023-06-01", "--format", "json"])
        #expect(alone.status == 1)
        let single = try #require(try JSONSerialization.jsonObject(with: Data(alone.stdout.utf8)) as? NSDictionary)
        #expect(single == objects[1] as NSDictionary)
        // Arguments too, in text: not in force is exit 1.
        let text = try InforceProcess.run(["check", "--registry", registry, "绍政办发〔2016〕11号", "浙政办发〔2015〕83号", "--as-of", "2023-06-01"])
        #expect(text.status == 1, "\(text.stderr)")
        #expect(text.stdout.contains("绍政办发〔2016〕11号  ") && text.stdout.contains("浙政办发〔2015〕83号  "))
    }
}
