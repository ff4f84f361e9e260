import Foundation
import InForceTestSupport
import Testing

/// A law named the ways documents cite it is one document to every command.
@Suite("Title forms on the command line")
struct TitleFormsCommandTests {
    /// The shipped registry, read where it is: these tests only ask.
    static let shipped = Corpus.packageRoot.appendingPathComponent("registry").path

    @Test("check answers for the same document, the law itself, whichever way its title is written", arguments: [
        "中华人民共和国劳动合同法", "劳动合同法", "《劳动合同法》（2012年修正）", "《中华人民共和国勞動合同法》",
    ])
    func checkForms(form: String) throws {
        let result = try InforceProcess.run(["check", "--registry", Self.shipped, form, "--as-of", "2024-01-01", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        #expect(object["title"] as? String == "中华人民共和国劳动合同法")
        #expect(object["status"] as? String == "in_force")
        let version = try #require(object["version"] as? [String: Any])
        #expect(version["date"] as? String == "2012-12-28")
        #expect((version["source"] as? String)?.hasPrefix(TemporaryFolder.nationalSource) == true)
        // What rests on it, asked by the same form: the Shaoxing document among the laws.
        let impact = try InforceProcess.run(["impact", "--registry", Self.shipped, form, "--format", "json"])
        let reached = try #require(try JSONSerialization.jsonObject(with: Data(impact.stdout.utf8)) as? [String: Any], "\(impact.stderr)")
        let documents = (reached["steps"] as? [[String: Any]] ?? []).compactMap { $0["document"] as? String }
        #expect(documents.contains("绍政办发〔2016〕11号") && documents.contains("《上海市集体合同条例》"), "\(documents)")
    }

    @Test("the Shaoxing document's chain ends in real law: the laws it cites by title are records read from their texts")
    func traceEndsInLaw() throws {
        let result = try InforceProcess.run(["trace", "--registry", Self.shipped, "绍政办发〔2016〕11号", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        let steps = try #require(object["steps"] as? [[String: Any]])
        let law = try #require(steps.first { ($0["title"] as? String) == "中华人民共和国劳动合同法" }, "\(steps)")
        #expect(law["recorded"] as? Bool == true)
        #expect(law["status"] as? String == "in_force")
    }
}
