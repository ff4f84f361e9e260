/// What a cleanup notice, or a repeal or amendment decision, decides about the documents it names.
///
/// An outcome is stated by a heading or a list item that names no document (一、废止下列规章,
/// 二、宣布失效的规范性文件（12件）, 继续有效的文件目录), by a lead sentence (决定废止下列规章：,
/// …作如下修改：), by a table column (清理结果, 处理意见, 备注), or by the item itself (废止《…》).
/// The items under an outcome are the list items of the first style that follows it (their own
/// sub-items — 1.删去第十一条 — are edits, not documents), table rows, and flattened rows
/// (1 关于…的通知 达市府发〔2000〕65号).
extension PageReader {
    /// A document named in the text: its 《title》 and the number given with it.
    struct Named {
        var title: String?
        var titleSpan: Range<Int>?
        var numberIndex: Int?
        var start: Int
        var end: Int
    }

    /// An outcome in force over the items that follow it.
    struct OutcomeContext {
        var outcome: DispositionOutcome
        var planned: Bool
        /// The style of the item that stated it; nil for a lead sentence, a heading or a table.
        var style: ListMarker.Style?
        /// The style of the items it governs, fixed by the first one.
        var itemStyle: ListMarker.Style?
        var count: StatedCount?
    }

    /// The columns of a list table, from its header row.
    struct ListColumns {
        var title: Int?
        var number: Int?
        var outcome: Int?
        /// The last outcome read in the outcome column: a merged cell covers the rows below it.
        var carried: (outcome: DispositionOutcome, planned: Bool)?
    }

    static let titleHeaders = ["文件名称", "规章名称", "法规名称", "名称", "标题", "文件标题", "文件题目", "title"]
    static let numberHeaders = ["文号", "发文字号", "文件编号", "发文文号", "编号", "number"]
    static let outcomeHeaders = ["清理结果", "清理意见", "处理意见", "处理结果", "审查结果", "审查意见", "结果", "备注", "outcome"]

    mutating func dispositions() -> (dispositions: [ExtractedDisposition], counts: [StatedCount]) {
        var results: [ExtractedDisposition] = []
        var counts: [StatedCount] = []
        var context: OutcomeContext?
        var columns: ListColumns?
        for (lineNumber, block) in blocks.enumerated() where !block.range.isEmpty && !inNote(block.range.lowerBound) {
            let content = lineText(lineNumber)
            if let cells = block.cells {
                if let header = PageReader.listColumns(cells) {
                    columns = header
                    continue
                }
                if var current = columns {
                    results += tableRow(block, cells: cells, columns: &current, context: context)
                    columns = current
                    continue
                }
            }
            let named = namedDocuments(in: block.range)
            let statesOutcome = mayStateOutcome(block.range)
            // Most blocks name nothing and state nothing: only a heading that starts a part or a
            // flattened row (which needs a number) can matter then.
            if named.isEmpty, !statesOutcome, block.marker == nil, numberIndices(in: block.range).isEmpty, !PageReader.startsPart(content) {
                continue
            }
            let lead = named.first.map { text.string(block.range.lowerBound..<max(block.range.lowerBound, $0.start)) } ?? ""
            let summary = named.first.flatMap { summaryCount(after: $0.end) }
            // A block that names no document (or names one for a group: 《…》等29件) and states an
            // outcome sets it for what follows.
            let isSubItem = block.marker.map { marker in context?.itemStyle.map { marker.style > $0 } ?? false } ?? false
            let words = named.isEmpty || summary != nil ? (statesOutcome && !isSubItem ? outsideTitles(block.range) : "") : ""
            if !words.isEmpty, isOutcomeHeading(block, content: content, words: words), let outcome = DispositionOutcome(phrase: words) {
                PageReader.close(context, results: results, counts: &counts)
                let stated = statedCount(in: block.range, outcome: outcome, listedBefore: results.count) ?? summary.map { summary in
                    // 对《…》等二十九件司法解释等作如下修改: the clause from the title on.
                    let from = max(clauseStart(before: named[0].start, limit: block.range.lowerBound), named[0].start - 20)
                    var to = summary.end
                    while to < block.range.upperBound, !["，", ",", "。", "；", ";"].contains(text[to]) { to += 1 }
                    if to < block.range.upperBound, text[to] != "，", text[to] != "," { to += 1 }
                    let quote = String(text.string(from..<to).trimmingSpaces())
                    var stated = StatedCount(outcome: outcome, planned: DispositionOutcome.isPlanned(content), count: summary.count, quote: quote, listedBefore: results.count)
                    stated.firstTitle = named[0].title
                    return stated
                }
                context = OutcomeContext(
                    outcome: outcome, planned: DispositionOutcome.isPlanned(words), style: block.marker?.style, itemStyle: nil,
                    count: stated)
                columns = nil
                if summary != nil {
                    // 对《X》等29件…作如下修改: X is among them.
                    results += inline(block, named: named)
                }
                continue
            }
            if let marker = block.marker {
                // An item at or above the context's own level ends it.
                if let style = context?.style, marker.style <= style {
                    PageReader.close(context, results: results, counts: &counts)
                    context = nil
                }
                guard !named.isEmpty else { continue }
                let run = firstRun(named[...]).filter(isDocument)
                guard !run.isEmpty else { continue }
                let own = itemOutcome(lead: lead, after: run.last!.end, block: block)
                if let own {
                    results += run.map { disposition($0, outcome: own.outcome, planned: own.planned, block: block) }
                } else if var governing = context, governing.itemStyle == nil || governing.itemStyle == marker.style,
                          ["", "在", "将"].contains(String(lead.simplifiedCharacters.trimmingSpaces()))
                {
                    // The item names its document first (（一）《…》, 1.在《…》第七条中…): an item that
                    // only mentions one (对…是否符合《…》作出评价) is a law's clause, not a list entry.
                    governing.itemStyle = marker.style
                    context = governing
                    results += run.map { disposition($0, outcome: governing.outcome, planned: governing.planned, block: block) }
                }
                continue
            }
            // A short heading that states no outcome (附件三：在香港特别行政区实施的全国性法律) starts
            // another part of the page: the outcome above no longer governs.
            if context != nil, named.isEmpty, content.count <= 30, !content.contains(where: { "。，,；;".contains($0) }), !content.hasSuffix("："),
               PageReader.startsPart(content)
            {
                PageReader.close(context, results: results, counts: &counts)
                context = nil
            }
            if let row = flattenedRow(block, content: content, context: context) {
                results.append(row)
                continue
            }
            if statesOutcome { results += inline(block, named: named) }
        }
        PageReader.close(context, results: results, counts: &counts)
        counts += groupCounts
        // A group named by one of its documents and listed elsewhere on the page (a gazette's contents).
        for (position, count) in counts.enumerated() where (count.listed ?? 0) < count.count {
            guard let title = count.firstTitle else { continue }
            let found = listedElsewhere(startingWith: title, count: count.count, outcome: count.outcome, planned: count.planned)
            guard !found.isEmpty else { continue }
            results += found
            counts[position].listed = PageReader.unique(found).count
        }
        counts += statedCountsInText(excluding: counts)
        return (PageReader.unique(results), counts)
    }

