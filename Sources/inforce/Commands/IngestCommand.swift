import ArgumentParser
import Foundation
import InForce
import InForceHTML
import InForceOffice
import InForceRegistry

/// `inforce ingest FILE|DIR...`: what pages say, into the registry.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Extract pages and write what they say into the registry: records, facts, stubs for cited documents.",
        discussion: """
            Re-ingesting a page adds nothing twice. A field the registry already holds with another value is \
            kept and reported as a conflict, never overwritten. A file that cannot be read (or a path that \
            does not exist) is reported and skipped; the others go in (exit code 3 when any was skipped). A \
            folder with no pages in it is reported too (exit code 2 when nothing else failed). Bytes that are \
            not valid in a page's encoding are replaced by U+FFFD and reported as a warning. Each record is \
            written atomically. The run holds the registry's lock from its first page to its last, so two \
            ingests run one after the other; when another writer keeps the lock longer than \
            INFORCE_LOCK_TIMEOUT seconds (10), nothing is written and the exit code is 5, naming that writer.
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Argument(help: "Pages to ingest: files or folders.")
    var paths: [String]

    @Option(name: .customLong("attachment"), help: ArgumentHelp("A list the page links (.xlsx, .docx, .doc, .xls, .pdf): its rows become the page's dispositions. Repeat for several; attachments lying beside the page under the linked name are found without it.", valueName: "file"))
    var attachments: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Print the change set without writing anything.")
    var dryRun = false

    @Option(name: .customLong("source-base"), help: ArgumentHelp("The public address of the folder ingested: each file's source is recorded as this address followed by its path inside the folder, the same on every machine, not as a path on this one.", valueName: "url"))
    var sourceBase: String?

    @Option(name: .customLong("source-root"), help: ArgumentHelp("The local folder whose paths follow --source-base (default: the one folder given).", valueName: "dir"))
    var sourceRoot: String?

    @OptionGroup var output: FormatOptions

    struct RecordReport: Encodable {
        let key: String
        let path: String?
        let outcome: String
        let changes: [String]
        let conflicts: [String]
    }

    struct FileReport: Encodable {
        let source: String
        let records: [RecordReport]
        let error: String?
        /// Damaged bytes replaced while reading the page; left out when there were none.
        let warnings: [String]?

        init(source: String, records: [RecordReport], error: String?, warnings: [String] = []) {
            self.source = source
            self.records = records
            self.error = error
            self.warnings = warnings.isEmpty ? nil : warnings
        }
    }

    func validate() throws {
        guard sourceBase != nil || sourceRoot != nil else { return }
        guard let base = sourceBase, !base.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--source-root needs --source-base, the public address its paths follow")
        }
        guard base.contains("://") else { throw ValidationError("--source-base '\(base)' is not an address (https://…)") }
        guard let root = sourceRoot ?? (paths.count == 1 ? paths[0] : nil) else {
            throw ValidationError("give --source-root: --source-base follows the paths of one folder, and \(paths.count) paths are given")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--source-root '\(root)' is not a folder")
        }
        let addresses = PublicAddress(root: Self.plain(root), base: base)
        for path in paths where Self.plain(path) != addresses.root && addresses.address(of: Self.plain(path)) == nil {
            throw ValidationError("'\(path)' is not inside --source-root '\(root)', so it has no address under --source-base")
        }
    }

    /// A path as one plain absolute form, so a folder given as ../x and its files compare.
    static func plain(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Where each file's facts are said to come from: its public address, or the path as given.
    var addresses: PublicAddress? {
        guard let base = sourceBase, let root = sourceRoot ?? paths.first else { return nil }
        return PublicAddress(root: Self.plain(root), base: base)
    }

    func run() throws {
        let entries = PageFiles.expand(paths)
        // One hold of the lock for the whole run: it waits for another writer once, and a busy
        // registry stops the run before its first page rather than failing each page in turn.
        let pages = entries.contains { if case .file = $0 { true } else { false } }
        if dryRun || !pages {
            try ingest(entries)
        } else {
            try registry.store.whileLocked { try ingest(entries) }
        }
    }

    func ingest(_ entries: [PageFiles.Entry]) throws {
        let addresses = self.addresses
        let store = registry.store
        var simulated: [DocumentKey: DocumentRecord] = [:]
        if dryRun {
            for stored in (try? store.load())?.records ?? [] { simulated[stored.record.key] = stored.record }
        }
        let progress = Progress(total: entries.count, enabled: entries.count > 1 && output.format == .text)
        var outcome = PageFiles.Outcome()
        outcome.prints = output.format == .text
        for (index, entry) in entries.enumerated() {
            let file: String
            switch entry {
            case .file(let path):
                file = path
            case .unreadable(let error):
                outcome.failed(error)
                emit(FileReport(source: error.file ?? "", records: [], error: error.reason))
                continue
            case .empty(let error):
                outcome.found(nothingIn: error)
                emit(FileReport(source: error.file ?? "", records: [], error: error.reason))
                continue
            }
            progress.show(index, file)
            let report: FileReport
            var warnings: [String] = []
            do {
                let read = try NoticeReader.read(file, attachments: attachments)
                warnings = read.warnings
                for problem in read.problems { outcome.failed(problem) }
                var extraction = read.extraction
                if let addresses, let address = addresses.address(of: Self.plain(file)) { extraction.source = address }
                let planned = IngestPlanner.records(from: extraction)
                let hasOwn = IngestPlanner.key(of: extraction) != nil
                var records: [RecordReport] = []
                for record in hasOwn ? planned.dropLast() : planned[...] {
                    records.append(try write(stub: record, store: store, simulated: &simulated))
                }
                if hasOwn, let own = planned.last {
                    records.append(try write(own, store: store, simulated: &simulated))
                } else {
                    records.append(RecordReport(key: "(no number or title on the page)", path: nil, outcome: "stubs only", changes: [], conflicts: []))
                }
                report = FileReport(source: file, records: records, error: nil, warnings: warnings)
            } catch {
                let failure = PageFiles.error(error, file: file)
                report = FileReport(source: file, records: [], error: failure.reason, warnings: warnings)
                progress.clear()
                outcome.failed(failure)
            }
            progress.clear()
            for warning in warnings { PageFiles.warn(warning) }
            emit(report)
        }
        progress.finish(entries.count)
        try outcome.finish()
    }

    /// A stub is created when the document is missing and left alone otherwise.
    func write(stub: DocumentRecord, store: Registry, simulated: inout [DocumentKey: DocumentRecord]) throws -> RecordReport {
        let key = stub.key
        if dryRun {
            let exists = simulated[key] != nil
            if !exists { simulated[key] = stub }
            return RecordReport(key: key.description, path: nil, outcome: exists ? "unchanged" : "would create stub", changes: [], conflicts: [])
        }
        let outcome = try store.update(key) { (record: inout DocumentRecord?) throws(RegistryError) in
            if record == nil { record = stub }
        }
        return RecordReport(key: key.description, path: outcome.path, outcome: Self.word(outcome, stub: true), changes: [], conflicts: [])
    }

    func write(_ incoming: DocumentRecord, store: Registry, simulated: inout [DocumentKey: DocumentRecord]) throws -> RecordReport {
        let key = incoming.key
        if dryRun {
            let merged = RecordMerge.merge(incoming, into: simulated[key])
            let changed = merged.record != simulated[key]
            simulated[key] = merged.record
            return RecordReport(
                key: key.description, path: nil, outcome: changed ? (merged.changes == ["new record"] ? "would create" : "would update") : "unchanged",
                changes: merged.changes, conflicts: merged.conflicts)
        }
        var result: RecordMerge.Result?
        let outcome = try store.update(key, issuer: incoming.issuer) { (record: inout DocumentRecord?) throws(RegistryError) in
            let merged = RecordMerge.merge(incoming, into: record)
            result = merged
            record = merged.record
        }
        return RecordReport(
            key: key.description, path: outcome.path, outcome: Self.word(outcome, stub: false),
            changes: outcome == .unchanged(path: outcome.path) ? [] : result?.changes ?? [], conflicts: result?.conflicts ?? [])
    }

    static func word(_ outcome: WriteOutcome, stub: Bool) -> String {
        switch outcome {
        case .created: stub ? "created stub" : "created"
        case .updated: "updated"
        case .unchanged: "unchanged"
        }
    }

    func emit(_ report: FileReport) {
        switch output.format {
        case .json:
            if let line = try? JSONOutput.string(report, pretty: false) { print(line) }
        case .text:
            // A file that could not be read was reported on standard error already.
            guard report.error == nil else { return }
            let own = report.records.last
            let stubs = report.records.dropLast().filter { $0.outcome.contains("stub") }.count
            var line = "\(report.source): \(own?.outcome ?? "-") \(own?.key ?? "")"
            if let changes = own?.changes, !changes.isEmpty, own?.outcome != "created", own?.outcome != "would create" {
                line += " (" + changes.joined(separator: "; ") + ")"
            }
            if stubs > 0 { line += ", \(stubs) stub\(stubs == 1 ? "" : "s") \(dryRun ? "to create" : "created")" }
            print(line)
            for conflict in report.records.flatMap(\.conflicts) { print(Terminal.yellow("  conflict: ") + conflict) }
        }
    }
}

/// A progress bar on standard error when it is a terminal; nothing otherwise (the per-file lines
/// on standard output are the plain progress).
final class Progress {
    let total: Int
    let enabled: Bool

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func show(_ done: Int, _ current: String) {
        guard enabled else { return }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) \((current as NSString).lastPathComponent.prefix(40))\u{1B}[K".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    func finish(_ count: Int) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
