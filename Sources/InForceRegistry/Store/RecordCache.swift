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
    static let magic = Array("INFORCE-CACHE 3\n".utf8)

    typealias Stamp = FileStamp

    struct Entry: Sendable {
        let path: String
        let stamp: Stamp
        let record: DocumentRecord
    }

    static var disabled: Bool { ProcessInfo.processInfo.environment["INFORCE_NO_CACHE"] == "1" }

    static func url(_ root: URL) -> URL { root.appendingPathComponent(folder).appendingPathComponent(file) }

    /// The cached entries by path; empty when there is no usable cache. Each entry is stored
    /// behind its length, so the entries are decoded on every core.
    static func read(_ root: URL) -> [PathKey: Entry] {
        guard !disabled, let data = try? Data(contentsOf: url(root)) else { return [:] }
        let bytes = [UInt8](data)
        guard bytes.starts(with: magic) else { return [:] }
        var reader = RecordSnapshot.Reader(bytes, start: magic.count)
        var segments: [Range<Int>] = []
        do {
            let count = try reader.count()
            segments.reserveCapacity(count)
            for _ in 0..<count {
                let length = try reader.count()
                guard reader.position + length <= bytes.count else { return [:] }
                segments.append(reader.position..<reader.position + length)
                reader.skip(length)
            }
            guard reader.atEnd else { return [:] }
        } catch {
            return [:]
        }
        let chunks = min(segments.count, 16)
        let segmentList = segments
        let slots = ResultSlots<[Entry]>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var entries: [Entry] = []
            for segment in segmentList[segmentList.count * chunk / chunks..<segmentList.count * (chunk + 1) / chunks] {
                var reader = RecordSnapshot.Reader(bytes, start: segment.lowerBound)
                guard let path = try? reader.string(), let inode = try? reader.int(), let size = try? reader.int(),
                      let modified = try? reader.int(), let record = try? reader.record(), reader.position == segment.upperBound
                else { return }
                entries.append(Entry(path: path, stamp: Stamp(inode: UInt64(bitPattern: inode), size: size, modified: modified), record: record))
            }
            slots.set(chunk, entries)
        }
        var entries: [PathKey: Entry] = [:]
        entries.reserveCapacity(segments.count)
        for chunk in 0..<chunks {
            // A chunk with a damaged entry discards the whole cache: it is rebuilt, never half-trusted.
            guard let part = slots.get(chunk) else { return [:] }
            for entry in part { entries[PathKey(path: entry.path)] = entry }
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
            var segment = RecordSnapshot.Writer()
            segment.string(entry.path)
            segment.int(Int64(bitPattern: entry.stamp.inode))
            segment.int(entry.stamp.size)
            segment.int(entry.stamp.modified)
            segment.record(entry.record)
            writer.count(segment.bytes.count)
            writer.append(segment)
        }
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(magic + writer.bytes).write(to: target, options: .atomic)
        } catch {
            try? FileManager.default.removeItem(at: target)
        }
    }

    /// A registry-relative path as a dictionary key, hashed and compared by its UTF-8 bytes
    /// (`String`'s own hashing normalises Unicode first: slow for 100,000 Chinese paths).
    struct PathKey: Hashable {
        let path: String

        static func == (lhs: PathKey, rhs: PathKey) -> Bool { lhs.path.utf8.elementsEqual(rhs.path.utf8) }

        func hash(into hasher: inout Hasher) {
            var path = path
            path.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }
}