    /// 附件三：…, 附表, 第二章 …, # …: the start of another part of a page.
    static func startsPart(_ line: String) -> Bool {
        guard let first = line.unicodeScalars.first, first == "附" || first == "#" || first == "第" else { return false }
        // 附件/附表/#, or 第…章 with a numeral of a few characters: the head of the line is enough.
        let text = String(line.prefix(16)).simplifiedCharacters
        if text.hasPrefix("附件") || text.hasPrefix("附表") || text.hasPrefix("#") { return true }
        guard text.hasPrefix("第"), let unit = text.dropFirst().firstIndex(where: { "章编部分".contains($0) }) else { return false }
        return text[text.index(after: text.startIndex)..<unit].allSatisfy { "一二三四五六七八九十百零〇0123456789".contains($0) }
    }

    /// The count a closing list stated, with the documents read under it.
    static func close(_ context: OutcomeContext?, results: [ExtractedDisposition], counts: inout [StatedCount]) {
        guard var count = context?.count else { return }
        count.listed = unique(Array(results[min(count.listedBefore, results.count)...])).count
        counts.append(count)
    }

    // MARK: Documents named

    /// The documents a range names: each 《title》 with the number inside it or in the bracket
    /// after it, and numbers named alone, in order.
    func namedDocuments(in range: Range<Int>) -> [Named] {
        var named: [Named] = []
        var used: Set<Int> = []
        for span in titleSpanIndices(in: range).map({ titleSpans[$0] }) where span.upperBound <= range.upperBound && !inNote(span.lowerBound) {
            let inner = (span.lowerBound + 1)..<(span.upperBound - 1)
            var entry = Named(title: nil, titleSpan: span, numberIndex: nil, start: span.lowerBound, end: span.upperBound)
            if let inside = numberIndices(in: inner).first(where: { !claimed.contains($0) }) {
                entry.numberIndex = inside
                entry.title = String(text.string(inner.lowerBound..<numbers[inside].scalarOffset).trimmingSpaces().trimmingTrailing(["(", "（"]).trimmingSpaces())
            } else {
                entry.title = String(text.string(inner).trimmingSpaces())
                if let (index, end) = numberInBracket(after: span.upperBound, limit: range.upperBound) {
                    entry.numberIndex = index
                    entry.end = end
                }
            }
            if let index = entry.numberIndex { used.insert(index) }
            if entry.title?.isEmpty == true { entry.title = nil }
            named.append(entry)
        }
        // Whether an offset lies inside a name found so far, asked without walking them all (a
        // flood of names and numbers was quadratic): the titles sorted by start with the furthest
        // end so far, and the numbers, which come in order, by the furthest end of theirs.
        let titles = named.sorted { $0.start < $1.start }
        var reach: [Int] = []
        reach.reserveCapacity(titles.count)
        for entry in titles { reach.append(max(reach.last ?? Int.min, entry.end)) }
        func insideTitleName(_ offset: Int) -> Bool {
            var low = 0, high = titles.count
            while low < high {
                let middle = (low + high) / 2
                if titles[middle].start <= offset { low = middle + 1 } else { high = middle }
            }
            return low > 0 && reach[low - 1] > offset
        }
        var numbersReach = Int.min
        var numbersStart = Int.max
        for index in numberIndices(in: range) where !used.contains(index) && !claimed.contains(index) {
            let match = numbers[index]
            guard !insideTitle(match.scalarOffset), !inNote(match.scalarOffset) else { continue }
            guard !insideTitleName(match.scalarOffset), !(numbersStart <= match.scalarOffset && match.scalarOffset < numbersReach) else { continue }
            let entry = Named(title: nil, titleSpan: nil, numberIndex: index, start: match.scalarOffset, end: citationEnd(match))
            numbersStart = min(numbersStart, entry.start)
            numbersReach = max(numbersReach, entry.end)
            named.append(entry)
        }
        return named.sorted { $0.start < $1.start }
    }

