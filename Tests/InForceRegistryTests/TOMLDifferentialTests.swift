import Foundation
import InForce
@testable import InForceRegistry
import InForceTestSupport
import Testing

/// The subset reader may stay in front of TOMLKit only if nobody can tell it is there: for every
/// text, `TOMLDocument.parse` (the path `RecordFile.decode` and the table files take) must give what
/// `TOMLDocument.parseFully` (TOMLKit alone) gives — the same value, or a rejection.
///
/// The mutants are made from valid files — a sample of the shipped registry, generated records and
/// small hand-written snippets — by byte edits (delete, insert, duplicate, swap, overwrite, cut)
/// and token edits (dates' digits, headers, keys, values and lines), deterministically: mutant `i`
/// of seed `s` is the same on every machine. `swift test` runs `defaultCount` of them; the long
/// run sets `INFORCE_TOML_FUZZ_COUNT` (and optionally `INFORCE_TOML_FUZZ_SEED`, and
/// `INFORCE_TOML_FUZZ_START` to run a later slice of the same sequence), as docs/fuzzing.md records.
/// A mutant that traps TOMLKit ends the process; it is found again by halving
/// `INFORCE_TOML_FUZZ_START`/`INFORCE_TOML_FUZZ_COUNT`.
///
/// That it can fail was checked on 2026-12-03 by putting each fix back out, rebuilding and
/// running `swift test --filter TOMLDifferential` (seed 1, 8,000 mutants): with the calendar check
/// replaced by `(1...31).contains(day)` the run reported 41 disagreements (first `2100-02-29`,
/// TOMLKit rejects it), without the depth limit 18, with comments read to the end of the line
/// again 4 (`# c` then DEL or NUL), without the empty-array check 2 (`x = []` then `[[x]]`), with
/// quoted keys beyond ASCII read again 100 (`["dateé"]` then `["datee\u{301}".y]`); each also
/// failed its fixed cases. With any of the four `TOMLKitHazards` checks before reading taken out,
/// the run ended in a toml++ assertion (a trap) within the 8,000. The NUL check is caught by its
/// fixed cases only: without it both readers agree on TOMLKit's cut-short reading.
@Suite("TOML reading, differential")
struct TOMLDifferentialTests {
    static let defaultCount = 8_000

    /// What a reader made of a text: the canonical value's bytes (compared as bytes, since Swift
    /// compares strings up to Unicode equivalence, and `é` and `e\u{301}` are two TOML keys), or a rejection.
    enum Outcome: Equatable, CustomStringConvertible {
        case value([UInt8])
        case rejected(line: Int?)

        init(_ result: Result<TOMLTableValue, TOMLDocument.ParseError>) {
            switch result {
            case .success(let table): self = .value(Array(table.canonicalText.utf8))
            case .failure(let error): self = .rejected(line: error.line)
            }
        }

        var accepted: Bool { if case .value = self { true } else { false } }

        static func == (lhs: Outcome, rhs: Outcome) -> Bool {
            switch (lhs, rhs) {
            case (.value(let a), .value(let b)): a == b
            case (.rejected, .rejected): true
            default: false
            }
        }

        var description: String {
            switch self {
            case .value(let bytes): String(decoding: bytes, as: UTF8.self)
            case .rejected(let line): "rejected (line \(line.map(String.init) ?? "?"))"
            }
        }
    }

    struct Reading {
        let production: Outcome
        let tomlKit: Outcome
        let subsetAccepted: Bool
    }

    static func read(_ text: String) -> Reading {
        Reading(
            production: Outcome(TOMLDocument.parse(text)),
            tomlKit: Outcome(TOMLDocument.parseFully(text)),
            subsetAccepted: TOMLSubsetReader.parse(text) != nil
        )
    }

    // MARK: Fixed cases

