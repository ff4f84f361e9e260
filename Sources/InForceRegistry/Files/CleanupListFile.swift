import Foundation
public import InForce
public import InForceHTML
import SwiftCSV

/// A cleanup notice's list as a spreadsheet exported to CSV: 序号, 文件名称, 文号, 清理结果 (or
/// No, Title, Number, Result), in UTF-8 or GBK.
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
        guard !bytes.prefix(8192).contains(0) else { throw PageError(reason: "the file is binary, not CSV text") }
        let text = try TextDecoding.decode(bytes).text
        let csv: CSV<Enumerated>
        do {
            csv = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw PageError(reason: "not a readable CSV file: \(error)")
        }
        let header = csv.header.map { $0.trimmingSpaces().lowercased().removingSpacesAndUnderscores() }
        func column(_ names: [String]) -> Int? { header.firstIndex { names.contains($0) } }
        guard let outcomeColumn = column(outcomeColumns) else {
            throw PageError(reason: "no outcome column: name one 清理结果 (or outcome); the header is \(csv.header.joined(separator: ", "))")
        }
        let titleColumn = column(titleColumns)
        let numberColumn = column(numberColumns)
        guard titleColumn != nil || numberColumn != nil else {
            throw PageError(reason: "no 文件名称 or 文号 column (title or number); the header is \(csv.header.joined(separator: ", "))")
        }
        let dateColumn = column(dateColumns)
        var dispositions: [Disposition] = []
        var problems: [RowProblem] = []
        for (index, row) in csv.rows.enumerated() {
            let rowNumber = index + 2
            func cell(_ column: Int?) -> String? {
                guard let column, column < row.count else { return nil }
                let value = row[column].trimmingSpaces()
                return value.isEmpty ? nil : String(value)
            }
            if row.allSatisfy({ $0.trimmingSpaces().isEmpty }) { continue }
            guard let outcomeText = cell(outcomeColumn), let outcome = DispositionOutcome(phrase: outcomeText) else {
                problems.append(RowProblem(row: rowNumber, message: "the outcome '\(cell(outcomeColumn) ?? "")' is not one of 继续有效, 修改, 废止, 宣布失效"))
                continue
            }
            var number: DocumentNumber?
            if let raw = cell(numberColumn) {
                guard let found = NumberScanner.scan(raw).first else {
                    problems.append(RowProblem(row: rowNumber, message: "'\(raw)' holds no document number"))
                    continue
                }
                number = found.number
            }
            let title = cell(titleColumn).map { DocumentKey(titleOnly: $0).description }.map { String($0.dropFirst().dropLast()) }
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
                number: number, rawNumber: number.flatMap { $0.raw == $0.canonical ? nil : $0.raw }, title: title, outcome: outcome,
                planned: DispositionOutcome.isPlanned(outcomeText), effective: effective, quote: "\(name) row \(rowNumber): " + row.joined(separator: " | ")))
        }
        return (dispositions, problems)
    }
}

extension String {
    fileprivate func removingSpacesAndUnderscores() -> String {
        String(unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "_" && $0 != "-" }.map(Character.init))
    }
}