    /// A number in the bracket right after a title: 《…》(国家广播电影电视总局令第36号), or
    /// 《…》（1990年7月6日省政府令第7号发布）; not the decree that amended it (…第9号修正).
    func numberInBracket(after end: Int, limit: Int) -> (index: Int, end: Int)? {
        var index = end
        while index < limit, text[index].isSpaceLike { index += 1 }
        guard index < limit, text[index] == "(" || text[index] == "（" else { return nil }
        var close = index + 1
        while close < limit, text[close] != ")" && text[close] != "）" && text[close] != "\n" { close += 1 }
        guard close < limit, text[close] == ")" || text[close] == "）" else { return nil }
        guard let first = numberIndices(in: index..<close).first(where: { !claimed.contains($0) }) else {
            return nil
        }
        let before = folded.string((index + 1)..<numbers[first].scalarOffset)
        if ["修正", "修订", "修改"].contains(where: before.contains) { return nil }
        return (first, close + 1)
    }

    /// The first run of documents: those joined to the first by 、 和 及.
    /// The documents named one after another from the first of `named`, joined by 、 和 及 ….
    /// A slice, so that walking a block's names run by run copies nothing (a flood of names was quadratic).
    func firstRun(_ named: ArraySlice<Named>) -> [Named] {
        guard let head = named.first else { return [] }
        var run = [head]
        for next in named.dropFirst() {
            guard next.start >= run.last!.end, PageReader.joins(text.string(run.last!.end..<next.start)) else { break }
            run.append(next)
        }
        return run
    }

    /// 等29件 / 等二十九件 / 等三项 after a document: it stands for a group.
    func summaryCount(after end: Int) -> (count: Int, end: Int)? {
        var index = end
        while index < text.count, text[index].isSpaceLike { index += 1 }
        guard index < text.count, text[index] == "等" else { return nil }
        index += 1
        return countWord(at: index)
    }

    /// 29件, 二十九件, 3项 at `index`.
    func countWord(at start: Int) -> (count: Int, end: Int)? {
        var index = start
        var value = 0
        var current = 0
        var digits = 0
        while index < text.count, digits < 8 {
            let scalar = text[index]
            if let digit = NumberCharacters.digitValue(scalar.value) {
                value = value * 10 + digit
            } else if let digit = NumberCharacters.chineseDigit(scalar.value), scalar != "O" {
                current = digit
            } else if scalar == "十" || scalar == "百" || scalar == "千" {
                let unit = scalar == "十" ? 10 : scalar == "百" ? 100 : 1000
                value += (current == 0 ? 1 : current) * unit
                current = 0
            } else {
                break
            }
            digits += 1
            index += 1
        }
        value += current
        guard digits > 0, index < text.count, ["件", "项", "部", "个", "篇"].contains(text[index]), value > 0 else { return nil }
        return (value, index + 1)
    }

