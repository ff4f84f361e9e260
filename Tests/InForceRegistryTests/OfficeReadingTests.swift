import Foundation
import InForce
import InForceHTML
import InForceOffice
import InForceTestSupport
import Testing

/// Lists published as Word and Excel files read to the same dispositions as the same list in a
/// page: the rows of corpus file 70 (a decree that repeals two rules and amends four), laid out
/// the ways offices lay them out.
@Suite("Office lists", .enabled(if: Corpus.isEnabled))
struct OfficeListTests {
    static let listFile = "raw/70-nrta-ling-7-2020-first-batch-repeal-and-amend-rules.txt"

    /// The list's rows as the answer key gives them: title, number, outcome as written.
    static func rows() throws -> [(title: String, number: String, outcome: String)] {
        let key = try #require(try Corpus.answerKeys().first { $0.key["file"] as? String == listFile }?.key)
        return (key["dispositions"] as? [[String: Any]] ?? []).map {
            ($0["title"] as? String ?? "", $0["raw_number"] as? String ?? "", $0["outcome"] as? String ?? "")
        }
    }

    /// What extraction of the page's text gives: number and outcome of each disposition.
    static func fromText() throws -> Set<String> {
        let page = PageText(plainText: try Corpus.text(listFile))
        return Self.summary(DocumentExtractor.extract(page, source: listFile).dispositions)
    }

    static func summary(_ dispositions: [ExtractedDisposition]) -> Set<String> {
        Set(dispositions.map { "\($0.number?.canonical ?? "《\($0.title ?? "")》") \($0.outcome.rawValue)\($0.planned ? " planned" : "")" })
    }

    static func read(_ url: URL) throws -> Set<String> {
        summary(try NoticeReader.read(url.path).extraction.dispositions)
    }

    @Test("the text version reads all six rows")
    func textVersion() throws {
        #expect(try Self.fromText().count == 6)
        #expect(try Self.rows().count == 6)
    }

    @Test("an .xlsx whose outcome column is merged over each group gives the same dispositions")
    func mergedOutcomeColumn() throws {
        let workspace = try TemporaryFolder()
        let rows = try Self.rows()
        var table = [["序号", "文件名称", "文号", "清理结果"]]
        for (index, row) in rows.enumerated() {
            // The outcome is written once per group, in the first row of a merged range.
            let first = rows.firstIndex { $0.outcome == row.outcome } == index
            table.append([String(index + 1), row.title, row.number, first ? row.outcome : ""])
        }
        let repealed = rows.filter { $0.outcome == "废止" }.count
        let url = workspace.url.appendingPathComponent("list.xlsx")
        try OfficeFixtures.xlsx([.init(name: "Sheet1", rows: table, merges: ["D2:D\(1 + repealed)", "D\(2 + repealed):D\(1 + rows.count)"])], to: url)
        #expect(try Self.read(url) == Self.fromText())
    }

    @Test("an .xlsx with its header in another order and a caption above it gives the same dispositions")
    func headerInAnotherOrder() throws {
        let workspace = try TemporaryFolder()
        var table = [["国家广播电视总局第一批废止和修改的部门规章目录", "", "", ""], ["处理意见", "发文字号", "序号", "规章名称"]]
        for (index, row) in try Self.rows().enumerated() { table.append([row.outcome, row.number, String(index + 1), row.title]) }
        let url = workspace.url.appendingPathComponent("list.xlsx")
        try OfficeFixtures.xlsx([.init(name: "清理结果", rows: table)], to: url)
        #expect(try Self.read(url) == Self.fromText())
    }

    @Test("an .xlsx with one sheet per outcome, named for it, gives the same dispositions")
    func twoSheets() throws {
        let workspace = try TemporaryFolder()
        let rows = try Self.rows()
        func sheet(_ outcome: String, _ name: String) -> OfficeFixtures.Sheet {
            var table = [["序号", "文件名称", "文号"]]
            for (index, row) in rows.filter({ $0.outcome == outcome }).enumerated() { table.append([String(index + 1), row.title, row.number]) }
            return .init(name: name, rows: table)
        }
        let url = workspace.url.appendingPathComponent("list.xlsx")
        try OfficeFixtures.xlsx([sheet("废止", "废止的规章"), sheet("修改", "修改的规章")], to: url)
        #expect(try Self.read(url) == Self.fromText())
    }

