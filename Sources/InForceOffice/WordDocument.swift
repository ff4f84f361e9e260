public import Foundation
public import InForceHTML

/// A Word document (.docx) as the lines extraction reads: one per paragraph, its list marker
/// written out from the numbering definitions (一、 （一） 1. ①), and one per table row with its
/// cells separated by ` | `, merged cells repeated in each row and column they cover.
public struct WordDocument: Sendable {
    /// The document's text, a line per paragraph or table row.
    public var lines: [String]

    /// Reads a .docx file; `name` names it in errors.
    public init(url: URL, name: String) throws(PageError) {
        var package = try OfficePackage(url: url, name: name)
        let body = try package.requiredPart("word/document.xml", what: "a Word .docx document")
        let numbering = try Numbering(package.part("word/numbering.xml"), name: "\(name): word/numbering.xml")
        lines = try WordDocument.read(body, numbering: numbering, name: "\(name): word/document.xml")
    }

    static func read(_ bytes: [UInt8], numbering: Numbering, name: String) throws(PageError) -> [String] {
        let stream = try XMLStream(bytes: bytes, name: name)
        var counters = numbering.counters()
        var lines: [String] = []
        var paragraph = ""
        var inText = false
        var numberID: String?
        var level = 0
        // Tables, innermost last: each a list of rows, each row a list of cells (text, span, merge).
        struct Cell {
            var text = ""
            var span = 1
            /// nil: not merged; true: starts a vertical merge; false: continues the one above.
            var restart: Bool?
        }
        var tables: [[[Cell]]] = []
        var cell: Cell?
        var cellStack: [Cell?] = []
        func finishParagraph() {
            var text = paragraph
            if let numberID, let marker = counters.next(numberID, level: level) { text = marker + text }
            if cell != nil {
                if !(cell!.text.isEmpty) && !text.isEmpty { cell!.text += " " }
                cell!.text += text
            } else if !text.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(text)
            }
            paragraph = ""
            numberID = nil
            level = 0
        }
        while let node = try stream.next() {
            switch node {
            case .start("p", _, let empty):
                paragraph = ""
                numberID = nil
                if empty { finishParagraph() }
            case .end("p"):
                finishParagraph()
            case .start("numId", let attributes, _):
                numberID = attributes["val"]
            case .start("ilvl", let attributes, _):
                level = min(max(attributes["val"].flatMap(Int.init) ?? 0, 0), 9)
            case .start("t", _, let empty):
                inText = !empty
            case .end("t"):
                inText = false
            case .text(let text) where inText:
                paragraph += text
            case .start("tab", _, _):
                paragraph += "\t"
            case .start("br", _, _), .start("cr", _, _):
                paragraph += " "
            case .start("tbl", _, _):
                cellStack.append(cell)
                cell = nil
                tables.append([])
            case .start("tr", _, _):
                if !tables.isEmpty { tables[tables.count - 1].append([]) }
            case .start("tc", _, _):
                cell = Cell()
            case .start("gridSpan", let attributes, _):
                cell?.span = max(1, min(64, attributes["val"].flatMap(Int.init) ?? 1))
            case .start("vMerge", let attributes, _):
                cell?.restart = attributes["val"] == "restart"
            case .end("tc"):
                if let finished = cell, !tables.isEmpty, !tables[tables.count - 1].isEmpty {
                    tables[tables.count - 1][tables[tables.count - 1].count - 1].append(finished)
                }
                cell = nil
            case .end("tbl"):
                guard let rows = tables.popLast() else { break }
                let rendered = WordDocument.render(rows.map { $0.map { ($0.text, $0.span, $0.restart) } })
                cell = cellStack.popLast() ?? nil
                if cell != nil {
                    // A table inside a cell: its rows join the cell's text.
                    cell!.text += (cell!.text.isEmpty ? "" : " ") + rendered.joined(separator: " ")
                } else {
                    lines += rendered
                }
            default:
                break
            }
        }
        return lines
    }

    /// Table rows as lines, cells separated by ` | `: a cell spanning columns is repeated in
    /// each, one continuing a vertical merge takes the text of the cell above.
    static func render(_ rows: [[(text: String, span: Int, restart: Bool?)]]) -> [String] {
        var previous: [String] = []
        var lines: [String] = []
        for row in rows {
            var cells: [String] = []
            for (text, span, restart) in row {
                let column = cells.count
                let value = restart == false && column < previous.count ? previous[column] : text.trimmingCharacters(in: .whitespaces)
                cells += Array(repeating: value, count: span)
            }
            previous = cells
            if cells.contains(where: { !$0.isEmpty }) { lines.append(cells.joined(separator: " | ")) }
        }
        return lines
    }
}

