import ArgumentParser
import Foundation
import InForce
import InForceRegistry

/// Times the phases of reading a registry in one process, to see where a command's time goes.
struct LoadBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Time reading a registry (files or index), building the validity index, and auditing it, phase by phase."
    )

    @Argument(help: "The registry folder.")
    var registry: String

    @Option(help: "Also time decoding this many record files, one core, from their TOML text and from the binary form (0: skip).")
    var decode: Int = 0

    func run() throws {
        var start = DispatchTime.now().uptimeNanoseconds
        func lap(_ what: String) {
            let now = DispatchTime.now().uptimeNanoseconds
            print(String(format: "%-28@ %7.3f s", what as NSString, Double(now - start) / 1e9))
            start = now
        }
        if decode > 0 { try timeDecoding() }
        let view = try Registry(root: URL(fileURLWithPath: registry)).open()
        lap("open (\(view.index.count) documents)")
        let index = try view.withAllRecords()
        lap("every record in memory")
        let report = AuditReport(index: index, scope: .all, on: try Day(iso: "2023-06-01"))
        lap("audit (\(report.documents.count) documents)")
    }

    /// What reading one record costs from each form a store could keep it in: its TOML text
    /// (what the file holds) and the binary snapshot form.
    func timeDecoding() throws {
        let root = URL(fileURLWithPath: registry)
        var texts: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent("documents").path)
        while let path = enumerator?.nextObject() as? String, texts.count < decode {
            guard path.hasSuffix(".toml") else { continue }
            texts.append(try String(contentsOf: root.appendingPathComponent("documents").appendingPathComponent(path), encoding: .utf8))
        }
        var clock = DispatchTime.now().uptimeNanoseconds
        var records: [DocumentRecord] = []
        for text in texts { if let record = RecordFile.decode(text, origin: "x").record { records.append(record) } }
        let toml = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e3 / Double(texts.count)
        let blobs = records.map { record in
            var writer = RecordSnapshot.Writer()
            writer.record(record)
            return writer.bytes
        }
        clock = DispatchTime.now().uptimeNanoseconds
        var decoded = 0
        for blob in blobs {
            var reader = RecordSnapshot.Reader(blob)
            if (try? reader.record()) != nil { decoded += 1 }
        }
        let binary = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e3 / Double(blobs.count)
        let bytes = texts.reduce(0) { $0 + $1.utf8.count } / max(1, texts.count)
        let blobBytes = blobs.reduce(0) { $0 + $1.count } / max(1, blobs.count)
        print(String(format: "decode %d records: TOML %.1f µs each (%d bytes), binary %.1f µs each (%d bytes)", decoded, toml, bytes, binary, blobBytes))
    }
}
