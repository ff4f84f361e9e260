import Foundation
import InForce
import InForceRegistry
import InForceTestSupport
import Testing

@Suite("Record files")
struct RecordFileTests {
    static func richRecord() throws -> DocumentRecord {
        DocumentRecord(
            number: try DocumentNumber("浙政办发[2015]83号"), rawNumber: "浙政办发[2015]83号",
            title: "浙江省人民政府办公厅关于“进一步”做好\"为农民工服务\"工作的实施意见\\", issuer: "浙江省人民政府办公厅",
            level: .provincial, rank: .normativeDocument, issued: try Day(iso: "2015-07-13"), published: try Day(iso: "2015-07-20"),
            effective: try Day(iso: "2015-08-20"), expires: try Day(iso: "2020-08-19"), validity: try ValidityPeriod(iso: "P5Y"),
            sources: ["https://shui5.cn/article/aa/170349.html", "line\nbreak\ttab"], note: "a note",
            citations: [Citation(number: try DocumentNumber("国发〔2014〕40号"), rawNumber: "国发[2014]40号", title: "国务院关于…意见", relation: .basis, evidence: "根据《…》(国发[2014]40号)精神")],
            facts: [Fact(event: .expiry, by: try DocumentNumber("浙政办发〔2021〕69号"), site: "税屋", date: try Day(iso: "2021-11-30"), until: try Day(iso: "2022-12-31"), quote: "本法规有效期截止到2022年12月31日。", source: "shui5")],
            notice: CleanupNotice(
                scopeIssuers: ["浙江省人民政府"], issuedBefore: try Day(iso: "2015-06-30"), closedList: true, closedListQuote: "未列入继续有效目录的…",
                effective: try Day(iso: "2015-08-01"),
                dispositions: [Disposition(number: try DocumentNumber("浙政发〔2010〕1号"), title: "x", outcome: .repealed, effective: try Day(iso: "2016-01-01"), quote: "1 x 浙政发〔2010〕1号 废止")]),
            versions: [
                DocumentVersion(date: try Day(iso: "2015-07-13"), effective: try Day(iso: "2015-08-20")),
                DocumentVersion(date: try Day(iso: "2018-03-01"), effective: try Day(iso: "2018-03-01"), effectiveStated: false, decision: "关于修改〈…〉的决定", source: "a.md"),
            ])
    }

    @Test("a record survives encode and decode, and encodes to the same bytes again")
    func roundTrip() throws {
        let record = try Self.richRecord()
        let text = RecordFile.encode(record)
        let (decoded, problems) = RecordFile.decode(text, origin: "x.toml")
        #expect(problems.isEmpty, "\(problems)")
        #expect(decoded == record)
        #expect(RecordFile.encode(try #require(decoded)) == text)
        #expect(text.contains("title = \"浙江省人民政府办公厅关于“进一步”做好\\\"为农民工服务\\\"工作的实施意见\\\\\""), "Chinese as is, quotes escaped")
    }

    @Test("field errors name the field and its line", arguments: [
        ("number = \"国发〔2014〕40号\"\ntitle = \"t\"\nissued = 2019-02-30\n", "issued", 3),
        ("number = \"国发〔2014〕40号\"\ntitle = \"t\"\n\n[[citations]]\nnumber = \"国发〔2006〕5号\"\nrelation = \"cites\"\n", "citations[0].relation", 6),
        ("title = \"t\"\ntittle = \"typo\"\n", "tittle", 2),
        ("number = \"../etc〔2014〕1号\"\ntitle = \"t\"\n", "number", 1),
        ("number = \"国发〔2014〕40号\"\ntitle = \"t\"\nlevel = \"city\"\n", "level", 3),
    ])
    func fieldErrors(text: String, field: String, line: Int) throws {
        let folder = try TemporaryFolder()
        try folder.write(text, to: "documents/国发/2014-40.toml")
        let problems = try Registry(root: folder.url).lint().filter { $0.severity == .error }
        // TOMLKit itself rejects a day that does not exist, with its line; the rest are ours.
        let problem = try #require(problems.first { $0.field == field || ($0.field == nil && $0.line == line) }, "\(problems)")
        #expect(problem.line == line)
        #expect(problem.origin == "documents/国发/2014-40.toml")
    }

