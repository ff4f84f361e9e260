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

    func run() throws {
        var start = DispatchTime.now().uptimeNanoseconds
        func lap(_ what: String) {
            let now = DispatchTime.now().uptimeNanoseconds
            print(String(format: "%-28@ %7.3f s", what as NSString, Double(now - start) / 1e9))
            start = now
        }
        let view = try Registry(root: URL(fileURLWithPath: registry)).open()
        lap("open (\(view.index.count) documents)")
        let index = view.withAllRecords()
        lap("every record in memory")
        let report = AuditReport(index: index, scope: .all, on: try Day(iso: "2023-06-01"))
        lap("audit (\(report.documents.count) documents)")
    }
}
