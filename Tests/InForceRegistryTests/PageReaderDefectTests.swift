import Foundation
import Glibc
import InForce
@testable import InForceHTML
import InForceTestSupport
import Testing

/// Pages as they come off old government sites and interrupted downloads: read what can be
/// read, say what was wrong, and refuse what is not a page at once, naming the file.
@Suite("Page readers on damaged and unusual input")
struct PageReaderDefectTests {
    static let notice = """
        绍兴市人民政府办公室关于进一步做好为农民工服务工作的实施意见
        绍政办发〔2016〕11号
        各区、县(市)人民政府，市政府各部门、各单位：
        为进一步做好新形势下农民工服务管理工作，根据《国务院关于进一步做好为农民工服务工作的意见》（国发〔2014〕40号）精神，经市政府同意，现提出如下实施意见。
        绍兴市人民政府办公室
        2016年3月9日
        """

    static func numbers(_ page: PageText) -> [String] {
        NumberScanner.scan(page.text).map(\.number.canonical)
    }

    // MARK: Nesting past libxml2's 256 levels

    @Test("text under 300 unclosed <font> tags is read, not dropped")
    func deepFonts() throws {
        let html = "<html><body>" + String(repeating: "<font color=red>", count: 300) + "<p>绍政办发〔2016〕11号</p><p>各区、县(市)人民政府</p></body></html>"
        let document = try HTMLDocument(bytes: Array(html.utf8))
        #expect(document.text.contains("绍政办发〔2016〕11号"), "\(document.text.prefix(200))")
        let page = try PageLoader.load(Array(html.utf8), name: "deep.html")
        #expect(Self.numbers(page) == ["绍政办发〔2016〕11号"])
        #expect(DocumentExtractor.extract(page, source: "deep.html").number?.canonical == "绍政办发〔2016〕11号")
    }

    @Test("a page nested 200,000 deep, in tables too, renders without running out of stack")
    func veryDeep() throws {
        let fonts = "<html><body>" + String(repeating: "<font>", count: 200_000) + "<p>绍政办发〔2016〕11号</p></body></html>"
        #expect(try HTMLDocument(bytes: Array(fonts.utf8)).text.contains("绍政办发〔2016〕11号"))
        let tables = "<html><body>" + String(repeating: "<table><tr><td>", count: 20_000)
            + "<table><tr><td>发文字号：<td>国发〔2014〕40号</table></body></html>"
        let page = try HTMLDocument(bytes: Array(tables.utf8)).pageText()
        #expect(page.text.contains("国发〔2014〕40号"))
        #expect(page.metadata.contains { $0.label == "发文字号" && $0.value == "国发〔2014〕40号" })
    }

    @Test("libxml2 never reaches the network and never loads or expands an external entity")
    func noExternalEntities() throws {
        #expect(HTMLDocument.options & Int32(1 << 11) != 0, "HTML_PARSE_NONET")
        #expect(HTMLDocument.options & Int32(1 << 1) == 0, "XML_PARSE_NOENT (substitute entities) is never set")
        #expect(HTMLDocument.options & Int32(1 << 19) != 0, "XML_PARSE_HUGE lifts the depth limit")
        let folder = try TemporaryFolder()
        try folder.write("SECRET-FILE-CONTENT", to: "secret.txt")
        let secret = folder.url.appendingPathComponent("secret.txt").path
        let html = """
            <!DOCTYPE html SYSTEM "file://\(secret)" [<!ENTITY leak SYSTEM "file://\(secret)">]>
            <html><body><p>&leak; 绍政办发〔2016〕11号</p><p><a href="file://\(secret)">x</a></p></body></html>
            """
        let text = try HTMLDocument(bytes: Array(html.utf8)).text
        #expect(text.contains("绍政办发〔2016〕11号"))
        #expect(!text.contains("SECRET-FILE-CONTENT"), "\(text)")
    }

    // MARK: Damaged UTF-8

