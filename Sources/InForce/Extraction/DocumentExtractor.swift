/// Reads a page's text and turns it into an `Extraction`: the document's own number, title,
/// issuer and dates, what it cites and how, what it lists if it is a cleanup notice, and the
/// status notes third parties put on it.
///
/// The rules are about how Chinese official documents are written (GB/T 9704-2012 layout,
/// 根据《…》(…号) citations, 继续有效/废止 lists), not about any one site.
public enum DocumentExtractor {
    public static func extract(_ page: PageText, source: String) -> Extraction {
        var reader = PageReader(page: page)
        var result = reader.extract(source: source)
        // A law text's layout states more than a page's reading finds: its history and its kind.
        if let law = LawText.read(page.text, path: source) {
            result.apply(law)
            // A law's basis is what its enacting clause names (第一条 …根据《宪法》，制定本法); 依照
            // 《刑法》追究刑事责任 in a later article applies another law, it does not rest on it.
            if let secondArticle = reader.lineStart(of: "第二条") {
                for index in result.citations.indices where result.citations[index].relation == .basis && result.citations[index].offset > secondArticle {
                    let sentence = reader.text.string(reader.sentence(around: result.citations[index].offset))
                    if !sentence.contains("制定") && !sentence.contains("制订") { result.citations[index].relation = .reference }
                }
            }
        }
        return result
    }
}

/// One page being read: its text, the numbers in it and what each turned out to be.
struct PageReader {
    let page: PageText
    let text: ScalarText
    /// The text with traditional characters folded to simplified ones, for keyword search.
    let folded: ScalarText
    let lines: [Range<Int>]
    /// The page's blocks, one per line.
    let blocks: [PageBlock]
    /// Each line's text without the spaces around it, computed once.
    let lineTexts: [String]
    let numbers: [NumberMatch]
    /// Scalar ranges inside 《》 (the brackets included).
    let titleSpans: [Range<Int>]
    /// Scalar ranges of third-party notes; their numbers are not citations.
    var noteSpans: [Range<Int>] = []
    /// Numbers already taken as the document's own, a disposition or a note's.
    var claimed: Set<Int> = []
    /// Starts of 《》 spans already taken as documents a list disposes of: not citations too.
    var claimedTitles: Set<Int> = []
    /// Groups named in running text by one of their documents (对《X》等18件…修改), with their size.
    var groupCounts: [StatedCount] = []

    init(page: PageText) {
        self.page = page
        text = ScalarText(page.text)
        folded = ScalarText(scalars: text.scalars.map { NumberCharacters.isTraditional($0.value) ? Unicode.Scalar(NumberCharacters.fold($0.value)) ?? $0 : $0 })
        lines = text.lines()
        blocks = PageReader.blocks(of: text, lines: lines)
        lineTexts = lines.map { [text] in String(text.string($0).trimmingSpaces()) }
        numbers = NumberScanner.scan(page.text)
        titleSpans = PageReader.titleSpans(in: text)
    }

    mutating func extract(source: String) -> Extraction {
        var result = Extraction(source: source)
        result.statusNotes = statusNotes()
        let own = ownNumber()
        result.number = own.map { numbers[$0].number }
        if let own { claimed.insert(own) }
        let title = self.title(ownNumberIndex: own)
        result.title = title
        result.issuer = issuer(title: title, number: result.number)
        dates(into: &result, ownNumberIndex: own)
        (result.dispositions, result.statedCounts) = dispositions()
        (result.citations, result.amendments) = citations(ownTitle: title, disposed: result.dispositions)
        notice(into: &result)
        return result
    }

    // MARK: Structure

