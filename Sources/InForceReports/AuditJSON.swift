public import InForce
import Foundation

/// The documented `audit --format json` object (docs/audit.schema.json).
public struct AuditJSON: Encodable {
    struct Metadata: Encodable {
        let registry: String
        let scope: String
        let asOf: Day
        let generated: String
        let documents: Int
        let countsByStatus: [String: Int]
        let countsByFinding: [String: Int]
        let countsByIssuer: [String: Int]
        let warnings: [String]
        /// Registry files that could not be read in full: when not empty, the report is incomplete.
        let problems: [RegistryProblem]
    }

    /// Which encoder writes the bytes; both write the same ones (`inforce-bench audit-json`
    /// measures the two in this code path).
    public enum Writer: String, Sendable, CaseIterable {
        /// InForce's `JSONText`.
        case jsonText
        /// Foundation's `JSONEncoder`.
        case jsonEncoder
    }

    let report: Metadata
    let actionRequired: [String]
    let documents: [AuditEntry]

    /// The pretty, key-sorted JSON of every `--format json`, byte for byte, handed to `sink` in
    /// pieces: the skeleton (everything but the documents) as usual, and the documents encoded on
    /// every core a group of chunks at a time, each at the depth the whole document gives it.
    public func write(to sink: ([UInt8]) throws -> Void, writer: Writer = .jsonText) throws {
        let skeleton = try Self.encode(AuditJSON(report: report, actionRequired: actionRequired, documents: []), writer: writer)
        guard !documents.isEmpty else { return try sink(Array(skeleton.utf8)) }
        guard let open = skeleton.range(of: "\"documents\" : ["), let close = skeleton[open.upperBound...].firstIndex(of: "]"),
              skeleton[open.upperBound..<close].allSatisfy(\.isWhitespace)
        else { return try sink(Array(try Self.encode(self, writer: writer).utf8)) }
        try sink(Array(skeleton[..<open.upperBound].utf8))
        // Blocks of about 2,000 documents, each encoded on every core and written before the next.
        let entries = documents
        for block in stride(from: 0, to: entries.count, by: 2048) {
            let blockEnd = min(entries.count, block + 2048)
            let pieces = inParallel(blockEnd - block, chunks: 8) { range in
                Result { () throws -> [UInt8] in
                    var bytes: [UInt8] = []
                    let encoder = writer == .jsonEncoder ? Self.foundation() : nil
                    for index in range.lowerBound + block..<range.upperBound + block {
                        bytes += (index == 0 ? "\n    " : ",\n    ").utf8
                        if let encoder {
                            Self.indent(try encoder.encode(entries[index]), depth: 2, into: &bytes)
                        } else {
                            try JSONText.encode(entries[index], depth: 2, into: &bytes)
                        }
                    }
                    return bytes
                }
            }
            for piece in pieces { try sink(try piece.get()) }
        }
        try sink(Array("\n  ".utf8) + Array(skeleton[close...].utf8))
    }

    /// The whole text (for tests).
    public func text(writer: Writer = .jsonText) throws -> String {
        var bytes: [UInt8] = []
        try write(to: { bytes += $0 }, writer: writer)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func encode<T: Encodable>(_ value: T, writer: Writer) throws -> String {
        switch writer {
        case .jsonText: try JSONText.encode(value)
        case .jsonEncoder: String(decoding: try foundation().encode(value), as: UTF8.self)
        }
    }

    private static func foundation() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    /// `json` as it stands `depth` levels deep: two spaces a level after each line break, except
    /// on the blank line of an empty array or object (the pretty printer leaves that one bare).
    private static func indent(_ json: Data, depth: Int, into output: inout [UInt8]) {
        let margin = Array(repeating: UInt8(ascii: " "), count: depth * 2)
        var previousWasBreak = false
        for byte in json {
            if previousWasBreak, byte != UInt8(ascii: "\n") { output += margin }
            output.append(byte)
            previousWasBreak = byte == UInt8(ascii: "\n")
        }
    }

    private init(report: Metadata, actionRequired: [String], documents: [AuditEntry]) {
        self.report = report
        self.actionRequired = actionRequired
        self.documents = documents
    }

    public init(report: AuditReport, registry: String, generated: String) {
        self.report = Metadata(
            registry: registry, scope: report.scope, asOf: report.asOf, generated: generated, documents: report.documents.count,
            countsByStatus: report.countsByStatus, countsByFinding: report.countsByFinding, countsByIssuer: report.countsByIssuer,
            warnings: report.warnings, problems: report.problems)
        actionRequired = report.actionRequired
        documents = report.documents
    }
}