    @Test("bad files are reported, never a crash", arguments: [
        (Data(), "empty"), (Data([0x00, 0x01, 0x02, 0xFF]), "binary"), (Data([0xB9, 0xFA, 0xB7, 0xA2, 0x0A]), "UTF-8"),
        (Data("title = \"unterminated\n".utf8), "TOML"), (Data(repeating: 0x41, count: 5 << 20), "MB"),
    ])
    func badFiles(data: Data, word: String) throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("documents/国发/2014-40.toml")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        let problems = try Registry(root: folder.url).lint()
        #expect(problems.contains { $0.severity == .error && $0.origin == "documents/国发/2014-40.toml" && $0.message.contains(word) }, "\(problems)")
    }
}

@Suite("Registry layout")
struct RegistryLayoutTests {
    @Test("files are laid out by canonical number")
    func layout() throws {
        #expect(RegistryLayout.path(for: .number(try DocumentNumber("國發[2014]40號"))) == "documents/国发/2014-40.toml")
        #expect(RegistryLayout.path(for: .number(try DocumentNumber("中华人民共和国国务院令第491号"))) == "documents/国务院令/491.toml")
        #expect(RegistryLayout.path(for: .title("劳动合同法")) == "documents/_titles/劳动合同法.toml")
    }

    @Test("no title can lead a path out of the registry", arguments: ["../../etc/passwd", "..", ".", "/abs/path", "a\\b", "a\u{0}b", String(repeating: "很长的标题", count: 40)])
    func safePaths(title: String) throws {
        let path = RegistryLayout.path(for: .title(title))
        #expect(path.hasPrefix("documents/_titles/"))
        let name = String(path.dropFirst("documents/_titles/".count))
        #expect(!name.contains("/") && !name.hasPrefix(".") && !name.contains("\u{0}"))
        #expect(name.count <= 90)
        let folder = try TemporaryFolder()
        let outcome = try Registry(root: folder.url).update(.title(title)) { record throws(RegistryError) in
            record = DocumentRecord(title: title)
        }
        let written = folder.url.appendingPathComponent(outcome.path).standardizedFileURL.path
        #expect(written.hasPrefix(folder.url.standardizedFileURL.path + "/documents/_titles/"))
    }
}

@Suite("Record snapshots")
struct RecordSnapshotTests {
    @Test("a record survives the binary snapshot, raw numbers included, and damage is detected")
    func roundTrip() throws {
        var record = try RecordFileTests.richRecord()
        record.facts.append(Fact(event: .statusNote, outcome: nil, site: "USHUI.NET", quote: "提示", source: nil))
        let title = DocumentRecord(title: "劳动合同法", level: .national)
        var writer = RecordSnapshot.Writer()
        writer.record(record)
        writer.record(title)
        var reader = RecordSnapshot.Reader(writer.bytes)
        let first = try reader.record()
        #expect(first == record)
        #expect(first.number?.raw == record.number?.raw)
        #expect(first.citations.first?.number?.canonical == "国发〔2014〕40号")
        #expect(try reader.record() == title)
        #expect(reader.atEnd)
        var damaged = RecordSnapshot.Reader(Array(writer.bytes.prefix(writer.bytes.count - 5)))
        _ = try? damaged.record()
        #expect(throws: RecordSnapshot.Damaged.self) { _ = try damaged.record() }
    }

    @Test("every kind of number survives the snapshot with its identity", arguments: [
        "绍政办发〔2016〕11号", "国务院令第491号", "河北省人民政府令〔2011〕第10号", "国家税务总局公告2018年第28号",
        "全国人民代表大会常务委员会公告第1号", "建设部〔2007〕第162号令",
    ])
    func numberKinds(text: String) throws {
        let number = try DocumentNumber(text)
        var writer = RecordSnapshot.Writer()
        writer.record(DocumentRecord(number: number, rawNumber: number.raw, title: "标题"))
        var reader = RecordSnapshot.Reader(writer.bytes)
        let read = try #require(try reader.record().number)
        #expect(read == number)
        #expect(read.canonical == number.canonical)
        #expect(read.yearInIdentity == number.yearInIdentity)
        #expect(read.kind == number.kind)
    }
}
