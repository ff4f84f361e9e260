/// What a document cites, and how.
extension PageReader {
    /// The 《title》 right before a number's bracket, if there is one.
    func citedTitle(before match: NumberMatch) -> (title: String, start: Int)? {
        var index = match.scalarOffset - 1
        while index >= 0, text[index].isSpaceLike { index -= 1 }
        guard index >= 0, text[index] == "(" || text[index] == "（" else {
            // The number inside the title: 《…(皖政辦〔2012〕39號)》.
            if let span = titleSpans.first(where: { $0.contains(match.scalarOffset) }) {
                let inner = text.string((span.lowerBound + 1)..<(match.scalarOffset))
                return (String(inner.trimmingSpaces().trimmingTrailing(["(", "（"]).trimmingSpaces()), span.lowerBound)
            }
            return nil
        }
        index -= 1
        while index >= 0, text[index].isSpaceLike { index -= 1 }
        guard index >= 0, text[index] == "》" else { return nil }
        guard let span = titleSpans.last(where: { $0.upperBound == index + 1 }) else { return nil }
        let title = text.string((span.lowerBound + 1)..<(span.upperBound - 1))
        return (String(title.trimmingSpaces()), span.lowerBound)
    }

    /// Where a citation's text ends: the number's closing bracket, and 文件 after the number.
    func citationEnd(_ match: NumberMatch) -> Int {
        var end = match.scalarOffset + match.scalarLength
        while end < text.count, text[end].isSpaceLike { end += 1 }
        if text.matches(Array("文件".unicodeScalars), at: end) { end += 2 }
        if end < text.count, text[end] == ")" || text[end] == "）" { end += 1 }
        if end < text.count, text[end] == "》" { end += 1 }
        return end
    }

    mutating func citations(ownTitle: String?) -> [ExtractedCitation] {
        struct Cited {
            let match: NumberMatch
            let title: String?
            let start: Int
            let end: Int
        }
        var cited: [Cited] = []
        var seen: Set<DocumentNumber> = []
        if let own = numbers.indices.first(where: { claimed.contains($0) && !inNote(numbers[$0].scalarOffset) }) {
            seen.insert(numbers[own].number)
        }
        for (index, match) in numbers.enumerated() where !claimed.contains(index) && !inNote(match.scalarOffset) {
            guard !seen.contains(match.number) else { continue }
            seen.insert(match.number)
            let title = citedTitle(before: match)
            cited.append(Cited(match: match, title: title?.title, start: title?.start ?? match.scalarOffset, end: citationEnd(match)))
        }
        cited.sort { $0.start < $1.start }

        // Citations joined by 、 和 及 (and a short name: 和黑龙江省《…》) share the words around the run.
        var runs: [[Int]] = []
        for index in cited.indices {
            if let last = runs.last?.last, PageReader.joins(text.string(cited[last].end..<cited[index].start)) {
                runs[runs.count - 1].append(index)
            } else {
                runs.append([index])
            }
        }
        var results: [ExtractedCitation] = []
        for run in runs {
            let first = cited[run[0]]
            let last = cited[run[run.count - 1]]
            let clause = sentence(around: first.start)
            let relation = self.relation(before: clause.lowerBound..<first.start, after: last.end..<min(text.count, sentence(around: last.end).upperBound))
            for index in run {
                let item = cited[index]
                let evidenceRange = evidence(for: item.start..<item.end, clause: clause, runEnd: last.end)
                results.append(ExtractedCitation(
                    number: item.match.number, title: item.title, relation: relation,
                    evidence: text.string(evidenceRange), offset: evidenceRange.lowerBound))
            }
        }
        // Documents cited by title alone (《劳动合同法》), once each; not the page's own title.
        var titles: Set<String> = []
        for span in titleSpans {
            let title = text.string((span.lowerBound + 1)..<(span.upperBound - 1)).trimmingSpaces()
            guard !title.isEmpty, title.count <= 80, String(title) != ownTitle, !titles.contains(String(title)) else { continue }
            if numbers.contains(where: { span.contains($0.scalarOffset) }) { continue }
            if cited.contains(where: { $0.start == span.lowerBound }) || claimedTitles.contains(span.lowerBound) { continue }
            if inNote(span.lowerBound) { continue }
            titles.insert(String(title))
            let clause = sentence(around: span.lowerBound)
            let relation = self.relation(before: clause.lowerBound..<span.lowerBound, after: span.upperBound..<clause.upperBound)
            let evidenceRange = evidence(for: span, clause: clause, runEnd: span.upperBound)
            results.append(ExtractedCitation(number: nil, title: String(title), relation: relation, evidence: text.string(evidenceRange), offset: evidenceRange.lowerBound))
        }
        return results.sorted { $0.offset < $1.offset }
    }

    /// Text between two citations that keeps them in one run: 、 和 及 与, perhaps with a short
    /// name (国务院办公厅, 黑龙江省) before the next 《.
    static func joins(_ between: String) -> Bool {
        let trimmed = between.trimmingSpaces()
        if trimmed.isEmpty { return true }
        guard let first = trimmed.unicodeScalars.first, ["、", "和", "及", "与", ",", "，"].contains(first) || trimmed.hasPrefix("以及") else {
            return false
        }
        return trimmed.count <= 10 && !trimmed.contains("。") && !trimmed.contains("；")
    }

    /// The relation the words around a citation (or a run of them) state.
    func relation(before: Range<Int>, after: Range<Int>) -> Relation {
        let afterText = folded.string(after.lowerBound..<min(after.upperBound, after.lowerBound + 12))
        let afterClause = afterText.prefix { !["，", ",", "。", "；"].contains($0) }
        if afterClause.contains("同时废止") || afterClause.contains("予以废止") || afterClause.hasPrefix("废止") { return .repeals }
        if afterClause.contains("修改") || afterClause.contains("修订") { return .amends }
        let words = lastOutsideTitles(["贯彻落实", "贯彻", "落实", "根据", "依据", "按照", "依照", "遵照", "遵循", "参照"], in: before)
        switch words?.word {
        case "贯彻落实", "贯彻", "落实": return .implements
        case "根据", "依据", "按照", "依照", "遵照", "遵循": return .basis
        case "参照": return .reference
        default: break
        }
        if ["精神", "要求", "规定", "有关规定", "部署", "等文件要求", "的规定", "的要求", "等文件精神"].contains(where: { afterClause.hasPrefix($0) }) {
            return .basis
        }
        return .reference
    }

    /// The quote for a citation: from its clause start (or a few characters before) to the end
    /// of the run, plus the word that states the relation (精神, 要求, 同时废止 …).
    func evidence(for span: Range<Int>, clause: Range<Int>, runEnd: Int) -> Range<Int> {
        let start = max(clause.lowerBound, span.lowerBound - 12)
        var realStart = start
        if start > clause.lowerBound, let lead = lastOutsideTitles(["根据", "依据", "按照", "依照", "贯彻落实", "参照"], in: start..<span.lowerBound) {
            realStart = lead.at
        } else if start > clause.lowerBound {
            realStart = span.lowerBound
        }
        while realStart < span.lowerBound, text[realStart].isSpaceLike { realStart += 1 }
        var end = max(span.upperBound, runEnd)
        let tail = ["精神", "要求", "的规定", "有关规定", "规定", "的要求", "同时废止", "予以废止", "印发以来"]
        for word in tail where text.matches(Array(word.unicodeScalars), at: end) {
            end += word.unicodeScalars.count
            break
        }
        return realStart..<min(end, text.count)
    }
}