    /// What the fuzzer found, and the edges next to it: each text with whether TOMLKit (with
    /// `TOMLKitHazards` in front of it) accepts it.
    static let fixedCases: [(text: String, accepted: Bool)] = [
        // Dates: the subset reader took any day up to 31 (2019-02-30); TOMLKit checks the calendar.
        ("issued = 2019-02-30\n", false), ("a = 2019-02-29\n", false), ("a = 2100-02-29\n", false), ("a = 1900-02-29\n", false),
        ("a = 2019-04-31\n", false), ("a = 2019-13-01\n", false), ("a = 2019-00-10\n", false), ("a = 2019-01-00\n", false),
        ("a = 2019-01-32\n", false), ("a = 2000-02-29\n", true), ("a = 2400-02-29\n", true), ("a = 0000-02-29\n", true),
        ("a = 2019-06-30\n", true),
        // Nesting: TOMLKit refuses values more than 256 deep; the subset reader took any depth.
        ("a = " + TOMLMutator.nested(257) + "\n", false), ("a = " + TOMLMutator.nested(256) + "\n", true), ("a = " + TOMLMutator.nested(65) + "\n", true),
        // Comments: the subset reader took control characters in them, and a lone CR (`# c\rb = 2` as a comment).
        ("# c\u{7F}\na = 1\n", false), ("# c\rb = 2\n", false), ("a = 1 # \u{1}\n", false), ("a = [ # \u{1F}\n1]\n", false),
        ("# c\r\na = 1\r\n", true), ("a = 1 #\tc\n", true),
        // An empty static array is not an array of tables: the subset reader let `[[x]]` extend `x = []`.
        ("x = []\n[[x]]\n", false), ("x = [1]\n[[x]]\n", false), ("x = []\n[x.y]\n", false), ("[[x]]\n[[x]]\n", true),
        // NUL: TOMLKit reads the text as a C string. Alone it read `# NUL…` as an empty file, a string
        // as far as an escaped NUL, and trapped on a key holding one.
        ("# \u{0}\nb = 2\n", false), ("a = 1\u{0}junk\n", false), ("a = \"x\\u0000y\"\n", false), ("a = \"x\\U00000000\"\n", false),
        ("\"a\\u0000b\" = 1\n", false), ("[\"a\\u0000b\"]\n", false),
        ("a = 'x\\u0000y'\n", true), ("a = \"x\\\\u0000y\"\n", true), ("# \\u0000\na = 1\n", true),
        // Headers that toml++ asserts on (a trap in a debug build), found by the fuzzer as `[船员条例》"`.
        ("[\n", false), ("[#]\n", false), ("[一]\n", false), ("[[=]]\n", false), ("a = 1\n  [ \n", false), ("\u{FEFF}[.]\n", false),
        // What toml++ takes for a date, a space and one digit: it asserts (found as `y =2019-00-01 1`,
        // then as `published = 2012-01-1\ 3`); a date padded with underscores steps back too far.
        ("y = 2019-01-01 1\n", false), ("y = [2019-01-01 1]\n", false), ("y = 2_019-01-01 1,\n", false),
        ("published = 2012-01-1\\ 3\n", false), ("a = 2012-ab-cd 1\nb = 1\n", false), ("a = 2019-0e-01 1\n", false),
        ("a = 2" + String(repeating: "_", count: 116) + "019-01-01 12", false), ("a = 2019-01-01 1", false),
        ("y = \"2019-01-01 1 \"\n", true), ("y = 1979-05-27 07:32:00\n", true), ("y = 1979-05-27 07:32:00Z\n", true),
        // A date and T with no time: `parse_time` asserts a digit (found when the fuzzer was taught times).
        ("a = 2019-01-01T:00\n", false), ("a = [2019-01-01t-1:00]\n", false), ("a = { b = 2019-01-01Tx }\n", false),
        ("2019-01-01t-x = 1\n", true), ("a = 1979-05-27T07:32:00+08:00\n", true),
        // Where an array expects a value: `}` or a line separator makes toml++ assert (found as U+2028 in a list).
        ("a = [}]\n", false), ("a = [1, }]\n", false), ("a = [\u{2028}1]\n", false), ("a = [1,\n\u{85}]\n", false),
        ("a = [{}]\n", true), ("a = [\n# }\n1]\n", true), ("a = [\"\u{2028}\"]\n", true),
        // Keys equal to Swift but not to TOML, and keys that look like entries.
        ("\"é\" = 1\n\"e\u{301}\" = 2\n", true), ("[\"é\"]\nx = 1\n[\"e\u{301}\".y]\n", true), ("\"a=1,b\" = 2\n", true),
        ("\"\\u00e9\" = 1\n", true),
        // Valid TOML the hazard scan must read right: brackets, quotes and `#` inside strings and comments.
        ("s = \"\"\"\n[\n#\"\"\"\n[t]\n", true), ("s = '''\n[=]\n'''\n[t]\n", true), ("s = \"\"\"a\"\"\"\"\n[t]\n", true),
        ("[\"a]b\"]\nx = 1\n[t]\n", true), ("[ 'x#' ]\n[t]\n", true), ("a = [ \"}\", '[', \"\\\"\" ]\n[t]\n", true),
        ("a = \"\\\\\"\n[t]\n", true), ("s = \"\"\"x\\\n  [y\"\"\"\n[t]\n", true), ("# [\n[t]\n", true),
        ("t = { a = [1, 2], b = { c = 3 } }\n[u]\n", true), ("a = [\n  [\n    1,\n  ],\n]\n[t]\n", true),
    ]

