import Foundation
import InForce
import InForceRegistry

/// Registry files that could not be read, named on standard error by every command that reads
/// the registry: `inforce: documents/绍政办发/2016-11.toml:3: error: …`, then what that means.
enum ProblemOutput {
    static func report(_ unreadable: UnreadableFiles, summary: Bool = true) {
        guard !unreadable.isEmpty else { return }
        for problem in unreadable.problems { standardError("inforce: \(problem)") }
        if summary { standardError("inforce: warning: \(unreadable.summary)") }
    }

    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// A command's JSON with the registry's `problems` beside its own keys (always present).
struct WithProblems<Value: Encodable>: Encodable {
    let value: Value
    let problems: [RegistryProblem]

    enum CodingKeys: String, CodingKey { case problems }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(problems, forKey: .problems)
    }
}
