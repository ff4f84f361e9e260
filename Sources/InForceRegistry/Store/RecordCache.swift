import Foundation
import InForce

/// A derived cache of parsed records, `registry/.inforce-cache/records.bin`: never the truth.
///
/// Each entry carries the stamp (inode, size, modification time in nanoseconds) of the file it
/// was parsed from; an entry is used only while the file still has exactly that stamp, so an edit
/// (or an atomic rewrite, which makes a new inode) is always read afresh. The records are stored
/// in `RecordSnapshot`'s compact binary form. A cache that cannot be read — missing, damaged, of
/// another version — is ignored and rewritten. Set `INFORCE_NO_CACHE=1` to read every file as if
/// there were none.
enum RecordCache {
    static let folder = ".inforce-cache"
    static let file = "records.bin"
    static let magic = Array("INFORCE-CACHE 2\n".utf8)

    struct Stamp: Hashable, Sendable {
        let inode: UInt64
        let size: Int64
        let modified: Int64
    }

    struct Entry: Sendable {
        let path: String
        let stamp: Stamp
        let record: DocumentRecord
    }

    static var disabled: Bool { ProcessInfo.processInfo.environment["INFORCE_NO_CACHE"] == "1" }

    static func url(_ root: URL) -> URL { root.appendingPathComponent(folder).appendingPathComponent(file) }

    /// The cached entries by path; empty when there is no usable cache.
    static func read(_ root: URL) -> [String: Entry] {
        guard !disabled, let data = try? Data(contentsOf: url(root)) else { return [:] }
        let bytes = [UInt8](data)
        guard bytes.starts(with: magic) else { return [:] }
        var reader = RecordSnapshot.Reader(bytes, start: magic.count)
        var entries: [String: Entry] = [:]
        do {
            let count = try reader.count()
            entries.reserveCapacity(count)
            for _ in 0..<count {
                guard let path = try reader.string() else { return [:] }
                let stamp = Stamp(inode: UInt64(bitPattern: try reader.int()), size: try reader.int(), modified: try reader.int())
                entries[path] = Entry(path: path, stamp: stamp, record: try reader.record())
            }
            guard reader.atEnd else { return [:] }
        } catch {
            return [:]
        }
        return entries
    }

    /// Replaces the cache atomically; a failure only costs the next reader a full parse.
    static func write(_ root: URL, entries: [Entry]) {
        guard !disabled else { return }
        let target = url(root)
        var writer = RecordSnapshot.Writer()
        writer.count(entries.count)
        for entry in entries {
            writer.string(entry.path)
            writer.int(Int64(bitPattern: entry.stamp.inode))
            writer.int(entry.stamp.size)
            writer.int(entry.stamp.modified)
            writer.record(entry.record)
        }
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(magic + writer.bytes).write(to: target, options: .atomic)
            // An older cache in the JSON form is no longer read.
            try? FileManager.default.removeItem(at: target.deletingLastPathComponent().appendingPathComponent("records.json"))
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
