import Foundation
import InForce
import InForceHTML
import InForceOffice
import InForceTestSupport
import Testing

/// Inputs the fuzzer (`inforce-bench fuzz`, docs/fuzzing.md) found to crash a reader or to make
/// it explode: each is now read or refused with a sentence, and the suite goes on.
@Suite("Fuzz findings")
struct FuzzRegressionTests {
    static let folder = Corpus.packageRoot.appendingPathComponent("docs/fuzz-crashes")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test("each saved finding is read or refused, never a trap", arguments: files)
    func replay(name: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        do {
            let page = try DocumentFile.load(url, name: name)
            _ = DocumentExtractor.extract(page, source: name)
        } catch {
            #expect(!error.reason.isEmpty)
        }
    }

    @Test("the findings folder is there (the list above is not empty by accident)")
    func present() {
        #expect(Self.files.count >= 5)
    }

    @Test("floods that were read in quadratic time are read: trailing spaces, one endless sentence of numbers")
    func floods() throws {
        let spaces = PageText(plainText: "某市人民政府关于甲的通知\n某政发〔2020〕1号" + String(repeating: " ", count: 40_000) + String(repeating: "\u{3000}", count: 20_000))
        #expect(DocumentExtractor.extract(spaces, source: "spaces.txt").number?.canonical == "某政发〔2020〕1号")
        let decrees = PageText(plainText: "决定废止" + String(repeating: "《某办法》(某省人民政府令第4号)、", count: 3_000))
        #expect(DocumentExtractor.extract(decrees, source: "decrees.txt").dispositions.count == 1)
        // Thousands of dated titles on one line: each date once asked whether the line names a source.
        let dated = PageText(plainText: "一、废止" + String(repeating: "《某办法》（1992年9月19日会议通过）", count: 3_000))
        #expect(DocumentExtractor.extract(dated, source: "dated.txt").dispositions.count == 1)
    }

    @Test("a list of thousands of numbers joined by 、 gives each its own short quote (each once quoted the whole list)")
    func longRun() {
        let numbers = (1...4_000).map { "某政发〔2015〕\($0)号" }
        let page = PageText(plainText: "现予废止" + numbers.joined(separator: "、") + "。")
        let extraction = DocumentExtractor.extract(page, source: "run.txt")
        #expect(extraction.citations.count + extraction.dispositions.count >= 3_990)
        #expect(extraction.citations.allSatisfy { $0.evidence.count < 300 })
        #expect(extraction.dispositions.allSatisfy { $0.evidence.count < 300 })
    }

    @Test("a run of digits before 年 in 有效期 is not a period (it overflowed Int)")
    func validityYears() throws {
        let page = try DocumentFile.load(Self.folder.appendingPathComponent("pages-validity-years-overflow.txt"), name: "years.txt")
        let extraction = DocumentExtractor.extract(page, source: "years.txt")
        #expect(extraction.validity == nil)
        #expect(extraction.number?.canonical == "某政发〔2020〕1号")
    }

    @Test("a part whose deflate stream is cut short is refused as cut short (ZIPFoundation looped for ever or read past the part)")
    func cutShortDeflate() {
        let url = Self.folder.appendingPathComponent("office-hang-deflate-cut-short.docx")
        #expect {
            _ = try DocumentFile.load(url, name: "cut.docx")
        } throws: { error in
            (error as? PageError)?.reason == "cut.docx: word/document.xml is damaged: its compressed data ends before the part does (the file is cut short)"
        }
    }

    @Test("a shared-string index outside the table is named as damage (a negative one trapped)")
    func sharedStringIndex() {
        let url = Self.folder.appendingPathComponent("office-shared-string-index-negative.xlsx")
        #expect {
            _ = try DocumentFile.load(url, name: "list.xlsx")
        } throws: { error in
            (error as? PageError)?.reason.contains("list.xlsx: sheet S0, row 1 column 2: the cell points at shared string -1, but the workbook holds 1") == true
        }
    }
}