    /// The block's text outside 《》 titles, folded to simplified characters.
    func outsideTitles(_ range: Range<Int>) -> String {
        var result = String.UnicodeScalarView()
        for index in range where !insideTitle(index) && titleSpan(startingAtOrBefore: index)?.lowerBound != index {
            result.append(folded[index])
        }
        return String(result)
    }

    // MARK: Outcomes

    /// The first two characters of every outcome word, as pairs of scalars.
    static let outcomeBigrams: Set<UInt64> = {
        // 续有 (继续有效) and 续执 (继续执行), not 继续 or 有效, which ordinary text is full of.
        let words = ["废止", "修改", "修订", "修正", "保留", "续有", "续执", "失效", "撤销", "停止", "不再", "届满"]
        return Set(words.map { word in
            let scalars = Array(word.unicodeScalars)
            return UInt64(scalars[0].value) << 32 | UInt64(scalars[1].value)
        })
    }()

    /// Whether a range holds an outcome word at all: a scan of scalar pairs, so the many blocks
    /// that state none cost one pass (the word searches after it are string searches).
    func mayStateOutcome(_ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        while index + 1 < range.upperBound {
            let first = folded[index].value
            // A bit per BMP scalar for the pairs' first scalars: most scalars are rejected without hashing.
            if first < 0x10000, PageReader.outcomeFirstScalars[Int(first >> 6)] & (1 << UInt64(first & 63)) != 0,
               PageReader.outcomeBigrams.contains(UInt64(first) << 32 | UInt64(folded[index + 1].value))
            {
                return true
            }
            index += 1
        }
        return false
    }