    @Test("fixed cases: each reads through the subset reader as through TOMLKit alone", arguments: fixedCases)
    func fixedCase(_ text: String, accepted: Bool) {
        let reading = Self.read(text)
        #expect(reading.production == reading.tomlKit, "production: \(reading.production), TOMLKit: \(reading.tomlKit)")
        #expect(reading.tomlKit.accepted == accepted, "TOMLKit: \(reading.tomlKit)")
        // Every refusal names its line, the hazards' included.
        if case .rejected(let line) = reading.tomlKit { #expect(line != nil) }
    }

    // MARK: The valid texts mutated

    /// Every 20th file of the shipped registry (by path), and its two table files.
    static func registrySample() throws -> [(origin: String, bytes: [UInt8])] {
        let root = Corpus.packageRoot.appendingPathComponent("registry").path
        var paths: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".toml") { paths.append(path) }
        }
        paths.sort()
        let chosen = paths.enumerated().filter { $0.offset % 20 == 0 || !$0.element.contains("/") }.map(\.element)
        return try chosen.map { ("registry/\($0)", Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + $0)))) }
    }

    static func generated() -> [(origin: String, bytes: [UInt8])] {
        var registry = SyntheticRegistry(documents: 120, seed: 23)
        var texts: [(String, [UInt8])] = []
        registry.generate(120) { texts.append(("generated #\(texts.count)", Array(RecordFile.encode($0).utf8))) }
        return texts
    }

    /// Small texts, each of one construct, so that edits land on it.
    static let snippets: [String] = [
        "a = \"x\\\"y\\\\z\\n\\t\\u00e9\\U0001F600\" # comment\n",
        "a = 'C:\\\\path' \r\nb = -12\r\n",
        "# only a comment\n\n  key-with_dash = 1_000\n",
        "list = [\n  \"一\", # first\n  \"二\",\n]\nempty = []\n",
        "d = 2016-03-01\nt = true\nf = false\n",
        "leap = 2000-02-29\nplain = 2019-02-28\napril = 2019-04-30\nlast = 9999-12-31\nzero = 0000-01-01\n",
        "[notice]\nx = 1\n[[notice.dispositions]]\ny = \"a\"\n[[notice.dispositions]]\ny = \"b\"\n",
        "\"quoted key\" = 1\n'literal key' = 2\n[[citations]]\n[[citations]]\nn = 2\n",
        "[a]\nb = 1\n[a.c]\nd = [1, 2, 3]\n[e]\n",
        "[[x]]\ny = 1\n[x.z]\nw = 2\n[[x]]\ny = 3\n",
        "n = [[1, 2], [\"a\"], []]\nm = [ 2019-01-01 , 2020-02-29 ]\n",
        "title = \"关于印发《某办法》的通知\"\nnumber = \"国发〔2015〕68号\"\nissued = 2015-12-01\n",
        "i = +0\nj = -0\nk = 9223372036854775807\nl = -9223372036854775807\n",
        "[ spaced . header ]\n[\"quoted\".'parts']\n",
        "a = \"\"\nb = ''\n\"\" = 3\n",
    ]

    static let seeds: [(origin: String, bytes: [UInt8])] = {
        let registry = (try? registrySample()) ?? []
        return registry + generated() + snippets.enumerated().map { ("snippet #\($0.offset)", Array($0.element.utf8)) }
    }()

    // MARK: The run

    struct Disagreement: CustomStringConvertible {
        let index: Int
        let origin: String
        let edits: [String]
        let text: String
        let reading: Reading

        var description: String {
            func short(_ text: String) -> String { text.count > 600 ? text.prefix(300) + " … " + text.suffix(300) : text }
            return "mutant \(index) of \(origin) after \(short(edits.joined(separator: ", "))):\n\(short(text.debugDescription))\n"
                + "  production (subset \(reading.subsetAccepted ? "accepted" : "declined")): \(short(reading.production.description))\n  TOMLKit: \(reading.tomlKit)"
        }
    }

    @Test("mutants of registry files, generated records and snippets read through the subset reader as through TOMLKit alone")
    func differential() throws {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["INFORCE_TOML_FUZZ_COUNT"].flatMap { Int($0) } ?? Self.defaultCount
        let seed = environment["INFORCE_TOML_FUZZ_SEED"].flatMap { UInt64($0) } ?? 1
        let start = environment["INFORCE_TOML_FUZZ_START"].flatMap { Int($0) } ?? 0
        let seeds = Self.seeds
        #expect(seeds.count > 400, "the registry sample is missing")

        var disagreements: [Disagreement] = []
        var disagreementCount = 0
        var tomlKitAccepted = 0, subsetAccepted = 0, changedAndAccepted = 0
        let clock = ContinuousClock()
        let began = clock.now
        for index in start..<(start + count) {
            var random = SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(index))
            let picked = seeds[random.next(seeds.count)]
            var bytes = picked.bytes
            var edits: [String] = []
            for _ in 0..<(1 + (random.next(3) == 0 ? random.next(4) : 0)) {
                edits.append(TOMLMutator.mutate(&bytes, &random, other: seeds[random.next(seeds.count)].bytes))
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let reading = Self.read(text)
            if reading.tomlKit.accepted { tomlKitAccepted += 1 }
            if reading.subsetAccepted {
                subsetAccepted += 1
                if bytes != picked.bytes { changedAndAccepted += 1 }
            }
            if reading.production != reading.tomlKit {
                disagreementCount += 1
                if disagreements.count < 12 { disagreements.append(Disagreement(index: index, origin: picked.origin, edits: edits, text: text, reading: reading)) }
            }
        }
        let elapsed = began.duration(to: clock.now).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        print("TOML differential: seed \(seed), mutants \(start)..<\(start + count), \(String(format: "%.1f", seconds)) s: TOMLKit accepted \(tomlKitAccepted), "
            + "the subset reader accepted \(subsetAccepted) (\(changedAndAccepted) changed by their edits), disagreements \(disagreementCount)")
        for disagreement in disagreements { Issue.record("\(disagreement)") }
        #expect(disagreementCount == 0)
        // The mutants must reach both sides of each reader, or agreement would say nothing.
        #expect(subsetAccepted * 5 > count, "the subset reader accepted only \(subsetAccepted) of \(count)")
        #expect(changedAndAccepted * 10 > count, "only \(changedAndAccepted) accepted mutants differ from their seed")
        #expect((count - tomlKitAccepted) * 5 > count, "TOMLKit rejected only \(count - tomlKitAccepted) of \(count)")
    }
}

