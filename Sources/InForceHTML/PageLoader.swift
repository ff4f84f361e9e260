import Glibc
public import InForce

/// Reads a page's bytes — HTML or plain text, UTF-8, GB18030/GBK or Big5 — into the text that
/// extraction works on, refusing what is not a page.
///
/// Every error names the file and says what is wrong with it. A page that is readable apart from
/// a few damaged bytes (a download cut short, a stray byte) is read with U+FFFD in their place,
/// and the repair is reported in ``LoadedPage/warnings``.
public enum PageLoader {
    /// Pages larger than this are not single documents.
    public static let maximumSize = 32 << 20

    /// A page read from a file or from bytes, and what had to be repaired to read it.
    public struct LoadedPage: Sendable {
        /// The page for extraction.
        public let page: PageText
        /// The encoding the page's bytes were read in.
        public let encoding: TextDecoding.Encoding
        /// What was wrong with the page but did not stop it being read; empty for a clean page.
        public let warnings: [PageWarning]
    }

    /// Whether bytes look like HTML: a markup tag near the start, or an HTML file name.
    public static func isHTML(_ bytes: [UInt8], name: String) -> Bool {
        let lowered = name.lowercased()
        if [".html", ".htm", ".shtml", ".jhtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp"].contains(where: { lowered.hasSuffix($0) }) {
            return true
        }
        if [".txt", ".md", ".text"].contains(where: { lowered.hasSuffix($0) }) { return false }
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<body") || head.contains("<!doctype html") || head.contains("<p>") || head.contains("<div")
    }

    /// The page in the file at `path`, named by `path` in errors and warnings.
    ///
    /// The file is checked before it is read: a folder, FIFO, device or socket is refused for
    /// what it is, and a file over ``maximumSize`` for its size, without reading it.
    public static func load(contentsOf path: String) throws(PageError) -> LoadedPage {
        try read(try bytes(ofFile: path), name: path)
    }

    /// The page in `bytes`, named `name` in errors. Repairs are not reported: use
    /// ``read(_:name:)`` to see them.
    public static func load(_ bytes: [UInt8], name: String) throws(PageError) -> PageText {
        try read(bytes, name: name).page
    }

    /// The page in `bytes`, named `name` in errors and warnings, with what had to be repaired.
    public static func read(_ bytes: [UInt8], name: String) throws(PageError) -> LoadedPage {
        do {
            return try readUnnamed(bytes, name: name)
        } catch {
            throw error.naming(name)
        }
    }

    private static func readUnnamed(_ bytes: [UInt8], name: String) throws(PageError) -> LoadedPage {
        guard !bytes.isEmpty else { throw PageError(reason: "the file is empty") }
        guard bytes.count <= maximumSize else {
            throw PageError(reason: "the file is \(bytes.count >> 20) MB; a page is at most \(maximumSize >> 20) MB")
        }
        if let (first, count) = nulBytes(bytes) {
            if first < 8192 {
                throw PageError(reason: "the file is binary or UTF-16, not a page: it holds NUL bytes (the first at byte \(first)); give HTML or text in UTF-8, GB18030 or Big5")
            }
            let held = count == 1 ? "a NUL byte at byte \(first)" : "\(count) NUL bytes, the first at byte \(first)"
            throw PageError(reason: "the file is damaged: its text holds \(held); a page holds none")
        }
        let decoded: TextDecoding.Decoded
        let page: PageText
        if isHTML(bytes, name: name) {
            decoded = try TextDecoding.decode(bytes, declared: TextDecoding.declaredEncoding(bytes), repairing: true)
            let document = try HTMLDocument(bytes: Array(decoded.text.utf8), encoding: "UTF-8")
            page = document.pageText()
            guard !page.text.trimmingSpaces().isEmpty else { throw PageError(reason: "the page has no text") }
        } else {
            decoded = try TextDecoding.decode(bytes, repairing: true)
            guard !decoded.text.trimmingSpaces().isEmpty else { throw PageError(reason: "the file holds no text") }
            page = PageText(plainText: decoded.text)
        }
        var warnings: [PageWarning] = []
        if decoded.replacedBytes > 0 {
            warnings.append(PageWarning(file: name, replacedBytes: decoded.replacedBytes, offset: decoded.firstReplacedOffset, encoding: decoded.encoding))
        }
        return LoadedPage(page: page, encoding: decoded.encoding, warnings: warnings)
    }

