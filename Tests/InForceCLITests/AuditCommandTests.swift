import CSV
import Foundation
import InForce
import InForceReports
import InForceTestSupport
import Testing

@Suite("inforce audit")
struct AuditCommandTests {
    static let chain = ["绍政办发〔2016〕11号", "浙政办发〔2015〕83号", "浙政办发〔2021〕69号"]

    func audit(_ registry: String, _ arguments: [String]) throws -> InforceProcess.Result {
        try InforceProcess.run(["audit", "--registry", registry, "--as-of", "2023-06-01"] + arguments)
    }

    @Test("every format lists 绍政办发〔2016〕11号 with basis_not_in_force and its chain")
    func everyFormat() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        for format in ["text", "markdown", "html", "json", "csv"] {
            let result = try audit(registry, ["--format", format])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stdout.contains("basis_not_in_force"), "\(format)")
            for document in Self.chain { #expect(result.stdout.contains(document), "\(format) names \(document)") }
        }
        let text = try audit(registry, [])
        #expect(text.stdout.contains("chain: 绍政办发〔2016〕11号 → 浙政办发〔2015〕83号 → 浙政办发〔2021〕69号"))
        #expect(text.stdout.split(separator: "\n").allSatisfy { line in
            line.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.properties.isIdeographic || (0x3000...0x303F).contains($1.value) || (0xFF00...0xFF60).contains($1.value)) ? 2 : 1) } <= 80
        }, "readable at 80 columns")
    }

    @Test("--deny exits non-zero when a denied finding remains, and 0 when none does or it is ignored in audit.toml")
    func deny() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        #expect(try audit(registry.path, ["--deny", "basis_not_in_force"]).status == 1)
        #expect(try audit(registry.path, ["--deny", "cycle", "unknown_citation"]).status == 0)
        try Data("""
            [[ignore]]
            kind = "basis_not_in_force"
            document = "绍政办发〔2016〕11号"
            reason = "a new provincial basis is being drafted"
            until = 2024-01-01
            """.utf8).write(to: registry.appendingPathComponent("audit.toml"))
        let ignored = try audit(registry.path, ["--deny", "basis_not_in_force"])
        #expect(ignored.status == 0, "\(ignored.stderr)")
        #expect(ignored.stdout.contains("绍政办发〔2016〕11号: ignored basis_not_in_force: a new provincial basis is"), "\(ignored.stdout)")
        #expect(ignored.stdout.contains("until 2024-01-01"), "the report shows what is set aside, and until when")
        let expired = try InforceProcess.run(["audit", "--registry", registry.path, "--as-of", "2024-06-01", "--deny", "basis_not_in_force"])
        #expect(expired.status == 1, "the ignore has expired")
        #expect(try InforceProcess.run(["lint", "--registry", registry.path]).status == 0)
    }

    @Test("the HTML report passes xmllint --html with no errors")
    func htmlIsValid() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let page = folder.url.appendingPathComponent("audit.html")
        #expect(try audit(registry, ["--format", "html", "--output", page.path]).status == 0)
        let xmllint = "/usr/bin/xmllint"
        try #require(FileManager.default.isExecutableFile(atPath: xmllint), "xmllint is missing: apt-get install libxml2-utils (.ci/run does)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: xmllint)
        process.arguments = ["--html", "--noout", page.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && output.isEmpty, "\(output)")
    }

    @Test("a title that is markup is escaped in HTML, Markdown and SVG")
    func escaping() throws {
        let evil = "<script>alert(1)</script>"
        let target = DocumentRecord(number: try DocumentNumber("甲发〔2010〕1号"), title: evil, issued: try Day(iso: "2010-01-01"), expires: try Day(iso: "2011-12-31"))
        let citing = DocumentRecord(number: try DocumentNumber("乙发〔2011〕2号"), title: "根据" + evil, issued: try Day(iso: "2011-01-01"),
                                    citations: [Citation(number: target.number, title: evil, relation: .basis, evidence: evil)])
        let index = ValidityIndex(records: [target, citing])
        let report = AuditReport(index: index, scope: .all, on: try Day(iso: "2012-06-01"))
        #expect(report.actionRequired == ["乙发〔2011〕2号"])
        let html = AuditRendering.html(report, index: index, generated: "now")
        let markdown = AuditRendering.markdown(report)
        let svg = GraphPicture(index.subgraph(around: [.number(try DocumentNumber("乙发〔2011〕2号"))], on: try Day(iso: "2012-06-01"))).svg()
        for (name, output) in [("HTML", html), ("Markdown", markdown), ("SVG", svg)] {
            #expect(!output.contains("<script>"), "\(name) holds raw markup")
            #expect(output.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(name) shows it escaped")
        }
    }

    @Test("JSON follows the documented schema; CSV round-trips through the CSV library with Chinese intact")
    func jsonAndCSV() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let json = try audit(registry, ["--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Corpus.packageRoot.appendingPathComponent("docs/audit.schema.json"))) as? [String: Any])
        let problems = SchemaCheck.problems(object, against: schema, path: "$")
        #expect(problems.isEmpty, "\(problems)")

        let csv = try audit(registry, ["--format", "csv"])
        let bytes = Array(csv.stdout.utf8)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with a byte-order mark")
        let reader = try CSVReader(string: String(csv.stdout.dropFirst()), hasHeaderRow: true)
        var rows: [[String: String]] = []
        while reader.next() != nil { if let row = reader.currentRow, let header = reader.headerRow { rows.append(Dictionary(uniqueKeysWithValues: zip(header, row))) } }
        let documents = (object["documents"] as? [[String: Any]]) ?? []
        #expect(rows.count == documents.count)
        let row = try #require(rows.first { $0["number"] == "绍政办发〔2016〕11号" })
        #expect(row["title"] == "绍兴市人民政府办公室关于进一步做好为农民工服务工作的实施意见")
        #expect(row["status_chinese"] == "现行有效")
        #expect(row["findings"] == "basis_not_in_force")
    }
}

/// A checker for the JSON Schema subset the documented schemas use: type, required, properties,
/// items, enum, additionalProperties (as a schema).
enum SchemaCheck {
    static func problems(_ value: Any, against schema: [String: Any], path: String) -> [String] {
        var found: [String] = []
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [type as? String ?? ""]
            if !types.contains(where: { matches(value, $0) }) { return ["\(path): expected \(types.joined(separator: " or "))"] }
        }
        if let options = schema["enum"] as? [String], let text = value as? String, !options.contains(text) {
            found.append("\(path): '\(text)' not in \(options)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path): missing \(key)") }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, child) in object {
                if let childSchema = properties[key] as? [String: Any] {
                    found += problems(child, against: childSchema, path: "\(path).\(key)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    found += problems(child, against: extra, path: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    found.append("\(path): unexpected \(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() { found += problems(item, against: items, path: "\(path)[\(index)]") }
        }
        return found
    }

    static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        // JSONSerialization gives numbers and booleans alike as NSNumber.
        case "integer", "boolean": value is NSNumber || value is Int || value is Bool
        case "null": value is NSNull
        default: false
        }
    }
}
