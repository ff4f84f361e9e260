import Foundation
public import InForce
public import InForceHTML
import InForceOffice
import CSV

/// A cleanup notice's list as a table: a CSV export (UTF-8 or GBK) or a workbook's sheet, with
/// columns 序号, 文件名称, 文号, 清理结果 (or No, Title, Number, Result) in any order.
public enum CleanupListFile {
    /// One row that could not be read, and why.
    public struct RowProblem: Sendable, CustomStringConvertible {
        public let row: Int
        public let message: String
        public var description: String { "row \(row): \(message)" }
    }

    static let titleColumns = ["文件名称", "名称", "标题", "文件标题", "title", "name", "document"]
    static let numberColumns = ["文号", "发文字号", "文件编号", "发布机关及文号", "number", "documentnumber"]
    static let outcomeColumns = ["清理结果", "处理结果", "结果", "清理意见", "审查结果", "outcome", "result", "disposition"]
    static let dateColumns = ["失效日期", "生效日期", "effective", "date"]

    /// The list's rows as dispositions, and the rows that could not be read.
    public static func read(_ bytes: [UInt8], name: String) throws(PageError) -> (dispositions: [Disposition], problems: [RowProblem]) {
        guard !bytes.isEmpty else { throw PageError(reason: "the file is empty") }
        guard !bytes.contains(0) else { throw PageError(reason: "the file is binary, not CSV text (a NUL byte at \(bytes.firstIndex(of: 0) ?? 0))") }
        let text = try TextDecoding.decode(bytes).text
        var rows: [[String]] = []
        do {
            // Spaces around a cell (and around its quotes) are not part of it.
            let reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: true)
            while let row = reader.next() { rows.append(row) }
        } catch {
            throw PageError(reason: "not a readable CSV file: \(error)")
        }
        // Rows shorter than the longest are filled with empty cells, so that every row's quote
        // shows all its columns.
        let width = rows.dropFirst().map(\.count).max() ?? 0
        for index in rows.indices.dropFirst() where rows[index].count < width {
            rows[index] += Array(repeating: "", count: width - rows[index].count)
        }
        return try read(rows: rows, name: name)
    }

    /// The same for rows already split into cells (a sheet of a workbook). The header is the
    /// first row among the first ten that names a title or number column; rows above it (a
    /// caption such as 附件1 废止的规范性文件目录) or `caption` (the sheet's name) may state the
    /// outcome for a list that has no outcome column.
    public static func read(rows: [[String]], name: String, caption: String? = nil) throws(PageError) -> (dispositions: [Disposition], problems: [RowProblem]) {
        func normalised(_ cell: String) -> String { cell.trimmingSpaces().lowercased().removingSpacesAndUnderscores() }
        guard let headerIndex = rows.prefix(10).firstIndex(where: { row in
            row.contains { titleColumns.contains(normalised($0)) || numberColumns.contains(normalised($0)) }
        }) else {
            let first = rows.first.map { $0.joined(separator: ", ") } ?? ""
            throw PageError(reason: "no 文件名称 or 文号 column (title or number) in the first rows; the first row is \(first)")
        }
        let header = rows[headerIndex].map(normalised)
        func column(_ names: [String]) -> Int? { header.firstIndex { names.contains($0) } }
        let above = rows[..<headerIndex].flatMap { $0 }.joined(separator: " ")
        let stated = ([caption ?? ""] + [above]).compactMap { text -> (DispositionOutcome, Bool)? in
            DispositionOutcome(phrase: text).map { ($0, DispositionOutcome.isPlanned(text)) }
        }.first
        let outcomeColumn = column(outcomeColumns)
        guard outcomeColumn != nil || stated != nil else {
            throw PageError(reason: "no outcome column: name one 清理结果 (or outcome), or state the outcome above the list; the header is \(rows[headerIndex].joined(separator: ", "))")
        }
        let titleColumn = column(titleColumns)
        let numberColumn = column(numberColumns)
        let dateColumn = column(dateColumns)
        var dispositions: [Disposition] = []
        var problems: [RowProblem] = []
        for (index, row) in rows.enumerated().dropFirst(headerIndex + 1) {
            let rowNumber = index + 1
            func cell(_ column: Int?) -> String? {
                guard let column, column < row.count else { return nil }
                let value = row[column].trimmingSpaces()
                return value.isEmpty ? nil : String(value)
            }
            if row.allSatisfy({ $0.trimmingSpaces().isEmpty }) { continue }
            let outcome: (DispositionOutcome, Bool)
            if let outcomeColumn {
                guard let outcomeText = cell(outcomeColumn), let read = DispositionOutcome(phrase: outcomeText) else {
                    problems.append(RowProblem(row: rowNumber, message: "the outcome '\(cell(outcomeColumn) ?? "")' is not one of 继续有效, 修改, 废止, 宣布失效"))
                    continue
                }
                outcome = (read, DispositionOutcome.isPlanned(outcomeText))
            } else {
                outcome = stated!
            }
            var number: DocumentNumber?
            if let raw = cell(numberColumn) {
                guard let found = NumberScanner.scan(raw).first else {
                    problems.append(RowProblem(row: rowNumber, message: "'\(raw)' holds no document number"))
                    continue
                }
                number = found.number
            }
            let title = cell(titleColumn).map(DocumentKey.stripTitleMarks)
            guard number != nil || title != nil else {
                problems.append(RowProblem(row: rowNumber, message: "neither a title nor a number"))
                continue
            }
            var effective: Day?
            if let date = cell(dateColumn) {
                guard let day = ChineseDates.find(in: date).first?.day else {
                    problems.append(RowProblem(row: rowNumber, message: "'\(date)' is not a date"))
                    continue
                }
                effective = day
            }
            dispositions.append(Disposition(
                number: number, rawNumber: number.flatMap { $0.raw == $0.canonical ? nil : $0.raw }, title: title, outcome: outcome.0,
                planned: outcome.1, effective: effective, quote: "\(name) row \(rowNumber): " + row.joined(separator: " | ")))
        }
        return (dispositions, problems)
    }
}

/// Reads a list file by its kind: CSV, or a workbook (.xlsx; .xls and .et through LibreOffice)
/// whose every sheet with a list header is read.
public enum CleanupListReader {
    public static func read(_ path: String) throws(PageError) -> (dispositions: [Disposition], problems: [CleanupListFile.RowProblem]) {
        let name = (path as NSString).lastPathComponent
        switch DocumentFile.Format(path: path) {
        case .xlsx, .legacySheet:
            let workbook = try DocumentFile.workbook(URL(fileURLWithPath: path), name: name)
            var dispositions: [Disposition] = []
            var problems: [CleanupListFile.RowProblem] = []
            var lastError: PageError?
            for sheet in workbook.sheets where sheet.rows.contains(where: { $0.contains { !$0.isEmpty } }) {
                do {
                    let read = try CleanupListFile.read(rows: sheet.rows, name: "\(name) sheet \(sheet.name)", caption: sheet.name)
                    dispositions += read.dispositions
                    problems += read.problems
                } catch {
                    lastError = error
                }
            }
            if dispositions.isEmpty, let lastError { throw lastError.naming(path) }
            return (dispositions, problems)
        default:
            do {
                return try CleanupListFile.read(try PageLoader.bytes(ofFile: path), name: name)
            } catch {
                throw error.naming(path)
            }
        }
    }
}

extension String {
    fileprivate func removingSpacesAndUnderscores() -> String {
        String(unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "_" && $0 != "-" }.map(Character.init))
    }
}
