/// The structure extraction reads a page by: a sequence of blocks (paragraphs, list items with
/// their markers, table rows with their cells), each with its place in the page text so every
/// quote keeps its offset.
///
/// Readers of every format produce the same blocks: the HTML and text readers one block per
/// line of the page text (a table row is a line whose cells are separated by ` | `), the Office
/// readers one per paragraph or row.
public struct PageBlock: Sendable, Equatable {
    /// A list item's marker: 一、 （一） 1. 1、 (1) ①; nil for a paragraph or a row.
    public var marker: ListMarker?
    /// A table row's cells in order (merged cells repeated in every row and column they cover);
    /// nil for a paragraph or an item.
    public var cells: [String]?
    /// The block's text in the page, in Unicode scalars (for an item: after its marker).
    public var range: Range<Int>

    public init(marker: ListMarker? = nil, cells: [String]? = nil, range: Range<Int>) {
        self.marker = marker
        self.cells = cells
        self.range = range
    }

    /// A paragraph: neither an item nor a row.
    public var isParagraph: Bool { marker == nil && cells == nil }
}

/// The mark that opens a list item, and its place in the hierarchy official documents use:
/// 一、 above （一）, above 1. (or 1、), above (1), above ①.
public struct ListMarker: Sendable, Equatable, Hashable {
    public enum Style: Int, Sendable, Comparable, CaseIterable {
        /// 一、
        case chineseNumeral = 0
        /// （一）
        case bracketedChineseNumeral = 1
        /// 1. 1． 1、
        case arabicNumeral = 2
        /// (1) （1）
        case bracketedArabicNumeral = 3
        /// ①
        case circled = 4

        public static func < (lhs: Style, rhs: Style) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public let style: Style
    /// 1 for 一、 (一) 1. (1) ①, 2 for the next, …
    public let ordinal: Int
    /// How many scalars the marker takes, spaces after it included.
    public let length: Int

    /// The marker at the start of `scalars`, if there is one.
    public static func read<C: Collection>(_ scalars: C) -> ListMarker? where C.Element == Unicode.Scalar, C.Index == Int {
        var index = scalars.startIndex
        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            let position = index + offset
            return position < scalars.endIndex ? scalars[position] : nil
        }
        func chineseNumeral() -> Int? {
            var value = 0
            var current = 0
            var count = 0
            while let scalar = peek(), count < 4 {
                if let digit = NumberCharacters.chineseDigit(scalar.value), digit > 0 {
                    current = digit
                } else if scalar == "十" {
                    value += (current == 0 ? 1 : current) * 10
                    current = 0
                } else {
                    break
                }
                index += 1
                count += 1
            }
            return count == 0 ? nil : value + current
        }
        func arabic() -> Int? {
            var value = 0
            var count = 0
            while let scalar = peek(), let digit = NumberCharacters.digitValue(scalar.value), count < 3 {
                value = value * 10 + digit
                index += 1
                count += 1
            }
            return count == 0 ? nil : value
        }
        func finish(_ style: Style, _ ordinal: Int) -> ListMarker? {
            guard ordinal > 0 else { return nil }
            while let scalar = peek(), NumberCharacters.isSpace(scalar.value) { index += 1 }
            // A marker opens text; 1.5亿 and 一、二 are not items.
            guard let next = peek(), NumberCharacters.digitValue(next.value) == nil else { return nil }
            return ListMarker(style: style, ordinal: ordinal, length: index - scalars.startIndex)
        }
        guard let first = peek() else { return nil }
        if first == "(" || first == "（" {
            index += 1
            if let value = chineseNumeral() {
                guard let close = peek(), close == ")" || close == "）" else { return nil }
                index += 1
                return finish(.bracketedChineseNumeral, value)
            }
            if let value = arabic() {
                guard let close = peek(), close == ")" || close == "）" else { return nil }
                index += 1
                return finish(.bracketedArabicNumeral, value)
            }
            return nil
        }
        if (0x2460...0x2473).contains(first.value) {
            index += 1
            return finish(.circled, Int(first.value - 0x2460) + 1)
        }
        if let value = chineseNumeral() {
            guard peek() == "、" else { return nil }
            index += 1
            return finish(.chineseNumeral, value)
        }
        if let value = arabic() {
            guard let mark = peek(), mark == "." || mark == "．" || mark == "、" else { return nil }
            index += 1
            return finish(.arabicNumeral, value)
        }
        return nil
    }
}

extension PageReader {
    /// The page's blocks, one per line of its text.
    static func blocks(of text: ScalarText, lines: [Range<Int>]) -> [PageBlock] {
        lines.map { line in
            let start = text.lineStartIgnoringIndent(line)
            var end = line.upperBound
            while end > start, text[end - 1].isSpaceLike { end -= 1 }
            let content = text.scalars[start..<end]
            if content.contains("|") {
                let cells = String(String.UnicodeScalarView(content)).split(separator: "|", omittingEmptySubsequences: false)
                    .map { String($0.trimmingSpaces()) }
                if cells.filter({ !$0.isEmpty }).count >= 2 { return PageBlock(cells: cells, range: start..<end) }
            }
            if let marker = ListMarker.read(content) {
                return PageBlock(marker: marker, range: (start + marker.length)..<end)
            }
            return PageBlock(range: start..<end)
        }
    }
}
