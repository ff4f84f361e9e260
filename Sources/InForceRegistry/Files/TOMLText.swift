import InForce

/// Writes TOML text by hand, so every file has one fixed field order, Chinese as is, and the
/// same bytes whenever the record is the same. Reading goes through `TOMLDocument`.
struct TOMLText {
    private(set) var text = ""

    mutating func comment(_ line: String) { text += "# \(line)\n" }

    mutating func blankLine() {
        if !text.isEmpty && !text.hasSuffix("\n\n") { text += "\n" }
    }

    mutating func header(_ name: String, array: Bool) {
        blankLine()
        text += array ? "[[\(name)]]\n" : "[\(name)]\n"
    }

    mutating func set(_ key: String, _ value: String?) {
        guard let value else { return }
        text += "\(key) = \(TOMLText.quoted(value))\n"
    }

    mutating func set(_ key: String, _ value: Day?) {
        guard let value else { return }
        text += "\(key) = \(value)\n"
    }

    mutating func set(_ key: String, _ value: Int?) {
        guard let value else { return }
        text += "\(key) = \(value)\n"
    }

    mutating func set(_ key: String, _ value: Bool?) {
        guard let value else { return }
        text += "\(key) = \(value)\n"
    }

    mutating func set<V: Vocabulary>(_ key: String, _ value: V?) {
        set(key, value?.rawValue)
    }

    mutating func set(_ key: String, _ values: [String]) {
        switch values.count {
        case 0: return
        case 1: text += "\(key) = [\(TOMLText.quoted(values[0]))]\n"
        default: text += "\(key) = [\n" + values.map { "    \(TOMLText.quoted($0)),\n" }.joined() + "]\n"
        }
    }

    /// A TOML basic string: quotes, backslashes and control characters escaped, the rest as is.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
