public import InForce

/// Why a registry operation failed, with the file or input at fault.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No record for the number or title asked about.
        case notFound
        /// The input to a command is invalid (a malformed date, a record that would not validate).
        case invalidInput
        /// A registry file cannot be read or is not valid.
        case invalidRegistry
        /// Another writer holds the lock.
        case busy
        /// The file system refused (permissions, disk full).
        case io
    }

    public let kind: Kind
    public let message: String
    /// The problems behind an invalid record, each with its field.
    public let problems: [RegistryProblem]

    public init(_ kind: Kind, _ message: String, problems: [RegistryProblem] = []) {
        self.kind = kind
        self.message = message
        self.problems = problems
    }

    public var description: String { message }
}
