/// The document's own number, title, issuer and dates.
extension PageReader {
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
            // A number in a list's row (1 | 城市社区…办法 | …令第36号 | 废止) is a listed document's.
            if isListRow(lineIndex(of: offset)) { continue }
            return index
        }
        return nil
    }

    /// Whether a line is a row of a list: table cells, or a position number, spaces and a title
    /// (1    城市社区有线电视系统管理暂行办法    …令第36号    废止).
    func isListRow(_ line: Int) -> Bool {
        let content = lineText(line)
        if let cells = blocks[line].cells {
            if cells.contains(where: { cell in cell.count <= 4 && !cell.isEmpty && cell.allSatisfy(\.isNumber) }) { return true }
            // A row of a table under a list header (序号 | 文件名称 | 文号 | 清理结果).
            var above = line - 1
            while above >= 0, line - above <= 500, let row = blocks[above].cells {
                if PageReader.listColumns(row) != nil { return true }
                above -= 1
            }
            return false
        }
        let position = content.prefix { $0.isASCII && $0.isNumber }
        return !position.isEmpty && position.count <= 4 && content.dropFirst(position.count).first?.isWhitespace == true
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
        if ["根据", "依据", "按照", "依照", "参照", "贯彻", "落实", "同时废止"].contains(where: { folded.contains($0, in: lead) }) { return true }
        // …第7号令发布的《…》…同时废止: the decree of another document, named to repeal it.
        if issuedTitle(after: match) != nil { return true }
        // A number broken over two lines ends past the clause of its first line.
        let end = match.scalarOffset + match.scalarLength
        let after = end..<max(end, sentence(around: end).upperBound)
        return ["同时废止", "一并废止", "予以废止"].contains { folded.contains($0, in: after) }
    }

    /// The title: the metadata's, else the best heading-like line near the top.
    func title(ownNumberIndex: Int?) -> String? {
        if let field = page.field(["标题"]) { return metadataTitle(field.value, ownNumberIndex: ownNumberIndex) }
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
        return best?.title ?? originalTitle() ?? headlineAboveDateline() ?? page.pageTitle.map(PageReader.cleanTitle)
    }

    /// A site's title field that folds the decree number in (盤錦市人民政府令 第58號 關於修改《…》的決定):
    /// the title is the issuer's name and the rest.
    func metadataTitle(_ value: String, ownNumberIndex: Int?) -> String {
        var title = value
        if let ownNumberIndex {
            let number = numbers[ownNumberIndex].number
            let written = NumberScanner.scan(value).first { $0.number == number }
            if let written {
                let scalars = Array(value.unicodeScalars)
                let before = String(String.UnicodeScalarView(scalars[..<written.scalarOffset]))
                let after = String(String.UnicodeScalarView(scalars[(written.scalarOffset + written.scalarLength)...])).trimmingSpaces()
                // The issuer as written: the raw number up to its 令.
                let raw = written.number.raw
                let issuer = number.kind == .decree ? raw.firstRange(of: "令").map { String(raw[..<$0.lowerBound]) } ?? "" : ""
                let rest = String(after)
                if !rest.isEmpty { title = before + (PageReader.removingGlosses(rest).simplifiedCharacters.hasPrefix("关于") ? issuer : "") + rest }
            }
        }
        return PageReader.cleanTitle(title)
    }

    /// (原标题:河北集中清理政府规章规范性文件): a reprinted news item names its title.
    func originalTitle() -> String? {
        for line in lines {
            let content = folded.string(line)
            guard let found = content.firstRange(of: "原标题") else { continue }
            var rest = content[found.upperBound...].drop { $0 == ":" || $0 == "：" || $0 == " " }
            if let close = rest.firstIndex(where: { $0 == ")" || $0 == "）" }) { rest = rest[..<close] }
            let start = line.lowerBound + content.distance(from: content.startIndex, to: rest.startIndex)
            let title = text.string(start..<(start + rest.unicodeScalars.count)).trimmingSpaces()
            if (4...80).contains(title.count) { return String(title) }
        }
        return nil
    }

    /// A news page's headline: the text before its dateline (吉林省废止65项政府规章http://… 2007年11月23日03:07),
    /// or the line above it.
    func headlineAboveDateline() -> String? {
        for (index, line) in lines.prefix(12).enumerated() {
            guard let date = ChineseDates.find(in: text, range: line).first, isDateline(date, in: line) else { continue }
            var head = text.string(line.lowerBound..<date.range.lowerBound)
            if let url = head.firstRange(of: "http") { head = String(head[..<url.lowerBound]) }
            let cleaned = PageReader.cleanTitle(head)
            if cleaned.count >= 4, !PageReader.furniture.contains(where: cleaned.contains), !cleaned.contains("www.") { return cleaned }
            var previous = index - 1
            while previous >= 0, lineText(previous).isEmpty { previous -= 1 }
            guard previous >= 0 else { return nil }
            let above = PageReader.cleanTitle(lineText(previous))
            return (4...80).contains(above.count) && !PageReader.furniture.contains(where: above.contains) ? above : nil
        }
        return nil
    }

    /// Whether a date is a dateline: a time right after it, or the line names its source (来源).
    func isDateline(_ date: ChineseDates.Found, in line: Range<Int>, namesSource: Bool? = nil) -> Bool {
        var index = date.range.upperBound
        while index < line.upperBound, text[index].isSpaceLike { index += 1 }
        let time = index + 2 < line.upperBound && NumberCharacters.digitValue(text[index].value) != nil
            && (text[index + 1] == ":" || text[index + 2] == ":")
        return time || (namesSource ?? folded.contains("来源", in: line))
    }

    func score(_ title: String, line: Int, ownLine: Int?) -> Int {
        var score = 0
        if PageReader.endsWithDocumentType(title) { score += 3 }
        if title.simplifiedCharacters.contains("关于") { score += 2 }
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
        if title.contains("：") || title.contains(":") || title.hasSuffix("|") || title.hasPrefix("【") { score -= 6 }
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
        // 《…的通知》 standing alone on its line is the title itself.
        if title.hasPrefix("《"), title.hasSuffix("》"), title.dropFirst().dropLast().allSatisfy({ $0 != "《" && $0 != "》" }) {
            title = title.dropFirst().dropLast()
        }
        title = Substring(PageReader.removingGlosses(String(title)))
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

    /// The text without the pinyin a site injected after characters: 關(guān)于 → 關于.
    static func removingGlosses(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "(" || scalars[index] == "（", index > 0, NumberCharacters.isCJK(scalars[index - 1].value),
               let close = scalars[index...].firstIndex(where: { $0 == ")" || $0 == "）" }), close - index > 1, close - index <= 8,
               scalars[(index + 1)..<close].allSatisfy({ NumberCharacters.isPinyinLetter($0.value) && $0.properties.isLowercase })
            {
                scalars.removeSubrange(index...close)
            } else {
                index += 1
            }
        }
        return String(String.UnicodeScalarView(scalars))
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
                guard line.count <= 30, PageReader.isOrganisation(line) else { break }
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
        if result.issued == nil, let adopted = adoptionDate() { result.issued = adopted }
        if result.published == nil, let dateline = dateline() { result.published = dateline }

        // 自2007年5月1日起施行 / 自公布之日起施行 / 2007年5月1日 施行.
        // Searched in the folded scalars of each line, not in strings made of them.
        let effectWords = ["施行", "实施", "生效", "执行"].map { Array($0.unicodeScalars) }
        let publicationMarkers = ["公布之日起", "发布之日起", "印发之日起", "下发之日起"]
        for line in lines where effectWords.contains(where: { word in folded.find(word, in: line) != nil }) {
            // 自公布之日起施行 (this document takes effect), not 自印发之日起一律停止执行 (others stop).
            for marker in publicationMarkers {
                guard let found = folded.find(marker, in: line) else { continue }
                let after = found + marker.unicodeScalars.count
                if effectWords.contains(where: { after + $0.count <= line.upperBound && folded.matches($0, at: after) }), result.effective == nil {
                    result.effective = result.published ?? result.issued
                }
            }
            for date in ChineseDates.find(in: folded, range: line) {
                let after = folded.string(date.range.upperBound..<min(line.upperBound, date.range.upperBound + 6))
                let before = folded.string(max(line.lowerBound, date.range.lowerBound - 2)..<date.range.lowerBound)
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
            // The document's own period, not one it sets for something else: the sentence speaks of
            // the document (本意见自…起施行，有效期5年; 本办法有效期至…; 有效期5年。), not of a
            // licence or a filing (知识产权海关保护备案自…生效，有效期为10年).
            let sentence = content[..<start.lowerBound].split(omittingEmptySubsequences: false, whereSeparator: { "。；;".contains($0) }).last ?? ""
            var lead = sentence.trimmingSpaces()
            // 第一条 本办法有效期…: the article's number is not the subject.
            if lead.hasPrefix("第"), let article = lead.firstIndex(of: "条"), lead.distance(from: lead.startIndex, to: article) <= 8 {
                lead = lead[lead.index(after: article)...].trimmingSpaces()
            }
            guard lead.isEmpty || lead.hasPrefix("本") || lead.hasPrefix("此") else { continue }
            let rest = String(content[start.upperBound...])
            if let date = ChineseDates.find(in: String(rest.prefix(20))).first, rest.hasPrefix("至") || rest.hasPrefix("为") || rest.hasPrefix("截止") {
                result.expires = result.expires ?? date.day
            } else if let years = PageReader.leadingYears(rest) {
                result.validity = result.validity ?? (try? ValidityPeriod(years: years))
            }
        }
    }

    /// The day a meeting adopted this document, from its header: 2004年5月27日 …常务委员会第八次会议
    /// 通过. Not a date in brackets after another document's title (《某某条例》（1992年9月19日…通过）):
    /// that is the listed document's.
    func adoptionDate() -> Day? {
        let headerEnd = min(lines.count, max(bodyStartLine, 1), 15)
        for line in lines.prefix(headerEnd) where folded.contains("通过", in: line) {
            for date in ChineseDates.find(in: text, range: line) {
                let clause = sentence(around: date.range.lowerBound)
                let rest = folded.string(date.range.upperBound..<min(clause.upperBound, date.range.upperBound + 40))
                guard let passed = rest.firstRange(of: "通过"), rest[..<passed.lowerBound].contains("会议") else { continue }
                guard !insideTitle(date.range.lowerBound), !followsTitleInBrackets(date.range.lowerBound, from: clause.lowerBound) else { continue }
                return date.day
            }
        }
        return nil
    }

    /// The date a news page or a site's copy was put out, from its dateline near the top:
    /// 2017-05-16 15:39 來源: 新華社, www.gov.cn 2007年02月08日 來源:新華社, 2008年11月06日04:26.
    func dateline() -> Day? {
        for line in lines.prefix(12) {
            // Whether the line names a source is asked once, not once per date on it (a line of thousands of dates).
            let namesSource = folded.contains("来源", in: line)
            if let date = ChineseDates.find(in: text, range: line).first(where: { isDateline($0, in: line, namesSource: namesSource) }) { return date.day }
        }
        return nil
    }

    /// Whether `offset` is inside a bracket that opens right after a 《title》.
    func followsTitleInBrackets(_ offset: Int, from start: Int) -> Bool {
        var open = offset - 1
        var depth = 0
        while open >= start {
            if text[open] == ")" || text[open] == "）" { depth += 1 }
            if text[open] == "(" || text[open] == "（" {
                if depth == 0 { break }
                depth -= 1
            }
            open -= 1
        }
        guard open >= start else { return false }
        var before = open - 1
        while before >= 0, text[before].isSpaceLike { before -= 1 }
        return before >= 0 && text[before] == "》"
    }

    /// 5年 / 为5年 / 二年 at the start of `text`.
    static func leadingYears(_ text: String) -> Int? {
        var scalars = Substring(text).unicodeScalars.drop { $0 == "为" || $0 == "是" || $0.isSpaceLike }
        var value = 0
        var digits = 0
        // A period is one or two digits; a longer run is not a period (and must not overflow).
        while let first = scalars.first, let digit = ChineseDates.value(of: first) {
            digits += 1
            if digits <= 2 { value = value * 10 + digit }
            scalars = scalars.dropFirst()
        }
        guard digits > 0, digits <= 2, scalars.first == "年", value > 0 else { return nil }
        return value
    }
}
