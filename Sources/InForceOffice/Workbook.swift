public import Foundation
public import InForceHTML

/// A spreadsheet (.xlsx) as sheets of rows of cell texts, merged cells filled with the value
/// of their top-left cell (a 清理结果 written once for a group of rows holds for each row).
public struct Workbook: Sendable {
    public struct Sheet: Sendable {
        public var name: String
        /// Rows in order, each as wide as the widest row; empty cells are "".
        public var rows: [[String]]
    }

    public var sheets: [Sheet]

    /// Rows beyond this are refused: a cleanup list is thousands of rows, not millions.
    public static let maximumRows = 200_000
    /// Cells a sheet may span (rows × columns, merged ranges filled in).
    public static let maximumCells = 4_000_000

    /// Reads an .xlsx file; `name` names it in errors.
    public init(url: URL, name: String) throws(PageError) {
        var package = try OfficePackage(url: url, name: name)
        guard package.contains("xl/workbook.xml") else {
            throw PageError(reason: "\(name) has no xl/workbook.xml: it is not an .xlsx workbook (or it is encrypted)")
        }
        let shared = try Workbook.sharedStrings(&package)
        let relationships = try package.relationships("xl/_rels/workbook.xml.rels")
        var sheets: [Sheet] = []
        let workbook = try XMLStream(bytes: try package.requiredPart("xl/workbook.xml", what: "an .xlsx workbook"), name: "\(name): xl/workbook.xml")
        var listed: [(name: String, target: String)] = []
        while let node = try workbook.next() {
            guard case .start("sheet", let attributes, _) = node else { continue }
            let sheetName = attributes["name"] ?? "Sheet\(listed.count + 1)"
            guard let id = attributes["id"], let target = relationships[id] else { continue }
            listed.append((sheetName, target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target))
        }
        guard listed.count <= 1_000 else { throw PageError(reason: "\(name) lists \(listed.count) sheets: refused (more than 1000)") }
        var seen: Set<String> = []
        // A sheet listed twice under two names is read once.
        for (sheetName, path) in listed where seen.insert(path).inserted {
            guard let bytes = try package.part(path) else {
                throw PageError(reason: "\(name) lists sheet \(sheetName) at \(path), which it does not hold")
            }
            sheets.append(Sheet(name: sheetName, rows: try Workbook.rows(bytes, shared: shared, name: "\(name): sheet \(sheetName)")))
        }
        self.sheets = sheets
    }

    /// xl/sharedStrings.xml: each <si>'s text, rich-text runs joined (phonetic runs left out).
    static func sharedStrings(_ package: inout OfficePackage) throws(PageError) -> [String] {
        guard let bytes = try package.part("xl/sharedStrings.xml") else { return [] }
        let stream = try XMLStream(bytes: bytes, name: "\(package.name): xl/sharedStrings.xml")
        var strings: [String] = []
        var current = ""
        var inText = false
        var inPhonetic = false
        while let node = try stream.next() {
            switch node {
            case .start("si", _, _): current = ""
            case .end("si"): strings.append(current)
            case .start("rPh", _, _): inPhonetic = true
            case .end("rPh"): inPhonetic = false
            case .start("t", _, let empty): inText = !empty
            case .end("t"): inText = false
            case .text(let text) where inText && !inPhonetic: current += text
            default: break
            }
        }
        return strings
    }

