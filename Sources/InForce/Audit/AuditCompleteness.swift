extension AuditReport {
    /// Whether every file of the registry was read in full.
    public var isComplete: Bool { problems.isEmpty }

    /// The files that could not be read, each once, in order.
    public var unreadableFiles: [String] {
        var seen: Set<String> = []
        return problems.map(\.origin).filter { seen.insert($0).inserted }
    }

    /// What every form of the report says first when it is incomplete (after "Incomplete:"); nil
    /// when it is complete.
    public var incompleteness: String? {
        guard !isComplete else { return nil }
        let files = unreadableFiles
        let many = files.count != 1
        return "\(files.count) registry file\(many ? "s" : "") cannot be read in full (\(files.joined(separator: ", "))); "
            + "what \(many ? "they hold" : "it holds") is missing from this report or only partly read, and so are answers resting on it. "
            + "Fix \(many ? "them" : "it") (inforce lint) and audit again."
    }
}