/// Edits that turn a valid TOML file into a near miss: bytes the lexer keys on, and the tokens
/// and lines where TOML's rules about dates, tables and keys bite.
enum TOMLMutator {
    static let tokens: [String] = [
        "\"", "'", "[", "]", "[[", "]]", "=", " = ", "\n", "\r\n", "\r", "#", "# c\n", "\\", "\\\\", ",", ".", "{", "}", "{ }",
        " ", "\t", "\u{0}", "\u{7F}", "\u{1}", "\u{1F}", "\u{0B}", "\u{0C}", "\"\"\"", "'''", "\\u0000", "\\U00000000", "\\u00e9",
        "\\uD800", "\\U0010FFFF", "\\U00110000", "\\x41", "\\e", "\\ ", "\\u12", "true", "false", "inf", "nan", "+inf", "1e5", "1.5",
        "0x1F", "0o7", "0b1", "+", "-", "_", ":", "T", "Z", " 07:32:00", "T07:32:00Z", "+08:00", "2019-02-29", "2000-02-29",
        "9223372036854775808", "-9223372036854775808", "一", "é", "e\u{301}", "\u{3000}", "\u{2028}", "\u{FEFF}", "\u{A0}",
        "\u{85}", "𝄞", "〔", "〕", "\u{FFFD}", "0", "1", "2", "9",
    ]

