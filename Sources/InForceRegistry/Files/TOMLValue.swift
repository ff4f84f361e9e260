import InForce
import TOMLKit

/// A parsed TOML document as the registry's readers see it: strings, whole numbers, booleans,
/// local dates, arrays and tables. Anything else TOML allows (floats, times) is kept only by its
/// type name, so a reader can say it is the wrong type.
enum TOMLValue {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case date(year: Int, month: Int, day: Int)
    case array([TOMLValue])
    case table(TOMLTableValue)
    case other(String)

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var int: Int? { if case .integer(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var array: [TOMLValue]? { if case .array(let value) = self { value } else { nil } }
    var table: TOMLTableValue? { if case .table(let value) = self { value } else { nil } }
    var date: (year: Int, month: Int, day: Int)? {
        if case .date(let year, let month, let day) = self { (year, month, day) } else { nil }
    }

    /// A canonical text of the value (table keys sorted), for comparing two readings.
    var canonicalText: String {
        switch self {
        // A TOML basic string, escaped, so that no string passes for structure. (Not
        // `debugDescription`: TOMLKit's `extension String: TOMLValueConvertible` gives String one
        // that returns the string as it is.)
        case .string(let value): TOMLText.quoted(value)
        case .integer(let value): "\(value)"
        case .bool(let value): "\(value)"
        case .date(let year, let month, let day): "\(year)-\(month)-\(day)"
        case .array(let values): "[" + values.map(\.canonicalText).joined(separator: ",") + "]"
        case .table(let table): table.canonicalText
        case .other(let name): "<\(name)>"
        }
    }
}

/// A TOML table. A class, so that `[[citations]]` and `[notice]` headers can fill the tables
/// they name in place while a file is read.
///
/// Entries are kept in order in an array: a record's tables hold a dozen keys, which a linear
/// search finds sooner than a hash table is built.
final class TOMLTableValue {
    private(set) var entries: [(key: String, value: TOMLValue)] = []

    subscript(key: String) -> TOMLValue? { entries.first { $0.key == key }?.value }

    var keys: [String] { entries.map(\.key) }

    func set(_ key: String, _ value: TOMLValue) {
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append((key, value))
        }
    }

    var canonicalText: String {
        // Keys quoted, so that a key holding `=` or `,` cannot pass for two entries.
        "{" + entries.sorted { $0.key < $1.key }.map { TOMLText.quoted($0.key) + "=" + $0.value.canonicalText }.joined(separator: ",") + "}"
    }
}

/// Parsing: the registry's own subset by `TOMLSubsetReader` (fast, and frees what it builds),
/// anything else by TOMLKit (every TOML construct, with line-numbered errors), except the texts
/// TOMLKit would trap on or misread (`TOMLKitHazards`), which are refused with their line.
///
/// The subset reader accepts nothing TOMLKit refuses and reads nothing differently: it declines
/// what it is not sure of, and `TOMLDifferentialTests` checks that on mutated registry files.
enum TOMLDocument {
    /// Why a text is not TOML, with the line when the parser knows it.
    struct ParseError: Error {
        let line: Int?
        let message: String
    }

    /// The file's top table, or the parse error with its line.
    static func parse(_ text: String) -> Result<TOMLTableValue, ParseError> {
        if let table = TOMLSubsetReader.parse(text) { return .success(table) }
        return parseFully(text)
    }

    /// TOMLKit's reading of the text, in the same value model; the texts TOMLKit cannot be given
    /// (`TOMLKitHazards`) are refused with the line at fault.
    static func parseFully(_ text: String) -> Result<TOMLTableValue, ParseError> {
        let hazards = TOMLKitHazards(text)
        if let hazard = hazards.beforeReading { return .failure(ParseError(line: hazard.line, message: hazard.message)) }
        do {
            let table = try TOMLTable(string: text)
            if let line = hazards.nulEscape {
                return .failure(ParseError(line: line, message: "a \\u0000 escape, the NUL character, which TOMLKit would take as the end of the string"))
            }
            return .success(convert(table))
        } catch let error as TOMLParseError {
            return .failure(ParseError(line: error.source.begin.line, message: error.description))
        } catch {
            return .failure(ParseError(line: nil, message: "\(error)"))
        }
    }

