public import InForce

/// The files of a registry that could not be read in full, and the answers they leave in doubt.
///
/// Every problem reading finds loses data: a file that is not TOML, not UTF-8 or over the size
/// limit is left out whole; a field with a bad value (`issued = "2019-02-30"`) or an unknown key is
/// dropped from a record that is otherwise read. Lint's other findings (style, dangling
/// references, misplaced files) lose nothing and are not here.
public struct UnreadableFiles: Sendable {
    /// Every error, ordered by file and line.
    public let problems: [RegistryProblem]
    /// The key of the record each partly read file still gave.
    private let partlyRead: [String: DocumentKey]

    init(_ problems: [RegistryProblem], partlyRead: [String: DocumentKey] = [:]) {
        self.problems = problems.filter { $0.severity == .error }
            .sorted { ($0.origin, $0.line ?? 0, $0.message) < ($1.origin, $1.line ?? 0, $1.message) }
        self.partlyRead = partlyRead
    }

    public var isEmpty: Bool { problems.isEmpty }

    /// The files with problems, each once, in order.
    public var files: [String] {
        var seen: Set<String> = []
        return problems.map(\.origin).filter { seen.insert($0).inserted }
    }

    /// The problems that leave an answer about `key` in doubt: those of the file the layout keeps
    /// its record in (or that a record of it was partly read from), and those of `issuers.toml`
    /// and `regions.toml`, which every answer reads.
    public func problems(about key: DocumentKey) -> [RegistryProblem] {
        let own = RegistryLayout.path(for: key)
        let sharing = String(own.dropLast(RegistryLayout.recordExtension.count)) + "@"
        return problems.filter { problem in
            problem.origin == own || (problem.origin.hasPrefix(sharing) && problem.origin.hasSuffix(RegistryLayout.recordExtension))
                || partlyRead[problem.origin] == key || Self.isTable(problem.origin)
        }
    }

    /// Throws `.invalidRegistry` when an answer about `key` would rest on a file that could not be
    /// read: its own record file, or a table.
    public func requireReadable(_ key: DocumentKey) throws(RegistryError) {
        let found = problems(about: key)
        guard !found.isEmpty else { return }
        var clauses: [String] = []
        for file in UnreadableFiles(found).files {
            let details = found.filter { $0.origin == file }.map { problem in
                (problem.line.map { "line \($0): " } ?? "") + problem.message
            }.joined(separator: "; ")
            clauses.append(
                Self.isTable(file)
                    ? "the registry's \(file), which every answer reads, cannot be read (\(details))"
                    : "its record file \(file) cannot be read (\(details))")
        }
        throw RegistryError(.invalidRegistry, "\(key): \(clauses.joined(separator: "; ")); fix it (inforce lint) before relying on an answer", problems: found)
    }

    /// One sentence for after the problems: how many files, and what that means for the answer.
    public var summary: String {
        let count = files.count
        return "\(count) registry file\(count == 1 ? "" : "s") cannot be read in full; what \(count == 1 ? "it holds" : "they hold") is missing from this answer (inforce lint lists every problem)"
    }

    private static func isTable(_ path: String) -> Bool {
        path == RegistryLayout.issuersFile || path == RegistryLayout.regionsFile
    }
}
