public import Foundation
import InForce

/// A temporary folder for one test, removed when the test's value goes away.
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("inforce-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A copy of the shipped `registry/`, to change without touching the real one. Without
    /// `nationalLayer`, the records read from LawRefBook's texts (and the stubs those texts named,
    /// whose notes give the text's address) are left out, except those the local records cite:
    /// most tests ask about the local story (绍兴's documents, the tables, and the laws they
    /// name), and copying some 5,700 files for each would cost the suite minutes. Tests of the
    /// national layer take it whole.
    public func copyOfShippedRegistry(named name: String = "registry", nationalLayer: Bool = false) throws -> URL {
        let target = url.appendingPathComponent(name)
        let shipped = Corpus.packageRoot.appendingPathComponent("registry")
        if nationalLayer {
            try FileManager.default.copyItem(at: shipped, to: target)
            try? FileManager.default.removeItem(at: target.appendingPathComponent(".lock"))
            try? FileManager.default.removeItem(at: target.appendingPathComponent(".inforce-cache"))
            return target
        }
        let marker = Data(TemporaryFolder.nationalSource.utf8)
        let names = FileManager.default.enumerator(atPath: shipped.path)?.allObjects as? [String] ?? []
        var local: [(name: String, data: Data)] = []
        var national: [(name: String, data: Data)] = []
        for name in names where !name.hasPrefix(".inforce-cache") && name != ".lock" {
            let source = shipped.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let data = try Data(contentsOf: source)
            if name.hasPrefix("documents/"), data.range(of: marker) != nil { national.append((name, data)) } else { local.append((name, data)) }
        }
        // What the local records name: every number and title their lines give.
        var named: Set<String> = []
        for file in local { for value in Self.values(in: file.data) { named.insert(Self.identity(value)) } }
        let cited = national.filter { file in Self.values(in: file.data, firstOnly: true).contains { named.contains(Self.identity($0)) } }
        for file in local + cited {
            let destination = target.appendingPathComponent(file.name)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.data.write(to: destination)
        }
        return target
    }

    /// The values of a record file's `number = "…"` and `title = "…"` lines (the record's own,
    /// before any table, when `firstOnly`).
    static func values(in data: Data, firstOnly: Bool = false) -> [String] {
        var values: [String] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            if firstOnly, line.hasPrefix("[") { break }
            for key in ["number = \"", "title = \""] where line.hasPrefix(key) && line.hasSuffix("\"") {
                values.append(String(line.dropFirst(key.count).dropLast()))
            }
        }
        return values
    }

    /// A number's canonical form, or a title's identity.
    static func identity(_ value: String) -> String {
        (try? DocumentNumber(value).canonical) ?? TitleIdentity.key(value)
    }

    /// Where the shipped national layer was read: its records' sources, and its stubs' notes.
    public static let nationalSource = "https://github.com/LawRefBook/Laws/"

    public func write(_ text: String, to relativePath: String) throws {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Runs the built `inforce` executable, as a user would.
public enum InforceProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The `inforce` binary beside the test bundle.
    public static var executable: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("inforce")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Corpus.packageRoot.appendingPathComponent(".build/debug/inforce")
    }

    public static func start(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            // Small inputs only: written whole before the output is read.
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        return (process, out, err)
    }

    public static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Result {
        let (process, out, err) = try start(arguments, environment: environment, input: input)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// Every record and table file of a registry with its bytes, to show that a command wrote nothing.
public func registryFiles(_ registry: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: registry)
    while let path = enumerator?.nextObject() as? String {
        guard path.hasSuffix(".toml") else { continue }
        files[path] = try Data(contentsOf: URL(fileURLWithPath: registry + "/" + path))
    }
    return files
}
