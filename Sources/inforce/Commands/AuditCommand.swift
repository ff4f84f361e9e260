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
            \(Finding.Kind.allCases.map(\.rawValue).joined(separator: ", ")). A registry file that cannot be \
            read is named on standard error and in the report, which says it is incomplete; the audit then \
            exits 4 (before --deny is considered) unless --allow-problems is given. An issuer or region the \
            registry does not know exits 3, with the nearest names.
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
    @Flag(name: .customLong("allow-problems"), help: "Exit as usual even when registry files cannot be read (the report still says it is incomplete).")
    var allowProblems = false

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
        // The view (and the mapped index behind it) is let go once every record is in memory:
        // holding it through the audit kept the whole index file resident beside the records.
        let (index, unreadable) = try { () throws -> (ValidityIndex, UnreadableFiles) in
            let view = try store.open()
            return (try view.withAllRecords(), view.unreadable)
        }()
        ProblemOutput.report(unreadable, summary: false)
        let settings = try store.auditSettings()
        let scope: AuditScope = issuer.map(AuditScope.issuer) ?? region.map(AuditScope.region) ?? .all
        try index.requireKnown(scope, place: "the registry \(registry.registry)")
        var report = AuditReport(index: index, scope: scope, on: try asOf.day(), settings: settings)
        report.problems = unreadable.problems
        let generated = ISO8601DateFormatter().string(from: Date())
        try OutputSink.writing(to: outputFile) { sink in
            switch format {
            case .text:
                let colour = outputFile == nil && Terminal.colours
                try sink(Array((AuditRendering.text(report, emphasis: colour ? Terminal.bold : { $0 }) + "\n").utf8))
            case .markdown: try sink(Array(AuditRendering.markdown(report).utf8))
            case .html: try sink(Array(AuditRendering.html(report, index: index, generated: generated).utf8))
            case .json:
                // Streamed: a national registry's report is gigabytes of JSON.
                try AuditJSON(report: report, registry: registry.registry, generated: generated).write(to: sink)
                try sink(Array("\n".utf8))
            case .csv: try sink(Array(try AuditRendering.csv(report)))
            }
        }
        for warning in report.warnings where format != .text {
            FileHandle.standardError.write(Data("inforce: warning: \(warning)\n".utf8))
        }
        let denied = Set(deny.compactMap(Finding.Kind.init(rawValue:)))
        let deniedPresent = !denied.isEmpty && report.has(denied)
        if deniedPresent {
            FileHandle.standardError.write(Data("inforce: denied findings present: \(denied.map(\.rawValue).sorted().joined(separator: ", "))\n".utf8))
        }
        if let incomplete = report.incompleteness {
            // An audit that could not read every file cannot pass a gate, whatever it found.
            ProblemOutput.standardError(
                allowProblems
                    ? "inforce: warning: the audit is incomplete: \(incomplete)"
                    : "inforce: registry error: the audit is incomplete: \(incomplete) (--allow-problems accepts an incomplete audit)")
            if !allowProblems { throw ExitStatus.invalidRegistry }
        }
        if deniedPresent { throw ExitStatus.negative }
    }
}

/// `inforce graph`: the citation graph as DOT and SVG.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Write the citation graph around a document (or an issuer's documents) as DOT and SVG.",
        discussion: """
            SVG is laid out by Graphviz's dot when it is installed (apt-get install graphviz), else by InForce's own \
            layered layout, which never overlaps boxes. Exit codes: 0 written; 2 the document (or any document of \
            the issuer) is not in the registry, with the nearest numbers; 3 an issuer the registry does not know, \
            with the nearest names; 4 registry error, including the document's own record file that cannot be read.
            """
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
        ProblemOutput.report(view.unreadable)
        // An issuer's documents are found by reading every record's issuer.
        let index = issuer == nil ? view.index : try view.withAllRecords()
        var keys: [DocumentKey] = []
        if let document {
            let key = try documentKey(document)
            try view.unreadable.requireReadable(key)
            _ = try index.requireNode(key, place: "the registry \(registry.registry)")
            keys = [key]
        } else if let issuer {
            try index.requireKnown(.issuer(issuer), place: "the registry \(registry.registry)")
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
        try AtomicFile.write(text, to: URL(fileURLWithPath: path))
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

/// Where a command's output goes: standard output, or a file replaced atomically, in pieces.
enum OutputSink {
    static func writing(to path: String?, _ body: (([UInt8]) throws -> Void) throws -> Void) throws {
        guard let path else {
            try body { FileHandle.standardOutput.write(Data($0)) }
            return
        }
        let file = try AtomicFile.Replacement(URL(fileURLWithPath: path))
        do {
            try body { try file.append($0) }
        } catch {
            file.discard()
            throw error
        }
        try file.commit()
    }
}