    /// 《…》 spans, nested 〈〉 and <> allowed inside; an unclosed 《 ends at the line's end.
    static func titleSpans(in text: ScalarText) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var stack: [Int] = []
        for index in 0..<text.count {
            switch text[index] {
            case "《":
                stack.append(index)
            case "》":
                if let start = stack.popLast(), stack.isEmpty { spans.append(start..<(index + 1)) }
            case "\n":
                stack.removeAll()
            default:
                break
            }
        }
        return spans
    }

    func insideTitle(_ index: Int) -> Bool {
        guard let span = titleSpan(startingAtOrBefore: index) else { return false }
        return span.contains(index) && span.lowerBound != index
    }

    /// The last 《》 span that starts at or before `index` (the spans are sorted and do not overlap).
    func titleSpan(startingAtOrBefore index: Int) -> Range<Int>? {
        var low = 0
        var high = titleSpans.count
        while low < high {
            let middle = (low + high) / 2
            if titleSpans[middle].lowerBound <= index { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : titleSpans[low - 1]
    }

    /// The indices of the 《》 spans that start inside `range`.
    func titleSpanIndices(in range: Range<Int>) -> Range<Int> {
        PageReader.indices(of: titleSpans.count, startingIn: range) { titleSpans[$0].lowerBound }
    }

    /// The indices in `numbers` of the numbers that start inside `range` (numbers are in order).
    func numberIndices(in range: Range<Int>) -> Range<Int> {
        PageReader.indices(of: numbers.count, startingIn: range) { numbers[$0].scalarOffset }
    }

    /// The indices `0..<count` whose sorted `start` falls in `range`, by binary search.
    static func indices(of count: Int, startingIn range: Range<Int>, start: (Int) -> Int) -> Range<Int> {
        func first(atLeast offset: Int) -> Int {
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) / 2
                if start(middle) < offset { low = middle + 1 } else { high = middle }
            }
            return low
        }
        let lower = first(atLeast: range.lowerBound)
        return lower..<max(lower, first(atLeast: range.upperBound))
    }

    func inNote(_ index: Int) -> Bool { noteSpans.contains { $0.contains(index) } }

    func lineIndex(of offset: Int) -> Int {
        var low = 0
        var high = lines.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lines[middle].lowerBound <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    func lineText(_ index: Int) -> String { lineTexts[index] }

    func range(of match: NumberMatch) -> Range<Int> { match.scalarOffset..<(match.scalarOffset + match.scalarLength) }

    /// Where the body starts: the salutation (各…：) or the first long paragraph.
    var bodyStartLine: Int {
        for index in lines.indices {
            let content = lineTexts[index]
            if content.count >= 4 && content.count <= 120, content.hasPrefix("各") || content.contains("人民政府"),
               content.hasSuffix("：") || content.hasSuffix(":") || content.hasSuffix("∶")
            {
                return index
            }
            if content.count > 90 && !content.contains("|") && !content.hasPrefix("#") { return index }
        }
        return lines.count
    }

    /// The sentence around `index`: from the last 。；;！？ or line break before it to the next after it.
    /// A run of text with no sentence end is cut at `sentenceReach` scalars each way, so a page
    /// that is one endless sentence (a list flattened without punctuation) is not read once per
    /// document it names.
    /// Where the first line that starts with `words` starts (after its spaces), in scalars.
    func lineStart(of words: String) -> Int? {
        let needle = Array(words.unicodeScalars)
        for line in lines {
            var start = line.lowerBound
            while start < line.upperBound, text[start].isSpaceLike { start += 1 }
            if text.matches(needle, at: start) { return start }
        }
        return nil
    }

    func sentence(around index: Int) -> Range<Int> {
        let index = min(max(0, index), text.count)
        var start = index
        let lowest = max(0, index - PageReader.sentenceReach)
        while start > lowest, !PageReader.sentenceEnds.contains(text[start - 1]) { start -= 1 }
        var end = index
        let highest = min(text.count, index + PageReader.sentenceReach)
        while end < highest, !PageReader.sentenceEnds.contains(text[end]) { end += 1 }
        return start..<end
    }

    static let sentenceReach = 600

    static let sentenceEnds: Set<Unicode.Scalar> = ["。", "；", ";", "！", "？", "!", "?", "\n"]

    /// Whether `word` occurs in `range` outside 《》 titles (folded, so traditional text matches).
    func containsOutsideTitles(_ word: String, in range: Range<Int>) -> Bool {
        var from = range.lowerBound
        while let found = folded.find(word, in: from..<range.upperBound) {
            if !insideTitle(found) { return true }
            from = found + 1
        }
        return false
    }

    func lastOutsideTitles(_ words: [String], in range: Range<Int>) -> (word: String, at: Int)? {
        var best: (String, Int)?
        for word in words {
            var upper = range.upperBound
            while let found = folded.findLast(word, in: range.lowerBound..<upper) {
                if !insideTitle(found) {
                    if best == nil || found > best!.1 { best = (word, found) }
                    break
                }
                upper = found + word.unicodeScalars.count - 1
            }
        }
        return best
    }
}

extension ScalarText {
    /// The start of a line's content, after its indentation.
    func lineStartIgnoringIndent(_ line: Range<Int>) -> Int {
        var index = line.lowerBound
        while index < line.upperBound, self[index].isSpaceLike { index += 1 }
        return index
    }
}

extension StringProtocol {
    func trimmingCharacters(where strip: (Character) -> Bool) -> SubSequence {
        var result = self[...]
        while let first = result.first, strip(first) { result = result.dropFirst() }
        while let last = result.last, strip(last) { result = result.dropLast() }
        return result
    }

    func trimmingTrailing(_ endings: [Character]) -> SubSequence {
        var result = self[...]
        while let last = result.last, endings.contains(last) { result = result.dropLast() }
        return result
    }
}
