import ArgumentParser
import Foundation
import InForce
import InForceRegistry

/// `inforce migrate`: move record files to where the current layout puts them.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move every record file to where its number or title puts it (once, for a registry kept in the earlier layout).",
        discussion: """
            The earlier layout kept a folder per 代字 and year (documents/国发/2014/40.toml); the current one keeps \
            a folder per 代字 (documents/国发/2014-40.toml). Each file is renamed, under the registry's lock; a \
            place already taken is left alone and said. In git the moves show as renames. Exits 1 when a file \
            could not be moved, 5 when another writer holds the lock.
            """)

    @OptionGroup var registry: RegistryOptions

    @Flag(help: "Say what would move; move nothing.")
    var dryRun = false

    @OptionGroup var output: FormatOptions

    func run() throws {
        let migration = try registry.store.migrateLayout(dryRun: dryRun)
        let failed = migration.moves.count { $0.problem != nil }
        switch output.format {
        case .json:
            print(try JSONOutput.string(migration))
        case .text:
            for move in migration.moves {
                if let problem = move.problem {
                    print("\(move.from): \(Terminal.red("not moved")): \(problem)")
                } else {
                    print("\(move.from) → \(move.to)")
                }
            }
            for path in migration.unread { print("\(path): \(Terminal.yellow("not moved")): it cannot be read as a record (inforce lint says why)") }
            let moved = migration.moves.count - failed
            print("\(moved) file\(moved == 1 ? "" : "s") \(dryRun ? "would move" : "moved"), \(failed) left in place")
        }
        if failed > 0 { throw ExitStatus.negative }
    }
}
