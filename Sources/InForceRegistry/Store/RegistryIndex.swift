import Foundation
import InForce

/// The derived index of a registry, `registry/.inforce-cache/index.bin`: never the truth, and
/// never trusted unchecked. It holds, for the registry as it was when written:
///
/// - the stamp (inode, size, modification time) of every folder and file, so a reader proves the
///   index fresh by `stat` alone: an edit in place changes a file's stamp, an atomic rewrite its
///   inode, and adding or removing a file its folder's stamp;
/// - every record in `RecordSnapshot`'s binary form, each with its own checksum, read only when a
///   question reaches it;
/// - the validity graph and the issuer and region tables, so no record is read to build them.
///
/// Layout: a 16-byte magic, a header of twelve little-endian 64-bit words, the records (written
/// as they are read, so a build never holds them all), then the paths (NUL-terminated, so `stat`
/// reads them in place), fixed-width tables of folders, files and records, and the varint-encoded
/// graph and tables. A checksum covers everything after the records; the header's offsets must
/// fit one another and the file's length. The file is mapped, not read: a `check` touches the
/// pages it needs.
enum RegistryIndex {
    static let folder = ".inforce-cache"
    static let fileName = "index.bin"
    static let magic = Array("INFORCE-INDEX 8\n".utf8)
    static let headerWords = 12
    static let headerEnd = 16 + 8 * headerWords
    static let folderEntrySize = 32
    static let fileEntrySize = 40
    static let recordEntrySize = 24

    /// A file entry's node: a record, a file that could not be read (reported afresh each time),
    /// or one of the registry's tables. Each entry also says whether the file has problems.
    static let problemNode: Int32 = -1
    static let tableNode: Int32 = -2

    /// Set `INFORCE_NO_CACHE=1` to read every file as if there were no index.
    static var disabled: Bool { ProcessInfo.processInfo.environment["INFORCE_NO_CACHE"] == "1" }

    static func url(_ root: URL) -> URL { root.appendingPathComponent(folder).appendingPathComponent(fileName) }

    struct FileEntry {
        let path: String
        let stamp: FileStamp
        let node: Int32
        /// Read again by every command, to report its problems.
        let hasProblems: Bool
    }
}

/// Writes an index: the records one by one as they come (to a temporary file beside the index),
/// then everything else, then the header; renamed into place only when complete.
final class IndexWriter {
    private let file: AtomicFile.Replacement
    private var blobLength = 0
    private var recordTable: [UInt8] = []
    private(set) var nodeCount = 0

    /// Nil when the index cannot be written (a read-only registry, `INFORCE_NO_CACHE=1`).
    init?(_ root: URL) {
        guard !RegistryIndex.disabled else { return nil }
        let target = RegistryIndex.url(root)
        Self.removeAbandoned(in: target.deletingLastPathComponent())
        // The magic is written last of all: a file cut short never looks like an index.
        guard let file = try? AtomicFile.Replacement(target), (try? file.append([UInt8](repeating: 0, count: RegistryIndex.headerEnd))) != nil else {
            return nil
        }
        self.file = file
    }

    /// A record's encoded bytes (`RecordSnapshot.Writer.record`), as the next node, read from
    /// file number `file` of the files table.
    func append(encoded bytes: [UInt8], file index: Int) throws(RegistryError) {
        recordTable.appendWord(UInt64(blobLength))
        recordTable.appendHalf(UInt32(bytes.count))
        recordTable.appendHalf(Checksum.of(bytes[...]).low32)
        recordTable.appendHalf(UInt32(index))
        recordTable.appendHalf(0)
        try file.append(bytes)
        blobLength += bytes.count
        nodeCount += 1
    }

    static func encode(_ record: DocumentRecord) -> [UInt8] {
        var writer = RecordSnapshot.Writer()
        writer.record(record)
        return writer.bytes
    }