    /// Pieces of UTF-8 that are not characters: a cut 一, lone continuation and lead bytes.
    static let brokenUTF8: [[UInt8]] = [[0xE4, 0xB8], [0x80], [0xBF], [0xF0, 0x9F], [0xC0, 0x80], [0xFF], [0xED, 0xA0, 0x80]]

    static let bytes: [UInt8] = Array(0...0x20) + Array("\"'[]{}=#,.\\+-_:0129aeftTZ".utf8) + [0x7F, 0x80, 0xC0, 0xE4, 0xFF]

    static let values: [String] = [
        "1", "-0", "+0", "007", "1_000", "1__0", "_1", "1_", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "0x10", "1.5", "1e3", "inf", "true", "false", "True", "tru", "\"\"", "''", "\"x\"", "'x'", "\"a\\\"b\"", "\"\\u0000\"",
        "\"a\\u0000b\"", "\"\\uD800\"", "\"\\U0010FFFF\"", "\"\\U00110000\"", "\"\\uFFFE\"", "\"\\q\"", "\"\"\"m\nl\"\"\"", "'''m\nl'''",
        "\"tab\there\"", "\"x", "'x", "2019-02-30", "2019-02-28", "2000-02-29", "2100-02-29", "1900-02-29", "2400-02-29",
        "0000-02-29", "2019-04-31", "2019-06-30", "2019-13-01", "2019-00-01", "2019-12-00", "2019-12-32", "2019-1-01",
        "2019-01-01T00:00:00", "2019-01-01 00:00:00", "2019-01-01T00:00:00Z", "2019-01-01T00:00:00+08:00", "07:32:00",
        "2019-02-30T00:00:00", "[]", "[1]", "[1,]", "[,]", "[1,,2]", "[1 2]", "[\"a\", 1]", "[[1], [2]]", "[\n1,\n# c\n2\n]", "[{}]",
        "{}", "{ a = 1 }", "{ a = 1, a = 2 }", nested(40), nested(200), nested(256), nested(257), nested(300),
    ]

    static let edgeDates = ["2019-02-30", "2019-02-29", "2000-02-29", "2100-02-29", "0000-02-29", "2019-04-31", "2019-13-01", "2019-00-01", "2019-12-00", "2019-12-32"]