    @Test("a .docx table with a vertically merged outcome column gives the same dispositions")
    func wordTable() throws {
        let workspace = try TemporaryFolder()
        let rows = try Self.rows()
        var table = [["序号", "文件名称", "文号", "清理结果"]]
        for (index, row) in rows.enumerated() {
            let first = rows.firstIndex { $0.outcome == row.outcome } == index
            table.append([String(index + 1), row.title, row.number, first ? "<" + row.outcome : "^"])
        }
        let url = workspace.url.appendingPathComponent("list.docx")
        try OfficeFixtures.docx([.paragraph("国家广播电视总局关于第一批废止和修改的部门规章的决定"), .table(table)], to: url)
        #expect(try Self.read(url) == Self.fromText())
    }

    @Test("a .docx whose list numbering comes from Word's numbering (一、 （一） 1.) gives the same dispositions")
    func wordNumbering() throws {
        let workspace = try TemporaryFolder()
        let rows = try Self.rows()
        var blocks: [OfficeFixtures.Block] = [.paragraph("国家广播电视总局关于第一批废止和修改的部门规章的决定")]
        blocks.append(.paragraph("废止下列规章", numbering: (1, 0)))
        for row in rows where row.outcome == "废止" { blocks.append(.paragraph("《\(row.title)》（\(row.number)）", numbering: (1, 1))) }
        blocks.append(.paragraph("对下列规章的部分条款予以修改", numbering: (1, 0)))
        for row in rows where row.outcome == "修改" {
            blocks.append(.paragraph("《\(row.title)》（\(row.number)）", numbering: (1, 1)))
            blocks.append(.paragraph("将第五条第三项修改为：“人员、资金、场地、设备的相关材料。”", numbering: (1, 2)))
        }
        let url = workspace.url.appendingPathComponent("list.docx")
        try OfficeFixtures.docx(blocks, to: url)
        let lines = try WordDocument(url: url, name: "list.docx").lines
        #expect(lines[1] == "一、废止下列规章")
        #expect(lines[2].hasPrefix("（一）《"))
        #expect(lines.contains { $0.hasPrefix("1.将第五条") })
        #expect(try Self.read(url) == Self.fromText())
    }

    @Test("a .pdf list laid out in columns gives the same dispositions (when poppler-utils is installed)")
    func pdfColumns() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else {
            print("skipped: pdftotext is not installed (apt-get install -y poppler-utils)")
            return
        }
        let workspace = try TemporaryFolder()
        var lines: [[(x: Int, text: String)]] = [[(40, "序号"), (80, "文件名称"), (420, "文号"), (640, "清理结果")]]
        for (index, row) in try Self.rows().enumerated() {
            lines.append([(40, String(index + 1)), (80, row.title), (420, row.number), (640, row.outcome)])
        }
        let url = workspace.url.appendingPathComponent("list.pdf")
        try OfficeFixtures.pdf(lines, to: url)
        #expect(try Self.read(url) == Self.fromText())
    }

    @Test("a .doc list converted by LibreOffice gives the same dispositions (when LibreOffice is installed)")
    func legacyWord() throws {
        guard ["/usr/bin/soffice", "/usr/bin/libreoffice"].contains(where: FileManager.default.isExecutableFile(atPath:)) else {
            print("skipped: LibreOffice is not installed (apt-get install -y libreoffice-writer-nogui); the .doc path is tested only with it")
            return
        }
        let workspace = try TemporaryFolder()
        let rows = try Self.rows()
        var table = [["序号", "文件名称", "文号", "清理结果"]]
        for (index, row) in rows.enumerated() { table.append([String(index + 1), row.title, row.number, row.outcome]) }
        let docx = workspace.url.appendingPathComponent("made.docx")
        try OfficeFixtures.docx([.table(table)], to: docx)
        // Make a real .doc from it with LibreOffice, then read that.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/soffice")
        process.arguments = ["--headless", "-env:UserInstallation=file://\(workspace.url.path)/profile", "--convert-to", "doc", "--outdir", workspace.url.path, docx.path]
        let messages = Pipe()
        process.standardOutput = messages
        process.standardError = messages
        try process.run()
        let said = String(decoding: messages.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let made = workspace.url.appendingPathComponent("made.doc")
        try #require(FileManager.default.fileExists(atPath: made.path), "LibreOffice made no .doc from the fixture (exit \(process.terminationStatus)): \(said)")
        #expect(try Self.read(made) == Self.fromText())
    }
}

