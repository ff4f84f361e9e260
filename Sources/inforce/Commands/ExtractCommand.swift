import ArgumentParser
import Foundation
import InForce
import InForceHTML

/// `inforce extract FILE...`: what a page says, with evidence, without touching a registry.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Read pages (HTML or text; UTF-8, GBK/GB18030 or Big5) and report their number, title, dates, citations, dispositions and status notes.",
        discussion: "A folder is read recursively. A file that cannot be read is reported on standard error and skipped; the exit code is then 3."
    )

    @Argument(help: "Pages to read: files or folders.")
    var paths: [String]

    @OptionGroup var output: FormatOptions

    func run() throws {
        var failures = 0
        for file in try PageFiles.expand(paths) {
            do {
                let extraction = try PageFiles.extract(file)
                switch output.format {
                case .json: print(try JSONOutput.string(extraction, pretty: false))
                case .text: print(ExtractionText.render(extraction) + "\n")
                }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("inforce: invalid input: \(file): \(ExitStatus.message(for: error))\n".utf8))
            }
        }
        if failures > 0 { throw ExitStatus.invalidInput }
    }
}

/// Finding and reading page files for `extract` (and later `ingest`).
enum PageFiles {
    static let extensions: Set<String> = ["html", "htm", "shtml", "jhtml", "xhtml", "txt", "text", "md"]

    /// Files as given, and the page files under folders, sorted.
    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw PageError(reason: "\(path): no such file or folder")
            }
            if isFolder.boolValue {
                let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                    .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
                    .sorted()
                files += found.map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    static func extract(_ file: String) throws -> Extraction {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw PageError(reason: "cannot read the file: \(error.localizedDescription)")
        }
        let page = try PageLoader.load(Array(data), name: file)
        return DocumentExtractor.extract(page, source: file)
    }
}

/// The text form of an extraction: a short report a person reads.
enum ExtractionText {
    static func render(_ extraction: Extraction) -> String {
        var lines = [Terminal.bold(extraction.source)]
        func field(_ name: String, _ value: String?) {
            lines.append("  " + name.padding(toLength: 10, withPad: " ", startingAt: 0) + (value ?? "—"))
        }
        field("number", extraction.number.map { $0.raw == $0.canonical ? $0.canonical : "\($0.canonical) (written \($0.raw))" })
        field("title", extraction.title)
        field("issuer", extraction.issuer)
        field("issued", extraction.issued?.description)
        if let published = extraction.published { field("published", published.description) }
        if let effective = extraction.effective { field("effective", effective.description) }
        if let expires = extraction.expires { field("expires", expires.description) }
        if let validity = extraction.validity { field("validity", "\(validity) (\(validity.chinese))") }
        for citation in extraction.citations {
            let target = [citation.number?.canonical, citation.title.map { "《\($0)》" }].compactMap { $0 }.joined(separator: " ")
            lines.append("  cites     \(citation.relation.rawValue) (\(citation.relation.chinese))  \(target)")
            lines.append(Terminal.dim("            “\(citation.evidence)” @\(citation.offset)"))
        }
        for disposition in extraction.dispositions {
            let target = [disposition.number?.canonical, disposition.title.map { "《\($0)》" }].compactMap { $0 }.joined(separator: " ")
            lines.append("  lists     \(disposition.outcome.rawValue) (\(disposition.outcome.chinese))  \(target)")
        }
        if let rule = extraction.closedListQuote { lines.append("  closed list: “\(rule)”") }
        if let cutoff = extraction.scopeIssuedBefore { lines.append("  scope     documents issued up to \(cutoff)") }
        for note in extraction.statusNotes {
            var said = note.outcome.map { "\($0.rawValue) (\($0.chinese))" } ?? "note"
            if let until = note.until { said += " until \(until)" }
            if let by = note.by { said += " by \(by.canonical)" }
            lines.append("  noted     \(said), by \(note.site) (third party)")
            lines.append(Terminal.dim("            “\(note.evidence)”"))
        }
        return lines.joined(separator: "\n")
    }
}
