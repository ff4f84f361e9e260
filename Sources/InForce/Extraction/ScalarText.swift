/// Page text as an array of Unicode scalars, so offsets are the scalar offsets users get in JSON
/// (a Python or JavaScript string index) and searching needs no Foundation.
struct ScalarText {
    let scalars: [Unicode.Scalar]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    var count: Int { scalars.count }

    subscript(index: Int) -> Unicode.Scalar { scalars[index] }

    func string(_ range: Range<Int>) -> String {
        let clamped = max(0, range.lowerBound)..<min(count, range.upperBound)
        guard !clamped.isEmpty else { return "" }
        // Encoded straight into the string's storage: appending scalars one by one to a
        // UnicodeScalarView was a fifth of the time of reading a page.
        var length = 0
        for index in clamped { length += UTF8.width(scalars[index]) }
        return String(unsafeUninitializedCapacity: length) { buffer in
            var position = 0
            for index in clamped {
                let value = scalars[index].value
                switch value {
                case 0..<0x80:
                    buffer[position] = UInt8(value)
                    position += 1
                case 0x80..<0x800:
                    buffer[position] = UInt8(0xC0 | value >> 6)
                    buffer[position + 1] = UInt8(0x80 | value & 0x3F)
                    position += 2
                case 0x800..<0x10000:
                    buffer[position] = UInt8(0xE0 | value >> 12)
                    buffer[position + 1] = UInt8(0x80 | value >> 6 & 0x3F)
                    buffer[position + 2] = UInt8(0x80 | value & 0x3F)
                    position += 3
                default:
                    buffer[position] = UInt8(0xF0 | value >> 18)
                    buffer[position + 1] = UInt8(0x80 | value >> 12 & 0x3F)
                    buffer[position + 2] = UInt8(0x80 | value >> 6 & 0x3F)
                    buffer[position + 3] = UInt8(0x80 | value & 0x3F)
                    position += 4
                }
            }
            return position
        }
    }

    /// Whether `word` starts at `index`.
    func matches(_ word: [Unicode.Scalar], at index: Int) -> Bool {
        guard index >= 0, index + word.count <= count else { return false }
        for offset in 0..<word.count where scalars[index + offset] != word[offset] { return false }
        return true
    }

    /// The first index in `range` where `word` starts.
    func find(_ word: String, in range: Range<Int>) -> Int? { find(Array(word.unicodeScalars), in: range) }

    /// The first index in `range` where `needle` starts.
    func find(_ needle: [Unicode.Scalar], in range: Range<Int>) -> Int? {
        guard !needle.isEmpty else { return nil }
        var index = max(0, range.lowerBound)
        let last = min(count, range.upperBound) - needle.count
        while index <= last {
            if scalars[index] == needle[0] && matches(needle, at: index) { return index }
            index += 1
        }
        return nil
    }

    /// The last index in `range` where `word` starts.
    func findLast(_ word: String, in range: Range<Int>) -> Int? {
        let needle = Array(word.unicodeScalars)
        guard !needle.isEmpty else { return nil }
        var index = min(count, range.upperBound) - needle.count
        while index >= max(0, range.lowerBound) {
            if scalars[index] == needle[0] && matches(needle, at: index) { return index }
            index -= 1
        }
        return nil
    }

    func contains(_ word: String, in range: Range<Int>) -> Bool { find(word, in: range) != nil }

    /// The line ranges, without their line breaks.
    func lines() -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        for (index, scalar) in scalars.enumerated() where scalar == "\n" {
            lines.append(start..<index)
            start = index + 1
        }
        lines.append(start..<count)
        return lines
    }
}

extension Unicode.Scalar {
    var isSpaceLike: Bool { NumberCharacters.isSpace(value) }
    var isCJK: Bool { NumberCharacters.isCJK(value) }
}

extension String {
    /// The text with spaces (ASCII, no-break, ideographic) removed everywhere.
    func removingSpaces() -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: unicodeScalars.filter { !$0.isSpaceLike })
        return String(view)
    }
}
