import Foundation
import InForceTestSupport
import Testing

/// A hand edit gone wrong, as an office makes one: the file, the edit, and the line it breaks.
struct BrokenFile: CustomTestStringConvertible, Sendable {
    let name: String
    /// The line the problem is reported on (nil when the whole file is refused: size, encoding).
    let line: Int?
    /// Words of the problem's message.
    let words: String
    let edit: @Sendable (inout [UInt8]) -> Void

    var testDescription: String { name }

    /// Inserts `text` as line 4 of the record.
    static func line4(_ name: String, _ text: String, words: String) -> BrokenFile {
        BrokenFile(name: name, line: 4, words: words) { bytes in
            var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.insert(text, at: 3)
            bytes = Array(lines.joined(separator: "\n").utf8)
        }
    }

    static let all: [BrokenFile] = [
        line4("a TOML syntax error", "level = \"prefecture", words: "not valid TOML"),
        line4("a duplicate key", "title = \"又一个标题\"", words: "title"),
        line4("month 13", "issued = 2016-13-01", words: "13"),
        // A day that does not exist, in quotes: TOML reads a string, the record a bad field.
        line4("2019-02-30", "issued = \"2019-02-30\"", words: "2019-02-30"),
        line4("an unknown field", "isued = 2016-01-01", words: "unknown field isued"),
        BrokenFile(name: "a file over 4 MB", line: nil, words: "MB") { bytes in bytes += Array(repeating: UInt8(ascii: "#"), count: 5 << 20) },
        BrokenFile(name: "not UTF-8", line: nil, words: "UTF-8") { bytes in bytes += [0xFF, 0xFE, 0x0A] },
        // The same day as a TOML date: TOMLKit refuses the file, and so does the subset reader.
        line4("2019-02-30 as a TOML date", "issued = 2019-02-30", words: "expected day between 1 and 28"),
    ]
}

/// Item 4 of issue 12: a record file that cannot be read is named by every command, never
/// dropped in silence.
@Suite("Unreadable record files")
struct UnreadableFileTests {
    static let document = "绍政办发〔2016〕11号"
    static let path = "documents/绍政办发/2016-11.toml"

    /// A copy of the shipped registry with 绍政办发〔2016〕11号's record broken by `broken`.
    static func registry(_ folder: TemporaryFolder, _ broken: BrokenFile = BrokenFile.all[0]) throws -> String {
        let registry = try folder.copyOfShippedRegistry()
        let file = registry.appendingPathComponent(path)
        var bytes = Array(try Data(contentsOf: file))
        broken.edit(&bytes)
        try Data(bytes).write(to: file)
        return registry.path
    }

    func located(_ broken: BrokenFile) -> String {
        Self.path + (broken.line.map { ":\($0)" } ?? "")
    }

    @Test("check of the broken document exits 4 naming its file and line, on the first run and through the index", arguments: BrokenFile.all)
    func checkOfTheBrokenDocument(broken: BrokenFile) throws {
        let folder = try TemporaryFolder()
        let registry = try Self.registry(folder, broken)
        for run in ["first", "indexed"] {
            let result = try InforceProcess.run(["check", "--registry", registry, Self.document, "--as-of", "2023-06-01", "--format", "json"])
            #expect(result.status == 4, "\(run): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(run): no answer to rely on")
            #expect(result.stderr.contains("inforce: \(located(broken)): error: "), "\(run): \(result.stderr)")
            #expect(result.stderr.contains("\(Self.document): its record file \(Self.path) cannot be read ("), "\(run): \(result.stderr)")
            #expect(result.stderr.contains(broken.words), "\(run): \(result.stderr)")
            #expect(result.stderr.contains("fix it (inforce lint)"))
        }
    }

