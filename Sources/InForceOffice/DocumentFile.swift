public import Foundation
public import InForce
public import InForceHTML

/// Reads a file of any format a government publishes its documents and lists in, into the page
/// text extraction reads: HTML and text pages, Word (.docx) and Excel (.xlsx) files, and —
/// through LibreOffice and poppler when they are installed — .doc, .xls, .wps, .et and .pdf.
public enum DocumentFile {
    /// The largest Office or PDF file read (a page's own limit is `PageLoader.maximumSize`).
    public static let maximumSize = 256 * 1024 * 1024

    /// The kinds of file, by extension.
    public enum Format: String, Sendable, CaseIterable {
        case page, docx, xlsx, legacyWord, legacySheet, pdf

        public init(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "docx", "docm": self = .docx
            case "xlsx", "xlsm": self = .xlsx
            case "doc", "wps", "rtf", "odt": self = .legacyWord
            case "xls", "et", "ods": self = .legacySheet
            case "pdf": self = .pdf
            default: self = .page
            }
        }

        /// Whether the format is a list a page links as an attachment.
        public var isOffice: Bool { self != .page }
    }

    /// The file's text as extraction reads it. Pages go through `PageLoader`; Office files are
    /// unpacked with their limits; legacy formats are converted first.
    public static func load(_ url: URL, name: String) throws(PageError) -> PageText {
        let format = Format(path: url.path)
        if format.isOffice { try PageLoader.checkRegularFile(url.path, limit: maximumSize) }
        switch format {
        case .page:
            return try PageLoader.load(contentsOf: url.path).page
        case .docx:
            return PageText(text: try WordDocument(url: url, name: name).lines.joined(separator: "\n"))
        case .xlsx:
            return PageText(text: lines(of: try Workbook(url: url, name: name)).joined(separator: "\n"))
        case .legacyWord:
            return try converted(url, name: name, to: "docx") { (file: URL) throws(PageError) in try load(file, name: name) }
        case .legacySheet:
            return try converted(url, name: name, to: "xlsx") { (file: URL) throws(PageError) in try load(file, name: name) }
        case .pdf:
            return PageText(plainText: try pdfText(url, name: name))
        }
    }

    /// A spreadsheet file as a workbook: .xlsx read directly, .xls and .et converted by LibreOffice first.
    public static func workbook(_ url: URL, name: String) throws(PageError) -> Workbook {
        try PageLoader.checkRegularFile(url.path, limit: maximumSize)
        switch Format(path: url.path) {
        case .xlsx: return try Workbook(url: url, name: name)
        case .legacySheet:
            return try converted(url, name: name, to: "xlsx") { (file: URL) throws(PageError) in try Workbook(url: file, name: name) }
        default:
            throw PageError(reason: "\(name) is not a spreadsheet (.xlsx, .xls, .et)")
        }
    }

    /// A workbook's rows as lines: each sheet's name (when it says more than Sheet1), then its
    /// rows with cells separated by ` | `.
    public static func lines(of workbook: Workbook) -> [String] {
        var lines: [String] = []
        for sheet in workbook.sheets {
            let generic = sheet.name.lowercased().hasPrefix("sheet") || sheet.name.hasPrefix("工作表")
            if !generic { lines.append(sheet.name) }
            for row in sheet.rows where row.contains(where: { !$0.isEmpty }) {
                lines.append(row.map { $0.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "｜") }.joined(separator: " | "))
            }
        }
        return lines
    }

    // MARK: Converters

    /// A tool on the PATH, nil when it is not installed.
    static func tool(_ names: [String]) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in names {
                let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }

    /// Converts a legacy Office file with LibreOffice (`soffice --headless --convert-to`), then reads the result.
    static func converted<Result>(_ url: URL, name: String, to format: String, read: (URL) throws(PageError) -> Result) throws(PageError) -> Result {
        guard let soffice = tool(["soffice", "libreoffice"]) else {
            let package = format == "docx" ? "libreoffice-writer-nogui" : "libreoffice-calc-nogui"
            throw PageError(reason: "\(name): reading .\(url.pathExtension) needs LibreOffice, which is not installed (apt-get install -y \(package))")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inforce-convert-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw PageError(reason: "\(name): no temporary folder for the conversion (\(error.localizedDescription))")
        }
        // A profile of its own, so a LibreOffice already open for the user neither blocks nor is disturbed.
        let profile = "-env:UserInstallation=file://" + folder.appendingPathComponent("profile").path
        let status = try run(soffice, ["--headless", "--norestore", profile, "--convert-to", format, "--outdir", folder.path, url.path], name: name, seconds: 180)
        let output = folder.appendingPathComponent(url.deletingPathExtension().lastPathComponent + "." + format)
        guard status.code == 0, FileManager.default.fileExists(atPath: output.path) else {
            throw PageError(reason: "\(name): LibreOffice could not convert it to .\(format) (\(status.message.isEmpty ? "exit \(status.code)" : status.message))")
        }
        return try read(output)
    }

    /// The text of a PDF laid out as on the page (`pdftotext -layout`), so list columns stay apart.
    static func pdfText(_ url: URL, name: String) throws(PageError) -> String {
        guard let pdftotext = tool(["pdftotext"]) else {
            throw PageError(reason: "\(name): reading .pdf needs pdftotext, which is not installed (apt-get install -y poppler-utils)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inforce-pdf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("text.txt")
        let status = try run(pdftotext, ["-layout", "-enc", "UTF-8", url.path, output.path], name: name, seconds: 120)
        guard status.code == 0, let data = try? Data(contentsOf: output) else {
            throw PageError(reason: "\(name): pdftotext could not read it (\(status.message.isEmpty ? "exit \(status.code)" : status.message)); is it a damaged or encrypted PDF?")
        }
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\u{0C}", with: "\n")
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw PageError(reason: "\(name) holds no text layer (a scanned PDF): it would need OCR, which InForce does not do")
        }
        return text
    }

    /// Runs a tool to its end or until `seconds` pass, then stops it.
    static func run(_ tool: URL, _ arguments: [String], name: String, seconds: Double) throws(PageError) -> (code: Int32, message: String) {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("inforce-tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errors = try? FileHandle(forWritingTo: errorFile)
        process.standardError = errors ?? FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw PageError(reason: "\(name): \(tool.lastPathComponent) could not start (\(error.localizedDescription))") }
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                throw PageError(reason: "\(name): \(tool.lastPathComponent) took more than \(Int(seconds)) s and was stopped")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        try? errors?.close()
        let message = (try? Data(contentsOf: errorFile)) ?? Data()
        let text = String(decoding: message, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return (process.terminationStatus, text)
    }
}
