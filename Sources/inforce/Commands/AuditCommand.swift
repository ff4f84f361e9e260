import ArgumentParser
import Foundation
import InForce
import InForceRegistry
import InForceReports

/// `inforce audit`: the state of a body of documents.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The state of a body of documents on a date: every status and finding, the counts, and what needs action first.",
        discussion: """
            Scope: --issuer (a name or a 代字), --region (and the regions below it), or --all (the default). \
            Settings and ignores come from audit.toml in the registry. --deny KIND exits 1 when a finding of \
            that kind remains, so an office can run the audit in CI. Finding kinds: \
            \(Finding.Kind.allCases.map(\.rawValue).joined(separator: ", ")).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, html, json, csv }

    @OptionGroup var registry: RegistryOptions
    @Option(help: "Only this issuer's documents: a full name or a 代字.") var issuer: String?
    @Option(help: "Only documents of issuers in this region or below it.") var region: String?
    @Flag(help: "Every document in the registry (the default).") var all = false
    @OptionGroup var asOf: AsOfOptions
    @Option(help: "Output format: text, markdown, html, json or csv.") var format: Format = .text
    @Option(name: .customLong("deny"), parsing: .upToNextOption, help: "Exit 1 when findings of these kinds remain.") var deny: [String] = []
    @Option(name: .customLong("output"), help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file")) var outputFile: String?

    func validate() throws {
        if [issuer != nil, region != nil, all].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --issuer, --region or --all")
        }
        for kind in deny where Finding.Kind(rawValue: kind) == nil {
            throw ValidationError("--deny \(kind): not a finding kind; kinds are \(Finding.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let store = registry.store
        let index = try store.open().withAllRecords()
        let settings = try store.auditSettings()
        let scope: AuditScope = issuer.map(AuditScope.issuer) ?? region.map(AuditScope.region) ?? .all
        let report = AuditReport(index: index, scope: scope, on: try asOf.day(), settings: settings)
        let generated = ISO8601DateFormatter().string(from: Date())
        let data: Data
        switch format {
        case .text:
            let colour = outputFile == nil && Terminal.colours
            data = Data((AuditRendering.text(report, emphasis: colour ? Terminal.bold : { $0 }) + "\n").utf8)
        case .markdown: data = Data(AuditRendering.markdown(report).utf8)
        case .html: data = Data(AuditRendering.html(report, index: index, generated: generated).utf8)
        case .json: data = Data((try AuditJSON(report: report, registry: registry.registry, generated: generated).text() + "\n").utf8)
        case .csv: data = try AuditRendering.csv(report)
        }
        if let outputFile {
            do {
                try data.write(to: URL(fileURLWithPath: outputFile), options: .atomic)
            } catch {
                throw RegistryError(.io, "cannot write \(outputFile): \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(data)
        }
        for warning in report.warnings where format != .text {
            FileHandle.standardError.write(Data("inforce: warning: \(warning)\n".utf8))
        }
        let denied = Set(deny.compactMap(Finding.Kind.init(rawValue:)))
        if !denied.isEmpty && report.has(denied) {
            FileHandle.standardError.write(Data("inforce: denied findings present: \(denied.map(\.rawValue).sorted().joined(separator: ", "))\n".utf8))
            throw ExitStatus.negative
        }
    }
}

/// The documented `audit --format json` object.
struct AuditJSON: Encodable {
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
    }

    let report: Metadata
    let actionRequired: [String]
    let documents: [AuditEntry]

    /// The pretty, key-sorted JSON of `JSONOutput`, byte for byte, with the documents encoded on
    /// every core: Foundation's encoder was half the time of a 10,000-document audit. The
    /// skeleton (everything but the documents) is encoded as usual and each document is spliced
    /// into its array, indented as the pretty printer indents it (JSON strings hold no raw line
    /// breaks, so indenting by lines is safe).
    func text() throws -> String {
        let skeleton = try JSONOutput.string(AuditJSON(report: report, actionRequired: actionRequired, documents: []))
        guard !documents.isEmpty else { return skeleton }
        guard let open = skeleton.range(of: "\"documents\" : ["), let close = skeleton[open.upperBound...].firstIndex(of: "]"),
              skeleton[open.upperBound..<close].allSatisfy(\.isWhitespace)
        else { return try JSONOutput.string(self) }
        let entries = documents
        let chunkCount = min(entries.count, 16)
        let pieces = ResultSlots<Result<[String], any Error>>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            pieces.set(chunk, Result {
                try entries[entries.count * chunk / chunkCount..<entries.count * (chunk + 1) / chunkCount].map { entry in
                    try JSONOutput.string(entry).split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
                }
            })
        }
        var body: [String] = []
        body.reserveCapacity(entries.count)
        for chunk in 0..<chunkCount { body += try pieces.get(chunk)!.get() }
        return String(skeleton[..<open.upperBound]) + "\n" + body.joined(separator: ",\n") + "\n  " + String(skeleton[close...])
    }

    private init(report: Metadata, actionRequired: [String], documents: [AuditEntry]) {
        self.report = report
        self.actionRequired = actionRequired
        self.documents = documents
    }

    init(report: AuditReport, registry: String, generated: String) {
        self.report = Metadata(
            registry: registry, scope: report.scope, asOf: report.asOf, generated: generated, documents: report.documents.count,
            countsByStatus: report.countsByStatus, countsByFinding: report.countsByFinding, countsByIssuer: report.countsByIssuer,
            warnings: report.warnings)
        actionRequired = report.actionRequired
        documents = report.documents
    }
}

/// `inforce graph`: the citation graph as DOT and SVG.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Write the citation graph around a document (or an issuer's documents) as DOT and SVG.",
        discussion: "SVG is laid out by Graphviz's dot when it is installed (apt-get install graphviz), else by InForce's own layered layout, which never overlaps boxes."
    )

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "A document number or title.") var document: String?
    @Option(help: "Every document of this issuer (a name or a 代字).") var issuer: String?
    @OptionGroup var asOf: AsOfOptions
    @Option(name: .customLong("output"), help: ArgumentHelp("Path without extension for the .dot and .svg files.", valueName: "path")) var output: String = "inforce-graph"

    func validate() throws {
        if (document == nil) == (issuer == nil) { throw ValidationError("give a document, or --issuer") }
    }

    func run() throws {
        let view = try registry.store.open()
        // An issuer's documents are found by reading every record's issuer.
        let index = issuer == nil ? view.index : view.withAllRecords()
        var keys: [DocumentKey] = []
        if let document {
            let key = try documentKey(document)
            guard index.node(key) != nil else { throw RegistryError(.notFound, "\(key) is not in the registry \(registry.registry)") }
            keys = [key]
        } else if let issuer {
            let report = AuditReport(index: index, scope: .issuer(issuer), on: try asOf.day())
            keys = report.documents.compactMap { try? DocumentKey(parsing: $0.key) }
            guard !keys.isEmpty else { throw RegistryError(.notFound, "no documents of \(issuer) in the registry") }
        }
        let picture = GraphPicture(index.subgraph(around: keys, on: try asOf.day()))
        let dotPath = output + ".dot"
        let svgPath = output + ".svg"
        try write(picture.dot(), to: dotPath)
        var layout = "InForce's layered layout"
        if let svg = Graphviz.render(dotPath) {
            try write(svg, to: svgPath)
            layout = "Graphviz dot"
        } else {
            try write(picture.svg(), to: svgPath)
        }
        print("wrote \(dotPath) and \(svgPath) (\(picture.graph.nodes.count) documents, \(picture.graph.edges.count) citations; laid out by \(layout))")
    }

    func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw RegistryError(.io, "cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// Graphviz's `dot`, when installed.
enum Graphviz {
    static func render(_ dotPath: String) -> String? {
        let candidates = ["/usr/bin/dot", "/usr/local/bin/dot"]
        guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-Tsvg", dotPath]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