    private static func convert(_ table: TOMLTable) -> TOMLTableValue {
        let converted = TOMLTableValue()
        for (key, value) in table { converted.set(key, convert(value)) }
        return converted
    }

    private static func convert(_ value: any TOMLValueConvertible) -> TOMLValue {
        if let string = value.string { return .string(string) }
        if let int = value.int { return .integer(int) }
        if let bool = value.bool { return .bool(bool) }
        if let date = value.date { return .date(year: date.year, month: date.month, day: date.day) }
        if let array = value.array { return .array(array.map { convert($0) }) }
        if let table = value.table { return .table(convert(table)) }
        if value.double != nil { return .other("a decimal number") }
        return .other("a time")
    }
}

/// A reader for the subset of TOML the registry writes: `key = value` lines with bare or quoted
/// keys, `[table]` and `[[array]]` headers (dotted), basic and literal strings, whole numbers,
/// booleans, local dates and arrays of those, comments anywhere a line allows. It works on the
/// UTF-8 bytes and returns nil for anything else (an inline table, a multi-line string, a float,
/// a duplicate key, a syntax error), which then goes to the full parser. It also declines what
/// TOMLKit refuses or reads otherwise although it looks like the subset: a day not in the calendar,
/// a control character in a comment, arrays nested past 64, `[[x]]` after `x = []`, a quoted key
/// beyond ASCII and a NUL escape.
struct TOMLSubsetReader {
    private let bytes: [UInt8]
    private var position = 0
    /// How many arrays the reader is inside.
    private var depth = 0

    private init(_ text: String) { bytes = Array(text.utf8) }

    static func parse(_ text: String) -> TOMLTableValue? {
        var reader = TOMLSubsetReader(text)
        return reader.document()
    }

    private var atEnd: Bool { position >= bytes.count }
    private var current: UInt8 { bytes[position] }

    private mutating func document() -> TOMLTableValue? {
        let root = TOMLTableValue()
        var table = root
        var headers: Set<String> = []
        while true {
            skipBlankLines()
            if atEnd { return root }
            if current == UInt8(ascii: "[") {
                let array = position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "[")
                position += array ? 2 : 1
                skipSpaces()
                guard let path = keyPath() else { return nil }
                guard consume("]"), !array || consume("]") else { return nil }
                guard endOfLine() else { return nil }
                // A plain table may be declared once; TOMLKit reports the redefinition.
                if !array { guard headers.insert(path.joined(separator: "\u{0}")).inserted else { return nil } }
                guard let target = open(path, array: array, in: root) else { return nil }
                table = target
            } else {
                guard let key = self.key() else { return nil }
                skipSpaces()
                guard consume("="), table[key] == nil else { return nil }
                skipSpaces()
                guard let value = value() else { return nil }
                guard endOfLine() else { return nil }
                table.set(key, value)
            }
        }
    }

    /// The table a header names, created as needed; for `[[…]]` a new last element.
    private func open(_ path: [String], array: Bool, in root: TOMLTableValue) -> TOMLTableValue? {
        var table = root
        for key in path.dropLast() {
            switch table[key] {
            case nil:
                let child = TOMLTableValue()
                table.set(key, .table(child))
                table = child
            case .table(let child)?:
                table = child
            case .array(let elements)?:
                guard case .table(let last)? = elements.last else { return nil }
                table = last
            default:
                return nil
            }
        }
        let last = path[path.count - 1]
        let child = TOMLTableValue()
        switch (table[last], array) {
        case (nil, false):
            table.set(last, .table(child))
        case (nil, true):
            table.set(last, .array([.table(child)]))
        // An array of tables made by `[[…]]` headers; `x = []` is an array too, but a static one,
        // which a header may not extend (TOMLKit: "cannot redefine existing array"). The reader
        // writes no inline tables, so an array it holds is of headers' tables exactly when it is
        // not empty and holds only tables.
        case (.array(let elements)?, true) where !elements.isEmpty && elements.allSatisfy({ $0.table != nil }):
            table.set(last, .array(elements + [.table(child)]))
        default:
            return nil
        }
        return child
    }

