import ArgumentParser
import Foundation
import InForce
import InForceRegistry

/// `inforce`: the command-line face of the InForce library.
@main
struct InForceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inforce",
        abstract: "Keep a registry of Chinese normative documents and answer, with evidence, whether each is in force.",
        discussion: """
            The registry is a folder of plain text files (one TOML file per document), the truth that \
            every answer is computed from. Exit codes: \(ExitStatus.summary)
            """,
        version: "0.1.0",
        subcommands: [CheckCommand.self, TraceCommand.self, ImpactCommand.self, TimelineCommand.self, AuditCommand.self, GraphCommand.self, GenerateCommand.self, NumberCommand.self, ExtractCommand.self, IngestCommand.self, IngestListCommand.self, AddCommand.self, ShowCommand.self, ListCommand.self, SearchCommand.self, LintCommand.self, WatchCommand.self, MigrateCommand.self]
    )

    /// Runs a command and turns every InForce failure into one line on standard error and a
    /// distinct exit code; help, usage and validation errors go to ArgumentParser as usual (its
    /// help is itself a command whose run throws).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let status as ExitStatus {
            Foundation.exit(status.code)
        } catch {
            guard let status = ExitStatus(for: error) else { exit(withError: error) }
            FileHandle.standardError.write(Data("inforce: \(status.label): \(ExitStatus.message(for: error))\n".utf8))
            Foundation.exit(status.code)
        }
    }
}
