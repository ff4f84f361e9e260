import ArgumentParser
import Foundation
import InForce
import InForceHTML

/// Extraction throughput on the gov.cn pages, beside libxml2's bare parse (the ceiling).
struct ExtractionBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extraction MB/s of gov.cn HTML on one core, and libxml2's parse alone for comparison."
    )

    @Argument(help: "The corpus folder.")
    var corpus: String = "../shared/corpus"

    @Option(help: "Passes over the pages; the median is reported.")
    var runs: Int = 5

    func run() throws {
        let folder = URL(fileURLWithPath: corpus).appendingPathComponent("govcn")
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter { $0.hasSuffix(".html") }.map {
            Array(try Data(contentsOf: folder.appendingPathComponent($0)))
        }
        let megabytes = Double(pages.reduce(0) { $0 + $1.count }) / 1_048_576
        func measure(_ body: ([UInt8]) throws -> Void) rethrows -> Double {
            var times: [Double] = []
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                for page in pages { try body(page) }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return times.sorted()[times.count / 2]
        }
        let parse = try measure { _ = try HTMLDocument(bytes: $0) }
        let load = try measure { _ = try PageLoader.load($0, name: "page.html") }
        let full = try measure { _ = DocumentExtractor.extract(try PageLoader.load($0, name: "page.html"), source: "page.html") }
        print(String(format: "%d gov.cn pages, %.2f MB, median of %d passes, one core", pages.count, megabytes, runs))
        print(String(format: "libxml2 parse only:              %7.1f MB/s", megabytes / parse))
        print(String(format: "decode + parse + page text:      %7.1f MB/s", megabytes / load))
        print(String(format: "full extraction:                 %7.1f MB/s", megabytes / full))
    }
}
