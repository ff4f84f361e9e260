/// A law, regulation or judicial interpretation as published with its history: the title, the
/// steps that made and changed it, and what its text says of its own force and of the
/// instruments it repeals.
///
/// Two layouts are read. LawRefBook's Markdown: `# 中华人民共和国立法法`, one history line each,
/// `<!-- INFO END -->`, the body. The national database's: the title, then the history run
/// together in brackets on the next line. Anything else is not a law text (`read` gives nil).
public struct LawText: Sendable, Equatable {
    /// The full official title as printed (中华人民共和国 kept).
    public var title: String
    public var rank: LegalRank?
    /// The body that made it (全国人民代表大会常务委员会, 国务院, 杭州市人民代表大会常务委员会).
    public var issuer: String?
    /// The steps printed under the title, in order.
    public var history: [LegislativeEvent]
    /// The decree or announcement number it was first promulgated by (主席令第20号, 国务院令第656号).
    public var number: DocumentNumber?
    /// The day the text says it came in force (本法自2000年7月1日起施行), with the sentence.
    public var effective: Day?
    public var effectiveQuote: String?
    /// The day of this version: of its last 修正 or 修订, else of its promulgation, adoption or approval.
    public var versionDate: Day?
    /// The day this version is in force from: the stated day when it is not older than the version
    /// (a revised text states its own), else the version's day (`versionEffectiveStated` false: the
    /// amending decision's own day of force is not in the text; such decisions are in force when published).
    public var versionEffective: Day?
    public var versionEffectiveStated: Bool
    /// The instruments the text repeals (…同时废止), each with its sentence.
    public var repeals: [LawRepeal]

    /// The days of the first adoption, approval and promulgation, when printed.
    public var adopted: Day? { history.first { $0.kind == .adopted }?.date }
    public var approved: Day? { history.first { $0.kind == .approved }?.date }
    public var promulgated: Day? { history.first { $0.kind == .promulgated }?.date }
    /// The amendments and revisions, in order.
    public var changes: [LegislativeEvent] { history.filter(\.makesVersion) }

    /// The day the document was first made: its adoption, approval or promulgation before any
    /// amendment or revision — a promulgation printed only after a revision (2011年5月25日…修订,
    /// 2011年5月25日…公告第65号公布) is that version's, and the document is as old as its first
    /// adoption (1997年11月12日…通过). The day a law is dated by (公布日期) when it is the original one.
    public var firstMade: Day? {
        let original = LawText.original(history)
        return original.first { $0.kind == .promulgated }?.date
            ?? original.first { $0.kind == .adopted }?.date
            ?? original.first { $0.kind == .approved }?.date
            ?? history.map(\.date).min()
    }

    /// The day the first version came in force, when this text says it. A text with no change
    /// printed is the first version; after an amendment the text keeps the article that put the
    /// first version in force (本法自2000年7月1日起施行 under a 2015 修正), but a revised text states
    /// its own version's day (本规定自2025年1月1日起施行 under a 2024 修订), which is not the first's.
    public var originalEffective: Day? {
        guard let firstChange = changes.map(\.date).min() else { return effective }
        let stated = [effective].compactMap { $0 } + history.filter { $0.kind == .effective }.map(\.date)
        return stated.filter { $0 < firstChange }.min()
    }

    /// The events of the original text: those before the first amendment or revision, and a
    /// promulgation or approval only when dated before it (the same day is the new version's).
    static func original(_ history: [LegislativeEvent]) -> [LegislativeEvent] {
        guard let firstChange = history.filter(\.makesVersion).map(\.date).min() else { return history }
        return history.filter { event in
            guard !event.makesVersion else { return false }
            return event.kind == .adopted ? event.date <= firstChange : event.date < firstChange
        }
    }
}

/// An instrument a law repeals: 《国务院关于…的规定》同时废止.
public struct LawRepeal: Sendable, Equatable {
    /// The title as the text writes it, 〈〉 inside.
    public var title: String
    /// The sentence that repeals it.
    public var quote: String
}

extension LawText {
    /// The line that ends a LawRefBook text's head.
    public static let headEnd = "<!-- INFO END -->"