    // MARK: Lexing

    private mutating func skipSpaces() {
        while !atEnd, current == UInt8(ascii: " ") || current == UInt8(ascii: "\t") { position += 1 }
    }

    /// Up to the end of the line, or to a control character other than tab, which TOML forbids in
    /// a comment: left where it is, it is then no line end the caller accepts, so the reader
    /// declines. (`\r` stops the comment too; the caller takes `\r\n` as a line end.)
    private mutating func skipComment() {
        guard !atEnd, current == UInt8(ascii: "#") else { return }
        position += 1
        while !atEnd, current >= 0x20 || current == UInt8(ascii: "\t"), current != 0x7F { position += 1 }
    }

    private mutating func skipBlankLines() {
        while true {
            skipSpaces()
            skipComment()
            if atEnd { return }
            if current == UInt8(ascii: "\n") {
                position += 1
            } else if current == UInt8(ascii: "\r"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\n") {
                position += 2
            } else {
                return
            }
        }
    }

    /// Spaces, a comment, then the end of the line (or of the file).
    private mutating func endOfLine() -> Bool {
        skipSpaces()
        skipComment()
        if atEnd { return true }
        if current == UInt8(ascii: "\n") {
            position += 1
            return true
        }
        if current == UInt8(ascii: "\r"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\n") {
            position += 2
            return true
        }
        return false
    }

    private mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard !atEnd, current == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    private mutating func keyPath() -> [String]? {
        var path: [String] = []
        while true {
            guard let key = key(dotted: true) else { return nil }
            path.append(key)
            skipSpaces()
            guard consume(".") else { return path }
            skipSpaces()
        }
    }

    private mutating func key(dotted: Bool = false) -> String? {
        guard !atEnd else { return nil }
        if current == UInt8(ascii: "\"") || current == UInt8(ascii: "'") {
            // Swift compares strings up to Unicode equivalence, TOML by code points: `"é"` and
            // `"e\u0301"` are two keys to TOMLKit and one to `TOMLTableValue`. ASCII keys are
            // equal exactly when their bytes are, and the registry writes no others.
            guard let key = quoted(), key.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            return key
        }
        let start = position
        while !atEnd, Self.isBareKeyByte(current) { position += 1 }
        guard position > start else { return nil }
        // A dotted key (`a.b = 1`) is valid TOML but not written by InForce: leave it to TOMLKit.
        if !dotted, !atEnd, current == UInt8(ascii: ".") { return nil }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }

    private mutating func value() -> TOMLValue? {
        guard !atEnd else { return nil }
        switch current {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return quoted().map(TOMLValue.string)
        case UInt8(ascii: "["):
            return array()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if matches("true") { return .bool(true) }
            if matches("false") { return .bool(false) }
            return nil
        default:
            return numberOrDate()
        }
    }

    private mutating func matches(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard position + utf8.count <= bytes.count, Array(bytes[position..<position + utf8.count]) == utf8 else { return false }
        let next = position + utf8.count
        guard next == bytes.count || !Self.isBareKeyByte(bytes[next]) else { return false }
        position = next
        return true
    }

    private mutating func array() -> TOMLValue? {
        position += 1
        // TOMLKit refuses values nested more than 256 deep (toml++'s TOML_MAX_NESTED_VALUES); the
        // registry nests one deep. Declining well before that also keeps this recursion shallow.
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { return nil }
        var elements: [TOMLValue] = []
        while true {
            skipBlankLines()
            guard !atEnd else { return nil }
            if consume("]") { return .array(elements) }
            guard let element = value() else { return nil }
            elements.append(element)
            skipBlankLines()
            if consume(",") { continue }
            skipBlankLines()
            guard consume("]") else { return nil }
            return .array(elements)
        }
    }

