import ArgumentParser
import Foundation
import InForce
import InForceRegistry
import InForceReports

/// `--registry DIR`, shared by every command that reads or writes a registry.
struct RegistryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The registry folder.", valueName: "dir"))
    var registry: String = "registry"

    var store: Registry { Registry(root: URL(fileURLWithPath: registry)) }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// `--format text|json`.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format: text for people, json for programs (schema in README.md).")
    var format: OutputFormat = .text
}

/// Prints JSON with sorted keys, Chinese unescaped: stable output for scripts and diffs.
enum JSONOutput {
    /// Sorted keys, no escaped slashes, pretty unless told otherwise: the bytes Foundation's
    /// `JSONEncoder` writes with those options, from InForce's faster writer.
    static func string<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        try JSONText.encode(value, pretty: pretty)
    }
}

/// Colour only when standard output is a terminal and NO_COLOR is unset.
enum Terminal {
    static let colours = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    static func bold(_ text: String) -> String { colours ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    static func red(_ text: String) -> String { colours ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    static func yellow(_ text: String) -> String { colours ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
    static func dim(_ text: String) -> String { colours ? "\u{1B}[2m\(text)\u{1B}[0m" : text }

    /// Pads to a column width as a terminal shows it: Chinese characters take two cells.
    static func pad(_ text: String, to width: Int) -> String { AuditRendering.pad(text, width) }
}

/// Reads what a user typed as a document key, with a clear error for a malformed number.
func documentKey(_ text: String) throws -> DocumentKey {
    try DocumentKey(parsing: text)
}
