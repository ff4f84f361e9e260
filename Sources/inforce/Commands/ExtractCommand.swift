import ArgumentParser
import Foundation
import InForce
import InForceHTML
import InForceOffice

/// `inforce extract FILE...`: what a page says, with evidence, without touching a registry.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Read pages (HTML or text; UTF-8, GBK/GB18030 or Big5) and lists (.xlsx, .docx; .doc, .xls, .wps, .et and .pdf when LibreOffice and poppler are installed) and report their number, title, dates, citations, dispositions and status notes.",
        discussion: """
            A folder is read recursively. A file that cannot be read (or a path that does not exist) is \
            reported on standard error and skipped; the others are still read, and the exit code is then 3. \
            A folder with no pages in it is reported too, with exit code 2 when nothing else failed. Bytes \
            that are not valid in a page's encoding (a download cut short) are replaced by U+FFFD and \
            reported as a warning.
            """
    )

    @Argument(help: "Pages to read: files or folders.")
    var paths: [String]

    @Option(name: .customLong("attachment"), help: ArgumentHelp("A list the page links (.xlsx, .docx, .doc, .xls, .pdf): its rows become the page's dispositions. Repeat for several; attachments lying beside the page under the linked name are found without it.", valueName: "file"))
    var attachments: [String] = []

    @OptionGroup var output: FormatOptions

    func run() throws {
        var outcome = PageFiles.Outcome()
        for entry in PageFiles.expand(paths) {
            let file: String
            switch entry {
            case .file(let path): file = path
            case .unreadable(let error):
                outcome.failed(error)
                continue
            case .empty(let error):
                outcome.found(nothingIn: error)
                continue
            }
            do {
                let extraction = try PageFiles.extract(file, attachments: attachments, outcome: &outcome)
                switch output.format {
                case .json: print(try JSONOutput.string(extraction, pretty: false))
                case .text: print(ExtractionText.render(extraction) + "\n")
                }
            } catch {
                outcome.failed(PageFiles.error(error, file: file))
            }
        }
        try outcome.finish()
    }
}

/// Finding and reading page files for `extract` and `ingest`.
enum PageFiles {
    static let extensions: Set<String> = [
        "html", "htm", "shtml", "jhtml", "xhtml", "txt", "text", "md", "docx", "xlsx", "doc", "xls", "wps", "et", "pdf",
    ]

    /// One path given, expanded: a page file to read, or why there is nothing to read there.
    enum Entry {
        case file(String)
        /// A path that does not exist, or a folder that cannot be listed.
        case unreadable(PageError)
        /// A folder with no page file in it.
        case empty(PageError)
    }

    /// Files as given, and the page files under folders, sorted; a path that does not exist or a
    /// folder without pages is an entry of its own, in its place, so the others are still read.
    static func expand(_ paths: [String]) -> [Entry] {
        var entries: [Entry] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                entries.append(.unreadable(PageError(reason: "no such file or folder", file: path)))
                continue
            }
            guard isFolder.boolValue else {
                entries.append(.file(path))
                continue
            }
            let top: [String]
            do {
                top = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                entries.append(.unreadable(PageError(reason: "cannot list the folder: \(error.localizedDescription)", file: path)))
                continue
            }
            let all = FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []
            // A folder's own description (README.md) and a site generator's section listing
            // (_index.md, as LawRefBook has) are not documents.
            let found = all.filter { name in
                let file = (name as NSString).lastPathComponent.lowercased()
                return extensions.contains((name as NSString).pathExtension.lowercased()) && file != "_index.md" && !file.hasPrefix("readme.")
            }.sorted()
            if found.isEmpty {
                let names = extensions.sorted().map { ".\($0)" }.joined(separator: ", ")
                let reason = top.isEmpty ? "the folder is empty" : "the folder holds no pages (no \(names) file among its \(all.count == 1 ? "1 entry" : "\(all.count) entries"))"
                entries.append(.empty(PageError(reason: reason, file: path)))
                continue
            }
            entries += found.map { .file((path as NSString).appendingPathComponent($0)) }
        }
        return entries
    }

    /// Reads and extracts one page with its attachments; its warnings (damaged bytes replaced,
    /// an attachment not found) go to standard error, an attachment that cannot be read counts
    /// as a failure of the run.
    static func extract(_ file: String, attachments: [String], outcome: inout Outcome) throws(PageError) -> Extraction {
        let read = try NoticeReader.read(file, attachments: attachments)
        for warning in read.warnings { warn(warning) }
        for problem in read.problems { outcome.failed(problem) }
        return read.extraction
    }

    static func warn(_ warning: String) {
        FileHandle.standardError.write(Data("inforce: warning: \(warning)\n".utf8))
    }

    /// An error as one that names the file.
    static func error(_ error: any Error, file: String) -> PageError {
        if let error = error as? PageError { return error.naming(file) }
        return PageError(reason: ExitStatus.message(for: error), file: file)
    }

    /// What went wrong over a run, reported one line per file as it happens, and the exit code
    /// it comes to: 3 when a file could not be read, else 2 when a folder held no pages.
    struct Outcome {
        var failures = 0
        var emptyFolders = 0
        /// Whether problems are printed on standard error (`ingest --format json` reports them in its JSON).
        var prints = true

        mutating func failed(_ error: PageError) {
            failures += 1
            if prints { FileHandle.standardError.write(Data("inforce: \(ExitStatus.invalidInput.label): \(error)\n".utf8)) }
        }

        mutating func found(nothingIn error: PageError) {
            emptyFolders += 1
            if prints { FileHandle.standardError.write(Data("inforce: \(ExitStatus.notFound.label): \(error)\n".utf8)) }
        }

        func finish() throws {
            if failures > 0 { throw ExitStatus.invalidInput }
            if emptyFolders > 0 { throw ExitStatus.notFound }
        }
    }
}