    /// `"basic"` with escapes or `'literal'`, on one line.
    private mutating func quoted() -> String? {
        let quote = current
        position += 1
        // `"""` and `'''` open multi-line strings: the full parser's work.
        if position + 1 < bytes.count, bytes[position] == quote, bytes[position + 1] == quote { return nil }
        // The common case, no escapes: the text between the quotes as it is.
        var end = position
        while end < bytes.count, bytes[end] != quote, bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 || bytes[end] == UInt8(ascii: "\t"), bytes[end] != 0x7F {
            end += 1
        }
        if end < bytes.count, bytes[end] == quote {
            defer { position = end + 1 }
            return String(decoding: bytes[position..<end], as: UTF8.self)
        }
        var text: [UInt8] = []
        while !atEnd {
            let byte = current
            position += 1
            switch byte {
            case quote:
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                return nil
            case UInt8(ascii: "\\") where quote == UInt8(ascii: "\""):
                guard !atEnd else { return nil }
                let escape = current
                position += 1
                switch escape {
                case UInt8(ascii: "\""): text.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): text.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): text.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): text.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "r"): text.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "b"): text.append(8)
                case UInt8(ascii: "f"): text.append(12)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    // NUL: declined, so that `TOMLDocument.parseFully` refuses it (`TOMLKitHazards.nulEscape`).
                    guard let scalar = hexScalar(digits: escape == UInt8(ascii: "u") ? 4 : 8), scalar != "\u{0}" else { return nil }
                    text.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    return nil
                }
            default:
                // Control characters other than tab are not allowed in strings.
                if byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F { return nil }
                text.append(byte)
            }
        }
        return nil
    }

    private mutating func hexScalar(digits: Int) -> Unicode.Scalar? {
        guard position + digits <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<digits {
            let byte = current
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value * 16 + digit
            position += 1
        }
        return Unicode.Scalar(value)
    }

    /// A whole number (`12`, `-3`, `1_000`) or a local date (`2016-03-01`); nil for anything
    /// else (floats, hex, times), which the full parser reads or rejects.
    ///
    /// A date must be a day of the calendar: TOMLKit (toml++ 3.4, `parse_date`) refuses
    /// 2019-02-30 and 2100-02-29, and counts year 0000 as a leap year, which `Day.daysIn` does too.
    /// Such a text is declined, so that TOMLKit's error, with its line, is the one reported.
    private mutating func numberOrDate() -> TOMLValue? {
        let start = position
        while !atEnd, Self.isBareKeyByte(current) || current == UInt8(ascii: "+") || current == UInt8(ascii: ":") || current == UInt8(ascii: ".") {
            position += 1
        }
        let token = Array(bytes[start..<position])
        guard !token.isEmpty else { return nil }
        if token.count == 10, token[4] == UInt8(ascii: "-"), token[7] == UInt8(ascii: "-") {
            guard let year = Self.digits(token[0..<4]), let month = Self.digits(token[5..<7]), let day = Self.digits(token[8..<10]),
                  (1...12).contains(month), (1...Day.daysIn(month: month, year: year)).contains(day)
            else { return nil }
            return .date(year: year, month: month, day: day)
        }
        var body = token[...]
        var negative = false
        if let sign = body.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        // No leading zeros, no underscore at the ends or doubled.
        guard let first = body.first, let last = body.last, first != UInt8(ascii: "_"), last != UInt8(ascii: "_"),
              !(first == UInt8(ascii: "0") && body.count > 1)
        else { return nil }
        var value = 0
        var previousUnderscore = false
        for byte in body {
            if byte == UInt8(ascii: "_") {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return .integer(negative ? -value : value)
    }

    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
