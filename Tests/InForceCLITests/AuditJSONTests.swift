import Foundation
import InForce
@testable import inforce
import InForceRegistry
import InForceTestSupport
import Testing

@Suite("audit JSON")
struct AuditJSONTests {
    @Test("the documents encoded on every core splice into exactly the bytes Foundation's encoder writes for the whole report")
    func splicedEqualsWhole() throws {
        var generated = SyntheticRegistry(documents: 400, seed: 3)
        var records: [DocumentRecord] = []
        generated.generate(400) { records.append($0) }
        let index = ValidityIndex(records: records, issuers: generated.issuers, regions: generated.regions)
        let report = AuditReport(index: index, scope: .all, on: try Day(iso: "2023-06-01"))
        #expect(report.documents.count == 400)
        #expect(report.documents.contains { !$0.findings.isEmpty } && report.documents.contains { $0.ignored.isEmpty })
        let json = AuditJSON(report: report, registry: "r", generated: "2026-11-29T00:00:00Z")
        #expect(try json.text() == JSONOutput.string(json))

        let empty = AuditJSON(report: AuditReport(index: ValidityIndex(records: []), scope: .all, on: try Day(iso: "2023-06-01")), registry: "r", generated: "g")
        #expect(try empty.text() == JSONOutput.string(empty))
    }
}
