import Foundation
import InForce
import InForceTestSupport
import Testing

/// Every number the answer keys record, read the way a user's page would give it.
@Suite("Document numbers in the corpus", .enabled(if: Corpus.isEnabled))
struct CorpusNumberTests {
    struct KeyedNumber: CustomStringConvertible {
        let file: String
        let raw: String
        let expected: String
        let resolvedIn: String?
        var description: String { "\(file): \(raw)" }
    }

    /// (raw, normalized or resolved) pairs from own numbers, citations, dispositions and status notes.
    static func keyedNumbers() throws -> [KeyedNumber] {
        var numbers: [KeyedNumber] = []
        for (name, key) in try Corpus.answerKeys() {
            let file = key["file"] as? String ?? name
            func add(_ entry: [String: Any]?, rawKey: String, normalizedKey: String) {
                guard let entry, let raw = entry[rawKey] as? String else { return }
                if let resolved = entry["resolved"] as? String, let place = resolved.components(separatedBy: "人民政府").first {
                    numbers.append(KeyedNumber(file: file, raw: raw, expected: resolved, resolvedIn: place))
                } else if let normalized = entry[normalizedKey] as? String {
                    numbers.append(KeyedNumber(file: file, raw: raw, expected: normalized, resolvedIn: nil))
                }
            }
            add(key["own_number"] as? [String: Any], rawKey: "raw", normalizedKey: "normalized")
            for citation in key["citations"] as? [[String: Any]] ?? [] {
                add(citation, rawKey: "raw_number", normalizedKey: "normalized")
            }
            for disposition in key["dispositions"] as? [[String: Any]] ?? [] {
                add(disposition, rawKey: "number", normalizedKey: "number_normalized")
            }
            for note in key["status_notes"] as? [[String: Any]] ?? [] {
                add(note, rawKey: "by_number", normalizedKey: "by_number_normalized")
            }
        }
        return numbers
    }

    @Test("every keyed number canonicalises to its normalized (or resolved) value")
    func canonicalisesToKey() throws {
        let numbers = try Self.keyedNumbers()
        #expect(numbers.count >= 40)
        for keyed in numbers {
            let number = try DocumentNumber(keyed.raw)
            let canonical = keyed.resolvedIn.map { number.resolvingImpliedIssuer(in: $0) } ?? number
            #expect(canonical.canonical == keyed.expected, "\(keyed)")
            #expect(try DocumentNumber(canonical.canonical) == canonical, "\(keyed): canonical form is a fixed point")
        }
    }

    @Test("the scanner finds every keyed number in its raw page")
    func scannerFindsKeyedNumbers() throws {
        for keyed in try Self.keyedNumbers() {
            let text = try Corpus.text(keyed.file)
            let found = NumberScanner.scan(text).map { match in
                keyed.resolvedIn.map { match.number.resolvingImpliedIssuer(in: $0) } ?? match.number
            }
            #expect(found.contains { $0.canonical == keyed.expected }, "\(keyed) not among \(found.map(\.canonical))")
        }
    }

    @Test("offsets point at the raw number in the text")
    func offsets() throws {
        for file in ["raw/00-shaoxing-shaozhengbanfa-2016-11.txt", "raw/05-dazhou-ling-48-repeal-policy-docs-2008.txt"] {
            let text = try Corpus.text(file)
            let scalars = Array(text.unicodeScalars)
            let bytes = Array(text.utf8)
            for match in NumberScanner.scan(text) {
                let byUTF8 = String(decoding: bytes[match.utf8Range], as: UTF8.self)
                var byScalars = String.UnicodeScalarView()
                byScalars.append(contentsOf: scalars[match.scalarOffset..<(match.scalarOffset + match.scalarLength)])
                #expect(byUTF8 == match.number.raw)
                #expect(String(byScalars) == match.number.raw)
            }
        }
    }
}
