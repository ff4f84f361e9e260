import ArgumentParser
import Foundation
import InForce
import InForceRegistry

/// `inforce-bench scale`: the national-scale benchmark. For each size it generates a registry
/// (once, kept for later runs), then times `inforce` as a user runs it, each run under
/// `/usr/bin/time -v`: the first run over the text files (cold), then warm runs of check, trace,
/// impact and a full audit. Medians of the runs; the peak memory is the largest of them.
/// Prints a Markdown table for BENCHMARKS.md.
struct ScaleBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Time inforce on generated registries of several sizes (cold load, warm check, trace, impact, audit; peak memory)."
    )

    @Option(help: "Registry sizes, comma-separated.") var sizes: String = "10000,100000"
    @Option(help: "Warm runs of each command; the median is reported.") var runs: Int = 5
    @Option(help: "Cold runs (each removes the derived cache first).") var coldRuns: Int = 1
    @Option(help: "Where the generated registries are kept (one folder per size).") var work: String = "/tmp/inforce-scale"
    @Option(help: "The inforce executable to time (build it with -c release).") var inforce: String = ".build/release/inforce"
    @Option(help: "The as-of date of every query.") var asOf: String = "2023-06-01"
    @Option(help: "Generator seed.") var seed: UInt64 = 7
    @Flag(help: "Before each size, drop the kernel's cached folder entries (root only): a cache swollen by a larger registry makes every stat slower.")
    var dropCaches = false

    struct Measurement {
        var seconds: [Double] = []
        var peakKilobytes = 0
        var medianSeconds: Double { seconds.sorted()[seconds.count / 2] }
    }

    func run() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            throw ValidationError("/usr/bin/time is missing (Debian package `time`)")
        }
        guard FileManager.default.isExecutableFile(atPath: inforce) else {
            throw ValidationError("no inforce executable at \(inforce): run `swift build -c release` first")
        }
        let counts = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }) else { throw ValidationError("--sizes must list positive whole numbers") }
        guard runs > 0, coldRuns > 0 else { throw ValidationError("--runs and --cold-runs must be at least 1") }

        var rows: [String] = []
        for count in counts {
            let folder = "\(work)/\(count)"
            var generated: Measurement?
            if !FileManager.default.fileExists(atPath: folder + "/issuers.toml") {
                try? FileManager.default.removeItem(atPath: folder)
                log("generating \(count) documents into \(folder)")
                generated = try measure(["generate", "--documents", "\(count)", "--seed", "\(seed)", folder], runs: 1)
            }
            if dropCaches {
                sync()
                guard let handle = FileHandle(forWritingAtPath: "/proc/sys/vm/drop_caches") else {
                    throw ValidationError("--drop-caches needs root (it writes /proc/sys/vm/drop_caches)")
                }
                handle.write(Data("2\n".utf8))
                try handle.close()
            }
            let subject = try wellConnectedDocument(folder)
            log("\(count): the most-cited document is \(subject.number) (\(subject.citers) citing documents)")
            let cache = folder + "/.inforce-cache"
            let check = ["check", "--registry", folder, subject.number, "--as-of", asOf]
            let cold = try measure(check, runs: coldRuns) { try? FileManager.default.removeItem(atPath: cache) }
            let warmCheck = try measure(check, runs: runs)
            let trace = try measure(["trace", "--registry", folder, subject.number, "--as-of", asOf], runs: runs)
            let impact = try measure(["impact", "--registry", folder, subject.number, "--as-of", asOf], runs: runs)
            let output = NSTemporaryDirectory() + "inforce-scale-audit.json"
            let audit = try measure(["audit", "--registry", folder, "--as-of", asOf, "--format", "json", "--output", output], runs: runs)
            try? FileManager.default.removeItem(atPath: output)
            let lint = try measure(["lint", "--registry", folder], runs: 1)

            func row(_ what: String, _ arguments: String, _ measurement: Measurement) -> String {
                let runsText = measurement.seconds.count == 1 ? "1 run" : "median of \(measurement.seconds.count)"
                return "| \(count.formatted()) | \(what) | `inforce \(arguments)` | \(String(format: "%.2f", measurement.medianSeconds)) s (\(runsText)) | \(measurement.peakKilobytes / 1024) MB |"
            }
            let place = "--registry R"
            if let generated { rows.append(row("generate", "generate --documents \(count) --seed \(seed) R", generated)) }
            rows.append(row("cold load + check (no cache)", "check \(place) \(subject.number) --as-of \(asOf)", cold))
            rows.append(row("warm check", "check \(place) \(subject.number) --as-of \(asOf)", warmCheck))
            rows.append(row("warm trace", "trace \(place) \(subject.number) --as-of \(asOf)", trace))
            rows.append(row("warm impact (\(subject.citers) direct citers)", "impact \(place) \(subject.number) --as-of \(asOf)", impact))
            rows.append(row("warm full audit, JSON", "audit \(place) --as-of \(asOf) --format json --output F", audit))
            rows.append(row("lint", "lint \(place)", lint))
        }
        print("| documents | what | command | wall | peak RSS |")
        print("|---|---|---|---|---|")
        rows.forEach { print($0) }
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("inforce-bench: \(message)\n".utf8))
    }

    /// The document the most others cite: the hardest check, trace and impact.
    private func wellConnectedDocument(_ folder: String) throws -> (number: String, citers: Int) {
        let index = try Registry(root: URL(fileURLWithPath: folder)).open().index
        guard let best = (0..<Int32(index.count)).max(by: { index.citerCount($0) < index.citerCount($1) }), index.citerCount(best) > 0 else {
            throw ValidationError("no document in \(folder) is cited by another")
        }
        return (index.record(best).key.description, index.citerCount(best))
    }

    /// Runs `inforce arguments` under `/usr/bin/time -v` `runs` times (calling `before` first).
    private func measure(_ arguments: [String], runs: Int, before: () -> Void = {}) throws -> Measurement {
        var measurement = Measurement()
        let report = NSTemporaryDirectory() + "inforce-scale-time.txt"
        for _ in 0..<runs {
            before()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
            process.arguments = ["-v", "-o", report, inforce] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            // 0 and 1 are answers (1: not in force, or findings denied); anything else is a failure.
            guard process.terminationStatus <= 1 else {
                throw ValidationError("inforce \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
            }
            let text = try String(contentsOfFile: report, encoding: .utf8)
            measurement.seconds.append(Self.wallSeconds(text))
            measurement.peakKilobytes = max(measurement.peakKilobytes, Self.field("Maximum resident set size (kbytes)", in: text).flatMap { Int($0) } ?? 0)
        }
        try? FileManager.default.removeItem(atPath: report)
        return measurement
    }

    static func field(_ name: String, in text: String) -> String? {
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(name + ":") { return trimmed.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }

    /// `Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.33` in seconds.
    static func wallSeconds(_ text: String) -> Double {
        guard let value = field("Elapsed (wall clock) time (h:mm:ss or m:ss)", in: text) else { return .nan }
        return value.split(separator: ":").reduce(0) { $0 * 60 + (Double($1) ?? .nan) }
    }
}