    /// Reads `text` if it is a law text in one of the two layouts. `path`, when the text comes
    /// from a LawRefBook folder, adds what that layout states: the folder's kind (used only when
    /// the text itself does not decide the rank) and the version's date in the file name.
    public static func read(_ text: String, path: String? = nil) -> LawText? {
        guard let (title, head, printedBody) = parts(of: text) else { return nil }
        var history = LegislativeHistory.read(head)
        var body = printedBody
        // A LawRefBook text may print its history after the head, as the national database does:
        // （2019年5月20日…会议通过，根据2020年12月23日…的决定修正） as the body's first paragraph.
        if history.isEmpty, let bracketed = leadingBracketedHistory(body) {
            history = LegislativeHistory.read(bracketed.history)
            if !history.isEmpty { body = bracketed.rest }
        }
        let maker = LawText.maker(history)
        // With no history printed, the title names its issuer when it has one (最高人民法院关于…).
        let issuer = maker?.body.map { completing($0, from: title) } ?? titleIssuer(title)
        var law = LawText(
            title: title, rank: nil, issuer: issuer, history: history,
            number: LawText.original(history).first { $0.kind == .promulgated && $0.number != nil }?.number,
            effective: nil, effectiveQuote: nil, versionDate: nil, versionEffective: nil,
            versionEffectiveStated: false, repeals: [])
        law.rank = rank(title: title, issuer: issuer, history: history) ?? path.flatMap(rankHint(path:))
        // The version's day: the file name's when the layout gives one (a head does not always
        // print the last change), else the last step that made or published the text.
        law.versionDate = path.flatMap(nameDate(path:)) ?? history.last { $0.kind != .effective }?.date
        let bodyText = ScalarText(body)
        let statement = effectiveSentence(in: bodyText)
        let stated = statement.flatMap { $0.day ?? $0.relative.flatMap { law.day(of: $0) } }
        let headLines = history.filter { $0.kind == .effective }.map(\.date)
        law.effectiveQuote = statement?.quote
        law.effective = stated ?? headLines.first
        // 自发布之日起施行 in a text that prints no history: the day its file is named by is this
        // version's publication, and so its day of force; not known to be the document's first.
        var versionStated: Day?
        if history.isEmpty, stated == nil, statement?.relative != nil, let date = law.versionDate { versionStated = date }
        // A text keeps the article that put its first version in force, and a head may print that
        // version's 施行 line after later changes; a stated day older than a later version is not
        // that version's. Then the version's own day is the best known: an amending decision is in
        // force when it is published.
        let made = law.promulgated ?? law.adopted ?? law.approved
        let threshold = law.versionDate.flatMap { version in made.map { version > $0 } ?? true ? version : nil }
        if let latest = (headLines + [stated, versionStated].compactMap { $0 }).max(), threshold.map({ latest >= $0 }) ?? true {
            law.versionEffective = latest
            law.versionEffectiveStated = true
        } else {
            law.versionEffective = law.versionDate
        }
        law.repeals = repeals(in: bodyText, ownTitle: title)
        return law
    }

    /// The first paragraph of `body` when it is a history in brackets — it opens with （ and a
    /// date and says 通过, 公布, 发布 or 批准 — and the body after it.
    static func leadingBracketedHistory(_ body: String) -> (history: String, rest: String)? {
        let trimmed = Substring(body).trimmingSpaces()
        guard trimmed.hasPrefix("（") || trimmed.hasPrefix("(") else { return nil }
        let paragraph = trimmed.prefix { $0 != "\n" && $0 != "\r\n" }
        let opening = paragraph.dropFirst().prefix(12)
        guard opening.first.map({ $0.isNumber }) == true, opening.contains("年"),
            ["通过", "公布", "发布", "批准"].contains(where: { paragraph.contains($0) })
        else { return nil }
        return (String(paragraph), String(trimmed.dropFirst(paragraph.count)))
    }

    /// The body before 关于 in a title, when it is one (最高人民法院、最高人民检察院关于…).
    static func titleIssuer(_ title: String) -> String? {
        guard let about = title.firstRange(of: "关于") else { return nil }
        let prefix = String(title[..<about.lowerBound])
        return prefix.count >= 2 && PageReader.isOrganisation(prefix) ? prefix : nil
    }

    /// The issuer with the place a head leaves out put back from the title: 市十四届人大常委会
    /// under 《宁波市人民调解条例》 is the 宁波市人民代表大会常务委员会.
    static func completing(_ issuer: String, from title: String) -> String {
        for unit in ["省", "市", "县", "区"] where issuer.hasPrefix(unit) {
            guard let end = title.firstIndex(where: { String($0) == unit }), end != title.startIndex else { continue }
            return String(title[...end]) + issuer.dropFirst()
        }
        return issuer
    }

