import ArgumentParser
import Foundation
import InForce
import InForceHTML
import InForceRegistry

/// `inforce ingest FILE|DIR...`: what pages say, into the registry.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Extract pages and write what they say into the registry: records, facts, stubs for cited documents.",
        discussion: """
            Re-ingesting a page adds nothing twice. A field the registry already holds with another value is \
            kept and reported as a conflict, never overwritten. A file that cannot be read is reported and \
            skipped; the others go in (exit code 3 when any was skipped). Each record is written atomically.
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Argument(help: "Pages to ingest: files or folders.")
    var paths: [String]

    @Flag(name: .customLong("dry-run"), help: "Print the change set without writing anything.")
    var dryRun = false

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
    }

    func run() throws {
        let files = try PageFiles.expand(paths)
        let store = registry.store
        var simulated: [DocumentKey: DocumentRecord] = [:]
        if dryRun {
            for stored in (try? store.load())?.records ?? [] { simulated[stored.record.key] = stored.record }
        }
        let progress = Progress(total: files.count, enabled: files.count > 1 && output.format == .text)
        var failures = 0
        for (index, file) in files.enumerated() {
            progress.show(index, file)
            let report: FileReport
            do {
                let extraction = try PageFiles.extract(file)
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
                report = FileReport(source: file, records: records, error: nil)
            } catch {
                failures += 1
                report = FileReport(source: file, records: [], error: ExitStatus.message(for: error))
            }
            progress.clear()
            emit(report)
        }
        progress.finish(files.count)
        if failures > 0 { throw ExitStatus.invalidInput }
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
            if let error = report.error {
                FileHandle.standardError.write(Data("inforce: invalid input: \(report.source): \(error)\n".utf8))
                return
            }
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
