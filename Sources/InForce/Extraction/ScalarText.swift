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
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[clamped])
        return String(view)
    }

    /// Whether `word` starts at `index`.
    func matches(_ word: [Unicode.Scalar], at index: Int) -> Bool {
        guard index >= 0, index + word.count <= count else { return false }
        for offset in 0..<word.count where scalars[index + offset] != word[offset] { return false }
        return true
    }

    /// The first index in `range` where `word` starts.
    func find(_ word: String, in range: Range<Int>) -> Int? {
        let needle = Array(word.unicodeScalars)
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
