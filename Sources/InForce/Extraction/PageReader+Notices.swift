/// What a cleanup notice lists and the rules it states.
extension PageReader {
    /// List rows (序号 文件名称 文号) under a heading that states the outcome, and documents
    /// named in a sentence that states one (宣布失效的…比如《…(皖政办〔2012〕39号)》).
    mutating func dispositions() -> [ExtractedDisposition] {
        var results: [ExtractedDisposition] = []
        var sectionOutcome: DispositionOutcome?
        for (lineNumber, line) in lines.enumerated() {
            let content = lineText(lineNumber)
            guard let first = content.unicodeScalars.first else { continue }
            if first == "附" || folded.contains("目录", in: line) {
                sectionOutcome = DispositionOutcome(phrase: content) ?? sectionOutcome
                continue
            }
            guard first.isASCII, first.properties.numericType != nil else { continue }
            // A row: a position number, then a title and a number.
            let position = content.prefix { $0.isASCII && $0.isNumber }
            guard !position.isEmpty, position.count <= 4, content.dropFirst(position.count).first?.isWhitespace == true else { continue }
            guard let index = numbers.firstIndex(where: { line.contains($0.scalarOffset) }), !claimed.contains(index) else { continue }
            let match = numbers[index]
            let rowOutcome = DispositionOutcome(phrase: text.string((match.scalarOffset + match.scalarLength)..<line.upperBound))
            guard let outcome = rowOutcome ?? sectionOutcome else { continue }
            claimed.insert(index)
            let titleStart = line.lowerBound + (content.unicodeScalars.count - content.dropFirst(position.count).unicodeScalars.count)
            let title = text.string(titleStart..<match.scalarOffset).trimmingSpaces().trimmingCharacters(where: { $0 == "|" || $0.isWhitespace })
            results.append(ExtractedDisposition(
                number: match.number, title: title.isEmpty ? nil : PageReader.stripTitleMarks(String(title)), outcome: outcome,
                evidence: text.string(text.lineStartIgnoringIndent(line)..<(match.scalarOffset + match.scalarLength))))
        }
        // Sentences that dispose of documents they name inside 《》.
        for (index, match) in numbers.enumerated() where !claimed.contains(index) && !inNote(match.scalarOffset) {
            guard let span = titleSpans.first(where: { $0.contains(match.scalarOffset) }) else { continue }
            let sentence = self.sentence(around: match.scalarOffset)
            let lead = ScalarText(folded.string(sentence.lowerBound..<span.lowerBound))
            var outsideTitles = ""
            for (offset, scalar) in lead.scalars.enumerated() where !insideTitle(sentence.lowerBound + offset) {
                outsideTitles.unicodeScalars.append(scalar)
            }
            guard let outcome = DispositionOutcome(phrase: outsideTitles) else { continue }
            claimed.insert(index)
            let inner = text.string((span.lowerBound + 1)..<match.scalarOffset).trimmingSpaces()
            results.append(ExtractedDisposition(
                number: match.number, title: String(inner.trimmingTrailing(["(", "（"]).trimmingSpaces()), outcome: outcome,
                evidence: text.string(span)))
        }
        return results
    }

    static func stripTitleMarks(_ title: String) -> String {
        var result = Substring(title)
        if result.hasPrefix("《") { result = result.dropFirst() }
        if result.hasSuffix("》") { result = result.dropLast() }
        return String(result)
    }

    /// The closed-list rule and the cut-off date of a cleanup.
    func notice(into result: inout Extraction) {
        for line in lines where (folded.contains("未列入", in: line) || folded.contains("清理", in: line))
            && !noteSpans.contains(where: { $0.overlaps(line) })
        {
            let content = folded.string(line)
            if result.closedListQuote == nil, content.contains("未列入"), content.contains("目录") || content.contains("清单"),
               content.contains("不得") || content.contains("停止执行") || content.contains("失效")
            {
                let span = sentence(around: line.lowerBound + (content.unicodeScalars.count - (content.firstRange(of: "未列入").map { String(content[$0.lowerBound...]).unicodeScalars.count } ?? 0)))
                result.closedListQuote = text.string(span).trimmingSpaces().description
            }
            if result.scopeIssuedBefore == nil, content.contains("清理") {
                let scalars = ScalarText(content)
                for date in ChineseDates.find(in: scalars) {
                    let before = scalars.string(max(0, date.range.lowerBound - 3)..<date.range.lowerBound)
                    let after = scalars.string(date.range.upperBound..<min(scalars.count, date.range.upperBound + 4))
                    if before.contains("截至") || before.contains("截止") || after.hasPrefix("前") || after.hasPrefix("以前") {
                        result.scopeIssuedBefore = date.day
                        break
                    }
                }
            }
        }
    }
}