    @Test("a UTF-8 page cut inside a character is read, the cut bytes replaced and reported")
    func cutUTF8() throws {
        let bytes = Array(Self.notice.utf8)
        let cut = Array(bytes.prefix(bytes.count - 1))
        #expect(String(validating: cut, as: UTF8.self) == nil, "the cut falls inside 日")
        let loaded = try PageLoader.read(cut, name: "cut.txt")
        #expect(loaded.encoding == .utf8)
        #expect(Self.numbers(loaded.page) == ["绍政办发〔2016〕11号", "国发〔2014〕40号"])
        #expect(loaded.page.text.hasSuffix("2016年3月9\u{FFFD}"))
        let warning = try #require(loaded.warnings.first)
        #expect(loaded.warnings.count == 1)
        #expect(warning.replacedBytes == 2 && warning.offset == bytes.count - 3 && warning.encoding == .utf8)
        #expect(warning.description.hasPrefix("cut.txt: 2 bytes that are not valid UTF-8"), "\(warning)")
        let clean = try PageLoader.read(bytes, name: "clean.txt")
        #expect(clean.warnings.isEmpty)
    }

    @Test("a stray 0xFF in a UTF-8 page, text or HTML, costs one character, not the page")
    func strayByte() throws {
        var bytes = Array(Self.notice.utf8)
        let at = try #require(bytes.firstIndex(of: 0x0A)) + 1
        bytes.insert(0xFF, at: at)
        let text = try PageLoader.read(bytes, name: "stray.txt")
        #expect(text.warnings.map(\.replacedBytes) == [1] && text.warnings.first?.offset == at)
        #expect(DocumentExtractor.extract(text.page, source: "stray.txt").number?.canonical == "绍政办发〔2016〕11号")
        let html = Array("<html><head><meta charset=\"utf-8\"><title>通知</title></head><body><p>".utf8) + bytes + Array("</p></body></html>".utf8)
        let page = try PageLoader.read(html, name: "stray.html")
        #expect(page.warnings.map(\.replacedBytes) == [1] && page.encoding == .utf8)
        #expect(Self.numbers(page.page).contains("绍政办发〔2016〕11号"))
    }

    @Test("without repairing, damaged UTF-8 is refused with the offset of the first bad byte")
    func strictDecoding() throws {
        let bytes = Array(Array(Self.notice.utf8).dropLast())
        do {
            _ = try TextDecoding.decode(bytes)
            Issue.record("damaged text decoded silently")
        } catch {
            #expect(error.reason.contains("UTF-8") && error.reason.contains("byte \(bytes.count - 2)") && error.reason.contains("cut short"), "\(error)")
        }
        #expect(try TextDecoding.decode(bytes, repairing: true).replacedBytes == 2)
    }

    @Test("GBK and Big5 pages are still detected as such, cut short or whole, never as damaged UTF-8")
    func legacyEncodingsStayDetected() throws {
        let gbk = Array(try Iconv.convert(Data(Self.notice.utf8), to: "GBK"))
        let whole = try PageLoader.read(gbk, name: "gbk.txt")
        #expect(whole.encoding == .gb18030 && whole.warnings.isEmpty)
        #expect(whole.page.text == PageText(plainText: Self.notice).text)
        let cut = try PageLoader.read(Array(gbk.dropLast()), name: "gbk-cut.txt")
        #expect(cut.encoding == .gb18030)
        #expect(cut.warnings.map(\.replacedBytes) == [1], "\(cut.warnings)")
        #expect(Self.numbers(cut.page) == ["绍政办发〔2016〕11号", "国发〔2014〕40号"])
        let html = "<html><head><title>通知</title></head><body><p>" + Self.notice.replacingOccurrences(of: "\n", with: "<p>") + "</body></html>"
        let big5 = Array(try Iconv.convert(Data(html.utf8), to: "BIG5", dropUnconvertible: true))
        let big5Page = try PageLoader.read(big5, name: "big5.html")
        #expect(big5Page.encoding == .big5 && big5Page.warnings.isEmpty)
    }