/// Office files that are damaged or hostile get one clear sentence naming them.
@Suite("Office files refused")
struct OfficeRefusalTests {
    func refusal(_ url: URL) -> String? {
        do {
            _ = try DocumentFile.load(url, name: url.lastPathComponent)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a damaged zip is named as one")
    func corruptZip() throws {
        let workspace = try TemporaryFolder()
        let url = workspace.url.appendingPathComponent("broken.xlsx")
        try Data([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0x41, count: 300)).write(to: url)
        let message = try #require(refusal(url))
        #expect(message.contains("broken.xlsx") && message.contains("damaged zip"))
    }

    @Test("a password-protected .xlsx (an OLE compound file) says it is encrypted")
    func encrypted() throws {
        let workspace = try TemporaryFolder()
        let url = workspace.url.appendingPathComponent("secret.xlsx")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)).write(to: url)
        let message = try #require(refusal(url))
        #expect(message.contains("secret.xlsx") && message.contains("encrypted"))
    }

    @Test("a part that inflates far past its compressed size is refused as a zip bomb")
    func zipBomb() throws {
        let workspace = try TemporaryFolder()
        let url = workspace.url.appendingPathComponent("bomb.docx")
        let zeros = Data(count: 64 * 1024 * 1024)
        try OfficeFixtures.zip([("[Content_Types].xml", OfficeFixtures.contentTypes), ("word/document.xml", zeros)], to: url)
        #expect(try FileHandle(forReadingFrom: url).readToEnd()!.count < 1_000_000)
        let message = try #require(refusal(url))
        #expect(message.contains("bomb.docx") && message.contains("zip bomb"))
    }

    @Test("a document.xml declaring an external entity is refused before libxml2 reads it")
    func externalEntity() throws {
        let workspace = try TemporaryFolder()
        let url = workspace.url.appendingPathComponent("xxe.docx")
        let hostile = """
            <?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>
            """
        try OfficeFixtures.docx([], to: url, documentXML: hostile)
        let message = try #require(refusal(url))
        #expect(message.contains("xxe.docx") && message.contains("document type"))
        #expect(!message.contains("root:"))
    }

    @Test("a sheet of a million rows is refused with the limit named")
    func millionRows() throws {
        let workspace = try TemporaryFolder()
        let url = workspace.url.appendingPathComponent("huge.xlsx")
        var xml = #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        xml.reserveCapacity(40_000_000)
        for row in 1...1_000_000 { xml += #"<row r="\#(row)"><c r="A\#(row)"><v>\#(row)</v></c></row>"# }
        xml += "</sheetData></worksheet>"
        let workbook = #"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        let rels = #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
        try OfficeFixtures.zip([
            ("xl/workbook.xml", Data(workbook.utf8)), ("xl/_rels/workbook.xml.rels", Data(rels.utf8)), ("xl/worksheets/sheet1.xml", Data(xml.utf8)),
        ], to: url)
        let message = try #require(refusal(url))
        #expect(message.contains("huge.xlsx") && message.contains("200000 rows"))
    }

    @Test("a file that is no zip at all, named .docx, is named as such")
    func notZip() throws {
        let workspace = try TemporaryFolder()
        let url = workspace.url.appendingPathComponent("page.docx")
        try Data("<html>not a document</html>".utf8).write(to: url)
        let message = try #require(refusal(url))
        #expect(message.contains("page.docx") && message.contains("not a zip"))
    }
}
