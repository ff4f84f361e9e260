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
        0 success; 1 negative answer (lint found errors); 2 document not found (extract, ingest: a \
        folder holds no pages); 3 invalid input (malformed number, date or field; a page that could not \
        be read); 4 registry missing, unreadable or invalid; 5 registry locked \
        by another writer; 6 file-system error; 64 usage error.
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
