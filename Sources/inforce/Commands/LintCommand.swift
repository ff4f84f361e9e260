import ArgumentParser
import Foundation
import InForce
import InForceRegistry

/// `inforce lint`: validate the whole registry; writes nothing.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check every registry file: format, duplicates, unknown issuers, dangling references, impossible dates.",
        discussion: "Prints file:line: severity: problem. Exits 1 when there are errors; warnings alone exit 0. Writes nothing."
    )

    @OptionGroup var registry: RegistryOptions

    @Flag(help: "Print errors only.")
    var errorsOnly = false

    @OptionGroup var output: FormatOptions

    struct Report: Encodable {
        let registry: String
        let errors: Int
        let warnings: Int
        let problems: [RegistryProblem]
    }

    func run() throws {
        let all = try registry.store.lint()
        let problems = errorsOnly ? all.filter { $0.severity == .error } : all
        let errors = all.count { $0.severity == .error }
        let warnings = all.count { $0.severity == .warning }
        switch output.format {
        case .json:
            let report = Report(
                registry: registry.registry, errors: errors, warnings: warnings,
                problems: problems)
            print(try JSONOutput.string(report))
        case .text:
            for problem in problems {
                let location = "\(registry.registry)/\(problem.origin)\(problem.line.map { ":\($0)" } ?? "")"
                let severity = problem.severity == .error ? Terminal.red("error") : Terminal.yellow("warning")
                print("\(location): \(severity): \(problem.message)")
            }
            print("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        }
        if errors > 0 { throw ExitStatus.negative }
    }
}