    /// Writes the rest and puts the index in place; on any failure there is simply no index.
    func finish(
        folders: [(path: String, stamp: FileStamp)], files: [RegistryIndex.FileEntry], leftovers: [String],
        issuers: IssuerTable, regions: RegionTable, graph: ValidityGraph
    ) {
        var paths: [UInt8] = []
        func place(_ path: String) -> UInt64 {
            let offset = UInt64(paths.count)
            paths += path.utf8
            paths.append(0)
            return offset
        }
        var folderIndex: [UTF8Key: Int] = [:]
        for (index, folder) in folders.enumerated() { folderIndex[UTF8Key(folder.path)] = index }
        var folderTable: [UInt8] = []
        for folder in folders {
            folderTable.appendWord(place(folder.path))
            folderTable.appendStamp(folder.stamp)
        }
        var fileTable: [UInt8] = []
        for file in files {
            fileTable.appendWord(place(file.path))
            fileTable.appendStamp(file.stamp)
            fileTable.appendHalf(UInt32(bitPattern: file.node))
            fileTable.appendHalf(file.hasProblems ? 1 : 0)
        }
        var meta = RecordSnapshot.Writer()
        meta.issuers(issuers)
        meta.regions(regions)
        meta.count(leftovers.count)
        for leftover in leftovers { meta.string(leftover) }
        meta.graph(graph)

        let recordsOffset = RegistryIndex.headerEnd
        let pathsOffset = recordsOffset + blobLength
        let foldersOffset = pathsOffset + paths.count
        let filesOffset = foldersOffset + folderTable.count
        let recordTableOffset = filesOffset + fileTable.count
        let metaOffset = recordTableOffset + recordTable.count
        let fileLength = metaOffset + meta.bytes.count
        let tail = paths + folderTable + fileTable + recordTable + meta.bytes
        var header = RegistryIndex.magic
        for word in [fileLength, 0, pathsOffset, foldersOffset, folders.count, filesOffset, files.count,
                     recordTableOffset, nodeCount, metaOffset, meta.bytes.count, recordsOffset] {
            header.appendWord(UInt64(word))
        }
        header.replaceSubrange(24..<32, with: Swift.withUnsafeBytes(of: Checksum.of(tail[...]).littleEndian) { Array($0) })
        // A derived cache: a failure only costs the next reader a full load.
        do {
            try file.append(tail)
            try file.overwrite(header, at: 0)
            try file.commit(durable: false)
        } catch {
            file.discard()
        }
    }

    /// Removes the temporary files of builds whose process is gone (killed mid-build): at a
    /// million documents each is gigabytes.
    private static func removeAbandoned(in folder: URL) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            guard let pid = AtomicFile.writer(ofTemporary: name, for: RegistryIndex.fileName), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Abandons the index being written.
    func discard() { file.discard() }
}

/// An index file mapped into memory, its checksum and shape verified; nil when there is none or
/// it is damaged, of another version, or cut short.
final class MappedIndex: @unchecked Sendable {
    let root: URL
    private let base: UnsafeRawPointer
    private let length: Int
    let folderCount: Int
    let fileCount: Int
    let nodeCount: Int
    private let pathsOffset: Int
    private let foldersOffset: Int
    private let filesOffset: Int
    private let recordTableOffset: Int
    private let metaRange: Range<Int>
    private let recordsOffset: Int

