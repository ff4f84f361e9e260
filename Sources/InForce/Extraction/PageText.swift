/// A page as extraction reads it: its text with line breaks where blocks end, and the label/value
/// pairs of its metadata table when it has one (gov.cn: 发文字号, 成文日期, 发文机关 …).
///
/// The HTML reader builds one from a parsed page; `PageText(plainText:)` builds one from text,
/// reading metadata from lines such as `发文机构: | 铜川市人民政府办公室 | 发文文号: | 铜政发〔2020〕33号 |`.
public struct PageText: Sendable {
    /// One label and its value.
    public struct Field: Sendable, Equatable {
        /// The label without spaces and colons: 发文字号, 标题.
        public let label: String
        public let value: String
        /// The label and value as the page wrote them, for evidence.
        public let quote: String

        public init(label: String, value: String, quote: String) {
            self.label = label
            self.value = value
            self.quote = quote
        }
    }

    /// A link on the page: where it points and the words shown for it.
    public struct Link: Sendable, Equatable {
        public let target: String
        public let text: String

        public init(target: String, text: String) {
            self.target = target
            self.text = text
        }
    }

    public var text: String
    public var metadata: [Field]
    /// The page's `<title>`, when it has one.
    public var pageTitle: String?
    /// The page's links (an HTML page's `<a href>`), in order.
    public var links: [Link]

    public init(text: String, metadata: [Field] = [], pageTitle: String? = nil, links: [Link] = []) {
        self.text = text
        self.metadata = metadata
        self.pageTitle = pageTitle
        self.links = links
    }

    /// Reads plain text, taking `label: value` pairs from its first lines as metadata.
    public init(plainText text: String) {
        self.text = text
        self.metadata = PageText.metadata(inLines: text)
        self.links = []
    }

    /// The value of the first field whose label is one of `labels`.
    public func field(_ labels: [String]) -> Field? {
        metadata.first { field in labels.contains(field.label) && !field.value.isEmpty }
    }

    /// Labels InForce reads, so a value cell is not mistaken for a label.
    public static let knownLabels: Set<String> = [
        "索引号", "主题分类", "发文机关", "发文机构", "发布机构", "成文日期", "发文日期", "发布日期", "生成日期", "标题", "发文字号",
        "文号", "发文文号", "文件编号", "公文时效", "时效", "有效性", "时效性", "公开方式", "公开时限", "主题词", "效力状态",
        "实施日期", "施行日期", "失效日期", "有效期", "状态", "文件状态", "发布机关", "统一编号", "效力级别", "公布日期", "颁布日期",
    ]

    /// What a label may carry around its words: bullets, 【】, and the bracket of a pinyin gloss.
    static let labelMarks: Set<Unicode.Scalar> = ["•", "·", "●", "▪", "【", "】", "[", "]", "(", "（"]

    /// Normalises a label: simplified characters, no spaces, bullets, 【】 or pinyin glosses
    /// (發(fā)布日期 → 发布日期), no trailing colon.
    public static func label(_ raw: String) -> String {
        // Labels are short (发布日期, 發(fā)布日期): a long cell is returned as it is, unnormalised.
        guard raw.unicodeScalars.count <= 24 else { return raw }
        // Most cells need nothing but their spaces and colon removed: no traditional characters,
        // brackets or bullets to deal with.
        if raw.unicodeScalars.allSatisfy({ !labelMarks.contains($0) && !NumberCharacters.isTraditional($0.value) }) {
            if !raw.unicodeScalars.contains(where: { NumberCharacters.isSpace($0.value) || $0 == ":" || $0 == "：" || $0 == "∶" }) { return raw }
            var plain = String.UnicodeScalarView()
            plain.append(contentsOf: raw.unicodeScalars.filter { !NumberCharacters.isSpace($0.value) })
            var label = String(plain)
            while let last = label.last, last == ":" || last == "：" || last == "∶" { label.removeLast() }
            return label
        }
        var scalars = Array(raw.simplifiedCharacters.unicodeScalars.filter { !NumberCharacters.isSpace($0.value) })
        scalars.removeAll { ["•", "·", "●", "▪", "【", "】", "[", "]"].contains($0) }
        var index = 0
        while index < scalars.count {
            // (fā): a gloss a site injected after a character.
            if scalars[index] == "(" || scalars[index] == "（", let close = scalars[index...].firstIndex(where: { $0 == ")" || $0 == "）" }),
               close - index > 1, close - index <= 8, scalars[(index + 1)..<close].allSatisfy({ NumberCharacters.isPinyinLetter($0.value) })
            {
                scalars.removeSubrange(index...close)
            } else {
                index += 1
            }
        }
        var label = String(String.UnicodeScalarView(scalars))
        while let last = label.last, last == ":" || last == "：" || last == "∶" { label.removeLast() }
        return label
    }

