/// Something wrong in the registry, said so a person can find and fix it.
public struct RegistryProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        /// The registry is wrong: `lint` fails.
        case error
        /// Worth a look; the registry is still usable.
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
    }

    public var severity: Severity
    /// Which record or table: for the file store, a path relative to the registry.
    public var origin: String
    /// The field at fault, as a path: `effective`, `citations[1].relation`, `notice.dispositions[0].quote`.
    public var field: String?
    /// The line in the origin, when the store knows it.
    public var line: Int?
    public var message: String

    public init(_ severity: Severity, origin: String, field: String? = nil, line: Int? = nil, _ message: String) {
        self.severity = severity
        self.origin = origin
        self.field = field
        self.line = line
        self.message = message
    }

    /// `documents/国发/2014-40.toml:12: error: …`, the form compilers use and editors jump to.
    public var description: String {
        "\(origin)\(line.map { ":\($0)" } ?? ""): \(severity.rawValue): \(message)"
    }
}

/// `{"file", "line", "field", "severity", "message"}`, every key always present (null when
/// unknown): the shape `lint`, `check`, `audit` and every other reading command print.
extension RegistryProblem: Encodable {
    enum CodingKeys: String, CodingKey { case file, line, field, severity, message }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(origin, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(field, forKey: .field)
        try container.encode(severity, forKey: .severity)
        try container.encode(message, forKey: .message)
    }
}
