import ArgumentParser
import Foundation
import InForce
import InForceReports

/// InForce's JSON writer against Foundation's `JSONEncoder` on the same values, in one process,
/// interleaved: the audit's documents and the records of a synthetic registry.
struct JSONBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json",
        abstract: "Seconds and MB/s writing audit entries and records as JSON: InForce's JSONText against Foundation's JSONEncoder, interleaved, one core."
    )

    @Option(help: "Documents in the synthetic registry.")
    var documents: Int = 20_000

    @Option(help: "Seed of the synthetic registry.")
    var seed: UInt64 = 7

    @Option(help: "Runs of each writer; medians and ranges are reported.")
    var runs: Int = 5

    @Flag(help: "Run InForce's writer only (to profile it), without comparing bytes.")
    var oursOnly = false

    func run() throws {
        var generated = SyntheticRegistry(documents: documents, seed: seed)
        let records = generated.records(documents)
        let index = ValidityIndex(records: records, issuers: generated.issuers, regions: generated.regions)
        let entries = AuditReport(index: index, scope: .all, on: try Day(iso: "2023-06-01")).documents
        try measure("audit entries", entries)
        try measure("records", records)
    }

    private func measure<T: Encodable>(_ what: String, _ values: [T]) throws {
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var ours: [Double] = [], theirs: [Double] = []
        var bytes = 0
        for _ in 0..<runs {
            var start = DispatchTime.now().uptimeNanoseconds
            let text = try JSONText.encode(values)
            ours.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            if oursOnly {
                bytes = text.utf8.count
                continue
            }
            start = DispatchTime.now().uptimeNanoseconds
            let data = try foundation.encode(values)
            theirs.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            guard text.utf8.elementsEqual(data) else { throw ValidationError("\(what): the two writers wrote different bytes") }
            bytes = data.count
        }
        let megabytes = Double(bytes) / 1_048_576
        func summary(_ seconds: [Double]) -> String {
            let sorted = seconds.sorted()
            return String(format: "median %.3f s (%.3f–%.3f), %.0f MB/s", sorted[sorted.count / 2], sorted[0], sorted[sorted.count - 1], megabytes / sorted[sorted.count / 2])
        }
        print(String(format: "%@: %d values, %.1f MB of JSON%@", what as NSString, values.count, megabytes, oursOnly ? "" : ", identical bytes"))
        print("  JSONText      \(summary(ours))")
        if !oursOnly { print("  JSONEncoder   \(summary(theirs))") }
    }
}
