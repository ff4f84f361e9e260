/// Third parties' notes on their copies of a document.
extension PageReader {
    /// Third parties' notes: USHUI.NET®提示, 税屋提示, [全文失效]-style tags, 公文时效 metadata.
    mutating func statusNotes() -> [StatusNote] {
        var notes: [StatusNote] = []
        let brands: [(marker: String, site: String)] = [("USHUI.NET", "USHUI.NET"), ("税屋提示", "税屋 (shui5.cn)"), ("法律快车提示", "法律快车")]
        for line in lines {
            for (marker, site) in brands {
                guard let start = text.find(marker, in: line) else { continue }
                let span = start..<line.upperBound
                let evidence = text.string(span)
                noteSpans.append(span)
                let by = numbers.firstIndex { span.contains($0.scalarOffset) }
                if let by { claimed.insert(by) }
                let dates = ChineseDates.find(in: text, range: span)
                let until = folded.contains("有效期", in: span) || folded.contains("截止", in: span) ? dates.last?.day : nil
                notes.append(StatusNote(
                    by: by.map { numbers[$0].number }, byTitle: by.flatMap { noteTitle(numbers[$0], in: span) },
                    outcome: DispositionOutcome(phrase: evidence),
                    until: until, site: site, evidence: evidence))
            }
        }
        // A tag such as [全文失效] is the site's: name the site when the page names it anywhere.
        let siteNames: [(name: String, site: String)] = [("USHUI.NET", "USHUI.NET"), ("税屋", "税屋 (shui5.cn)"), ("法律快车", "法律快车")]
        let tagSite = siteNames.first { text.find($0.name, in: 0..<text.count) != nil }?.site ?? "page tag"
        for tag in ["[全文失效]", "【全文失效】", "[部分失效]", "【部分失效】", "[已废止]", "【已废止】", "[失效]", "【失效】", "[废止]"] {
            guard let start = text.find(tag, in: 0..<min(text.count, 4000)) else { continue }
            let span = start..<(start + tag.unicodeScalars.count)
            noteSpans.append(span)
            notes.append(StatusNote(by: nil, byTitle: nil, outcome: tag.contains("废止") ? .repealed : .invalidated, until: nil, site: tagSite, evidence: tag))
        }
        if let field = page.field(["公文时效", "时效", "时效性", "有效性", "效力状态", "状态", "文件状态"]) {
            let outcome: DispositionOutcome? = DispositionOutcome(phrase: field.value)
                ?? (field.value.contains("有效") ? .continued : nil)
            notes.append(StatusNote(by: nil, byTitle: nil, outcome: outcome, until: nil, site: "page metadata (\(field.label))", evidence: field.quote))
        }
        // 失效日期: 2023年06月04日 — the site's record of when it ceases to be in force.
        if let field = page.field(["失效日期"]), let day = ChineseDates.find(in: field.value).first?.day {
            notes.append(StatusNote(by: nil, byTitle: nil, outcome: nil, until: day, site: "page metadata (\(field.label))", evidence: field.quote))
        }
        return notes
    }

    /// The title of the document a note names: 《…》(number), 根据 …》 (number) with the 《 lost,
    /// or number followed by the title (依据浙政办发[2021]69号 浙江省…的通知,).
    func noteTitle(_ match: NumberMatch, in span: Range<Int>) -> String? {
        if let cited = citedTitle(before: match) { return cited.title }
        var close = match.scalarOffset - 1
        while close > span.lowerBound, text[close].isSpaceLike || text[close] == "(" || text[close] == "（" { close -= 1 }
        if text[close] == "》", let lead = lastOutsideTitles(["根据", "依据"], in: span.lowerBound..<close) {
            return String(text.string((lead.at + 2)..<close).trimmingSpaces())
        }
        var start = match.scalarOffset + match.scalarLength
        while start < span.upperBound, text[start].isSpaceLike { start += 1 }
        var end = start
        while end < span.upperBound, !["，", ",", "。", "；", ";"].contains(text[end]) { end += 1 }
        let after = String(text.string(start..<end).trimmingSpaces())
        return after.count >= 6 && PageReader.endsWithDocumentType(after) ? after : nil
    }

}
