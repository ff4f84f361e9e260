import Foundation
import InForce
@testable import InForceRegistry
import InForceTestSupport
import Testing

@Suite("TOML reading")
struct TOMLReadingTests {
    /// The fast reader must read exactly what TOMLKit reads, or decline.
    func expectSameReading(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let full = try TOMLDocument.parseFully(text).get()
        let fast = try #require(TOMLSubsetReader.parse(text), "the subset reader declined:\n\(text)", sourceLocation: sourceLocation)
        // Bytes, not String's ==, which takes `é` and `e\u{301}` for one text.
        #expect(Array(fast.canonicalText.utf8) == Array(full.canonicalText.utf8), sourceLocation: sourceLocation)
    }

    @Test("every file of the shipped registry reads the same with the subset reader and with TOMLKit")
    func shippedRegistry() throws {
        let files = try registryFiles(Corpus.packageRoot.appendingPathComponent("registry").path)
        #expect(files.count > 10)
        for (_, data) in files { try expectSameReading(String(decoding: data, as: UTF8.self)) }
    }

    @Test("generated records read the same")
    func generatedRecords() throws {
        var generated = SyntheticRegistry(documents: 300, seed: 11)
        var texts: [String] = []
        generated.generate(300) { texts.append(RecordFile.encode($0)) }
        #expect(texts.count == 300)
        for text in texts { try expectSameReading(text) }
    }

    @Test("the subset: escapes, literal strings, comments, CRLF, arrays over lines, dotted headers", arguments: [
        "a = \"x\\\"y\\\\z\\n\\t\\u00e9\\U0001F600\" # comment\n",
        "a = 'C:\\\\path\\\\no escapes'\r\nb = -12\r\n",
        "# only a comment\n\n  key-with_dash = 1_000\n",
        "list = [\n  \"一\", # first\n  \"二\",\n]\nempty = []\n",
        "d = 2016-03-01\nt = true\nf = false\n",
        "leap = 2000-02-29\nfour = 2020-02-29\nzero = 0000-02-29\nlast = 9999-12-31\napril = 2019-04-30\n",
        "[notice]\nx = 1\n[[notice.dispositions]]\ny = \"a\"\n[[notice.dispositions]]\ny = \"b\"\n",
        "\"quoted key\" = 1\n[[citations]]\n[[citations]]\nn = 2\n",
    ])
    func subset(_ text: String) throws {
        try expectSameReading(text)
    }

    @Test("other TOML goes to TOMLKit, which reads it or says where it is wrong", arguments: [
        ("a = { b = 1 }\n", true),
        ("a = \"\"\"\nmulti\nline\"\"\"\n", true),
        ("a.b = 1\n", true),
        ("a = 1.5\n", true),
        ("a = 1979-05-27T07:32:00Z\n", true),
        ("a = 1\na = 2\n", false),
        ("[t]\n[t]\n", false),
        ("a = \"unterminated\n", false),
        ("a = 2019-02-30\n", false),
        ("a = 2019-02-29\n", false),
        ("a = 2100-02-29\n", false),
        ("a = 2019-04-31\n", false),
        ("a = 2019-13-01\n", false),
        ("a = 2019-00-10\n", false),
        ("a = 2019-01-00\n", false),
        ("a = 2019-01-32\n", false),
        ("a = 007\n", false),
        ("= 1\n", false),
    ])
    func fallback(_ text: String, valid: Bool) {
        #expect(TOMLSubsetReader.parse(text) == nil)
        switch TOMLDocument.parse(text) {
        case .success: #expect(valid, "TOMLKit accepted \(text)")
        case .failure(let error):
            #expect(!valid, "\(error.message)")
            #expect(error.line != nil)
        }
    }
}