/// word/numbering.xml: how each list level writes its marker.
struct Numbering: Sendable {
    struct Level: Sendable {
        var format = "decimal"
        var text = "%1."
        var start = 1
    }

    /// numId → abstractNumId, abstractNumId → levels.
    var instances: [String: String] = [:]
    var abstracts: [String: [Int: Level]] = [:]

    init(_ bytes: [UInt8]?, name: String) throws(PageError) {
        guard let bytes else { return }
        let stream = try XMLStream(bytes: bytes, name: name)
        var abstract: String?
        var instance: String?
        var level: Int?
        while let node = try stream.next() {
            switch node {
            case .start("abstractNum", let attributes, _): abstract = attributes["abstractNumId"]
            case .end("abstractNum"): abstract = nil
            case .start("num", let attributes, _): instance = attributes["numId"]
            case .end("num"): instance = nil
            case .start("abstractNumId", let attributes, _):
                if let instance, let value = attributes["val"] { instances[instance] = value }
            case .start("lvl", let attributes, _):
                level = attributes["ilvl"].flatMap(Int.init).map { min(max($0, 0), 9) }
                if let abstract, let level { abstracts[abstract, default: [:]][level] = Level() }
            case .end("lvl"): level = nil
            case .start("numFmt", let attributes, _):
                if let abstract, let level, let value = attributes["val"] { abstracts[abstract]?[level]?.format = value }
            case .start("lvlText", let attributes, _):
                if let abstract, let level, let value = attributes["val"] { abstracts[abstract]?[level]?.text = value }
            case .start("start", let attributes, _):
                if let abstract, let level, let value = attributes["val"].flatMap(Int.init) { abstracts[abstract]?[level]?.start = min(max(value, 0), 100_000) }
            default: break
            }
        }
    }

    func counters() -> Counters { Counters(numbering: self) }

    /// The running count of each list, as paragraphs are read in order.
    struct Counters {
        let numbering: Numbering
        var counts: [String: [Int: Int]] = [:]

        /// The marker of the next paragraph of list `id` at `level` (一、, （二）, 3.), nil for bullets.
        mutating func next(_ id: String, level: Int) -> String? {
            guard id != "0", let abstract = numbering.instances[id], let levels = numbering.abstracts[abstract],
                  let definition = levels[level] else { return nil }
            var count = counts[abstract, default: [:]]
            count[level] = min((count[level] ?? (definition.start - 1)) + 1, 1_000_000)
            for deeper in count.keys where deeper > level { count[deeper] = nil }
            counts[abstract] = count
            guard definition.format != "bullet", definition.format != "none" else { return nil }
            var marker = definition.text
            for (index, value) in count.sorted(by: { $0.key < $1.key }) {
                let format = levels[index]?.format ?? "decimal"
                marker = marker.replacingOccurrences(of: "%\(index + 1)", with: Numbering.write(value, format: format))
            }
            return marker
        }
    }

    /// A count in a list format: decimal 3, chineseCounting 三, decimalEnclosedCircle ③ …
    static func write(_ value: Int, format: String) -> String {
        switch format {
        case "chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting", "taiwaneseCounting",
             "ideographLegalTraditional":
            return chinese(value)
        case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
            return (1...20).contains(value) ? String(Character(Unicode.Scalar(0x2460 + UInt32(value - 1))!)) : String(value)
        case "lowerLetter": return (1...26).contains(value) ? String(Character(Unicode.Scalar(0x60 + UInt32(value))!)) : String(value)
        case "upperLetter": return (1...26).contains(value) ? String(Character(Unicode.Scalar(0x40 + UInt32(value))!)) : String(value)
        default: return String(value)
        }
    }

    /// 1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五.
    static func chinese(_ value: Int) -> String {
        let digits = Array("零一二三四五六七八九")
        guard value > 0, value < 1000 else { return String(value) }
        let hundreds = value / 100, tens = (value / 10) % 10, ones = value % 10
        var text = ""
        if hundreds > 0 { text += String(digits[hundreds]) + "百" }
        if tens > 0 {
            if !(hundreds == 0 && tens == 1) { text += String(digits[tens]) }
            text += "十"
        } else if hundreds > 0 && ones > 0 {
            text += "零"
        }
        if ones > 0 { text += String(digits[ones]) }
        return text
    }
}
