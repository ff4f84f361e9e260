/// What a cleanup notice lists and the rules it states.
extension PageReader {
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
