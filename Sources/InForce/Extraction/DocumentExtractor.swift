/// Reads a page's text and turns it into an `Extraction`: the document's own number, title,
/// issuer and dates, what it cites and how, what it lists if it is a cleanup notice, and the
/// status notes third parties put on it.
///
/// The rules are about how Chinese official documents are written (GB/T 9704-2012 layout,
/// 根据《…》(…号) citations, 继续有效/废止 lists), not about any one site.
public enum DocumentExtractor {
    public static func extract(_ page: PageText, source: String) -> Extraction {
        var reader = PageReader(page: page)
        return reader.extract(source: source)
    }
}

/// One page being read: its text, the numbers in it and what each turned out to be.
struct PageReader {
    let page: PageText
    let text: ScalarText
    /// The text with traditional characters folded to simplified ones, for keyword search.
    let folded: ScalarText
    let lines: [Range<Int>]
    /// Each line's text without the spaces around it, computed once.
    let lineTexts: [String]
    let numbers: [NumberMatch]
    /// Scalar ranges inside 《》 (the brackets included).
    let titleSpans: [Range<Int>]
    /// Scalar ranges of third-party notes; their numbers are not citations.
    var noteSpans: [Range<Int>] = []
    /// Numbers already taken as the document's own, a disposition or a note's.
    var claimed: Set<Int> = []

