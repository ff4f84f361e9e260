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

    public var text: String
    public var metadata: [Field]
    /// The page's `<title>`, when it has one.
    public var pageTitle: String?

    public init(text: String, metadata: [Field] = [], pageTitle: String? = nil) {
        self.text = text
        self.metadata = metadata
        self.pageTitle = pageTitle
    }

    /// Reads plain text, taking `label: value` pairs from its first lines as metadata.
    public init(plainText text: String) {
        self.text = text
        self.metadata = PageText.metadata(inLines: text)
    }

    /// The value of the first field whose label is one of `labels`.
    public func field(_ labels: [String]) -> Field? {
        metadata.first { field in labels.contains(field.label) && !field.value.isEmpty }
    }

    /// Labels InForce reads, so a value cell is not mistaken for a label.
    public static let knownLabels: Set<String> = [
        "索引号", "主题分类", "发文机关", "发文机构", "发布机构", "成文日期", "发文日期", "发布日期", "生成日期", "标题", "发文字号",
        "文号", "发文文号", "文件编号", "公文时效", "时效", "有效性", "时效性", "公开方式", "公开时限", "主题词", "效力状态",
        "实施日期", "施行日期", "失效日期", "有效期",
    ]

    /// Normalises a label: no spaces, no trailing colon.
    public static func label(_ raw: String) -> String {
        var label = raw.removingSpaces()
        while let last = label.last, last == ":" || last == "：" || last == "∶" { label.removeLast() }
        return label
    }

    /// `label: | value | label: | value |` and `label：value` lines near the top of a text page.
    static func metadata(inLines text: String) -> [Field] {
        var fields: [Field] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).prefix(40) {
            let cells = line.split(separator: "|").map { String($0.trimmingSpaces()) }
            if cells.count >= 2 {
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
            } else if let colon = line.firstIndex(where: { $0 == ":" || $0 == "：" }) {
                let label = PageText.label(String(line[..<colon]))
                let value = String(line[line.index(after: colon)...].trimmingSpaces())
                if knownLabels.contains(label) { fields.append(Field(label: label, value: value, quote: String(line))) }
            }
        }
        return fields
    }
}