    /// The title, the head (history) and the body of a text in either layout.
    static func parts(of text: String) -> (title: String, head: String, body: String)? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        var title: Substring?
        while let line = lines.next() {
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty { continue }
            title = trimmed
            break
        }
        guard var heading = title else { return nil }
        let markdown = heading.hasPrefix("# ")
        if markdown { heading = heading.dropFirst(2).trimmingSpaces() }
        guard !heading.isEmpty, heading.count <= 200 else { return nil }
        var head: [Substring] = []
        var body: [Substring] = []
        var inHead = true
        var sawEnd = false
        while let line = lines.next() {
            if inHead {
                let trimmed = line.trimmingSpaces()
                if trimmed == headEnd {
                    inHead = false
                    sawEnd = true
                    continue
                }
                if !markdown {
                    // The national database's layout: the bracketed history is the first line.
                    if trimmed.isEmpty { continue }
                    if trimmed.hasPrefix("（") || trimmed.hasPrefix("(") { head.append(trimmed) }
                    else { body.append(line) }
                    inHead = false
                    continue
                }
                head.append(line)
            } else {
                body.append(line)
            }
        }
        let history = head.joined(separator: "\n")
        // LawRefBook's end-of-head line marks its layout even when no history is printed; the
        // national database's layout needs its dated history line.
        if markdown ? !sawEnd : ChineseDates.find(in: history).isEmpty { return nil }
        return (String(heading), history, body.joined(separator: "\n"))
    }

    /// The step whose body made the text: its adoption; else a 国务院 approval (a 行政法规 the
    /// 国务院 approved and a ministry issued is the 国务院's); else its promulgation; else an approval.
    static func maker(_ history: [LegislativeEvent]) -> LegislativeEvent? {
        let named = history.filter { $0.body != nil }
        return named.first { $0.kind == .adopted }
            ?? named.first { $0.kind == .approved && $0.body == "国务院" }
            ?? named.first { $0.kind == .promulgated && $0.body != "中华人民共和国主席" }
            ?? named.first { $0.kind == .approved }
            ?? named.first { $0.kind == .revised }
    }

    /// The rank the maker and the title decide, nil when they do not.
    static func rank(title: String, issuer: String?, history: [LegislativeEvent]) -> LegalRank? {
        guard let issuer else { return nil }
        if issuer.hasPrefix("全国人民代表大会") {
            return title.hasPrefix("中华人民共和国宪法") ? .constitution : .law
        }
        if issuer.contains("国家监察委员会") { return .supervisoryRegulation }
        if issuer.hasPrefix("最高人民法院") || issuer.hasPrefix("最高人民检察院") { return .judicialInterpretation }
        if issuer.hasPrefix("国务院") { return .administrativeRegulation }
        if issuer.contains("人民代表") {
            if title.contains("自治条例") { return .autonomousRegulation }
            let autonomousArea = ["自治州", "自治县", "自治旗"].contains { issuer.contains($0) }
            if autonomousArea && !issuer.contains("常务委员会") { return .separateRegulation }
            return .localRegulation
        }
        if issuer.hasSuffix("人民政府") { return .localGovernmentRule }
        return nil
    }

    /// What a relative day (公布之日) is for this text.
    func day(of relative: EffectiveSentence.Relative) -> Day? {
        // A revised text is adopted again whole: its 公布之日 is its revision's (or the promulgation
        // printed after it). An amended text keeps the original's article, and its day.
        if let revision = history.last(where: { $0.kind == .revised }) {
            return history.last { $0.kind == .promulgated && $0.date >= revision.date }?.date ?? revision.date
        }
        let made: Day? = switch relative {
        // The last: a text's 公布之日 is that of its last promulgation.
        case .promulgation: history.last { $0.kind == .promulgated }?.date ?? history.last { $0.kind == .adopted }?.date
        case .adoption: history.last { $0.kind == .adopted }?.date ?? history.last { $0.kind == .promulgated }?.date
        }
        return made
    }

    /// 本法自2000年7月1日起施行 / 本解释自公布之日起施行: the sentence, and its day or what it is counted from.
    struct EffectiveSentence {
        enum Relative { case promulgation, adoption }
        var day: Day?
        var relative: Relative?
        var quote: String
    }

    /// The text's statement of its own force: the last sentence whose subject is the text itself
    /// (本法, 本条例 …) and that says 自…施行 (or 实施, 生效); else the last that says 自…施行 at all.
    static func effectiveSentence(in body: ScalarText) -> EffectiveSentence? {
        var found: [(sentence: Range<Int>, own: Bool)] = []
        for verb in ["施行", "实施", "生效"] {
            let needle = Array(verb.unicodeScalars)
            var index = 0
            while let at = body.find(needle, in: index..<body.count) {
                index = at + needle.count
                var start = at
                while start > 0, !"。；;\n".unicodeScalars.contains(body[start - 1]) { start -= 1 }
                let sentence = start..<(at + needle.count)
                let words = body.string(sentence)
                // 自2000年7月1日起 / 自公布之日起 before the verb; 自本条例施行之日起 is a count from it.
                guard let from = words.lastIndex(of: "自"), words[from...].count <= 40 else { continue }
                let span = String(words[from...])
                guard !ChineseDates.find(in: span).isEmpty || ["公布之日", "发布之日", "印发之日", "公告之日", "通过之日"].contains(where: span.contains) else { continue }
                var subject = Substring(words).trimmingSpaces()
                // 第四十七条 本条例自…: the article's number is not the subject.
                if subject.hasPrefix("第"), let space = subject.firstIndex(where: { $0 == " " || $0 == "\u{3000}" || $0 == "条" }) {
                    subject = subject[subject.index(after: space)...].trimmingSpaces()
                }
                let own = subject.hasPrefix("本")
                // 实施 and 生效 say many things; only of the text itself do they state its force.
                if own || verb == "施行" { found.append((sentence, own)) }
            }
        }
        found.sort { $0.sentence.lowerBound < $1.sentence.lowerBound }
        guard let chosen = found.last(where: \.own) ?? found.last else { return nil }
        let quote = String(body.string(chosen.sentence).trimmingSpaces())
        let clause = ScalarText(quote)
        let from = clause.findLast("自", in: 0..<clause.count) ?? 0
        if let date = ChineseDates.find(in: clause, range: from..<clause.count).first {
            return EffectiveSentence(day: date.day, quote: quote)
        }
        let rest = clause.string(from..<clause.count)
        if rest.contains("公布之日") || rest.contains("发布之日") || rest.contains("印发之日") || rest.contains("公告之日") {
            return EffectiveSentence(relative: .promulgation, quote: quote)
        }
        if rest.contains("通过之日") { return EffectiveSentence(relative: .adoption, quote: quote) }
        return EffectiveSentence(quote: quote)
    }

    /// The instruments repealed with the text: 《X》同时废止, 同时废止《X》, 《X》自本法施行之日起废止.
    static func repeals(in body: ScalarText, ownTitle: String) -> [LawRepeal] {
        var repeals: [LawRepeal] = []
        for word in ["同时废止", "同时废除", "之日起废止", "即行废止"] {
            let needle = Array(word.unicodeScalars)
            var index = 0
            while let at = body.find(needle, in: index..<body.count) {
                index = at + needle.count
                var start = at
                while start > 0, !"。；;\n".unicodeScalars.contains(body[start - 1]) { start -= 1 }
                var end = at + needle.count
                while end < body.count, !"。；;\n".unicodeScalars.contains(body[end]) { end += 1 }
                let quote = String(body.string(start..<min(body.count, end + 1)).trimmingSpaces())
                for title in quotedTitles(in: quote) where title != ownTitle && !repeals.contains(where: { $0.title == title }) {
                    repeals.append(LawRepeal(title: title, quote: quote))
                }
            }
        }
        return repeals
    }

    /// The outermost 《》 titles in a sentence, inner brackets as 〈〉.
    static func quotedTitles(in sentence: String) -> [String] {
        var titles: [String] = []
        var rest = Substring(sentence)
        while let open = rest.firstIndex(of: "《") {
            guard let title = LegislativeHistory.decision(in: String(rest[open...])) else { break }
            titles.append(title)
            // Past the title: its closing 》 is the first one at depth zero.
            var depth = 0
            var position = rest.index(after: open)
            while position < rest.endIndex {
                if rest[position] == "《" { depth += 1 }
                if rest[position] == "》" {
                    if depth == 0 { break }
                    depth -= 1
                }
                position = rest.index(after: position)
            }
            guard position < rest.endIndex else { break }
            rest = rest[rest.index(after: position)...]
        }
        return titles
    }
}

extension LawText {
    /// The rank a LawRefBook folder holds: `行政法规/…`, `司法解释/…`, `DLC/…/地方性法规/…`, and the
    /// law folders by field (宪法相关法, 民法商法 …). Nil for a path outside that layout.
    public static func rankHint(path: String) -> LegalRank? {
        let folders = path.split(separator: "/").dropLast().map(String.init)
        if folders.contains("地方性法规") { return .localRegulation }
        for folder in folders.reversed() {
            switch folder {
            case "宪法": return .constitution
            case "宪法相关法", "民法典", "民法商法", "行政法", "经济法", "社会法", "刑法", "诉讼与非诉讼程序法": return .law
            case "行政法规": return .administrativeRegulation
            case "监察法规": return .supervisoryRegulation
            case "司法解释": return .judicialInterpretation
            case "部门规章": return .departmentalRule
            default: continue
            }
        }
        return nil
    }

    /// The version date a LawRefBook file name carries: `立法法(2015-03-15).md` → 2015-03-15.
    public static func nameDate(path: String) -> Day? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let close = name.lastIndex(of: ")"), let open = name[..<close].lastIndex(of: "(") else { return nil }
        return try? Day(iso: String(name[name.index(after: open)..<close]))
    }
}
