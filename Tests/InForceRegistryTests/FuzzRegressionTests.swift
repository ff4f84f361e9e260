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
    }
}
