import ArgumentParser
import Foundation
import InForce
import InForceHTML
import InForceRegistry

/// `inforce ingest-list FILE.csv --notice NUMBER`: a cleanup notice's list from a spreadsheet.
struct IngestListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest-list",
        abstract: "Import a cleanup notice's list from CSV (UTF-8 or GBK) or a workbook (.xlsx; .xls with LibreOffice) with columns 序号, 文件名称, 文号, 清理结果 into the notice's record.",
        discussion: """
            Columns are found by name, in Chinese or English: 文件名称/title, 文号/number, 清理结果/outcome, and \
            optionally 失效日期/effective. The notice must already be in the registry. Listed documents the \
            registry lacks get stub records. Rows that cannot be read are reported and skipped (exit code 3).
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Argument(help: "The list: a .csv or .xlsx file (every sheet with a list header is read).")
    var file: String

    @Option(help: "The cleanup notice the list belongs to.")
    var notice: String

    @Flag(name: .customLong("dry-run"), help: "Print what would change without writing.")
    var dryRun = false

    @OptionGroup var output: FormatOptions

    func run() throws {
        let number = try DocumentNumber(notice)
        let (dispositions, problems) = try CleanupListReader.read(file)
        let store = registry.store
        let snapshot = try store.load()
        guard let existing = snapshot.records(for: .number(number)).first?.record else {
            throw RegistryError(.notFound, "the notice \(number.canonical) is not in the registry; add it first (inforce add --number … --title …)")
        }
        var incoming = DocumentRecord(number: number, title: "")
        incoming.notice = CleanupNotice(dispositions: dispositions)
        let merged = RecordMerge.merge(incoming, into: existing)
        let stubs = dispositions.compactMap { disposition -> DocumentRecord? in
            guard let key = disposition.target, snapshot.records(for: key).isEmpty else { return nil }
            return DocumentRecord(
                number: disposition.number, rawNumber: disposition.rawNumber, title: disposition.title ?? DocumentRecord.unknownTitle,
                note: "Known from the list of \(number.canonical).")
        }
        if !dryRun {
            // The stubs and the notice under one hold: one wait, and no other writer in between.
            try store.whileLocked {
                for stub in stubs {
                    try store.update(stub.key) { (record: inout DocumentRecord?) throws(RegistryError) in
                        if record == nil { record = stub }
                    }
                }
                try store.update(.number(number)) { (record: inout DocumentRecord?) throws(RegistryError) in
                    record = RecordMerge.merge(incoming, into: record).record
                }
            }
        }
        let added = merged.changes.filter { $0.hasPrefix("disposition") }.count
        switch output.format {
        case .json:
            struct Report: Encodable { let notice: String; let rows: Int; let added: Int; let stubs: Int; let problems: [String]; let dryRun: Bool }
            print(try JSONOutput.string(Report(
                notice: number.canonical, rows: dispositions.count, added: added, stubs: stubs.count,
                problems: problems.map(\.description), dryRun: dryRun), pretty: false))
        case .text:
            let verb = dryRun ? "would add" : "added"
            print("\(number.canonical): \(dispositions.count) rows read, \(verb) \(added) dispositions, \(stubs.count) stub\(stubs.count == 1 ? "" : "s")")
        }
        for problem in problems {
            FileHandle.standardError.write(Data("inforce: invalid input: \(file): \(problem)\n".utf8))
        }
        if !problems.isEmpty { throw ExitStatus.invalidInput }
    }
}
