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
}
