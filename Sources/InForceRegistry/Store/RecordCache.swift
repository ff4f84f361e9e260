import Foundation
import InForce

/// A derived cache of parsed records, `registry/.inforce-cache/records.json`: never the truth.
///
/// Each entry carries the stamp (inode, size, modification time in nanoseconds) of the file it
/// was parsed from; an entry is used only while the file still has exactly that stamp, so an edit
/// (or an atomic rewrite, which makes a new inode) is always read afresh. A cache that cannot be
/// read — missing, corrupt, of another version — is ignored and rewritten. Set
/// `INFORCE_NO_CACHE=1` to read every file as if there were none.
enum RecordCache {
    static let folder = ".inforce-cache"
    static let file = "records.json"
    static let version = 1

    struct Stamp: Codable, Hashable, Sendable {
        let inode: UInt64
        let size: Int64
        let modified: Int64
    }

    struct Entry: Codable, Sendable {
        let path: String
        let stamp: Stamp
        let record: DocumentRecord
    }

    struct Contents: Codable {
        let version: Int
        let entries: [Entry]
    }

    static var disabled: Bool { ProcessInfo.processInfo.environment["INFORCE_NO_CACHE"] == "1" }

    static func url(_ root: URL) -> URL { root.appendingPathComponent(folder).appendingPathComponent(file) }

    /// The cached entries by path; empty when there is no usable cache.
    static func read(_ root: URL) -> [String: Entry] {
        guard !disabled, let data = try? Data(contentsOf: url(root)),
              let contents = try? JSONDecoder().decode(Contents.self, from: data), contents.version == version
        else { return [:] }
        return Dictionary(contents.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Replaces the cache atomically; a failure only costs the next reader a full parse.
    static func write(_ root: URL, entries: [Entry]) {
        guard !disabled else { return }
        let target = url(root)
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            let data = try JSONEncoder().encode(Contents(version: version, entries: entries))
            try data.write(to: target, options: .atomic)
        } catch {
            try? FileManager.default.removeItem(at: target)
        }
    }

    static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Stamp(inode: UInt64(info.st_ino), size: Int64(info.st_size),
                     modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}
