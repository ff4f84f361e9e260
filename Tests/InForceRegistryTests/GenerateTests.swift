import Foundation
import InForce
import InForceRegistry
import InForceTestSupport
import Testing

@Suite("Synthetic registries")
struct GenerateTests {
    func generate(_ documents: Int, seed: UInt64, into folder: URL) throws -> [DocumentRecord] {
        var generator = SyntheticRegistry(documents: documents, seed: seed)
        var records: [DocumentRecord] = []
        _ = try Registry(root: folder).writeNew(issuers: generator.issuers, regions: generator.regions) { sink in
            try generator.generate(documents) { record in
                records.append(record)
                try sink(record)
            }
        }
        return records
    }

    @Test("a generated registry has the real shape, passes lint, and is the same for the same seed")
    func shape() throws {
        let folder = try TemporaryFolder()
        let records = try generate(3_000, seed: 11, into: folder.url.appendingPathComponent("a"))
        let again = try generate(3_000, seed: 11, into: folder.url.appendingPathComponent("b"))
        #expect(records == again)
        #expect(try registryFiles(folder.url.appendingPathComponent("a").path) == registryFiles(folder.url.appendingPathComponent("b").path))

        #expect(records.contains { $0.notice?.closedList == true && !($0.notice?.dispositions.isEmpty ?? true) })
        #expect(records.contains { $0.citations.contains { $0.relation == .repeals } })
        #expect(records.contains { $0.title.contains("试行") || $0.title.contains("暂行") })
        #expect(records.contains { $0.citations.contains { $0.relation == .basis } })
        let problems = try Registry(root: folder.url.appendingPathComponent("a")).lint()
        #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems.filter { $0.severity == .error }.prefix(3))")

        let snapshot = try Registry(root: folder.url.appendingPathComponent("a")).load()
        let index = ValidityIndex(records: snapshot.records.map(\.record), issuers: snapshot.issuers, regions: snapshot.regions)
        let report = AuditReport(index: index, scope: .all, on: try Day(iso: "2023-06-01"))
        #expect(report.documents.count == 3_000)
        #expect(Set(report.countsByStatus.keys).isSuperset(of: ["in_force", "repealed"]))
        #expect(report.countsByFinding["basis_not_in_force", default: 0] > 0)
    }
}
