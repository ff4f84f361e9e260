import ArgumentParser
import Foundation
import InForce
import InForceRegistry
import InForceReports

#if canImport(Glibc)
import Glibc
#endif

/// The whole `audit --all --format json` of a registry, written by `JSONText` and by
/// `JSONEncoder` in the command's own code path (`AuditJSON`), each run a process of its own so
/// its peak memory is its own: rounds alternate which writer goes first, and medians are reported.
struct AuditJSONBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-json",
        abstract: "Time and peak memory of the full audit as JSON, JSONText against JSONEncoder, interleaved, one process per run."
    )

    @Argument(help: "The registry folder (inforce generate --documents N --seed 7 DIR).")
    var registry: String

    @Option(help: "Rounds; each runs both writers, the first of them alternating.")
    var rounds: Int = 5

    @Option(help: "Run once with this writer (jsonText or jsonEncoder) and print its timings: what each round runs.")
    var writer: String?

    @Option(help: "With --writer: where the JSON goes.")
    var output: String = "/dev/null"

    func run() throws {
        if let writer {
            guard let chosen = AuditJSON.Writer(rawValue: writer) else { throw ValidationError("--writer is jsonText or jsonEncoder") }
            return try runOnce(chosen)
        }
        // A first round writing files, to see that the two writers write the same bytes.
        var outputs: [AuditJSON.Writer: String] = [:]
        for writer in AuditJSON.Writer.allCases {
            let path = NSTemporaryDirectory() + "inforce-audit-\(writer.rawValue)-\(getpid()).json"
            _ = try child(writer, output: path)
            outputs[writer] = path
        }
        defer { for path in outputs.values { try? FileManager.default.removeItem(atPath: path) } }
        let texts = try AuditJSON.Writer.allCases.map { try Data(contentsOf: URL(fileURLWithPath: outputs[$0]!)) }
        guard texts[0] == texts[1] else { throw ValidationError("the two writers wrote different bytes") }
        print(String(format: "audit JSON of %@: %.1f MB, the same bytes from both writers", registry as NSString, Double(texts[0].count) / 1_048_576))

        var runs: [AuditJSON.Writer: [Run]] = [:]
        for round in 0..<rounds {
            let order = round.isMultiple(of: 2) ? AuditJSON.Writer.allCases : AuditJSON.Writer.allCases.reversed()
            for writer in order {
                let run = try child(writer, output: output)
                runs[writer, default: []].append(run)
                print(String(format: "round %d %-11@ wall %6.2f s, render %6.2f s, user %6.2f s, peak %5.0f MB", round + 1, writer.rawValue as NSString, run.wall, run.render, run.user, run.peakMB))
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print("| writer | wall (median) | render (median) | user (median) | peak RSS (median) |")
        print("|---|---|---|---|---|")
        for writer in AuditJSON.Writer.allCases {
            let all = runs[writer] ?? []
            print(String(format: "| %@ | %.2f s | %.2f s | %.2f s | %.0f MB |", writer.rawValue as NSString,
                         median(all.map(\.wall)), median(all.map(\.render)), median(all.map(\.user)), median(all.map(\.peakMB))))
        }
    }

    struct Run {
        let wall: Double
        let render: Double
        let user: Double
        let peakMB: Double
    }

    /// The audit as `inforce audit --all --format json` makes it, then written by `writer`.
    func runOnce(_ writer: AuditJSON.Writer) throws {
        let store = Registry(root: URL(fileURLWithPath: registry))
        let index = try { () throws -> ValidityIndex in try store.open().withAllRecords() }()
        var report = AuditReport(index: index, scope: .all, on: try Day(iso: "2023-06-01"), settings: try store.auditSettings())
        report.problems = []
        let start = DispatchTime.now().uptimeNanoseconds
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        try AuditJSON(report: report, registry: registry, generated: "2023-06-01T00:00:00Z").write(to: { handle.write(Data($0)) }, writer: writer)
        handle.write(Data("\n".utf8))
        try handle.close()
        print(String(format: "render %.3f", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
    }

    /// This benchmark run again as a process with `--writer`, timed with its own resource usage.
    func child(_ writer: AuditJSON.Writer, output: String) throws -> Run {
        // A file written afresh (the child only opens it); /dev/null as it is.
        if output != "/dev/null" {
            try? FileManager.default.removeItem(atPath: output)
            guard FileManager.default.createFile(atPath: output, contents: nil) else { throw ValidationError("cannot create \(output)") }
        }
        let log = NSTemporaryDirectory() + "inforce-audit-json-\(getpid()).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let arguments = [CommandLine.arguments[0], "audit-json", registry, "--writer", writer.rawValue, "--output", output]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw ValidationError("could not start \(arguments[0]): error \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { throw ValidationError("lost the run of \(writer.rawValue)") }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let printed = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0, let render = printed.split(separator: " ").last.flatMap({ Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            throw ValidationError("the run of \(writer.rawValue) failed (status \(status)): \(printed)")
        }
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        // Linux reports ru_maxrss in kilobytes.
        return Run(wall: wall, render: render, user: user, peakMB: Double(usage.ru_maxrss) / 1024)
    }
}