    static let outcomeFirstScalars: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for pair in outcomeBigrams {
            let first = Int(pair >> 32)
            bits[first >> 6] |= 1 << UInt64(first & 63)
        }
        return bits
    }()

    /// Whether a block reads as stating an outcome for what follows: a list item, a lead sentence
    /// (…下列规章：, …作如下修改：), or a short heading (继续有效的规范性文件目录).
    func isOutcomeHeading(_ block: PageBlock, content: String, words: String) -> Bool {
        // The length limits below first, so a long paragraph costs one count, not twenty searches.
        let length = words.count
        let leads = words.contains("下列") || words.contains("如下") || words.contains("以下")
        if block.marker != nil ? length > 60 : !leads && length > 80 { return false }
        if words.contains("同时废止") || words.contains("根据") && !words.contains("下列") && !words.contains("如下") { return false }
        // 1.将第五条修改为：… and 2.删去第九条 are edits of a document, not outcomes for a list.
        if ["修改为", "改为", "修订为", "删去", "删除", "增加", "增设"].contains(where: words.contains) || words.hasPrefix("将") || words.hasPrefix("在") {
            return false
        }
        // The outcome is said of documents (下列规章, 规范性文件目录), not of cases or papers a law
        // deals with (有下列情形之一的，撤销登记; 提交下列材料).
        let documentWords = ["文件", "规章", "法规", "条例", "办法", "规定", "决定", "目录", "清单", "名单", "解释", "政策", "件）", "件)"]
        let otherWords = ["情形", "之一", "行为", "材料", "证书", "许可证", "执照", "登记", "资格"]
        guard documentWords.contains(where: words.contains), !otherWords.contains(where: words.contains) else { return false }
        if block.marker != nil || leads { return true }
        if content.hasSuffix("：") || content.hasSuffix(":") { return length <= 80 }
        return length <= 40
    }

    /// The outcome an item states itself: (四)修改《…》, 一、废止《…》, 《…》(…号)继续有效.
    func itemOutcome(lead: String, after end: Int, block: PageBlock) -> (outcome: DispositionOutcome, planned: Bool)? {
        let leadWords = String(lead.simplifiedCharacters.trimmingSpaces())
        if !leadWords.isEmpty, leadWords.count <= 8, !leadWords.contains("根据"), let outcome = DispositionOutcome(phrase: leadWords) {
            return (outcome, DispositionOutcome.isPlanned(leadWords))
        }
        let tail = folded.string(min(end, block.range.upperBound)..<block.range.upperBound).trimmingSpaces().prefix { !["，", ",", "。", "；", ";"].contains($0) }
        // …同时废止 is the document's own repeal clause: a `repeals` citation.
        if tail.contains("同时废止") || tail.contains("一并废止") { return nil }
        if tail.count <= 12, let outcome = DispositionOutcome(phrase: String(tail)) {
            return (outcome, DispositionOutcome.isPlanned(String(tail)))
        }
        return nil
    }

    /// Documents disposed of in running text: 决定废止《…》, 关于修改《…》的决定, 拟修改的文件包括《…》、《…》,
    /// 对《…》进行修改, 《…》等被列入拟保留的文件; not …同时废止 (the document's own repeal
    /// clause: a `repeals` citation) and not a history note (…的决定第二次修正).
    mutating func inline(_ block: PageBlock, named: [Named]) -> [ExtractedDisposition] {
        var results: [ExtractedDisposition] = []
        var index = 0
        while index < named.count {
            let whole = firstRun(named[index...])
            index += whole.count
            let run = whole.filter(isDocument)
            guard let first = run.first else { continue }
            guard first.titleSpan != nil || first.numberIndex != nil else { continue }
            let clauseStart = clauseStart(before: first.start, limit: block.range.lowerBound)
            let leadWords = String(outsideTitles(clauseStart..<first.start).suffix(10))
            let sentence = self.sentence(around: run.last!.end)
            let afterEnd = min(sentence.upperBound, block.range.upperBound)
            let after = outsideTitles(min(run.last!.end, afterEnd)..<afterEnd)
            if after.prefix(30).contains("修正") || after.prefix(30).contains("修订") { continue }
            if leadWords.contains("同时") || leadWords.contains("根据") || leadWords.contains("依据") || leadWords.contains("按照") { continue }
            var stated: (DispositionOutcome, Bool)?
            // A parenthetical note (1998年4月30日修订…第90号令发布) is history, not a decision.
            if insideParentheses(first.start, from: block.range.lowerBound) { continue }
            if let outcome = DispositionOutcome(phrase: leadWords), PageReader.verbGoverns(leadWords) {
                stated = (outcome, DispositionOutcome.isPlanned(leadWords))
            } else if leadWords.hasSuffix("对") || leadWords.hasSuffix("将") {
                let clause = after.prefix { !["，", ",", "。", "；", ";"].contains($0) }
                if ["进行", "予以", "作", "做"].contains(where: clause.contains), let outcome = DispositionOutcome(phrase: String(clause)) {
                    stated = (outcome, DispositionOutcome.isPlanned(String(clause)))
                }
            } else if let listed = after.firstRange(of: "列入"), !["未", "不", "没"].contains(where: { after[..<listed.lowerBound].hasSuffix($0) }) {
                // 《…》等被列入拟保留的文件中 (not 未列入…目录: the closed-list rule).
                let rest = String(after[listed.upperBound...].prefix(8))
                if let outcome = DispositionOutcome(phrase: rest) { stated = (outcome, DispositionOutcome.isPlanned(rest)) }
            }
            let numberInsideTitle = run.contains { entry in
                guard let index = entry.numberIndex, let span = entry.titleSpan else { return false }
                return span.contains(numbers[index].scalarOffset)
            }
            if stated == nil, numberInsideTitle {
                // 宣布失效的767件文件…比如《…(皖政辦〔2012〕39號)》: the outcome in the sentence before the titles.
                let words = outsideTitles(min(sentence.lowerBound, first.start)..<first.start)
                if !words.contains("同时"), let outcome = DispositionOutcome(phrase: words) { stated = (outcome, DispositionOutcome.isPlanned(words)) }
            }
            guard let (outcome, planned) = stated else { continue }
            results += run.map { disposition($0, outcome: outcome, planned: planned, block: nil) }
            // 决定对《X》等18件省政府规章进行修改: X stands for a group of a stated size.
            if run.count == 1, let group = summaryCount(after: first.end) {
                var count = StatedCount(
                    outcome: outcome, planned: planned, count: group.count,
                    quote: String(text.string(first.start..<min(group.end, block.range.upperBound)).trimmingSpaces()), listedBefore: 0, listed: 1)
                count.firstTitle = first.title
                groupCounts.append(count)
            }
        }
        return results
    }

    /// Whether an outcome word ends the lead before a title, or only 的…包括 stands between
    /// (废止《…》, 关于修改《…》, 拟修改的文件包括《…》); not 修订的《…》 (the revised …) nor 对《…》.
    static func verbGoverns(_ lead: String) -> Bool {
        let words = ["继续有效", "保留", "继续执行", "修改", "修订", "修正", "废止", "撤销", "宣布失效", "失效", "停止执行", "不再执行"]
        var best: Range<String.Index>?
        for word in words {
            if let found = lead.ranges(of: word).last, best.map({ found.upperBound > $0.upperBound }) ?? true { best = found }
        }
        guard let verb = best else { return false }
        // Decided or proposed (决定废止, 关于修改, 拟修改, 同意废止), not an act a law describes (制定或者修改《…》).
        let before = lead[..<verb.lowerBound]
        let deciding = ["决定", "关于", "拟", "同意", "批准", "现予", "予以", "一并", "建议", "会议"]
        guard before.isEmpty || deciding.contains(where: { before.hasSuffix($0) }) else { return false }
        let between = lead[verb.upperBound...]
        if between.isEmpty { return true }
        return between.hasPrefix("的") && ["包括", "有", "为", "是", "如"].contains(where: { between.hasSuffix($0) })
    }

    /// Whether `offset` sits inside a bracket opened after `start` and not yet closed.
    func insideParentheses(_ offset: Int, from start: Int) -> Bool {
        var depth = 0
        var index = offset - 1
        let start = max(start, offset - PageReader.sentenceReach)
        while index >= start {
            switch text[index] {
            case ")", "）": depth += 1
            case "(", "（":
                if depth == 0 { return true }
                depth -= 1
            default: break
            }
            index -= 1
        }
        return false
    }

    /// Where the clause holding `offset` starts: after the last ， 。 ； ： before it in the block.
    func clauseStart(before offset: Int, limit: Int) -> Int {
        var index = offset
        let limit = max(limit, offset - PageReader.sentenceReach)
        while index > limit, !["，", ",", "。", "；", ";", "：", ":", "\n"].contains(text[index - 1]) || insideTitle(index - 1) { index -= 1 }
        return index
    }

    /// Whether a named thing can be a document a decision disposes of: a number, or a title that
    /// ends as documents' titles do (…办法, …的通知, …解释), not a certificate or a form (《登记证书》).
    func isDocument(_ named: Named) -> Bool {
        named.numberIndex != nil || named.title.map(PageReader.isDocumentTitle) ?? false
    }

    /// …若干问题的规定（二）, …办法(试行), 規(guī)定: a document type at the end, once glosses and a
    /// short bracket after it are set aside.
    static func isDocumentTitle(_ title: String) -> Bool {
        var text = Substring(removingGlosses(title).simplifiedCharacters.trimmingSpaces())
        while let last = text.last, last == "）" || last == ")", let open = text.lastIndex(where: { $0 == "（" || $0 == "(" }),
              text.distance(from: open, to: text.endIndex) <= 8
        {
            text = text[..<open]
        }
        return endsWithDocumentType(String(text)) || text.hasSuffix("解释")
    }

    mutating func disposition(_ named: Named, outcome: DispositionOutcome, planned: Bool, block: PageBlock?) -> ExtractedDisposition {
        let number = named.numberIndex.map { numbers[$0].number }
        if let index = named.numberIndex { claimed.insert(index) }
        if let span = named.titleSpan { claimedTitles.insert(span.lowerBound) }
        let quote = block.map { text.string($0.range) } ?? text.string(named.start..<named.end)
        return ExtractedDisposition(
            number: number, title: named.title.map(PageReader.stripTitleMarks), outcome: outcome, planned: planned,
            evidence: String(quote.trimmingSpaces()))
    }

    // MARK: Tables

    /// The columns of a header row, when it is one: a title or number column, and perhaps an outcome.
    static func listColumns(_ cells: [String]) -> ListColumns? {
        // A header cell is a word or two; a long cell is a row's content, never a header.
        let labels = cells.map { cell -> String in
            guard cell.unicodeScalars.count <= 24 else { return "" }
            let label = PageText.label(cell)
            return label.unicodeScalars.contains(where: { $0.properties.isUppercase }) ? label.lowercased() : label
        }
        func column(_ names: [String]) -> Int? { labels.firstIndex(where: names.contains) }
        let title = column(titleHeaders)
        let number = column(numberHeaders)
        guard title != nil || number != nil else { return nil }
        return ListColumns(title: title, number: number, outcome: column(outcomeHeaders))
    }

    /// One row of a list table under its header.
    mutating func tableRow(_ block: PageBlock, cells: [String], columns: inout ListColumns, context: OutcomeContext?) -> [ExtractedDisposition] {
        func cell(_ index: Int?) -> String? {
            guard let index, index < cells.count, !cells[index].isEmpty else { return nil }
            return cells[index]
        }
        var outcome = context.map { ($0.outcome, $0.planned) }
        if let phrase = cell(columns.outcome), let stated = DispositionOutcome(phrase: phrase) {
            outcome = (stated, DispositionOutcome.isPlanned(phrase))
            columns.carried = outcome
        } else if cell(columns.outcome) == nil, let carried = columns.carried {
            outcome = carried
        }
        guard let (decided, planned) = outcome else { return [] }
        let numberIndex = numberIndices(in: block.range).first { !claimed.contains($0) }
        let titleText = cell(columns.title).map { PageReader.stripTitleMarks(String($0.trimmingSpaces())) }
        guard numberIndex != nil || titleText != nil else { return [] }
        if let numberIndex { claimed.insert(numberIndex) }
        var title = titleText
        if let number = numberIndex.map({ numbers[$0].number }), let written = title, let range = written.firstRange(of: number.raw) {
            title = String(written[..<range.lowerBound].trimmingSpaces().trimmingTrailing(["(", "（"]).trimmingSpaces())
        }
        return [ExtractedDisposition(
            number: numberIndex.map { numbers[$0].number }, title: title?.isEmpty == true ? nil : title, outcome: decided, planned: planned,
            evidence: text.string(block.range))]
    }

    /// A list row flattened into a line: a position number, a title and a number
    /// (1 关于城市规划建设管理规定的通知 达市府发〔2000〕65号), its outcome after the number or above it.
    mutating func flattenedRow(_ block: PageBlock, content: String, context: OutcomeContext?) -> ExtractedDisposition? {
        guard let first = content.unicodeScalars.first, first.isASCII, first.properties.numericType != nil else { return nil }
        let position = content.prefix { $0.isASCII && $0.isNumber }
        guard !position.isEmpty, position.count <= 4, content.dropFirst(position.count).first?.isWhitespace == true else { return nil }
        guard let index = numberIndices(in: block.range).first, !claimed.contains(index) else { return nil }
        let match = numbers[index]
        let numberEnd = match.scalarOffset + match.scalarLength
        let tail = text.string(min(numberEnd, block.range.upperBound)..<block.range.upperBound)
        let rowOutcome = DispositionOutcome(phrase: tail).map { ($0, DispositionOutcome.isPlanned(tail)) }
        guard let (outcome, planned) = rowOutcome ?? context.map({ ($0.outcome, $0.planned) }) else { return nil }
        claimed.insert(index)
        let titleStart = block.range.lowerBound + position.unicodeScalars.count
        let title = text.string(min(titleStart, match.scalarOffset)..<match.scalarOffset).trimmingSpaces().trimmingCharacters(where: { $0 == "|" || $0.isWhitespace })
        return ExtractedDisposition(
            number: match.number, title: title.isEmpty ? nil : PageReader.stripTitleMarks(String(title)), outcome: outcome, planned: planned,
            evidence: text.string(block.range.lowerBound..<(match.scalarOffset + match.scalarLength)))
    }

    static func stripTitleMarks(_ title: String) -> String {
        var result = Substring(title)
        if result.hasPrefix("《") { result = result.dropFirst() }
        if result.hasSuffix("》") { result = result.dropLast() }
        return String(result)
    }

    /// One disposition per document: the first wins (a later item that names it again is an edit to it).
    static func unique(_ dispositions: [ExtractedDisposition]) -> [ExtractedDisposition] {
        var seen: Set<String> = []
        return dispositions.filter { disposition in
            let key = disposition.number?.canonical ?? disposition.title.map { "《\($0.simplifiedCharacters)》" } ?? disposition.evidence
            return seen.insert(key).inserted
        }
    }

    /// N documents listed one a line from the line holding `title`, as a gazette's contents list
    /// the rules a decree amends (河北省城市维护建设税实施细则(15) — the page number in brackets):
    /// taken only when the run holds exactly the N the decision counts.
    mutating func listedElsewhere(startingWith title: String, count: Int, outcome: DispositionOutcome, planned: Bool) -> [ExtractedDisposition] {
        func entry(_ line: Int) -> String? {
            var content = Substring(lineText(line))
            // Cut a page number in brackets and anything run on after it.
            if let open = content.firstIndex(where: { $0 == "(" || $0 == "（" }) {
                let rest = content[content.index(after: open)...]
                if let close = rest.firstIndex(where: { $0 == ")" || $0 == "）" }), !rest[..<close].isEmpty, rest[..<close].allSatisfy(\.isNumber) {
                    content = content[..<open]
                }
            }
            let candidate = String(content.trimmingSpaces())
            guard (4...60).contains(candidate.count), PageReader.endsWithDocumentType(candidate),
                  !candidate.contains(where: { "，。：:；、《》|".contains($0) })
            else { return nil }
            return candidate
        }
        guard let start = lines.indices.first(where: { entry($0) == title }) else { return [] }
        var found: [(String, Int)] = []
        var line = start
        while line < lines.count, let name = entry(line), found.count <= count {
            found.append((name, line))
            line += 1
        }
        guard found.count == count else { return [] }
        return found.map { name, line in
            ExtractedDisposition(number: nil, title: name, outcome: outcome, planned: planned, evidence: lineText(line))
        }
    }

    // MARK: Counts

    /// A count an outcome heading states: 二、宣布失效的规范性文件（12件）, 继续有效270件 — the words right
    /// before the count name its outcome; in a short heading the heading's own outcome holds.
    func statedCount(in range: Range<Int>, outcome: DispositionOutcome, listedBefore: Int) -> StatedCount? {
        for found in counts(in: range) {
            if let stated = DispositionOutcome(phrase: found.words), !found.words.contains("清理") {
                return StatedCount(outcome: stated, planned: DispositionOutcome.isPlanned(found.words), count: found.count, quote: found.quote, listedBefore: listedBefore)
            }
            if range.count <= 40 {
                let heading = text.string(range)
                return StatedCount(outcome: outcome, planned: DispositionOutcome.isPlanned(heading), count: found.count, quote: heading, listedBefore: listedBefore)
            }
        }
        return nil
    }

    /// Every count (29件, 二十九项) in `range`, with the words of its clause right before it.
    /// The counts in a range, with the words before each. With `outcomesOnly`, a count whose words
    /// cannot name an outcome (三个方面, 两项措施: most counts in running text) is passed over unread.
    func counts(in range: Range<Int>, outcomesOnly: Bool = false) -> [(count: Int, words: String, quote: String, end: Int)] {
        var found: [(Int, String, String, Int)] = []
        var index = range.lowerBound
        while index < range.upperBound {
            let scalar = text[index]
            func isNumeral(_ scalar: Unicode.Scalar) -> Bool {
                NumberCharacters.digitValue(scalar.value) != nil || (NumberCharacters.chineseDigit(scalar.value) != nil && scalar != "O") || scalar == "十"
            }
            guard isNumeral(scalar), index == 0 || !isNumeral(text[index - 1]), !insideTitle(index), !inNote(index),
                  let (count, end) = countWord(at: index)
            else {
                index += 1
                continue
            }
            var start = index
            while start > range.lowerBound, index - start < 14, !["，", ",", "。", "；", ";", "、", "\n", "（", "(", "：", ":"].contains(text[start - 1]) { start -= 1 }
            // 有效12件 and 现行有效12件 are outcomes too short for the pair scan to know.
            if outcomesOnly, index - start > 4, !mayStateOutcome(start..<index) {
                index = end
                continue
            }
            found.append((count, folded.string(start..<index), text.string(start..<end), end))
            index = end
        }
        return found
    }

    /// Counts stated in running text (拟修改12件，保留157件；废止45777件) that no list heading carried.
    func statedCountsInText(excluding known: [StatedCount]) -> [StatedCount] {
        counts(in: 0..<text.count, outcomesOnly: true).compactMap { found in
            guard let outcome = DispositionOutcome(phrase: found.words), !found.words.contains("清理"),
                  !known.contains(where: { $0.quote.contains(found.quote) || ($0.count == found.count && $0.outcome == outcome) })
            else { return nil }
            return StatedCount(outcome: outcome, planned: DispositionOutcome.isPlanned(found.words), count: found.count, quote: found.quote, listedBefore: 0, listed: nil)
        }
    }
}

/// A count of documents a text states for an outcome (继续有效270件, 拟修改12件), and how many
/// rows were read under it, so a difference shows.
public struct StatedCount: Sendable, Equatable, Encodable {
    public var outcome: DispositionOutcome
    public var planned: Bool
    public var count: Int
    /// The words that state it.
    public var quote: String
    /// How many documents were read under it; nil when the count stands in running text with no list.
    public var listed: Int?
    var listedBefore: Int
    /// The document a group is named by (对《X》等18件…): where the page lists the group elsewhere, it starts there.
    var firstTitle: String?

    init(outcome: DispositionOutcome, planned: Bool, count: Int, quote: String, listedBefore: Int, listed: Int? = nil) {
        self.outcome = outcome
        self.planned = planned
        self.count = count
        self.quote = quote
        self.listedBefore = listedBefore
        self.listed = listed
    }

    /// Whether the rows read disagree with the count stated.
    public var differs: Bool { listed.map { $0 != count } ?? false }

    enum CodingKeys: String, CodingKey { case outcome, planned, count, listed, quote }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(planned, forKey: .planned)
        try container.encode(count, forKey: .count)
        try container.encode(listed, forKey: .listed)
        try container.encode(quote, forKey: .quote)
    }
}
