import Foundation
public import InForce
public import InForceHTML

/// Reads a page together with the lists it links (附件1：继续有效的规范性文件目录.xlsx): the
/// attachments' rows become the dispositions of the page's notice, each quoted with the
/// attachment's name. An Office file given alone is read as a page of its own.
public enum NoticeReader {
    public struct Result: Sendable {
        public var extraction: Extraction
        /// Damaged bytes replaced, attachments linked but not found beside the page.
        public var warnings: [String]
        /// Attachments that were found but could not be read; the page itself was.
        public var problems: [PageError]
    }

    /// Reads `path` and its attachments: those named in `attachments`, and those the page links
    /// (by the link's file name or its text) that lie in the page's folder.
    public static func read(_ path: String, attachments given: [String] = []) throws(PageError) -> Result {
        let url = URL(fileURLWithPath: path)
        let format = DocumentFile.Format(path: path)
        var warnings: [String] = []
        let page: PageText
        if format.isOffice {
            page = try DocumentFile.load(url, name: path)
        } else {
            let loaded = try PageLoader.load(contentsOf: path)
            warnings += loaded.warnings.map(\.description)
            page = loaded.page
        }
        var extraction = DocumentExtractor.extract(page, source: path)
        var problems: [PageError] = []
        let folder = url.deletingLastPathComponent()
        var files: [(url: URL, label: String)] = given.map { (URL(fileURLWithPath: $0), URL(fileURLWithPath: $0).lastPathComponent) }
        for linked in linkedAttachments(page) {
            let candidates = linked.fileNames.map { folder.appendingPathComponent($0) }
            if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
                if !files.contains(where: { $0.url.standardizedFileURL == found.standardizedFileURL }) { files.append((found, linked.label)) }
            } else if given.isEmpty {
                let name = linked.fileNames.first ?? linked.label
                let shown = linked.label.contains(name) ? linked.label : "\(linked.label) (\(name))"
                warnings.append("\(path): the page links \(shown), which is not in its folder; give the file with --attachment")
            }
        }
        for (file, label) in files {
            do {
                let list = try attachmentExtraction(file, label: label)
                merge(list, into: &extraction)
            } catch {
                problems.append(error.naming(file.path))
            }
        }
        return Result(extraction: extraction, warnings: warnings, problems: problems)
    }

    /// An attachment read as a list: its label (附件1：继续有效的规范性文件目录) first, as the
    /// heading that often states the outcome, then its text.
    static func attachmentExtraction(_ url: URL, label: String) throws(PageError) -> Extraction {
        let loaded = try DocumentFile.load(url, name: url.lastPathComponent)
        let heading = stem(label)
        let text = (heading.isEmpty ? "" : heading + "\n") + loaded.text
        return DocumentExtractor.extract(PageText(text: text, metadata: loaded.metadata, pageTitle: nil, links: []), source: url.lastPathComponent)
    }

    /// The attachment's rows become the page's dispositions, quoted with the attachment's name.
    static func merge(_ list: Extraction, into extraction: inout Extraction) {
        for var disposition in list.dispositions {
            let known = extraction.dispositions.contains { existing in
                (existing.number != nil && existing.number == disposition.number)
                    || (existing.number == nil && disposition.number == nil && existing.title == disposition.title)
            }
            guard !known else { continue }
            disposition.evidence = "\(list.source): \(disposition.evidence)"
            extraction.dispositions.append(disposition)
        }
        extraction.statedCounts += list.statedCounts
        if extraction.closedListQuote == nil, let rule = list.closedListQuote { extraction.closedListQuote = rule }
    }

    /// A link's or a text line's attachment: the file names to look for, and its label.
    struct Linked {
        var fileNames: [String]
        var label: String
    }

    static let officeExtensions: Set<String> = ["xlsx", "xlsm", "xls", "et", "docx", "doc", "wps", "pdf", "ods", "odt"]

    /// Attachments the page links (<a href="…/清理目录.xlsx">附件1：…</a>) or names in its text
    /// (附件：继续有效的规范性文件目录.xlsx).
    static func linkedAttachments(_ page: PageText) -> [Linked] {
        var found: [Linked] = []
        func add(_ names: [String], label: String) {
            let names = names.filter { !$0.isEmpty }
            guard !names.isEmpty, !found.contains(where: { $0.fileNames.first == names.first }) else { return }
            found.append(Linked(fileNames: names, label: label))
        }
        for link in page.links {
            let target = link.target.split(separator: "?").first.map(String.init) ?? link.target
            let last = (target.removingPercentEncoding ?? target).split(separator: "/").last.map(String.init) ?? ""
            let byTarget = officeExtensions.contains((last as NSString).pathExtension.lowercased())
            let byText = officeExtensions.contains((link.text as NSString).pathExtension.lowercased())
            guard byTarget || byText else { continue }
            var names: [String] = []
            if byText { names.append(fileName(in: link.text)) }
            if byTarget { names.append(last) }
            add(names, label: link.text.isEmpty ? last : link.text)
        }
        for line in page.text.split(separator: "\n") where line.contains(".") {
            for word in line.split(whereSeparator: { $0 == " " || $0 == "　" || $0 == "|" }) {
                let name = fileName(in: String(word))
                if officeExtensions.contains((name as NSString).pathExtension.lowercased()) { add([name], label: String(word)) }
            }
        }
        return found
    }

    /// 附件1：继续有效的规范性文件目录.xlsx → 继续有效的规范性文件目录.xlsx (the name after the label).
    static func fileName(in text: String) -> String {
        var name = Substring(text.trimmingCharacters(in: .whitespaces))
        if let colon = name.lastIndex(where: { $0 == ":" || $0 == "：" }) { name = name[name.index(after: colon)...] }
        return String(name.trimmingCharacters(in: .whitespaces))
    }

    /// A label without its file extension: 附件1：继续有效的规范性文件目录.
    static func stem(_ label: String) -> String {
        let ext = (label as NSString).pathExtension
        return officeExtensions.contains(ext.lowercased()) ? String(label.dropLast(ext.count + 1)) : label
    }
}
