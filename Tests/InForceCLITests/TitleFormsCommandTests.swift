import Foundation
import InForceTestSupport
import Testing

/// A law named the ways documents cite it is one document to every command.
@Suite("Title forms on the command line")
struct TitleFormsCommandTests {
    @Test("check answers for the same document whichever way its title is written", arguments: [
        "中华人民共和国劳动合同法", "劳动合同法", "《劳动合同法》（2012年修正）", "《中华人民共和国勞動合同法》",
    ])
    func checkForms(form: String) throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let result = try InforceProcess.run(["check", "--registry", registry, form, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        #expect(object["number"] as? String == "《劳动合同法》")
        let citers = (object["citedBy"] as? [[String: Any]] ?? []).compactMap { $0["document"] as? String }
        #expect(citers == ["绍政办发〔2016〕11号"])
    }
}
