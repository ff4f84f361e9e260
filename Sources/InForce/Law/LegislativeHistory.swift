/// One step of a law's history as its text prints it under the title: adopted, approved,
/// promulgated, amended (修正), revised (修订), or put in force.
///
/// `2015年3月15日 第十二届全国人民代表大会第三次会议《关于修改<中华人民共和国立法法>的决定》修正`
/// is an amendment on 2015-03-15 by that decision, made at that session.
public struct LegislativeEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, Encodable {
        /// 通过: adopted by the body that made it.
        case adopted
        /// 批准: approved by the body above (a city's regulation by the province's 人大常委会).
        case approved
        /// 公布, 发布: made public, by decree or announcement.
        case promulgated
        /// 修正: amended by a decision, the text otherwise kept.
        case amended
        /// 修订: revised, the whole text adopted again.
        case revised
        /// 施行: in force from this day.
        case effective
    }

    public var kind: Kind
    public var date: Day
    /// Who acted, as printed without its session (全国人民代表大会常务委员会, 国务院, 杭州市人民代表大会常务委员会).
    public var body: String?
    /// The decision that amended or revised it, when named (关于修改〈中华人民共和国立法法〉的决定).
    public var decision: String?
    /// The decree or announcement it was promulgated by, when printed (国务院令第656号).
    public var number: DocumentNumber?
    /// The words, as printed.
    public var quote: String

    public init(kind: Kind, date: Day, body: String? = nil, decision: String? = nil, number: DocumentNumber? = nil, quote: String) {
        self.kind = kind
        self.date = date
        self.body = body
        self.decision = decision
        self.number = number
        self.quote = quote
    }

    /// Whether this step makes a new version of the text.
    public var makesVersion: Bool { kind == .amended || kind == .revised }
}

/// Reads the history printed under a law's title: one step a line in the LawRefBook layout, or
/// the steps run together in brackets as the national database prints them
/// (（2000年3月15日第九届全国人民代表大会第三次会议通过　根据2015年3月15日…修正）).
public enum LegislativeHistory {
    /// The steps `text` states, in the order printed. A dated stretch that states no step (a
    /// bare date) is left out: nothing is claimed for it.
    public static func read(_ text: String) -> [LegislativeEvent] {
        let scalars = ScalarText(text)
        let dates = ChineseDates.find(in: scalars)
        var events: [LegislativeEvent] = []
        var carried: (date: Day, words: String)?
        // 最高人民法院审判委员会第1次会议、2015年…最高人民检察院…会议通过: one step of two bodies.
        var joined: [String] = []
        var quoteStart = 0
        for (index, found) in dates.enumerated() {
            let end = index + 1 < dates.count ? dates[index + 1].range.lowerBound : scalars.count
            if joined.isEmpty { quoteStart = found.range.lowerBound }
            var words = trimmed(scalars.string(found.range.upperBound..<end))
            var date = found.day
            // 批准的2020年1月14日青岛市…决定修正: an approval that completes the next step; the
            // step takes effect with the approval, so it keeps the approval's (later) day.
            if let before = carried {
                words = before.words + words
                if before.date > date { date = before.date }
                carried = nil
            }
            let raw = String(Substring(scalars.string(found.range.upperBound..<end)).trimmingSpaces())
            if raw.hasSuffix("、") && index + 1 < dates.count {
                if let body = body(of: words) { joined.append(body) }
                continue
            }
            if words.hasSuffix("的") && index + 1 < dates.count {
                carried = (date, words)
                continue
            }
            let quote = trimmed(scalars.string((joined.isEmpty ? found.range.lowerBound : quoteStart)..<end))
            guard let kind = kind(of: words) else {
                joined = []
                continue
            }
            let bodies = joined + (body(of: words).map { [$0] } ?? [])
            joined = []
            let event = LegislativeEvent(
                kind: kind, date: date, body: bodies.isEmpty ? nil : bodies.joined(separator: "、"), decision: decision(in: words),
                number: NumberScanner.scan(words).first?.number, quote: quote)
            events.append(event)
            // 公布施行, 自公布之日施行: in force the day it was made public.
            if kind == .promulgated, words.contains("公布施行") || words.contains("发布施行") || words.hasSuffix("之日施行") || words.hasSuffix("之日起施行") {
                events.append(LegislativeEvent(kind: .effective, date: date, quote: quote))
            }
        }
        return readoptions(events)
    }

    /// A body that adopts again a text it adopted before has made a new version of it: the heads of
    /// many local regulations print each later 修正 or 修订 as just …会议通过 (北京市…条例: 2000年11月3日
    /// …通过, 2007年3月30日…通过, 2023年7月28日…通过). The standing committee of the congress that
    /// first adopted it amends it the same way. Another body's adoption (a joint interpretation's
    /// second court) is not a version.
    static func readoptions(_ events: [LegislativeEvent]) -> [LegislativeEvent] {
        let adoptions = events.filter { $0.kind == .adopted && $0.body != nil }
        guard let first = adoptions.min(by: { $0.date < $1.date }), let maker = first.body else { return events }
        return events.map { event in
            guard event.kind == .adopted, event.date > first.date, let body = event.body,
                body == maker || body == maker + "常务委员会"
            else { return event }
            var again = event
            again.kind = .revised
            return again
        }
    }