/// The text form of an extraction: a short report a person reads.
enum ExtractionText {
    static func render(_ extraction: Extraction) -> String {
        var lines = [Terminal.bold(extraction.source)]
        func field(_ name: String, _ value: String?) {
            lines.append("  " + name.padding(toLength: 10, withPad: " ", startingAt: 0) + (value ?? "—"))
        }
        field("number", extraction.number.map { $0.raw == $0.canonical ? $0.canonical : "\($0.canonical) (written \($0.raw.replacingOccurrences(of: "\n", with: "⏎")))" })
        field("title", extraction.title)
        field("issuer", extraction.issuer)
        field("issued", extraction.issued?.description)
        if let published = extraction.published { field("published", published.description) }
        if let effective = extraction.effective { field("effective", effective.description) }
        if let expires = extraction.expires { field("expires", expires.description) }
        if let validity = extraction.validity { field("validity", "\(validity) (\(validity.chinese))") }
        if let law = extraction.law {
            if let rank = law.rank { field("rank", "\(rank.rawValue) (\(rank.chinese))") }
            if let version = law.versionDate {
                let force = law.versionEffective.map { day in
                    law.versionEffectiveStated ? ", in force from \(day)" : ", in force from \(day) (the day of the version: its own day of force is not in the text)"
                } ?? ""
                field("version", version.description + force)
            }
            for (index, step) in law.history.enumerated() {
                let what = [step.body, step.decision.map { "《\($0)》" }, step.number?.canonical].compactMap { $0 }.joined(separator: " ")
                lines.append((index == 0 ? "  history   " : "            ") + "\(step.kind.rawValue) \(step.date)  \(what)")
            }
        }
        for citation in extraction.citations {
            let target = [citation.number?.canonical, citation.title.map { "《\($0)》" }].compactMap { $0 }.joined(separator: " ")
            lines.append("  cites     \(citation.relation.rawValue) (\(citation.relation.chinese))  \(target)")
            lines.append(Terminal.dim("            “\(citation.evidence)” @\(citation.offset)"))
        }
        for amendment in extraction.amendments where extraction.law == nil {
            let by = [amendment.by?.canonical, amendment.byTitle.map { "《\($0)》" }].compactMap { $0 }.joined(separator: " ")
            lines.append("  amended   by \(by)\(amendment.date.map { " on \($0)" } ?? "")")
        }
        for disposition in extraction.dispositions {
            let target = [disposition.number?.canonical, disposition.title.map { "《\($0)》" }].compactMap { $0 }.joined(separator: " ")
            let planned = disposition.planned ? " — planned (拟), not decided" : ""
            lines.append("  lists     \(disposition.outcome.rawValue) (\(disposition.outcome.chinese))\(planned)  \(target)")
        }
        for count in extraction.statedCounts {
            var said = "  counts    \(count.outcome.rawValue) \(count.count)\(count.planned ? " planned" : "") “\(count.quote)”"
            if let listed = count.listed { said += count.differs ? Terminal.red(" — but \(listed) rows were read") : " — \(listed) rows read" }
            lines.append(said)
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
