/// The places in a text where TOMLKit 0.6.0 (toml++ 3.4) would not say what is wrong: it would
/// trap, or read something other than the text. `TOMLDocument.parseFully` refuses such a text
/// itself, with the line.
///
/// Before toml++ reads the text:
/// - A NUL character. TOMLKit hands the text over as a C string, so a NUL silently ends the file
///   (`a = 1`, NUL, `junk` reads as `a = 1`). TOML allows no NUL anywhere.
/// - A table header whose `[` (or `[[`) is followed by something no key starts with: `[#]`,
///   `[=]`, `[一]`, a `[` alone on its line. `parse_table_header` calls `parse_key` unchecked,
///   and `parse_key` asserts (a trap in a debug build, undefined behaviour in a release one).
/// - Values `parse_value` misreads until it asserts: `}` or a line separator where an array wants a
///   value, a date with a space and one digit (`2019-01-01 1`), a date and `T` with no time
///   (`2019-01-01T:00`); see `valueHazard`.
///
/// After toml++ has read it, before its values are taken:
/// - A `\u0000` or `\U00000000` escape in a basic string or a quoted key: valid TOML, but TOMLKit
///   takes every string back as a C string, so the value ends at the NUL, and a key cut so traps
///   TOMLKit's table iterator (it force-unwraps the lookup of the cut key). No registry file
///   means a NUL.
///
/// The scan follows strings, comments and the nesting of arrays and inline tables well enough to
/// be exact on valid TOML, and none of the hazards before reading is valid TOML. That is enough:
/// toml++ stops at a text's first error, so it reaches a hazard only after a valid beginning,
/// where the scan is right; what the scan makes of an invalid text is a refusal either way.
struct TOMLKitHazards {
    /// The first hazard to toml++'s reading, with its line.
    private(set) var beforeReading: (line: Int, message: String)?
    /// The line of the first NUL escape in a basic string or a quoted key.
    private(set) var nulEscape: Int?

    private enum Mode {
        case code, header, comment, basic, multilineBasic, literal, multilineLiteral
    }

    init(_ text: String) {
        var text = text
        text.withUTF8 { scan($0) }
    }

    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n")
        var mode = Mode.code
        // Where a single-line string returns to: a quoted key in a header, or code.
        var afterString = Mode.code
        // The arrays (`[`) and inline tables (`{`) the scan is inside, innermost last.
        var containers: [UInt8] = []
        // The last byte of code that was not a space, a line end or in a comment.
        var lastSignificant: UInt8 = newline
        var lineStart = true
        var line = 1
        // toml++ skips a byte-order mark before the first line.
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0