    init?(_ root: URL) {
        guard !RegistryIndex.disabled else { return nil }
        let descriptor = open(RegistryIndex.url(root).path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size >= RegistryIndex.headerEnd else { return nil }
        let length = Int(info.st_size)
        guard let mapping = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED else { return nil }
        let base = UnsafeRawPointer(mapping)
        let header = (0..<RegistryIndex.headerWords).map {
            Int(truncatingIfNeeded: base.loadUnaligned(fromByteOffset: 16 + 8 * $0, as: UInt64.self).littleEndian)
        }
        let (pathsOffset, foldersOffset, folderCount, filesOffset, fileCount) = (header[2], header[3], header[4], header[5], header[6])
        let (recordTableOffset, nodeCount, metaOffset, metaLength, recordsOffset) = (header[7], header[8], header[9], header[10], header[11])
        // Every offset is checked against the others and the file's length before anything is read.
        let shaped = UnsafeRawBufferPointer(start: base, count: RegistryIndex.magic.count).elementsEqual(RegistryIndex.magic)
            && header[0] == length && recordsOffset == RegistryIndex.headerEnd && (recordsOffset...length).contains(pathsOffset)
            && (pathsOffset...length).contains(foldersOffset)
            && (0...length / RegistryIndex.folderEntrySize).contains(folderCount) && (0...length / RegistryIndex.fileEntrySize).contains(fileCount)
            && (0...length / RegistryIndex.recordEntrySize).contains(nodeCount)
            && filesOffset == foldersOffset + folderCount * RegistryIndex.folderEntrySize
            && recordTableOffset == filesOffset + fileCount * RegistryIndex.fileEntrySize
            && metaOffset == recordTableOffset + nodeCount * RegistryIndex.recordEntrySize
            && metaLength == length - metaOffset
        guard shaped,
              Checksum.of(UnsafeRawBufferPointer(start: base + pathsOffset, count: length - pathsOffset)) == UInt64(truncatingIfNeeded: header[1])
        else {
            munmap(mapping, length)
            return nil
        }
        self.root = root
        self.base = base
        self.length = length
        self.folderCount = folderCount
        self.fileCount = fileCount
        self.nodeCount = nodeCount
        self.pathsOffset = pathsOffset
        self.foldersOffset = foldersOffset
        self.filesOffset = filesOffset
        self.recordTableOffset = recordTableOffset
        self.metaRange = metaOffset..<length
        self.recordsOffset = recordsOffset
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    private func word(_ offset: Int) -> UInt64 { base.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian }
    private func half(_ offset: Int) -> UInt32 { base.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian }

    /// A NUL-terminated path in the paths area (bounds-checked: the checksum does not vouch for
    /// a file someone wrote by hand with a valid checksum).
    private func pathPointer(_ offset: UInt64) -> UnsafePointer<CChar>? {
        // Offsets come from the file: compared before any arithmetic that could overflow.
        guard offset < UInt64(foldersOffset - pathsOffset) else { return nil }
        let start = pathsOffset + Int(offset)
        guard memchr(base + start, 0, foldersOffset - start) != nil else { return nil }
        return (base + start).assumingMemoryBound(to: CChar.self)
    }

    private func stamp(at offset: Int) -> FileStamp {
        FileStamp(inode: word(offset), size: Int64(bitPattern: word(offset + 8)), modified: Int64(bitPattern: word(offset + 16)))
    }

    func folder(_ index: Int) -> (path: String, stamp: FileStamp)? {
        let entry = foldersOffset + index * RegistryIndex.folderEntrySize
        guard let path = pathPointer(word(entry)) else { return nil }
        return (String(cString: path), stamp(at: entry + 8))
    }

    func file(_ index: Int) -> (path: String, stamp: FileStamp, node: Int32, hasProblems: Bool)? {
        let entry = filesOffset + index * RegistryIndex.fileEntrySize
        guard let path = pathPointer(word(entry)) else { return nil }
        return (String(cString: path), stamp(at: entry + 8), Int32(bitPattern: half(entry + 32)), half(entry + 36) != 0)
    }

    /// Whether every folder and file still has the stamp the index recorded: `stat` only, on
    /// every core, relative to the registry folder. Any difference (or an unreadable path) means
    /// stale.
    func isFresh() -> Bool {
        let rootDescriptor = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootDescriptor >= 0 else { return false }
        defer { close(rootDescriptor) }
        let entries = folderCount + fileCount
        return inParallel(entries, chunks: max(1, min(64, entries / 256))) { range in
            var info = stat()
            return range.allSatisfy { index in
                let entry = index < folderCount
                    ? foldersOffset + index * RegistryIndex.folderEntrySize
                    : filesOffset + (index - folderCount) * RegistryIndex.fileEntrySize
                guard let path = pathPointer(word(entry)) else { return false }
                return fstatat(rootDescriptor, path, &info, AT_SYMLINK_NOFOLLOW) == 0 && FileStamp(info) == stamp(at: entry + 8)
            }
        }.allSatisfy { $0 }
    }

    /// The record of a node, or nil when its bytes are damaged (checksum or decoding).
    func record(_ node: Int32) -> DocumentRecord? {
        guard node >= 0, Int(node) < nodeCount else { return nil }
        let entry = recordTableOffset + Int(node) * RegistryIndex.recordEntrySize
        let offset = word(entry)
        let count = Int(half(entry + 8))
        guard offset <= UInt64(pathsOffset - recordsOffset), count <= pathsOffset - recordsOffset - Int(offset) else { return nil }
        let start = recordsOffset + Int(offset)
        let bytes = UnsafeBufferPointer(start: (base + start).assumingMemoryBound(to: UInt8.self), count: count)
        guard Checksum.of(UnsafeRawBufferPointer(bytes)).low32 == half(entry + 12) else { return nil }
        var reader = RecordSnapshot.Reader(bytes, owner: self)
        guard let record = try? reader.record(), reader.atEnd else { return nil }
        return record
    }

    /// The registry-relative path of a node's file.
    func path(of node: Int32) -> String? {
        guard node >= 0, Int(node) < nodeCount else { return nil }
        let file = Int(half(recordTableOffset + Int(node) * RegistryIndex.recordEntrySize + 16))
        guard file < fileCount else { return nil }
        return self.file(file)?.path
    }

    /// The tables, the leftovers and the graph; nil when they do not decode.
    func meta() -> (issuers: IssuerTable, regions: RegionTable, leftovers: [String], graph: ValidityGraph)? {
        let bytes = UnsafeBufferPointer(start: (base + metaRange.lowerBound).assumingMemoryBound(to: UInt8.self), count: metaRange.count)
        var reader = RecordSnapshot.Reader(bytes, owner: self)
        do {
            let issuers = try reader.issuers()
            let regions = try reader.regions()
            var leftovers: [String] = []
            for _ in 0..<(try reader.count()) { leftovers.append(try reader.string() ?? "") }
            let graph = try reader.graph()
            guard reader.atEnd, graph.nodeCount == nodeCount, graph.fits(regionCount: regions.regions.count) else { return nil }
            return (issuers, regions, leftovers, graph)
        } catch {
            return nil
        }
    }
}

/// Records read from the mapped index when a question reaches them, kept once read. A record
/// whose bytes are damaged is read from its file instead, and the index is removed so that the
/// next command rebuilds it.
final class IndexedRecords: RecordStore, @unchecked Sendable {
    private let index: MappedIndex
    private let registry: Registry
    private let lock = NSLock()
    private var cache: [Int32: DocumentRecord] = [:]

    init(_ index: MappedIndex, registry: Registry) {
        self.index = index
        self.registry = registry
    }

    var count: Int { index.nodeCount }

    func record(_ node: Int32) -> DocumentRecord {
        lock.lock()
        if let record = cache[node] {
            lock.unlock()
            return record
        }
        lock.unlock()
        let record = index.record(node) ?? fromFile(node)
        lock.lock()
        cache[node] = record
        lock.unlock()
        return record
    }

    private func fromFile(_ node: Int32) -> DocumentRecord {
        try? FileManager.default.removeItem(at: RegistryIndex.url(index.root))
        if let path = index.path(of: node), case .success(let text) = registry.readText(path), let record = RecordFile.decode(text, origin: path).record {
            return record
        }
        // The file changed between the freshness check and now, and no longer reads: the least
        // that can be said.
        return DocumentRecord(number: nil, rawNumber: nil, title: "(unreadable: \(index.path(of: node) ?? "unknown file"); run inforce lint)")
    }

    /// Every record, decoded on every core (for audits, which reach them all).
    func all() -> [DocumentRecord] {
        inParallel(count) { range in range.map { self.index.record(Int32($0)) ?? self.fromFile(Int32($0)) } }.flatMap { $0 }
    }
}

/// A 64-bit checksum of bytes, eight at a time: enough to catch damage, cheap enough to run over
/// a hundred megabytes on every command.
enum Checksum {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian) &* 0x0000_0100_0000_01B3
            hash ^= hash >> 29
            offset += 8
        }
        while offset < bytes.count {
            hash = (hash ^ UInt64(bytes[offset])) &* 0x0000_0100_0000_01B3
            offset += 1
        }
        return hash ^ (hash >> 32)
    }

    static func of(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { of($0) }
    }
}

extension UInt64 {
    var low32: UInt32 { UInt32(truncatingIfNeeded: self) }
}

extension [UInt8] {
    mutating func appendWord(_ value: UInt64) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
    mutating func appendHalf(_ value: UInt32) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
    mutating func appendStamp(_ stamp: FileStamp) {
        appendWord(stamp.inode)
        appendWord(UInt64(bitPattern: stamp.size))
        appendWord(UInt64(bitPattern: stamp.modified))
    }
}