    @Test("the corpus's Shaoxing notice, cut at 3,000 bytes or with a stray 0xFF, still reads with its number",
          .enabled(if: Corpus.isEnabled))
    func corpusDamage() throws {
        let original = Array(try Data(contentsOf: Corpus.root.appendingPathComponent("raw/00-shaoxing-shaozhengbanfa-2016-11.txt")))
        let cut = Array(original.prefix(3000))
        #expect(String(validating: cut, as: UTF8.self) == nil, "3,000 bytes cut a character")
        let loaded = try PageLoader.read(cut, name: "00-cut.txt")
        #expect(loaded.encoding == .utf8)
        #expect(loaded.warnings.count == 1 && (loaded.warnings.first?.replacedBytes ?? 0) > 0)
        #expect(DocumentExtractor.extract(loaded.page, source: "00-cut.txt").number?.canonical == "绍政办发〔2016〕11号")

        var stray = original
        let middle = try #require(original[(original.count / 2)...].firstIndex(of: 0x0A))
        stray.insert(0xFF, at: middle)
        let strayPage = try PageLoader.read(stray, name: "00-stray.txt")
        #expect(strayPage.warnings.map(\.replacedBytes) == [1] && strayPage.warnings.first?.offset == middle)
        let expected = DocumentExtractor.extract(try PageLoader.load(original, name: "00.txt"), source: "00.txt")
        let got = DocumentExtractor.extract(strayPage.page, source: "00.txt")
        #expect(got.number == expected.number && got.title == expected.title && got.citations.count == expected.citations.count)

        let gbk = Array(try Iconv.convert(Data(original), to: "GB18030"))
        #expect(try PageLoader.read(Array(gbk.prefix(3001)), name: "00-gbk-cut.txt").encoding == .gb18030)
    }

    // MARK: Files that are not pages

    @Test("a 2 GB file is refused at once for its size, naming the file and the limit, without being read")
    func hugeSparseFile() throws {
        let folder = try TemporaryFolder()
        let huge = folder.url.appendingPathComponent("huge.html")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 2 << 30)
        try handle.close()
        let started = Date()
        do {
            _ = try PageLoader.load(contentsOf: huge.path)
            Issue.record("a 2 GB file was read")
        } catch {
            #expect(error.file == huge.path)
            #expect(error.description.hasPrefix(huge.path + ": ") && error.reason.contains("2048 MB") && error.reason.contains("limit is 32 MB"), "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 1, "refused before reading")
    }

    @Test("a NUL byte anywhere is found and named by its offset: binary at the start, damage in the text")
    func nulBytes() throws {
        var text = Array(String(repeating: Self.notice + "\n", count: 30).utf8)
        #expect(text.count > 10_000)
        text[10_000] = 0
        do {
            _ = try PageLoader.read(text, name: "nul.txt")
            Issue.record("a NUL in the middle was not found")
        } catch {
            #expect(error.description.hasPrefix("nul.txt: ") && error.reason.contains("damaged") && error.reason.contains("byte 10000"), "\(error)")
        }
        let utf16 = Array(("Notice\n" + Self.notice).data(using: .utf16LittleEndian)!)
        do {
            _ = try PageLoader.read(utf16, name: "utf16.txt")
            Issue.record("UTF-16 was read")
        } catch {
            #expect(error.reason.contains("binary or UTF-16") && error.reason.contains("byte 1"), "\(error)")
        }
    }

    @Test("a FIFO and a device get their real reason at once: nothing waits for a writer or reads forever",
          .timeLimit(.minutes(1)))
    func specialFiles() throws {
        let folder = try TemporaryFolder()
        let fifo = folder.url.appendingPathComponent("page.html").path
        #expect(mkfifo(fifo, 0o644) == 0)
        for (path, words) in [(fifo, "is a FIFO, not a regular file"), ("/dev/zero", "is a device"), (folder.url.path, "is a folder")] {
            do {
                _ = try PageLoader.load(contentsOf: path)
                Issue.record("\(path) was read")
            } catch {
                #expect(error.file == path && error.reason.contains(words), "\(error)")
            }
        }
        do {
            _ = try PageLoader.load(contentsOf: folder.url.appendingPathComponent("missing.txt").path)
            Issue.record("a missing file was read")
        } catch {
            #expect(error.description.hasSuffix("missing.txt: no such file or folder"), "\(error)")
        }
    }
}
