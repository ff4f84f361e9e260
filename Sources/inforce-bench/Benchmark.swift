import ArgumentParser
import Foundation
import InForce

/// `inforce-bench`: measures InForce's hot paths. Run in release mode:
/// `swift run -c release inforce-bench numbers ../shared/corpus`.
@main
struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inforce-bench",
        abstract: "Measure InForce's speed on real text (run with -c release).",
        subcommands: [NumbersBenchmark.self, ExtractionBenchmark.self, AccuracyBenchmark.self, PagesGenerator.self, LoadBenchmark.self, ScaleBenchmark.self, OfficeBenchmark.self, FuzzBenchmark.self, JSONBenchmark.self, AuditJSONBenchmark.self, LawsBenchmark.self]
    )
}

/// Scanner throughput over the corpus text, repeated to a working size that dwarfs the caches.
struct NumbersBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numbers",
        abstract: "Document-number scanner throughput (MB/s of UTF-8) over the corpus's raw pages and gov.cn HTML."
    )

    @Argument(help: "The corpus folder.")
    var corpus: String = "../shared/corpus"

    @Option(help: "Megabytes of text to scan per run.")
    var megabytes: Int = 64

    @Option(help: "Runs; the median is reported.")
    var runs: Int = 7

    func run() throws {
        var sample = Data()
        for folder in ["raw", "govcn"] {
            let url = URL(fileURLWithPath: corpus).appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            where name.hasSuffix(".txt") || name.hasSuffix(".html") {
                sample.append(try Data(contentsOf: url.appendingPathComponent(name)))
                sample.append(0x0A)
            }
        }
        guard !sample.isEmpty else { throw ValidationError("no .txt or .html files under \(corpus)/raw or \(corpus)/govcn") }
        var text = [UInt8]()
        text.reserveCapacity(megabytes << 20)
        while text.count < megabytes << 20 { text.append(contentsOf: sample) }

        var seconds: [Double] = []
        var found = 0
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            found = text.withUnsafeBufferPointer { NumberScanner.scan(utf8: $0).count }
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        seconds.sort()
        let median = seconds[seconds.count / 2]
        let megabytesScanned = Double(text.count) / 1_048_576
        print(String(format: "scanned %.1f MB (corpus of %d KB repeated), %d numbers per run", megabytesScanned, sample.count / 1024, found))
        print(String(format: "median of %d runs: %.3f s, %.0f MB/s (best %.0f MB/s)", runs, median, megabytesScanned / median, megabytesScanned / seconds[0]))
    }
}
