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

    mutating func citations(ownTitle: String?, disposed: [ExtractedDisposition] = []) -> (citations: [ExtractedCitation], amendments: [ExtractedAmendment]) {
        let disposedTitles = Set(disposed.compactMap { $0.title?.simplifiedCharacters })
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
        var amendments: [ExtractedAmendment] = []
        var issuedTitles: Set<Int> = []
        for (index, match) in numbers.enumerated() where !claimed.contains(index) && !inNote(match.scalarOffset) {
            if let amendment = amendmentOfThisDocument(match) {
                if !amendments.contains(where: { $0.by == amendment.by }) { amendments.append(amendment) }
                continue
            }
            guard !seen.contains(match.number) else { continue }
            seen.insert(match.number)
            if let title = citedTitle(before: match) {
                cited.append(Cited(match: match, title: title.title, start: title.start, end: citationEnd(match)))
            } else if let issued = issuedTitle(after: match) {
                // …第17号令发布的《…》: the document that decree issued.
                issuedTitles.insert(issued.span.lowerBound)
                cited.append(Cited(match: match, title: issued.title, start: match.scalarOffset, end: issued.span.upperBound))
            } else {
                cited.append(Cited(match: match, title: nil, start: match.scalarOffset, end: citationEnd(match)))
            }
        }
        cited.sort { $0.start < $1.start }

        // Citations joined by 、 和 及 (and a short name: 和黑龙江省《…》) share the words around the run.
        var runs: [[Int]] = []
        for index in cited.indices {
            if let last = runs.last?.last, cited[last].end <= cited[index].start, PageReader.joins(text.string(cited[last].end..<cited[index].start)) {
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
            let stated = self.relation(before: clause.lowerBound..<first.start, after: last.end..<min(text.count, sentence(around: last.end).upperBound))
            for index in run {
                let item = cited[index]
                let relation = contextRelation(start: item.start, end: item.end) ?? stated
                let evidenceRange = evidence(for: item.start..<item.end, clause: clause, runEnd: last.end)
                results.append(ExtractedCitation(
                    number: item.match.number, title: item.title, relation: relation,
                    evidence: text.string(evidenceRange), offset: evidenceRange.lowerBound))
            }
        }
        // Documents cited by title alone (《劳动合同法》), once each; not the page's own title.
        var titles: Set<String> = []
        // (以下简称《民诉法解释》): the short name the text gives the document just cited, and
        // where in `results` that document's citation is.
        var shortNames: [String: Int] = [:]
        for (spanIndex, span) in titleSpans.enumerated() {
            let title = String(text.string((span.lowerBound + 1)..<(span.upperBound - 1)).trimmingSpaces())
            if let index = shortNames[title] {
                // The short name used: the document already cited under its full title, whose
                // relation a use stronger than a mention (根据《民诉法解释》) makes its own.
                let relation = contextRelation(start: span.lowerBound, end: span.upperBound)
                    ?? self.relation(before: sentence(around: span.lowerBound).lowerBound..<span.lowerBound, after: span.upperBound..<sentence(around: span.upperBound).upperBound)
                if relation != .reference, results[index].relation == .reference {
                    results[index].relation = relation
                }
                continue
            }
            guard !title.isEmpty, title.count <= 80, title != ownTitle, !titles.contains(title) else { continue }
            if numbers.contains(where: { span.contains($0.scalarOffset) }) { continue }
            if cited.contains(where: { $0.start == span.lowerBound }) || claimedTitles.contains(span.lowerBound) || issuedTitles.contains(span.lowerBound) {
                continue
            }
            // 2.将《…》中的“…”修改为…: an edit of a document the page already disposes of.
            if disposedTitles.contains(String(title).simplifiedCharacters) { continue }
            if inNote(span.lowerBound) { continue }
            if let amendment = amendmentOfThisDocument(titleSpan: span) {
                if !amendments.contains(where: { $0.byTitle == amendment.byTitle }) { amendments.append(amendment) }
                continue
            }
            // (以下简称《合伙企业法》): a short name for the document just cited.
            let lead = folded.string(max(0, span.lowerBound - 4)..<span.lowerBound)
            if lead.hasSuffix("简称") || lead.hasSuffix("以下称") || lead.hasSuffix("下称") {
                // The full title is the 《…》 just before, in the same bracket, when it was cited.
                if let full = titleSpans.last(where: { $0.upperBound <= span.lowerBound }), span.lowerBound - full.upperBound <= 12 {
                    let fullTitle = String(text.string((full.lowerBound + 1)..<(full.upperBound - 1)).trimmingSpaces())
                    if fullTitle != title, let index = results.lastIndex(where: { $0.title == fullTitle }) { shortNames[title] = index }
                }
                continue
            }
            titles.insert(String(title))
            let clause = sentence(around: span.lowerBound)
            let relation = contextRelation(start: span.lowerBound, end: span.upperBound)
                ?? self.relation(before: min(clause.lowerBound, span.lowerBound)..<span.lowerBound, after: span.upperBound..<max(span.upperBound, clause.upperBound))
            // 《甲》、《乙》、《丙》同时废止: the quote runs to the words the run shares.
            var runEnd = span.upperBound
            var next = spanIndex + 1
            while next < titleSpans.count, titleSpans[next].upperBound - span.upperBound <= 200,
                titleSpans[next].lowerBound >= runEnd, PageReader.joins(text.string(runEnd..<titleSpans[next].lowerBound))
            {
                runEnd = titleSpans[next].upperBound
                next += 1
            }
            let evidenceRange = evidence(for: span, clause: clause, runEnd: runEnd)
            results.append(ExtractedCitation(number: nil, title: String(title), relation: relation, evidence: text.string(evidenceRange), offset: evidenceRange.lowerBound))
        }
        return (results.sorted { $0.offset < $1.offset }, amendments)
    }

    /// 《…》 right after a number and 发布的 / 公布的 / 印发的: 第17号令发布的《…》 names the
    /// document that decree issued.
    func issuedTitle(after match: NumberMatch) -> (title: String, span: Range<Int>)? {
        var index = match.scalarOffset + match.scalarLength
        while index < text.count, text[index].isSpaceLike { index += 1 }
        let verbs = ["发布", "公布", "印发", "颁布"].map { Array($0.unicodeScalars) }
        guard let verb = verbs.first(where: { folded.matches($0, at: index) }) else { return nil }
        index += verb.count
        // 第62号令发布（1998年…修订…）的《…》: the bracket is the issued document's history.
        if index < text.count, text[index] == "(" || text[index] == "（" {
            var depth = 0
            while index < text.count, text[index] != "\n" {
                if text[index] == "(" || text[index] == "（" { depth += 1 }
                if text[index] == ")" || text[index] == "）" { depth -= 1 }
                index += 1
                if depth == 0 { break }
            }
        }
        guard index < text.count, text[index] == "的" else { return nil }
        index += 1
        guard let span = titleSpan(startingAtOrBefore: index), span.lowerBound == index else { return nil }
        return (String(text.string((span.lowerBound + 1)..<(span.upperBound - 1)).trimmingSpaces()), span)
    }

    /// The relation a citation's surroundings state beyond its own clause: a sentence that ends
    /// in 同时废止 (every document it names before the verb is repealed, but not those in a note
    /// in brackets), or a list under a heading such as 二、制定依据 (each item is a basis).
    func contextRelation(start: Int, end: Int) -> Relation? {
        let sentence = self.sentence(around: end)
        let after = folded.string(end..<sentence.upperBound).trimmingSpaces().trimmingTrailing(["。", "；", ";"])
        if ["同时废止", "一并废止", "予以废止", "相应废止"].contains(where: { after.hasSuffix($0) }) && !insideParentheses(start, from: sentence.lowerBound) {
            let before = folded.string(min(sentence.lowerBound, start)..<start)
            if !before.contains("根据") && !before.contains("依据") { return .repeals }
        }
        let line = lineIndex(of: start)
        if let marker = blocks[line].marker, let heading = parentHeading(of: line, below: marker.style) {
            let words = folded.string(blocks[heading].range)
            if words.contains("依据") && words.count <= 20 { return .basis }
        }
        return nil
    }

    /// The item or heading a list item sits under: the nearest line before it that is an item
    /// of a higher level, or a short line that is no item.
    func parentHeading(of line: Int, below style: ListMarker.Style) -> Int? {
        var index = line - 1
        while index >= 0, line - index <= 60 {
            let block = blocks[index]
            if !block.range.isEmpty {
                if let marker = block.marker {
                    if marker.style < style { return index }
                } else if block.range.count <= 20 {
                    return index
                } else {
                    return nil
                }
            }
            index -= 1
        }
        return nil
    }

    /// A number that amended or revised this document, as its own history says: 经2010年…省人民政府令
    /// 第9号修正, 2024年7月10日国务院令第786号修订. It is a fact about this document, not a document
    /// this one amends (对《…》作如下修改 and 修改《…》 are). A note in brackets after another
    /// document's title (《…》（…令第9号修改）) is that document's history.
    func amendmentOfThisDocument(_ match: NumberMatch) -> ExtractedAmendment? {
        amendment(by: match.number, title: nil, start: match.scalarOffset, end: match.scalarOffset + match.scalarLength)
    }

    /// The same for a title: …会议《关于修改〈…〉等九件地方性法规的决定》第二次修正.
    func amendmentOfThisDocument(titleSpan span: Range<Int>) -> ExtractedAmendment? {
        let title = String(text.string((span.lowerBound + 1)..<(span.upperBound - 1)).trimmingSpaces())
        return amendment(by: nil, title: title, start: span.lowerBound, end: span.upperBound)
    }

    private func amendment(by number: DocumentNumber?, title: String?, start: Int, end: Int) -> ExtractedAmendment? {
        var index = end
        while index < text.count, text[index].isSpaceLike { index += 1 }
        let after = folded.string(index..<min(text.count, index + 8))
        var verbLength = 0
        if after.hasPrefix("修正") || after.hasPrefix("修订") || after.hasPrefix("修改") {
            verbLength = 2
        } else if after.hasPrefix("公布修") || after.hasPrefix("发布修") {
            verbLength = 4
        } else if after.hasPrefix("第"), let ci = after.firstIndex(of: "次"), after[after.index(after: ci)...].hasPrefix("修正") || after[after.index(after: ci)...].hasPrefix("修订") {
            verbLength = after.distance(from: after.startIndex, to: ci) + 3
        }
        guard verbLength > 0, !insideTitle(start) else { return nil }
        // …根据2010年7月30日…《关于修改部分地方性法规的决定》修正的《河南省预算外资金管理条例》同时废止:
        // the history of the document named next, not of this one.
        let verbEnd = min(text.count, index + verbLength)
        if folded.string(verbEnd..<min(text.count, verbEnd + 2)) == "的《" { return nil }
        let clause = sentence(around: start)
        // …第一次修正，根据…第二次修正的《北京市统计管理条例》同时废止: a history in a sentence that
        // repeals is the repealed document's.
        if verbEnd < clause.upperBound, folded.string(verbEnd..<clause.upperBound).contains("废止") { return nil }
        let lead = folded.string(clause.lowerBound..<start)
        guard !lead.contains("对") && !lead.contains("将") else { return nil }
        if followsTitleInBrackets(start, from: clause.lowerBound) { return nil }
        let from = max(clause.lowerBound, start - 40)
        let date = ChineseDates.find(in: text, range: from..<start).last
        let quoteStart = date?.range.lowerBound ?? start
        return ExtractedAmendment(
            by: number, byTitle: title, date: date?.day, evidence: String(text.string(quoteStart..<min(text.count, index + verbLength)).trimmingSpaces()))
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
        // The quote runs to the end of the run (《甲》、《乙》的规定) — unless the run is long: a list
        // of thousands joined by 、 would give each citation the whole list (quadratic time and memory).
        var end = runEnd - span.upperBound <= 200 ? max(span.upperBound, runEnd) : span.upperBound
        let tail = ["精神", "要求", "的规定", "有关规定", "规定", "的要求", "同时废止", "予以废止", "印发以来"]
        for word in tail where text.matches(Array(word.unicodeScalars), at: end) {
            end += word.unicodeScalars.count
            break
        }
        return realStart..<min(end, text.count)
    }
}
