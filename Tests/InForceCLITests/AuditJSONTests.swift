import Foundation
import InForce
@testable import inforce
import InForceRegistry
import InForceReports
import InForceTestSupport
import Testing

@Suite("audit JSON")
struct AuditJSONTests {
    @Test("the documents encoded on every core splice into exactly the bytes Foundation's encoder writes for the whole report")
    func splicedEqualsWhole() throws {
        var generated = SyntheticRegistry(documents: 400, seed: 3)
        let records = generated.records(400)
        let index = ValidityIndex(records: records, issuers: generated.issuers, regions: generated.regions)
        let report = AuditReport(index: index, scope: .all, on: try Day(iso: "2023-06-01"))
        #expect(report.documents.count == 400)
        #expect(report.documents.contains { !$0.findings.isEmpty } && report.documents.contains { $0.ignored.isEmpty })
        let json = AuditJSON(report: report, registry: "r", generated: "2026-11-29T00:00:00Z")
        #expect(try json.text() == foundation(json))
        #expect(try json.text(writer: .jsonEncoder) == foundation(json), "spliced from JSONEncoder's pieces, indented")

        let empty = AuditJSON(report: AuditReport(index: ValidityIndex(records: []), scope: .all, on: try Day(iso: "2023-06-01")), registry: "r", generated: "g")
        #expect(try empty.text() == foundation(empty))
        #expect(try empty.text(writer: .jsonEncoder) == foundation(empty))
    }

    func foundation<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    struct Awkward: Encodable {
        let text = "quote \" backslash \\ slash / tab \t newline \n bell \u{07} del \u{7F} 中文 é \u{2028}"
        let nothing: String? = nil
        let numbers = [0, -1, Int.max, Int.min]
        let flags = [true, false]
        let empty: [String] = []
        let emptyObject: [String: Int] = [:]
        let keys = ["b": 1, "a": 2, "B": 3, "_": 4, "a1": 5, "a10": 6, "a2": 7, "中": 8]
        let nested = [["x": [[String]]()]]
    }

    /// An `Encodable` that uses the corners of the protocol: a key encoded twice, a nested
    /// container asked for twice, super encoders, keys already in order and not.
    struct Corners: Encodable {
        enum Key: String, CodingKey { case z, a, nested, list, sorted }
        enum Inner: String, CodingKey { case b, a }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(1, forKey: .a)
            try container.encode("first", forKey: .z)
            try container.encode("last", forKey: .z)
            var first = container.nestedContainer(keyedBy: Inner.self, forKey: .nested)
            try first.encode(true, forKey: .b)
            var second = container.nestedContainer(keyedBy: Inner.self, forKey: .nested)
            try second.encode(false, forKey: .a)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(Optional<Int>.none)
            var inner = list.nestedContainer(keyedBy: Inner.self)
            try inner.encode(2.5, forKey: .a)
            try Sorted().encode(to: list.superEncoder())
            try [3, 4].encode(to: container.superEncoder(forKey: .sorted))
            try "super".encode(to: container.superEncoder())
            #expect(container.codingPath.isEmpty && inner.codingPath.map(\.stringValue) == ["list", "Index 1"])
        }
    }

    struct Sorted: Encodable {
        let a = 1, b = 2, c: [String: String] = [:]
    }

    @Test("InForce's JSON writer writes Foundation's bytes: escapes, nulls, numbers, empty containers, key order", arguments: [true, false])
    func writerMatchesFoundation(pretty: Bool) throws {
        #expect(try JSONOutput.string(Awkward(), pretty: pretty) == foundation(Awkward(), pretty: pretty))
        #expect(try JSONOutput.string(Corners(), pretty: pretty) == foundation(Corners(), pretty: pretty))
        var generated = SyntheticRegistry(documents: 200, seed: 5)
        let records = generated.records(200)
        let index = ValidityIndex(records: records, issuers: generated.issuers, regions: generated.regions)
        let report = AuditReport(index: index, scope: .all, on: try Day(iso: "2023-06-01"))
        #expect(try JSONOutput.string(report.documents, pretty: pretty) == foundation(report.documents, pretty: pretty))
        #expect(try JSONOutput.string(Array(records.prefix(50)), pretty: pretty) == foundation(Array(records.prefix(50)), pretty: pretty))
    }
}