        func isTriple(_ at: Int, _ byte: UInt8) -> Bool {
            at + 2 < bytes.count && bytes[at] == byte && bytes[at + 1] == byte && bytes[at + 2] == byte
        }
        // Past the three quotes that close a multi-line string at `at`, and the one or two more
        // that `""""` and `"""""` (or `''''`, `'''''`) hold as content before them.
        func afterClosing(_ at: Int, _ byte: UInt8) -> Int {
            var end = at + 3
            while end < at + 5, end < bytes.count, bytes[end] == byte { end += 1 }
            return end
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0 {
                beforeReading = (line, "a NUL character, which TOML does not allow")
                return
            }
            switch mode {
            case .comment:
                if byte == newline {
                    mode = .code
                    continue
                }
            case .basic, .multilineBasic:
                if byte == backslash {
                    if nulEscape == nil, Self.isNulEscape(bytes, after: index) { nulEscape = line }
                    // The escaped byte is not a closing quote; a line-ending backslash escapes the newline.
                    index += 1
                    if index < bytes.count, bytes[index] == newline { line += 1 }
                } else if mode == .basic, byte == quote || byte == newline {
                    mode = afterString
                    if byte == newline { continue }
                } else if mode == .multilineBasic, isTriple(index, quote) {
                    index = afterClosing(index, quote)
                    mode = .code
                    continue
                } else if byte == newline {
                    line += 1
                }
            case .literal:
                if byte == apostrophe || byte == newline {
                    mode = afterString
                    if byte == newline { continue }
                }
            case .multilineLiteral:
                if isTriple(index, apostrophe) {
                    index = afterClosing(index, apostrophe)
                    mode = .code
                    continue
                } else if byte == newline {
                    line += 1
                }
            case .code, .header:
                // Where toml++'s `parse_value` starts: after `=`, or where an array wants its next value.
                if mode == .code, byte != newline, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "\r"), byte != UInt8(ascii: "#") {
                    let arrayValueDue = containers.last == UInt8(ascii: "[")
                        && (lastSignificant == UInt8(ascii: "[") || lastSignificant == UInt8(ascii: ","))
                    if arrayValueDue || lastSignificant == UInt8(ascii: "="), let message = Self.valueHazard(bytes, at: index, inArray: arrayValueDue) {
                        beforeReading = (line, message)
                        return
                    }
                }
                switch byte {
                case newline:
                    line += 1
                    lineStart = true
                    mode = .code
                    index += 1
                    continue
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    index += 1
                    continue
                case UInt8(ascii: "#"):
                    mode = .comment
                    index += 1
                    continue
                case quote, apostrophe:
                    if mode == .code, isTriple(index, byte) {
                        mode = byte == quote ? .multilineBasic : .multilineLiteral
                        index += 2
                    } else {
                        afterString = mode
                        mode = byte == quote ? .basic : .literal
                    }
                case UInt8(ascii: "[") where mode == .code && lineStart && containers.isEmpty:
                    if !Self.headerStartsWithKey(bytes, at: index) {
                        beforeReading = (line, "a table header must start with a key: [name] or [[name]]")
                        return
                    }
                    mode = .header
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    if mode == .code { containers.append(byte) }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    if mode == .code { _ = containers.popLast() }
                default:
                    break
                }
                lineStart = false
                lastSignificant = byte
            }
            index += 1
        }
    }

    /// Whether what follows a header's `[` is something toml++ checks: a key's first character,
    /// or what it refuses with an error of its own (`]`, the end, `[ [`).
    private static func headerStartsWithKey(_ bytes: UnsafeBufferPointer<UInt8>, at bracket: Int) -> Bool {
        var index = bracket + 1
        func skipSpaces() -> Bool {
            let start = index
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
            return index > start
        }
        let spaced = skipSpaces()
        if index < bytes.count, bytes[index] == UInt8(ascii: "[") {
            if spaced { return true }
            index += 1
            _ = skipSpaces()
        }
        guard index < bytes.count else { return true }
        switch bytes[index] {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]"):
            return true
        default:
            // toml++ refuses whitespace beyond ASCII with an error, but refusing it here is as good.
            return false
        }
    }

    /// What in a value starting at `start` would make toml++ assert, or nil.
    ///
    /// - In an array, `}` or a line separator: `parse_array` hands it to `parse_value`, which
    ///   asserts that a value starts there (everywhere else a value is read, that is checked).
    /// - What `parse_value` takes for a date, then a space and a digit: see `misreadsDateThenSpace`.
    /// - A date, `T` and no digit: `parse_date_time` calls `parse_time`, which asserts a digit.
    ///
    /// Valid TOML has none of these.
    private static func valueHazard(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, inArray: Bool) -> String? {
        if inArray, bytes[start] == UInt8(ascii: "}") || isSeparator(bytes, at: start) {
            return "an array holds \(bytes[start] == UInt8(ascii: "}") ? "'}'" : "a line separator") where a value should be"
        }
        guard (0x30...0x39).contains(bytes[start]) else { return nil }
        if misreadsDateThenSpace(bytes, at: start) {
            return "a value toml++ takes for a date followed by a space and a lone digit; a time is written 07:30:00"
        }
        // Ten bytes of digits and `-` (a superset of what `parse_date` accepts), then T and no digit.
        let date = start + 10
        if date + 1 < bytes.count, bytes[date] == UInt8(ascii: "T") || bytes[date] == UInt8(ascii: "t"), !(0x30...0x39).contains(bytes[date + 1]),
           bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
           bytes[start..<date].allSatisfy({ (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }) {
            return "a date and T with no time after it; a time is written 07:30:00"
        }
        return nil
    }

    /// Whether toml++'s `parse_value`, reading the value at `start` (a digit), asserts in its
    /// scan for a date-time with a space (`2019-01-01 07:30:00`).
    ///
    /// It scans ahead to the value's end (at most 127 code points), noting the characters other
    /// than `_` and their "traits". If it saw ten characters with only digits and `-`, `-` fifth
    /// and eighth — a date to it, whatever the other eight are (`2012-01-1\\`) — and a space and a
    /// digit follow, it reads those two and scans again. That scan asserts it does not start at a
    /// value's end (`2019-01-01 1` then a newline), and stepping back over everything read asserts
    /// that no more than 127 code points were (a date padded with underscores). This is the
    /// scan of `parse_value` in toml++ 3.4, traits and all, as far as that decision.
    private static func misreadsDateThenSpace(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        // The code points from the value on, as many as the scans can read.
        var scalars: [Unicode.Scalar] = []
        var iterator = UnsafeBufferPointer(rebasing: bytes[start...]).makeIterator()
        var decoder = UTF8()
        decode: while scalars.count < 132 {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput, .error: break decode
            }
        }
        let history = 127
        var chars: [Unicode.Scalar] = []
        var index = 0
        var advanced = 0
        var digits = false, minus = false, other = false
        // The first scan: a date must come out with digits and minus and no other trait.
        repeat {
            let c = scalars[index]
            if c != "_" {
                chars.append(c)
                switch c {
                case "0"..."9": digits = true
                case "-": minus = true
                case "+", ".", ":": other = true
                // Letters that may add a trait here (b, o, x only as a second or third character,
                // e only without a minus before it, p only after x): any of them rules out a date.
                case "b", "B", "e", "E", "o", "O", "p", "P", "x", "X", "t", "T", "z", "Z":
                    if Self.addsTrait(c, chars: chars, minus: minus) { other = true }
                default: break
                }
            }
            index += 1
            advanced += 1
        } while advanced < history && index < scalars.count && !isValueTerminator(scalars[index])
        guard chars.count == 10, digits, minus, !other, chars[4] == "-", chars[7] == "-",
              index + 1 < scalars.count, scalars[index] == " ", ("0"..."9").contains(scalars[index + 1])
        else { return false }
        index += 2
        advanced += 2
        // The second scan.
        guard index < scalars.count else { return advanced > history }
        if isValueTerminator(scalars[index]) { return true }
        repeat {
            index += 1
            advanced += 1
        } while advanced < history && index < scalars.count && !isValueTerminator(scalars[index])
        return advanced > history
    }

    /// Whether toml++'s scan gives `letter` a trait, the characters so far (with it) being `chars`.
    /// No trait but minus and digits has been seen, or the scan would not still be after a date.
    private static func addsTrait(_ letter: Unicode.Scalar, chars: [Unicode.Scalar], minus: Bool) -> Bool {
        let beginsZero = chars.first == "0"
        switch letter {
        case "b", "B", "o", "O": return chars.count == 2 && beginsZero
        case "x", "X": return chars.count == 2 && beginsZero
        case "e", "E": return chars.count > 1 && !minus
        case "p", "P": return false
        default: return true
        }
    }

    /// toml++'s `is_value_terminator`: whitespace as it counts it, `]`, `}`, `,` and `#`.
    private static func isValueTerminator(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x5D, 0x7D, 0x2C, 0x23, 0x85, 0xA0, 0x1680, 0x180E, 0x2000...0x200B, 0x2028, 0x2029, 0x202F,
             0x205F, 0x2060, 0x3000, 0xFEFF: true
        default: false
        }
    }

    /// U+0085, U+2028 or U+2029 at `index`: whitespace to toml++, but not to TOML.
    private static func isSeparator(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        if bytes[index] == 0xC2 { return index + 1 < bytes.count && bytes[index + 1] == 0x85 }
        return bytes[index] == 0xE2 && index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9)
    }

    private static func isNulEscape(_ bytes: UnsafeBufferPointer<UInt8>, after backslash: Int) -> Bool {
        guard backslash + 1 < bytes.count else { return false }
        let digits: Int
        switch bytes[backslash + 1] {
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        default: return false
        }
        guard backslash + 1 + digits < bytes.count else { return false }
        return bytes[(backslash + 2)...(backslash + 1 + digits)].allSatisfy { $0 == UInt8(ascii: "0") }
    }
}