    /// `label: | value | label: | value |` and `label：value` lines near the top of a text page.
    static func metadata(inLines text: String) -> [Field] {
        var fields: [Field] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).prefix(40) {
            let cells = line.split(separator: "|").map { String($0.trimmingSpaces()) }
            if cells.count >= 2, cells.contains(where: { knownLabels.contains(PageText.label($0)) }) {
                var index = 0
                while index + 1 < cells.count {
                    let label = PageText.label(cells[index])
                    if knownLabels.contains(label) {
                        let value = cells[index + 1]
                        let isLabel = knownLabels.contains(PageText.label(value))
                        fields.append(Field(label: label, value: isLabel ? "" : value, quote: "\(cells[index]) | \(isLabel ? "" : value)"))
                        index += isLabel ? 1 : 2
                    } else {
                        index += 1
                    }
                }
            } else if cells.count >= 2 {
                // 生成日期:2021-10-18 | 公开方式: 主动公开 | — label and value in one cell.
                for cell in cells { fields += pairs(inLine: cell) }
            } else if let close = line.firstIndex(of: "】"), line.trimmingSpaces().hasPrefix("【") {
                // 【發(fā)布日期】 1987.11.24
                let label = PageText.label(String(line[...close]))
                let value = String(line[line.index(after: close)...].trimmingSpaces())
                if knownLabels.contains(label) { fields.append(Field(label: label, value: value, quote: String(line.trimmingSpaces()))) }
            } else if let colon = line.firstIndex(where: { $0 == ":" || $0 == "：" }) {
                let label = PageText.label(String(line[..<colon]))
                let value = String(line[line.index(after: colon)...].trimmingSpaces())
                if knownLabels.contains(label) {
                    fields.append(Field(label: label, value: value, quote: String(line.trimmingSpaces())))
                } else {
                    // 状态:有效 发布日期:2004-05-19 生效日期: 2004-05-19 — several pairs on one line.
                    fields += pairs(inLine: String(line))
                }
            } else if line.count <= 40, let label = knownLabels.first(where: { line.trimmingSpaces().hasPrefix($0) && $0.count >= 3 }) {
                // 时效性现行有效, 发文字号皖交发〔2021〕63号: label and value run together.
                let value = String(line.trimmingSpaces().dropFirst(label.count).trimmingSpaces())
                if !value.isEmpty { fields.append(Field(label: label, value: value, quote: String(line.trimmingSpaces()))) }
            }
        }
        return fields
    }

    /// `label:value` pairs side by side on one line, separated by spaces.
    static func pairs(inLine line: String) -> [Field] {
        var fields: [Field] = []
        for part in line.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }) {
            guard let colon = part.firstIndex(where: { $0 == ":" || $0 == "：" }) else { continue }
            let label = PageText.label(String(part[..<colon]))
            guard knownLabels.contains(label) else { continue }
            fields.append(Field(label: label, value: String(part[part.index(after: colon)...]), quote: String(part)))
        }
        return fields
    }
}