    static func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }

    static let lines: [String] = [
        "[x]", "[[x]]", "[x.y]", "[[x.y]]", "[ x ]", "[\"x\"]", "['x']", "[x . y]", "[]", "[[]]", "[x]]", "[[x]", "[x] y = 1",
        "x = 1", "x.y = 1", "\"x\" = 1", "'x' = 1", "\"\" = 1", "[\"\"]", "\"é\" = 1", "\"e\u{301}\" = 2", "[\"é\"]",
        "[\"e\u{301}\".y]", "\"a\\u0000b\" = 1", "[\"a\\u0000b\"]", "= 1", "x =", "x = = 1", "x = 1 # c", "# c\u{7F}", "# c\r",
        "# c\u{0}", "x = 1 y = 2", "x = {a = 1}", "[x]\n[x.y]\n[x]", "x = []\n[[x]]", "[[x]]\n[x]",
    ]

    /// One edit of `bytes`, named for the run's report.
    static func mutate(_ bytes: inout [UInt8], _ random: inout SeededRandom, other: [UInt8]) -> String {
        switch random.next(100) {
        case 0..<8: return deleteBytes(&bytes, &random)
        case 8..<14: return insert(&bytes, &random, [bytes.isEmpty ? 0x22 : Self.bytes[random.next(Self.bytes.count)]], "byte")
        case 14..<26: return insert(&bytes, &random, Array(tokens[random.next(tokens.count)].utf8), "token")
        case 26..<29: return insert(&bytes, &random, brokenUTF8[random.next(brokenUTF8.count)], "broken UTF-8")
        case 29..<33: return duplicateBytes(&bytes, &random)
        case 33..<37: return swapBytes(&bytes, &random)
        case 37..<41: return overwriteByte(&bytes, &random)
        case 41..<43:
            let cut = random.next(bytes.count + 1)
            bytes.removeSubrange(cut...)
            return "cut at \(cut)"
        case 43..<58: return dateDigits(&bytes, &random)
        case 58..<66: return lineEdit(&bytes, &random, other: other)
        case 66..<76: return headerEdit(&bytes, &random)
        case 76..<88: return keyEdit(&bytes, &random)
        case 88..<96: return valueEdit(&bytes, &random)
        default: return lineEndings(&bytes, &random)
        }
    }

    static func length(_ random: inout SeededRandom, _ limit: Int) -> Int {
        1 + random.next(random.next(4) == 0 ? limit : min(limit, 3))
    }

    static func insert(_ bytes: inout [UInt8], _ random: inout SeededRandom, _ piece: [UInt8], _ name: String) -> String {
        let at = random.next(bytes.count + 1)
        bytes.insert(contentsOf: piece, at: at)
        return "\(name) \(String(decoding: piece, as: UTF8.self).debugDescription) at \(at)"
    }

    static func deleteBytes(_ bytes: inout [UInt8], _ random: inout SeededRandom) -> String {
        guard !bytes.isEmpty else { return "delete nothing" }
        let at = random.next(bytes.count)
        let end = min(bytes.count, at + length(&random, 16))
        bytes.removeSubrange(at..<end)
        return "delete \(at)..<\(end)"
    }

    static func duplicateBytes(_ bytes: inout [UInt8], _ random: inout SeededRandom) -> String {
        guard !bytes.isEmpty else { return "duplicate nothing" }
        let at = random.next(bytes.count)
        let end = min(bytes.count, at + length(&random, 64))
        let to = random.next(bytes.count + 1)
        bytes.insert(contentsOf: Array(bytes[at..<end]), at: to)
        return "duplicate \(at)..<\(end) to \(to)"
    }

    static func swapBytes(_ bytes: inout [UInt8], _ random: inout SeededRandom) -> String {
        guard bytes.count > 1 else { return "swap nothing" }
        let a = random.next(bytes.count), b = random.next(bytes.count)
        bytes.swapAt(a, b)
        return "swap \(a) and \(b)"
    }

    static func overwriteByte(_ bytes: inout [UInt8], _ random: inout SeededRandom) -> String {
        guard !bytes.isEmpty else { return "overwrite nothing" }
        let at = random.next(bytes.count)
        bytes[at] = Self.bytes[random.next(Self.bytes.count)]
        return "overwrite \(at) with \(bytes[at])"
    }

    /// A date's year, month or day set to one that is at or past the edge of the calendar.
    static func dateDigits(_ bytes: inout [UInt8], _ random: inout SeededRandom) -> String {
        func digit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        let dash = UInt8(ascii: "-")
        let dates = bytes.indices.filter {
            $0 + 10 <= bytes.count && digit($0) && digit($0 + 1) && digit($0 + 2) && digit($0 + 3) && bytes[$0 + 4] == dash
                && digit($0 + 5) && digit($0 + 6) && bytes[$0 + 7] == dash && digit($0 + 8) && digit($0 + 9)
        }
        guard !dates.isEmpty else { return insert(&bytes, &random, Array(edgeDates[random.next(edgeDates.count)].utf8), "date") }
        let at = dates[random.next(dates.count)]
        if random.next(5) == 0 {
            // A time after the date, whole or in pieces: `T07:32:00Z`, ` 7`, `T:00`, `t+08:00` …
            let pieces = ["07", "7", ":", ":32", ":00", ".5", "Z", "z", "+08:00", "-", "x", "_", " ", "1", "07:32:00"]
            var tail = ["T", "t", " ", "_"][random.next(4)]
            for _ in 0..<(1 + random.next(3)) { tail += pieces[random.next(pieces.count)] }
            bytes.insert(contentsOf: Array(tail.utf8), at: at + 10)
            return "time \(tail.debugDescription) after the date at \(at)"
        }
        let (offset, choices): (Int, [String]) = switch random.next(4) {
        case 0: (0, ["0000", "1900", "2000", "2019", "2020", "2100", "2400", "9999", "2016"])
        case 1: (5, ["00", "01", "02", "04", "06", "09", "11", "12", "13", "99"])
        case 2: (8, ["00", "01", "28", "29", "30", "31", "32", "99"])
        default: (random.next(10), ["0", "1", "2", "3", "9"])
        }
        let piece = Array(choices[random.next(choices.count)].utf8)
        if offset == 4 || offset == 7 { return "date at \(at) left as it was" }
        bytes.replaceSubrange((at + offset)..<min(bytes.count, at + offset + piece.count), with: piece)
        return "date at \(at)+\(offset) = \(String(decoding: piece, as: UTF8.self))"
    }

    static func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    }

    static func joinLines(_ lines: [[UInt8]]) -> [UInt8] { Array(lines.joined(separator: [0x0A])) }

    /// A line duplicated (a second `key = …`, a second `[table]`), deleted, swapped, moved, taken
    /// from another file, or one of the near misses in `lines`.
    static func lineEdit(_ bytes: inout [UInt8], _ random: inout SeededRandom, other: [UInt8]) -> String {
        var lines = splitLines(bytes)
        let a = random.next(lines.count), b = random.next(lines.count + 1)
        let name: String
        switch random.next(6) {
        case 0:
            lines.insert(lines[a], at: b)
            name = "duplicate line \(a) to \(b)"
        case 1:
            lines.remove(at: a)
            name = "delete line \(a)"
        case 2:
            lines.swapAt(a, min(b, lines.count - 1))
            name = "swap lines \(a) and \(b)"
        case 3:
            let line = lines.remove(at: a)
            lines.insert(line, at: min(b, lines.count))
            name = "move line \(a) to \(b)"
        case 4:
            let others = splitLines(other)
            let from = random.next(others.count)
            let end = min(others.count, from + length(&random, 12))
            lines.insert(contentsOf: others[from..<end], at: b)
            name = "lines \(from)..<\(end) of another file at \(b)"
        default:
            let line = Self.lines[random.next(Self.lines.count)]
            lines.insert(Array(line.utf8), at: b)
            name = "line \(line.debugDescription) at \(b)"
        }
        bytes = joinLines(lines)
        return name
    }

    /// The names a file uses as keys and in headers, to build redefinitions from.
    static func names(_ lines: [[UInt8]]) -> [String] {
        var names: [String] = []
        for line in lines {
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("[") {
                names.append(text.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")))
            } else if let equals = text.firstIndex(of: "="), !text.hasPrefix("#") {
                names.append(text[..<equals].trimmingCharacters(in: .whitespaces))
            }
        }
        return names.filter { !$0.isEmpty }
    }

    /// A header for a name the file already uses: `[x]` after `[[x]]` or after `x = …`, `[[x]]`
    /// after `[x]`, a sub-table of an array, a header turned from one kind to the other.
    static func headerEdit(_ bytes: inout [UInt8], _ random: inout SeededRandom) -> String {
        var lines = splitLines(bytes)
        let known = names(lines)
        let name = known.isEmpty ? "x" : known[random.next(known.count)]
        let headers = lines.indices.filter { lines[$0].first == UInt8(ascii: "[") }
        let header: String
        switch random.next(7) {
        case 0: header = "[\(name)]"
        case 1: header = "[[\(name)]]"
        case 2: header = "[\(name).\(known.isEmpty ? "y" : known[random.next(known.count)])]"
        case 3: header = "[[\(name).y]]"
        case 4 where !headers.isEmpty:
            let line = headers[random.next(headers.count)]
            let text = String(decoding: lines[line], as: UTF8.self)
            let flipped = text.hasPrefix("[[") ? "[" + text.dropFirst(2).replacingOccurrences(of: "]]", with: "]") : "[" + text.replacingOccurrences(of: "]", with: "]]")
            lines[line] = Array(flipped.utf8)
            bytes = joinLines(lines)
            return "header \(text.debugDescription) made \(flipped.debugDescription)"
        case 5:
            // Two tables whose names are one string to Swift (`é`, `e` and U+0301) and two to TOML.
            let first = random.next(lines.count + 1)
            lines.insert(Array("[\"\(name)\u{E9}\"]".utf8), at: first)
            lines.insert(Array("[\"\(name)e\u{301}\".y]".utf8), at: first + 1 + random.next(lines.count - first))
            bytes = joinLines(lines)
            return "headers [\"\(name)é\"] and [\"\(name)e\u{301}\".y]"
        default: header = "[\"\(name)\"]"
        }
        let at = random.next(lines.count + 1)
        lines.insert(Array(header.utf8), at: at)
        bytes = joinLines(lines)
        return "header \(header.debugDescription) at line \(at)"
    }

    /// A `key = value` line's key made dotted, quoted, renamed to another key of the file
    /// (a duplicate), or its value wrapped in an inline table or an array.
    static func keyEdit(_ bytes: inout [UInt8], _ random: inout SeededRandom) -> String {
        var lines = splitLines(bytes)
        let pairs = lines.indices.filter { index in
            let line = lines[index]
            return line.first != UInt8(ascii: "[") && line.first != UInt8(ascii: "#") && line.contains(UInt8(ascii: "="))
        }
        guard !pairs.isEmpty else { return lineEdit(&bytes, &random, other: []) }
        let known = names(lines)
        let index = pairs[random.next(pairs.count)]
        let text = String(decoding: lines[index], as: UTF8.self)
        let equals = text.firstIndex(of: "=")!
        let key = text[..<equals].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        let other = known.isEmpty ? "x" : known[random.next(known.count)]
        let edited: String
        switch random.next(8) {
        case 0: edited = "\(key).\(other) = \(value)"
        case 1: edited = "\(other).\(key) = \(value)"
        case 2: edited = "\"\(key)\" = \(value)"
        case 3: edited = "'\(key)' = \(value)"
        case 4: edited = "\(other) = \(value)"
        case 5: edited = "\(key) = { \(other) = \(value) }"
        case 6: edited = "\(key) = [\(value), \(value)]"
        default:
            lines.insert(lines[index], at: random.next(lines.count + 1))
            bytes = joinLines(lines)
            return "key line \(index) repeated"
        }
        lines[index] = Array(edited.utf8)
        bytes = joinLines(lines)
        return "key line \(index) made \(edited.debugDescription)"
    }

    static func valueEdit(_ bytes: inout [UInt8], _ random: inout SeededRandom) -> String {
        var lines = splitLines(bytes)
        let pairs = lines.indices.filter { lines[$0].first != UInt8(ascii: "[") && lines[$0].contains(UInt8(ascii: "=")) }
        let value = values[random.next(values.count)]
        guard !pairs.isEmpty else { return insert(&bytes, &random, Array("\nv = \(value)\n".utf8), "value line") }
        let index = pairs[random.next(pairs.count)]
        let line = lines[index]
        let equals = line.firstIndex(of: UInt8(ascii: "="))!
        lines[index] = Array(line[...equals]) + Array(" \(value)".utf8)
        bytes = joinLines(lines)
        return "value of line \(index) made \(value.debugDescription)"
    }

    static func lineEndings(_ bytes: inout [UInt8], _ random: inout SeededRandom) -> String {
        var lines = splitLines(bytes)
        switch random.next(3) {
        case 0:
            bytes = Array(lines.map { $0 + [0x0D] }.joined(separator: [0x0A]))
            return "CRLF line ends"
        case 1:
            let at = random.next(lines.count)
            lines[at].append(0x0D)
            bytes = joinLines(lines)
            return "CR before the end of line \(at)"
        default:
            let at = random.next(lines.count)
            lines[at] = [0x20, 0x09] + lines[at] + [0x09, 0x20]
            bytes = joinLines(lines)
            return "spaces around line \(at)"
        }
    }
}