    /// What the words say happened, judged outside any 《》 (a decision's title says 修改 too).
    static func kind(of words: String) -> LegislativeEvent.Kind? {
        let plain = outsideTitles(words)
        if plain.contains("修订") { return .revised }
        if plain.contains("修正") || plain.hasSuffix("修改") { return .amended }
        if plain.contains("批准") { return .approved }
        if plain.contains("通过") { return .adopted }
        if plain.contains("公布") || plain.contains("发布") { return .promulgated }
        if plain.contains("施行") || (plain.hasPrefix("起") && (plain.contains("生效") || plain.contains("实施"))) { return .effective }
        // 最高人民法院审判委员会第1747次会议, 第十三届全国人民代表大会第二次: a session named
        // with no verb adopted it; a decree named with none promulgated it (国务院令第692号).
        if plain.contains("令第") || plain.contains("令（") || plain.contains("公告第") { return .promulgated }
        if plain.contains("会议") || plain.contains("委员会") || plain.contains("代表大会") { return .adopted }
        return nil
    }

    /// The first title the words quote, its inner brackets as 〈〉 (LawRefBook writes <>).
    static func decision(in words: String) -> String? {
        guard let open = words.firstIndex(of: "《") else { return nil }
        var depth = 0
        var title = ""
        for character in words[words.index(after: open)...] {
            switch character {
            case "《":
                depth += 1
                title.append("〈")
            case "》":
                if depth == 0 { return title.isEmpty ? nil : title }
                depth -= 1
                title.append("〉")
            case "<": title.append("〈")
            case ">": title.append("〉")
            case "\n", "\r\n": continue
            default: title.append(character)
            }
        }
        return nil
    }

    /// Who acted: the words before the session, the decree or the verb, without 第N届 and the
    /// 中华人民共和国 before a body's name (中华人民共和国国务院令 is the 国务院's).
    static func body(of words: String) -> String? {
        var text = outsideTitles(words)
        if let open = text.firstIndex(of: "《") { text = String(text[..<open]) }
        let scalars = Array(text.unicodeScalars)
        var kept: [Unicode.Scalar] = []
        var index = 0
        scanning: while index < scalars.count {
            // 第十一届 / 第22次 / 第656号 (八届, 四次): a term is dropped; a session or a number ends the body.
            if scalars[index] == "第" || (isNumeral(scalars[index]) && (index == 0 || !isNumeral(scalars[index - 1]))) {
                let digits = scalars[index] == "第" ? index + 1 : index
                var end = digits
                while end < scalars.count, isNumeral(scalars[end]) { end += 1 }
                if end > digits, end < scalars.count {
                    switch scalars[end] {
                    case "届":
                        index = end + 1
                        continue scanning
                    case "次", "号", "年":
                        break scanning
                    default:
                        // 第四会议: a session's number written short still ends the body.
                        if scalars[index] == "第" { break scanning }
                    }
                }
            }
            for stop in stops where matches(stop, scalars, at: index) { break scanning }
            kept.append(scalars[index])
            index += 1
        }
        var body = String(String.UnicodeScalarView(kept)).removingSpaces()
        body = body.replacingAll("中华人民共和国", keepingIn: ["中华人民共和国主席"])
        // 人大常委会 is how many heads write 人民代表大会常务委员会.
        body = body.replacingAll("人大常委会", with: "人民代表大会常务委员会").replacingAll("人大", with: "人民代表大会")
            .replacingAll("中央军委", with: "中央军事委员会")
        while let last = body.last, "，,、的（(".contains(last) { body.removeLast() }
        return body.isEmpty ? nil : body
    }

    /// Where a body's name ends.
    static let stops: [[Unicode.Scalar]] = ["令", "公告", "常务会议", "部长办公会", "办公会", "务会议", "务会", "全体会议", "审判委员会", "检察委员会", "会议", "批准", "通过", "发布", "公布", "修正", "修订", "审议", "施行", "根据"].map { Array($0.unicodeScalars) }

    static func matches(_ word: [Unicode.Scalar], _ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + word.count <= scalars.count else { return false }
        for offset in 0..<word.count where scalars[index + offset] != word[offset] { return false }
        return true
    }

    static func isNumeral(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || "一二三四五六七八九十百千零〇○".unicodeScalars.contains(scalar)
    }

    /// The words with every 《…》 replaced by 《》, so what a title says is not read as a step.
    static func outsideTitles(_ words: String) -> String {
        var result = ""
        var depth = 0
        for character in words {
            if character == "《" {
                if depth == 0 { result.append("《") }
                depth += 1
            } else if character == "》", depth > 0 {
                depth -= 1
                if depth == 0 { result.append("》") }
            } else if depth == 0 {
                result.append(character)
            }
        }
        return result
    }

    /// The words without the spaces, brackets and joining words around them (根据 starts the next step).
    static func trimmed(_ words: String) -> String {
        var text = Substring(words).trimmingSpaces()
        var changed = true
        while changed {
            changed = false
            for prefix in ["（", "(", "根据", "，", ",", "、", "由", "经"] where text.hasPrefix(prefix) {
                text = text.dropFirst(prefix.count).trimmingSpaces()
                changed = true
            }
            for suffix in ["）", ")", "根据", "，", ",", "。", "、", "自"] where text.hasSuffix(suffix) {
                text = text.dropLast(suffix.count).trimmingSpaces()
                changed = true
            }
        }
        return String(text)
    }
}

extension String {
    /// The text with each `word` replaced by `replacement`.
    func replacingAll(_ word: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: word) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// The text with each `word` removed, except where it starts one of `kept`.
    func replacingAll(_ word: String, keepingIn kept: [String]) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: word) {
            result += rest[..<range.lowerBound]
            let tail = rest[range.lowerBound...]
            if kept.contains(where: { tail.hasPrefix($0) }) { result += word }
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