    init(page: PageText) {
        self.page = page
        text = ScalarText(page.text)
        folded = ScalarText(scalars: text.scalars.map { NumberCharacters.isTraditional($0.value) ? Unicode.Scalar(NumberCharacters.fold($0.value)) ?? $0 : $0 })
        lines = text.lines()
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
        result.dispositions = dispositions()
        result.citations = citations(ownTitle: title)
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

    func insideTitle(_ index: Int) -> Bool { titleSpans.contains { $0.contains(index) && $0.lowerBound != index } }

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
    func sentence(around index: Int) -> Range<Int> {
        var start = index
        while start > 0, !PageReader.sentenceEnds.contains(text[start - 1]) { start -= 1 }
        var end = index
        while end < text.count, !PageReader.sentenceEnds.contains(text[end]) { end += 1 }
        return start..<end
    }

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

    // MARK: Status notes

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
                    outcome: PageReader.outcome(in: ScalarText(String(evidence)), range: nil),
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
        if let field = page.field(["公文时效", "时效", "时效性", "有效性", "效力状态"]) {
            let value = ScalarText(field.value)
            let outcome: DispositionOutcome? = PageReader.outcome(in: value, range: nil)
                ?? (field.value.contains("有效") ? .continued : nil)
            notes.append(StatusNote(by: nil, byTitle: nil, outcome: outcome, until: nil, site: "page metadata (\(field.label))", evidence: field.quote))
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

    /// The outcome a phrase states: 继续有效 / 废止 / 宣布失效 / 修改.
    static func outcome(in text: ScalarText, range: Range<Int>?) -> DispositionOutcome? {
        DispositionOutcome(phrase: text.string(range ?? 0..<text.count))
    }

    // MARK: The document itself

    /// The index in `numbers` of the document's own number.
    func ownNumber() -> Int? {
        if let field = page.field(["发文字号", "文号", "发文文号", "文件编号"]) {
            if let match = NumberScanner.scan(field.value).first {
                return numbers.firstIndex { $0.number == match.number } ?? nil
            }
        }
        let body = bodyStartLine
        let limitLine = min(lines.count, max(body, 1))
        for (index, match) in numbers.enumerated() {
            let offset = match.scalarOffset
            guard lineIndex(of: offset) < min(limitLine, 40) else { break }
            if claimed.contains(index) || inNote(offset) || insideTitle(offset) || isCitation(match) { continue }
            return index
        }
        return nil
    }

    /// A number written as a citation: right after 》 and a bracket, or after 根据/依据 in its clause.
    func isCitation(_ match: NumberMatch) -> Bool {
        var index = match.scalarOffset - 1
        while index >= 0, text[index].isSpaceLike { index -= 1 }
        if index >= 0, text[index] == "(" || text[index] == "（" {
            var before = index - 1
            while before >= 0, text[before].isSpaceLike { before -= 1 }
            if before >= 0, text[before] == "》" || text[before] == ">" || text[before] == "〉" { return true }
        }
        let clause = sentence(around: match.scalarOffset)
        let lead = clause.lowerBound..<match.scalarOffset
        return ["根据", "依据", "按照", "依照", "参照", "贯彻", "落实", "同时废止"].contains { folded.contains($0, in: lead) }
    }

    /// The title: the metadata's, else the best heading-like line near the top.
    func title(ownNumberIndex: Int?) -> String? {
        if let field = page.field(["标题"]) { return PageReader.cleanTitle(field.value) }
        let body = bodyStartLine
        let ownLine = ownNumberIndex.map { lineIndex(of: numbers[$0].scalarOffset) }
        var candidates: [(title: String, score: Int, line: Int)] = []
        let lastLine = min(lines.count, max(body, ownLine.map { $0 + 1 } ?? 0, 1), 40)
        var index = 0
        while index < lastLine {
            var content = lineText(index)
            if let ownIndex = ownNumberIndex, lineIndex(of: numbers[ownIndex].scalarOffset) == index {
                // A title sharing its line with the number ends where the number (or its bracket) starts.
                let start = numbers[ownIndex].scalarOffset - lines[index].lowerBound
                content = String(String(content.unicodeScalars.prefix(max(0, start))).trimmingSpaces())
            }
            for candidate in PageReader.titleCandidates(from: content) {
                candidates.append((candidate, score(candidate, line: index, ownLine: ownLine), index))
            }
            // A title broken over two lines (国务院办公厅关于推进 / 政务新媒体健康有序发展的意见).
            if index + 1 < lastLine, !PageReader.endsWithDocumentType(content), content.count >= 4 {
                var next = index + 1
                while next < lastLine, lineText(next).isEmpty { next += 1 }
                // Join only when the second line is not a title on its own (信息产业部 / 关于发布…的通知 is an
                // issuer above a title, not one title).
                let second = next < lastLine ? lineText(next) : ""
                let secondStandsAlone = second.contains("关于") && !content.hasSuffix("关于")
                if next < lastLine, !secondStandsAlone {
                    let joined = content + second
                    if PageReader.endsWithDocumentType(joined), joined.count <= 90, !joined.contains("|") {
                        candidates.append((joined, score(joined, line: index, ownLine: ownLine), index))
                    }
                }
            }
            index += 1
        }
        // A title needs more than position: a document type at its end, 关于, a heading mark or the number beside it.
        let best = candidates.filter { $0.score >= 3 }.max { ($0.score, -$0.line) < ($1.score, -$1.line) }
        return best?.title ?? page.pageTitle.map(PageReader.cleanTitle)
    }

    func score(_ title: String, line: Int, ownLine: Int?) -> Int {
        var score = 0
        if PageReader.endsWithDocumentType(title) { score += 3 }
        if title.contains("关于") || title.contains("關於") { score += 2 }
        if lineText(line).hasPrefix("# ") { score += 3 }
        if let ownLine, line <= ownLine, ownLine - line <= 5 { score += 3 }
        if line < 3 { score += 1 }
        var occurrences = 0
        var from = 0
        let needle = title
        while occurrences < 3, let found = text.find(needle, in: from..<text.count) {
            occurrences += 1
            from = found + 1
        }
        score += min(occurrences, 3) - 1
        if PageReader.furniture.contains(where: { title.contains($0) }) { score -= 6 }
        if title.count < 4 || title.count > 100 { score -= 10 }
        if title.hasPrefix("各") || title.hasPrefix("根据") || title.hasPrefix("为") { score -= 4 }
        if title.contains("http") || title.contains("www.") || title.contains("/") { score -= 10 }
        if title.contains("：") || title.contains(":") || title.hasSuffix("|") { score -= 6 }
        // Section headings: 一、起草背景, (一)总体要求, 第一章 总则.
        if let first = title.first, "一二三四五六七八九十".contains(first), title.dropFirst().first == "、" { score -= 6 }
        if title.hasPrefix("(") || title.hasPrefix("（") || title.hasPrefix("第") { score -= 3 }
        return score
    }

    static let furniture = [
        "作者", "时间", "来源", "浏览", "下载", "首页", "位置", "网站", "检索", "电话", "字号", "打印", "分享", "扫一扫", "索引号",
        "发布机构", "当前位置", "阅读", "搜索", "无障碍", "门户", "字體", "字号", "來源",
    ]

    static let documentTypes = [
        "通知", "意见", "决定", "办法", "规定", "条例", "细则", "方案", "批复", "复函", "函", "公告", "通告", "报告", "规则", "纲要",
        "规划", "答复", "决议", "解读", "说明", "通报", "命令", "标准", "制度", "章程", "目录", "清单", "指引", "指南", "规范", "法",
        "意見", "決定", "辦法", "規定", "條例", "通報", "執行",
    ]

    static func endsWithDocumentType(_ title: String) -> Bool {
        let trimmed = title.hasSuffix("》") ? String(title.dropLast()) : title
        return documentTypes.contains { trimmed.hasSuffix($0) }
    }

    /// The titles a heading line can hold: the line cleaned, and a 《》-wrapped title alone.
    static func titleCandidates(from line: String) -> [String] {
        let cleaned = cleanTitle(line)
        guard !cleaned.isEmpty else { return [] }
        var candidates = [cleaned]
        if cleaned.hasPrefix("《"), cleaned.hasSuffix("》"), cleaned.count > 2 {
            candidates.append(String(cleaned.dropFirst().dropLast()))
        }
        return candidates
    }

    /// A heading as a title: markdown marks, table pipes, status tags, list numbers and a trailing
    /// bracketed date or number removed.
    static func cleanTitle(_ raw: String) -> String {
        var title = Substring(raw.trimmingSpaces())
        while title.hasPrefix("#") { title = title.dropFirst() }
        if let pipe = title.firstIndex(of: "|") { title = title[..<pipe] }
        for tag in ["[全文失效]", "【全文失效】", "[部分失效]", "[已废止]", "[失效]", "【已废止】"] {
            if let range = title.firstRange(of: tag) { title = title[..<range.lowerBound] }
        }
        title = title.trimmingSpaces()
        // 03城市供水价格管理办法 — a list position glued to the title.
        let leading = title.prefix { $0.isASCII && $0.isNumber }
        if (1...2).contains(leading.count), let next = title.dropFirst(leading.count).first, next != "年", next != "月",
           next.unicodeScalars.first.map({ NumberCharacters.isCJK($0.value) }) == true
        {
            title = title.dropFirst(leading.count)
        }
        // 城市供水价格管理办法(1998年09月23日…) — a trailing bracket holding a date or a number.
        if let open = title.lastIndex(where: { $0 == "(" || $0 == "（" }) {
            let inside = title[title.index(after: open)...]
            if inside.contains("年") && inside.contains("日") || inside.contains("号") { title = title[..<open] }
        }
        return String(title.trimmingSpaces())
    }

    /// The issuer: the metadata's, the title's prefix before 关于, a decree's series, an
    /// organisation line in the header, or the signature.
    func issuer(title: String?, number: DocumentNumber?) -> String? {
        if let field = page.field(["发文机关", "发文机构"]) { return field.value }
        if let title, let about = title.firstRange(of: "关于") ?? title.firstRange(of: "關於") {
            let prefix = String(title[..<about.lowerBound])
            if prefix.count >= 2, PageReader.isOrganisation(prefix) { return prefix }
        }
        if let number, number.kind == .decree, !number.isIssuerImplied {
            return String(number.agency.dropLast())
        }
        let body = bodyStartLine
        for index in 0..<min(lines.count, body, 40) {
            let content = lineText(index)
            if content.count <= 30, PageReader.isOrganisation(content), !PageReader.furniture.contains(where: { content.contains($0) }) {
                return content
            }
        }
        return signature()?.issuer
    }

    static let organisationEndings = ["人民政府", "办公室", "办公厅", "政府", "委员会", "厅", "局", "部", "院", "署", "委", "会", "府办"]

    static func isOrganisation(_ text: String) -> Bool {
        !text.contains("关于") && !text.contains("：") && !text.contains(":") && organisationEndings.contains { text.hasSuffix($0) }
            && text.unicodeScalars.allSatisfy { NumberCharacters.isCJK($0.value) || $0 == "、" || $0 == " " }
    }

    /// The signature: an organisation line (perhaps broken over two lines) followed by a date line.
    func signature() -> (issuer: String?, date: Day)? {
        for index in lines.indices {
            let content = lineText(index)
            guard content.unicodeScalars.count <= 16, let first = content.unicodeScalars.first, ChineseDates.value(of: first) != nil,
                  let date = ChineseDates.find(in: content).first, date.range == 0..<content.unicodeScalars.count
            else { continue }
            var organisation: [String] = []
            var previous = index - 1
            while previous >= 0, organisation.count < 2 {
                let line = lineText(previous)
                if line.isEmpty {
                    previous -= 1
                    continue
                }
                guard line.count <= 30, PageReader.isOrganisation(line) || (organisation.isEmpty == false ? false : PageReader.isOrganisation(line + "")) else { break }
                organisation.insert(line, at: 0)
                previous -= 1
            }
            let name = organisation.isEmpty ? nil : organisation.joined()
            return (name, date.day)
        }
        return nil
    }

    /// 成文日期/发布日期 from metadata; else the signature date or a date beside the number;
    /// effect from 自…起施行; expiry from 有效期.
    func dates(into result: inout Extraction, ownNumberIndex: Int?) {
        if let field = page.field(["成文日期", "发文日期"]) { result.issued = ChineseDates.find(in: field.value).first?.day }
        if let field = page.field(["发布日期", "生成日期"]) { result.published = ChineseDates.find(in: field.value).first?.day }
        if result.issued == nil, let ownNumberIndex {
            // A date right beside the number (2015-07-13 after it; 2007年3月31日 … 令第491号公布 before it).
            let match = numbers[ownNumberIndex]
            let line = lines[lineIndex(of: match.scalarOffset)]
            let dates = ChineseDates.find(in: text, range: line)
            if let near = dates.first(where: { abs($0.range.lowerBound - (match.scalarOffset + match.scalarLength)) <= 3 || abs(match.scalarOffset - $0.range.upperBound) <= 3 }) {
                result.issued = near.day
            }
        }
        if result.issued == nil, let signature = signature() { result.issued = signature.date }

        // 自2007年5月1日起施行 / 自公布之日起施行 / 2007年5月1日 施行.
        for line in lines where ["施行", "实施", "生效", "执行"].contains(where: { folded.contains($0, in: line) }) {
            let content = folded.string(line)
            // 自公布之日起施行 (this document takes effect), not 自印发之日起一律停止执行 (others stop).
            for marker in ["公布之日起", "发布之日起", "印发之日起", "下发之日起"] {
                guard let found = content.firstRange(of: marker) else { continue }
                let after = content[found.upperBound...].prefix(6)
                if ["施行", "实施", "生效", "执行"].contains(where: { after.hasPrefix($0) }), result.effective == nil {
                    result.effective = result.published ?? result.issued
                }
            }
            let lineText = ScalarText(content)
            for date in ChineseDates.find(in: lineText) {
                let after = lineText.string(date.range.upperBound..<min(lineText.count, date.range.upperBound + 6))
                let before = lineText.string(max(0, date.range.lowerBound - 2)..<date.range.lowerBound)
                if (before.contains("自") || after.hasPrefix("起") || after.trimmingSpaces().hasPrefix("施行") || after.trimmingSpaces().hasPrefix("实施"))
                    && (after.contains("施行") || after.contains("实施") || after.contains("生效") || after.contains("执行"))
                {
                    if result.effective == nil { result.effective = date.day }
                }
            }
        }
        // 有效期至2022年12月31日 / 有效期5年, in the document's own words (not a site's note).
        for line in lines where folded.contains("有效期", in: line) && !noteSpans.contains(where: { $0.overlaps(line) }) {
            let content = folded.string(line)
            guard let start = content.firstRange(of: "有效期") else { continue }
            let rest = String(content[start.upperBound...])
            if let date = ChineseDates.find(in: String(rest.prefix(20))).first, rest.hasPrefix("至") || rest.hasPrefix("为") || rest.hasPrefix("截止") {
                result.expires = result.expires ?? date.day
            } else if let years = PageReader.leadingYears(rest) {
                result.validity = result.validity ?? (try? ValidityPeriod(years: years))
            }
        }
    }

    /// 5年 / 为5年 / 二年 at the start of `text`.
    static func leadingYears(_ text: String) -> Int? {
        var scalars = Substring(text).unicodeScalars.drop { $0 == "为" || $0 == "是" || $0.isSpaceLike }
        var value = 0
        var digits = 0
        while let first = scalars.first, let digit = ChineseDates.value(of: first) {
            value = value * 10 + digit
            digits += 1
            scalars = scalars.dropFirst()
        }
        guard digits > 0, digits <= 2, scalars.first == "年", value > 0 else { return nil }
        return value
    }

    // MARK: Citations

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
            if cited.contains(where: { $0.start == span.lowerBound }) { continue }
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

    // MARK: Cleanup notices

    /// List rows (序号 文件名称 文号) under a heading that states the outcome, and documents
    /// named in a sentence that states one (宣布失效的…比如《…(皖政办〔2012〕39号)》).
    mutating func dispositions() -> [ExtractedDisposition] {
        var results: [ExtractedDisposition] = []
        var sectionOutcome: DispositionOutcome?
        for (lineNumber, line) in lines.enumerated() {
            let content = lineText(lineNumber)
            guard let first = content.unicodeScalars.first else { continue }
            if first == "附" || folded.contains("目录", in: line) {
                sectionOutcome = PageReader.outcome(in: ScalarText(content), range: nil) ?? sectionOutcome
                continue
            }
            guard first.isASCII, first.properties.numericType != nil else { continue }
            // A row: a position number, then a title and a number.
            let position = content.prefix { $0.isASCII && $0.isNumber }
            guard !position.isEmpty, position.count <= 4, content.dropFirst(position.count).first?.isWhitespace == true else { continue }
            guard let index = numbers.firstIndex(where: { line.contains($0.scalarOffset) }), !claimed.contains(index) else { continue }
            let match = numbers[index]
            let rowOutcome = PageReader.outcome(in: ScalarText(text.string((match.scalarOffset + match.scalarLength)..<line.upperBound)), range: nil)
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
            guard let outcome = PageReader.outcome(in: ScalarText(outsideTitles), range: nil) else { continue }
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