    @Test("trace, impact, timeline, show and graph of the broken document exit 4 too", arguments: ["trace", "impact", "timeline", "show", "graph"])
    func otherCommandsOfTheBrokenDocument(command: String) throws {
        let folder = try TemporaryFolder()
        let registry = try Self.registry(folder)
        let output = command == "graph" ? ["--output", folder.url.appendingPathComponent("g").path] : []
        let result = try InforceProcess.run([command, "--registry", registry, Self.document] + output)
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("its record file \(Self.path) cannot be read (line 4: "), "\(result.stderr)")
    }

    @Test("check of another document still answers, naming the broken file on standard error and in the JSON's problems")
    func checkOfAnotherDocument() throws {
        let folder = try TemporaryFolder()
        let registry = try Self.registry(folder, BrokenFile.all[3])
        let text = try InforceProcess.run(["check", "--registry", registry, "国发〔2014〕40号", "--as-of", "2023-06-01"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("现行有效"))
        #expect(text.stderr.contains("inforce: \(Self.path):4: error: issued: '2019-02-30' is not a valid date"), "\(text.stderr)")
        #expect(text.stderr.contains("1 registry file cannot be read in full"))

        let json = try InforceProcess.run(["check", "--registry", registry, "国发〔2014〕40号", "--as-of", "2023-06-01", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems.first?["file"] as? String == Self.path)
        #expect(problems.first?["line"] as? Int == 4)
        #expect(problems.first?["field"] as? String == "issued")
        #expect(problems.first?["severity"] as? String == "error")
        #expect((problems.first?["message"] as? String)?.contains("2019-02-30") == true)
    }

    @Test("a clean registry prints nothing on standard error and an empty problems array")
    func cleanRegistry() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let json = try InforceProcess.run(["check", "--registry", registry, "国发〔2014〕40号", "--as-of", "2023-06-01", "--format", "json"])
        #expect(json.stderr.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["problems"] as? [Any])?.isEmpty == true)
    }

    @Test("every command that reads the registry names the broken file on standard error, and in its JSON", arguments: [
        ["check", "国发〔2014〕40号", "--format", "json"], ["trace", "国发〔2014〕40号", "--format", "json"],
        ["impact", "国发〔2014〕40号", "--format", "json"], ["timeline", "国发〔2014〕40号", "--format", "json"],
        ["show", "国发〔2014〕40号", "--format", "json"], ["list", "--format", "json"], ["graph", "国发〔2014〕40号", "--output"],
        ["audit", "--allow-problems", "--format", "json"],
    ])
    func everyCommand(arguments: [String]) throws {
        let folder = try TemporaryFolder()
        let registry = try Self.registry(folder)
        let output = arguments.last == "--output" ? [folder.url.appendingPathComponent("graph").path] : []
        let result = try InforceProcess.run(arguments + output + ["--registry", registry])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("inforce: \(Self.path):4: error: not valid TOML"), "\(result.stderr)")
        guard arguments.contains("json") else { return }
        // `show` prints one object per line.
        let line = try #require(result.stdout.split(separator: "\n").first.map { arguments[0] == "show" ? String($0) : result.stdout })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let problems = try #require((arguments[0] == "audit" ? object["report"] as? [String: Any] : object)?["problems"] as? [[String: Any]])
        #expect(problems.map { $0["file"] as? String } == [Self.path])
        #expect(problems.map { $0["line"] as? Int } == [4])
    }

    @Test("a broken regions.toml is named on every run, and check answers no question that rests on it")
    func brokenTable() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        let regions = registry.appendingPathComponent("regions.toml")
        try Data((try String(contentsOf: regions, encoding: .utf8) + "efective_delay_days = 30\n").utf8).write(to: regions)
        for run in ["first", "indexed"] {
            let result = try InforceProcess.run(["check", "--registry", registry.path, "国发〔2014〕40号"])
            #expect(result.status == 4, "\(run): \(result.stderr)")
            #expect(result.stderr.contains("inforce: regions.toml:"), "\(run): \(result.stderr)")
            #expect(result.stderr.contains("the registry's regions.toml, which every answer reads, cannot be read"), "\(run): \(result.stderr)")
        }
    }
}

