import CSV
import Foundation
import InForceTestSupport
import Testing

/// The shipped registry's answers say what they stand on, in every face.
@Suite("Grounds on the command line")
struct GroundsCommandTests {
    static func json(_ arguments: [String]) throws -> (status: Int32, object: [String: Any]) {
        let result = try InforceProcess.run(arguments + ["--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        return (result.status, object)
    }

    @Test("国发〔2014〕40号 is presumed, with its reason; the Shaoxing answer keeps its figures on reported grounds")
    func shippedAnswers() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let presumed = try Self.json(["check", "--registry", registry, "国发〔2014〕40号", "--as-of", "2023-06-01"])
        #expect(presumed.status == 0)
        #expect(presumed.object["status"] as? String == "in_force")
        #expect(presumed.object["grounds"] as? String == "presumed")
        #expect(presumed.object["reason"] as? String == "presumed: no cleanup, repeal or expiry known; last fact 2014")

        let shaoxing = try Self.json(["check", "--registry", registry, "绍政办发〔2016〕11号", "--as-of", "2023-06-01"])
        #expect(shaoxing.status == 0)
        #expect(shaoxing.object["status"] as? String == "in_force")
        #expect(shaoxing.object["grounds"] as? String == "reported")
        let findings = try #require(shaoxing.object["findings"] as? [[String: Any]])
        #expect(findings.compactMap { $0["kind"] as? String } == ["basis_not_in_force"])

        let text = try InforceProcess.run(["check", "--registry", registry, "国发〔2014〕40号", "--as-of", "2023-06-01"])
        #expect(text.stdout.contains("推定有效 (presumed)"))
    }

    @Test("a document only cited is unknown, exit 2, naming who cites it — as a stub and with no record at all")
    func citedOnly() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        let stub = try Self.json(["check", "--registry", registry.path, "国发〔2006〕5号"])
        #expect(stub.status == 2)
        #expect(stub.object["grounds"] as? String == "none")
        #expect((stub.object["citedBy"] as? [[String: Any]])?.compactMap { $0["document"] as? String } == ["国发〔2014〕40号"])
        try FileManager.default.removeItem(at: registry.appendingPathComponent("documents/国发/2006-5.toml"))
        let unrecorded = try InforceProcess.run(["check", "--registry", registry.path, "国发〔2006〕5号"])
        #expect(unrecorded.status == 2)
        #expect(unrecorded.stdout.contains("known only because 国发〔2014〕40号 cites it"))
        let trace = try InforceProcess.run(["trace", "--registry", registry.path, "国发〔2014〕40号"])
        #expect(trace.stdout.contains("国发〔2006〕5号") && trace.stdout.contains("no record in the registry"))
    }

    @Test("the audit carries grounds and reason in JSON, CSV (one kind per column) and HTML")
    func audit() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let report = try Self.json(["audit", "--registry", registry, "--as-of", "2023-06-01"])
        let documents = try #require(report.object["documents"] as? [[String: Any]])
        #expect(documents.allSatisfy { ($0["grounds"] as? String) != nil && !(($0["reason"] as? String) ?? "").isEmpty })
        let csv = try InforceProcess.run(["audit", "--registry", registry, "--as-of", "2023-06-01", "--format", "csv"])
        let reader = try CSVReader(string: String(csv.stdout.dropFirst()), hasHeaderRow: true)
        #expect(reader.headerRow?.contains("grounds") == true && reader.headerRow?.contains("since_bound") == true)
        var rows = 0
        let iso = /^(\d{4}-\d{2}-\d{2})?$/
        while let row = reader.next() {
            rows += 1
            // `since` holds ISO dates or nothing; the words go to `since_bound`.
            #expect(reader["since"]?.wholeMatch(of: iso) != nil, "\(row)")
            #expect(["stated", "reported", "rule", "presumed", "none"].contains(reader["grounds"] ?? ""))
            #expect(!(reader["reason"] ?? "").isEmpty)
        }
        #expect(rows == documents.count)
        let html = try InforceProcess.run(["audit", "--registry", registry, "--as-of", "2023-06-01", "--format", "html"])
        #expect(html.stdout.contains("<td class=\"grounds presumed\">推定有效 (presumed)</td>"))
        #expect(html.stdout.contains("presumed: no cleanup, repeal or expiry known"))
    }
}