    /// One sheet's rows, from <sheetData> and <mergeCells>.
    static func rows(_ bytes: [UInt8], shared: [String], name: String) throws(PageError) -> [[String]] {
        let stream = try XMLStream(bytes: bytes, name: name)
        var cells: [Int: [Int: String]] = [:]
        var merges: [(rows: ClosedRange<Int>, columns: ClosedRange<Int>)] = []
        var row = 0
        var column = 0
        var type = ""
        var value = ""
        var inValue = false
        var width = 0
        var height = 0
        while let node = try stream.next() {
            switch node {
            case .start("row", let attributes, let empty):
                row = attributes["r"].flatMap(Int.init) ?? row + 1
                column = 0
                guard row <= maximumRows else {
                    throw PageError(reason: "\(name) has more than \(maximumRows) rows: split the list (a cleanup list is not that long)")
                }
                if empty { height = max(height, row) }
            case .start("c", let attributes, let empty):
                if let reference = attributes["r"], let parsed = cellReference(reference) {
                    column = parsed.column
                    row = parsed.row
                    guard row <= maximumRows, column <= 1_000 else {
                        throw PageError(reason: "\(name) has a cell at \(reference), beyond \(maximumRows) rows or 1000 columns: refused")
                    }
                } else {
                    column += 1
                }
                type = attributes["t"] ?? "n"
                value = ""
                if empty { column = max(column, 1) }
            case .start("v", _, _), .start("t", _, _):
                inValue = true
            case .end("v"), .end("t"):
                inValue = false
            case .text(let text) where inValue:
                value += text
            case .end("c"):
                let text: String
                switch type {
                case "s":
                    let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                    guard !trimmed.isEmpty else { text = ""; break }
                    // An index outside the shared strings is a damaged file, not an empty cell.
                    guard let index = Int(trimmed), shared.indices.contains(index) else {
                        throw PageError(reason: "\(name), row \(row) column \(column): the cell points at shared string \(trimmed.prefix(24)), but the workbook holds \(shared.count) (the file is damaged)")
                    }
                    text = shared[index]
                case "b": text = value == "1" ? "TRUE" : "FALSE"
                default: text = value
                }
                if !text.isEmpty {
                    cells[row, default: [:]][column] = text
                    width = max(width, column)
                    height = max(height, row)
                }
            case .start("mergeCell", let attributes, _):
                if let reference = attributes["ref"], let range = mergeRange(reference) { merges.append(range) }
            default:
                break
            }
        }
        // Merged ranges are filled cell by cell: a hostile sheet could merge A1:XFD1048576.
        let mergedCells = merges.reduce(0) { $0 + min($1.rows.count, maximumRows) * min($1.columns.count, 256) }
        guard mergedCells <= maximumCells else {
            throw PageError(reason: "\(name) merges more than \(maximumCells) cells: refused (a list never does)")
        }
        for merge in merges {
            let top = cells[merge.rows.lowerBound]?[merge.columns.lowerBound] ?? ""
            guard !top.isEmpty else { continue }
            for r in merge.rows.prefix(maximumRows) {
                for c in merge.columns.prefix(256) { cells[r, default: [:]][c] = top }
            }
            width = max(width, min(merge.columns.upperBound, 256))
            height = max(height, min(merge.rows.upperBound, maximumRows))
        }
        guard height > 0 else { return [] }
        guard height * max(width, 1) <= maximumCells else {
            throw PageError(reason: "\(name) spans \(height) rows by \(width) columns, more than \(maximumCells) cells: refused")
        }
        var rows: [[String]] = []
        rows.reserveCapacity(height)
        for r in 1...height {
            let line = cells[r] ?? [:]
            rows.append((1...max(width, 1)).map { line[$0] ?? "" })
        }
        return rows
    }

    /// B12 → (row 12, column 2).
    static func cellReference(_ reference: String) -> (row: Int, column: Int)? {
        var column = 0
        var row = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            switch scalar.value {
            case 0x41...0x5A where row == 0:
                column = column * 26 + Int(scalar.value - 0x40)
                letters += 1
            case 0x61...0x7A where row == 0:
                column = column * 26 + Int(scalar.value - 0x60)
                letters += 1
            case 0x30...0x39:
                row = row * 10 + Int(scalar.value - 0x30)
            default:
                return nil
            }
            if letters > 3 || row > 10_000_000 { return nil }
        }
        return letters > 0 && row > 0 ? (row, column) : nil
    }

    /// A1:C4 → rows 1…4, columns 1…3.
    static func mergeRange(_ reference: String) -> (rows: ClosedRange<Int>, columns: ClosedRange<Int>)? {
        let parts = reference.split(separator: ":")
        guard parts.count == 2, let from = cellReference(String(parts[0])), let to = cellReference(String(parts[1])),
              from.row <= to.row, from.column <= to.column
        else { return nil }
        return (from.row...to.row, from.column...to.column)
    }
}