    /// The offset of the first NUL byte and how many there are; nil when there are none.
    private static func nulBytes(_ bytes: [UInt8]) -> (first: Int, count: Int)? {
        bytes.withUnsafeBufferPointer { buffer -> (Int, Int)? in
            guard let base = buffer.baseAddress, var found = memchr(base, 0, buffer.count) else { return nil }
            let first = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            var count = 0
            while true {
                count += 1
                let next = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
                guard next < buffer.count, let again = memchr(base + next, 0, buffer.count - next) else { break }
                found = again
            }
            return (first, count)
        }
    }

    /// The bytes of the file at `path`, refused before anything is read when it is not a
    /// regular file or is larger than `limit`.
    ///
    /// A FIFO is never opened (reading it would wait for a writer) and a device never read
    /// (`/dev/zero` has no end).
    public static func bytes(ofFile path: String, limit: Int = maximumSize) throws(PageError) -> [UInt8] {
        try regularFile(path, limit: limit, reading: true)
    }

    /// Checks that `path` is a regular file no larger than `limit`, without reading it (for
    /// files another reader opens itself, such as an Office file's zip).
    public static func checkRegularFile(_ path: String, limit: Int) throws(PageError) {
        _ = try regularFile(path, limit: limit, reading: false)
    }

    @discardableResult
    private static func regularFile(_ path: String, limit: Int, reading: Bool) throws(PageError) -> [UInt8] {
        func failure(_ reason: String) -> PageError { PageError(reason: reason, file: path) }
        func systemReason(_ code: Int32) -> String {
            switch code {
            case ENOENT, ENOTDIR: "no such file or folder"
            case EACCES, EPERM: "permission denied: the file cannot be read"
            default: "cannot read the file: \(String(cString: strerror(code)))"
            }
        }
        func check(_ info: stat) throws(PageError) {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw failure("is a folder, not a file")
            case S_IFIFO: throw failure("is a FIFO, not a regular file")
            case S_IFCHR, S_IFBLK: throw failure("is a device, not a regular file")
            case S_IFSOCK: throw failure("is a socket, not a regular file")
            default: throw failure("is not a regular file")
            }
            guard Int(info.st_size) <= limit else {
                throw failure("the file is \(Int(info.st_size) >> 20) MB (\(info.st_size) bytes); the limit is \(limit >> 20) MB, so it was not read")
            }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure(systemReason(errno)) }
        try check(info)
        guard reading else { return [] }
        // Non-blocking, in case a FIFO took the file's place since the check.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(systemReason(errno)) }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0 else { throw failure(systemReason(errno)) }
        try check(info)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(systemReason(errno))
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            guard bytes.count <= limit else {
                throw failure("the file grew past \(limit >> 20) MB while it was read; a page is at most \(limit >> 20) MB")
            }
        }
        return bytes
    }
}

/// Something wrong with a page that did not stop it being read: bytes that were not valid in its
/// encoding and were replaced by U+FFFD.
public struct PageWarning: Sendable, Equatable, CustomStringConvertible {
    /// The file, as the caller named it.
    public let file: String
    /// How many bytes were replaced by U+FFFD.
    public let replacedBytes: Int
    /// The offset of the first replaced byte in the file.
    public let offset: Int?
    /// The encoding the rest of the page was read in.
    public let encoding: TextDecoding.Encoding

    /// What happened, as a sentence.
    public var reason: String {
        let count = replacedBytes == 1 ? "1 byte that is" : "\(replacedBytes) bytes that are"
        let at = offset.map { replacedBytes == 1 ? " (at byte \($0))" : " (the first at byte \($0))" } ?? ""
        return "\(count) not valid \(encoding.rawValue)\(at) \(replacedBytes == 1 ? "was" : "were") replaced with U+FFFD; the file is damaged or cut short"
    }

    /// `file: reason`.
    public var description: String { "\(file): \(reason)" }
}
