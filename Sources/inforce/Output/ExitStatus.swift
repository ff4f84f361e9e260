import ArgumentParser
import InForce
import InForceHTML
import InForceRegistry

/// The documented exit codes, one per kind of outcome, mapped in this one place.
struct ExitStatus: Error {
    let code: Int32
    let label: String

    static let success = ExitStatus(code: 0, label: "ok")
    /// The answer is negative: `lint` found errors.
    static let negative = ExitStatus(code: 1, label: "failed")
    static let notFound = ExitStatus(code: 2, label: "not found")
    static let invalidInput = ExitStatus(code: 3, label: "invalid input")
    static let invalidRegistry = ExitStatus(code: 4, label: "registry error")
    static let busy = ExitStatus(code: 5, label: "busy")
    static let io = ExitStatus(code: 6, label: "i/o error")

    static let summary = """
        0 success; 1 negative answer (lint found errors; check: not in force; audit --deny: denied findings \
        remain); 2 document not found, with the nearest numbers the registry holds (extract, ingest: a \
        folder holds no pages); 3 invalid input (malformed number, date or field; an issuer or region the \
        registry does not know, with the nearest names; a page that could not be read); 4 registry missing, \
        unreadable or invalid (check, trace, impact, timeline, show, graph: the document's own record file, \
        or issuers.toml or regions.toml, cannot be read; audit: any file cannot be read, unless \
        --allow-problems); 5 registry locked by another writer (named by its pid; nothing written; watch: another watcher keeps it); 6 file-system error; \
        7 watch: the system's inotify limit is below the registry's folders; 64 usage error. Every \
        command that reads the registry names the files it cannot read on standard error, as \
        file:line: error: problem, and in its JSON as `problems`.
        """

    /// What the commands about one document (trace, impact, timeline) say of their exit codes.
    static let aboutOneDocument = """
        Exit codes: 0 answered; 2 not in the registry (the nearest numbers are listed); 3 invalid input; \
        4 registry error, including a record file of this document (or issuers.toml, regions.toml) that \
        cannot be read. Files that cannot be read are named on standard error and in the JSON's `problems`.
        """

    init(code: Int32, label: String) {
        self.code = code
        self.label = label
    }

    /// The status for one of InForce's own errors; nil for anything else (ArgumentParser's
    /// help and usage errors, which it reports itself).
    init?(for error: any Error) {
        switch error {
        case let error as RegistryError:
            switch error.kind {
            case .notFound: self = .notFound
            case .invalidInput: self = .invalidInput
            case .invalidRegistry: self = .invalidRegistry
            case .busy: self = .busy
            case .io: self = .io
            }
        case is NumberError, is DayError, is EditError, is ValidityPeriodError, is PageError:
            self = .invalidInput
        case is RegistryProblem:
            self = .invalidRegistry
        case let error as UnknownName:
            self = error.kind == .document ? .notFound : .invalidInput
        default:
            return nil
        }
    }

    static func message(for error: any Error) -> String {
        switch error {
        case let error as any CustomStringConvertible: error.description
        default: "\(error)"
        }
    }
}