@Suite("An incomplete audit")
struct IncompleteAuditTests {
    @Test("audit over a broken file exits 4 naming it; --allow-problems exits 0 and the report still says incomplete")
    func incomplete() throws {
        let folder = try TemporaryFolder()
        let registry = try UnreadableFileTests.registry(folder)
        let refused = try InforceProcess.run(["audit", "--registry", registry, "--as-of", "2023-06-01"])
        #expect(refused.status == 4, "\(refused.stderr)")
        #expect(refused.stderr.contains("inforce: \(UnreadableFileTests.path):4: error: not valid TOML"), "\(refused.stderr)")
        #expect(refused.stderr.contains("the audit is incomplete") && refused.stderr.contains("--allow-problems"), "\(refused.stderr)")
        #expect(refused.stdout.contains("INCOMPLETE: 1 registry file cannot be read in full"), "the report is still written, and says so")

        for format in ["text", "markdown", "html", "json", "csv"] {
            let allowed = try InforceProcess.run(["audit", "--registry", registry, "--as-of", "2023-06-01", "--allow-problems", "--format", format])
            #expect(allowed.status == 0, "\(format): \(allowed.stderr)")
            let says = format == "json" ? "\"problems\" : [\n      {" : format == "csv" ? ",unreadable,无法读取," : "incomplete"
            #expect(allowed.stdout.localizedCaseInsensitiveContains(says), "\(format) says it is incomplete")
            #expect(allowed.stdout.contains(UnreadableFileTests.path), "\(format) names the file")
        }
    }

    @Test("audit --deny basis_not_in_force over a broken file exits 4, not 0")
    func denyIsNotGreen() throws {
        let folder = try TemporaryFolder()
        let registry = try UnreadableFileTests.registry(folder)
        let gate = try InforceProcess.run(["audit", "--registry", registry, "--as-of", "2023-06-01", "--deny", "basis_not_in_force"])
        #expect(gate.status == 4, "\(gate.stderr)")
        let allowed = try InforceProcess.run(["audit", "--registry", registry, "--as-of", "2023-06-01", "--deny", "basis_not_in_force", "--allow-problems"])
        #expect(allowed.status == 0, "the broken record was the one with the finding: \(allowed.stderr)")
    }

    @Test("the incomplete audit's JSON follows the documented schema, with report.problems")
    func schema() throws {
        let folder = try TemporaryFolder()
        let registry = try UnreadableFileTests.registry(folder)
        let json = try InforceProcess.run(["audit", "--registry", registry, "--as-of", "2023-06-01", "--allow-problems", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Corpus.packageRoot.appendingPathComponent("docs/audit.schema.json"))) as? [String: Any])
        #expect(SchemaCheck.problems(object, against: schema, path: "$").isEmpty, "\(SchemaCheck.problems(object, against: schema, path: "$"))")
        #expect(((object["report"] as? [String: Any])?["problems"] as? [Any])?.count == 1)
    }
}

@Suite("Unknown names")
struct UnknownNameTests {
    @Test("an issuer or region the registry does not know exits 3, naming the nearest", arguments: [
        (["audit", "--region", "绍兴"], "the region 绍兴", "浙江省绍兴市"),
        (["audit", "--issuer", "绍兴市政府"], "the issuer 绍兴市政府", "绍兴市人民政府"),
        (["graph", "--issuer", "浙江省政府办公厅"], "the issuer 浙江省政府办公厅", "浙江省人民政府办公厅"),
        (["list", "--issuer", "绍政办"], "the issuer 绍政办", "绍政办发"),
    ])
    func unknownScope(arguments: [String], subject: String, nearest: String) throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let result = try InforceProcess.run(arguments + ["--registry", registry])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "no empty report")
        #expect(result.stderr.hasPrefix("inforce: invalid input: \(subject) is not in the registry"), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean \(nearest)"), "\(result.stderr)")
    }

    @Test("a known issuer or region with no documents is not an error")
    func knownButEmpty() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        #expect(try InforceProcess.run(["audit", "--registry", registry, "--region", "浙江省"]).status != 3)
        #expect(try InforceProcess.run(["audit", "--registry", registry, "--issuer", "绍政办发", "--as-of", "2020-01-01"]).status == 0)
    }

    @Test("a mistyped number exits 2 and offers the number meant", arguments: [
        ("check", "绍正办发〔2016〕11号", "绍政办发〔2016〕11号"), ("trace", "绍政办发〔2061〕11号", "绍政办发〔2016〕11号"),
        ("show", "浙政办发〔2015〕38号", "浙政办发〔2015〕83号"),
        // Part of a title: the titles that hold it.
        ("check", "中华人民共和国劳动合", "is titled 《劳动合》; titles that hold it: 《中华人民共和国劳动合同法》"),
    ])
    func mistypedNumber(command: String, typed: String, meant: String) throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry().path
        let result = try InforceProcess.run([command, "--registry", registry, typed])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("is not in the registry \(registry); did you mean \(meant)") || result.stderr.contains(meant), "\(result.stderr)")
    }
}
