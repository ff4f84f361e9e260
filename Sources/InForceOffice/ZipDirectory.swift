import CZlib
import Foundation
import InForce

/// A zip file's directory, read from its bytes, and its parts inflated with zlib under the
/// caller's limits.
///
/// ZIPFoundation's reader on Linux loops for ever on a deflate stream cut short (it asks the
/// file for more, gets nothing, and asks again) and hands zlib a longer input than the last
/// chunk holds; so the directory and the inflating are done here, where every offset is
/// checked against the file and a stream that ends early is an error.
struct ZipDirectory {
    struct Entry: Sendable {
        let path: String
        let method: UInt16
        let crc: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeader: Int
    }

    /// Why a part could not be read, in words for a sentence after "it".
    struct Damage: Error {
        let reason: String
    }

    let bytes: Data
    /// Parts by path, first entry of a path wins (as a reader that stops at the first match does).
    private(set) var entries: [String: Entry] = [:]
    private(set) var count = 0

    /// Reads the directory at the end of `bytes`; throws `Damage` when there is none or it
    /// points outside the file. More than `maximumEntries` entries are refused before they are
    /// all read.
    init(bytes: Data, maximumEntries: Int) throws(Damage) {
        // Offsets below count from 0.
        let bytes = bytes.startIndex == 0 ? bytes : Data(bytes)
        self.bytes = bytes
        let end = try Self.endRecord(in: bytes)
        var entryCount = Int(bytes.uint16(at: end + 10))
        var offset = Int(bytes.uint32(at: end + 16))
        var size = Int(bytes.uint32(at: end + 12))
        // Zip64: the end record's fields are all ones and the real values sit in the zip64 end record.
        if entryCount == 0xFFFF || offset == 0xFFFF_FFFF || size == 0xFFFF_FFFF, end >= 20, bytes.count >= 56,
           bytes.uint32(at: end - 20) == 0x0706_4B50
        {
            let record = bytes.uint64(at: end - 12)
            guard record <= UInt64(bytes.count - 56), bytes.uint32(at: Int(record)) == 0x0606_4B50 else {
                throw Damage(reason: "its zip64 directory record is missing")
            }
            entryCount = Self.clamped(bytes.uint64(at: Int(record) + 32))
            size = Self.clamped(bytes.uint64(at: Int(record) + 40))
            offset = Self.clamped(bytes.uint64(at: Int(record) + 48))
        }
        guard offset <= bytes.count, size <= bytes.count - offset else {
            throw Damage(reason: "its directory points outside the file (the file is cut short or damaged)")
        }
        var position = offset
        let directoryEnd = offset + size
        while position + 46 <= directoryEnd, bytes.uint32(at: position) == 0x0201_4B50 {
            count += 1
            if count > maximumEntries { return }
            let nameLength = Int(bytes.uint16(at: position + 28))
            let extraLength = Int(bytes.uint16(at: position + 30))
            let commentLength = Int(bytes.uint16(at: position + 32))
            let next = position + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else { throw Damage(reason: "its directory is cut short") }
            let nameBytes = bytes[(position + 46)..<(position + 46 + nameLength)]
            // Bit 11: the name is UTF-8; otherwise it is in the code page of whoever zipped it,
            // which for Office parts is ASCII anyway.
            let path = String(decoding: nameBytes, as: UTF8.self)
            var compressed = Int(bytes.uint32(at: position + 20))
            var uncompressed = Int(bytes.uint32(at: position + 24))
            var local = Int(bytes.uint32(at: position + 42))
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                Self.zip64Sizes(
                    Data(bytes[(position + 46 + nameLength)..<(position + 46 + nameLength + extraLength)]),
                    uncompressed: &uncompressed, compressed: &compressed, local: &local
                )
            }
            let entry = Entry(
                path: path, method: bytes.uint16(at: position + 10), crc: bytes.uint32(at: position + 16),
                compressedSize: compressed, uncompressedSize: uncompressed, localHeader: local
            )
            if entries[path] == nil { entries[path] = entry }
            position = next
        }
    }

    /// Inflates `entry`, handing `consume` the bytes piece by piece; `consume` may throw to stop.
    /// Throws `Damage` when the part's data lies outside the file, its method is not stored or
    /// deflate, its stream is damaged or ends early, or its checksum is wrong.
    func extract<Failure: Error>(_ entry: Entry, consume: ([UInt8]) throws(Failure) -> Void) throws(ExtractionError<Failure>) {
        let local = entry.localHeader
        guard local <= bytes.count - 30, bytes.uint32(at: local) == 0x0403_4B50 else {
            throw .damage(Damage(reason: "its local header is missing (the directory points at the wrong place)"))
        }
        let start = local + 30 + Int(bytes.uint16(at: local + 26)) + Int(bytes.uint16(at: local + 28))
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw .damage(Damage(reason: "its data runs past the end of the file (the file is cut short)"))
        }
        let data = start..<(start + entry.compressedSize)
        var crc = crc32(0, nil, 0)
        switch entry.method {
        case 0:
            var position = data.lowerBound
            while position < data.upperBound {
                let piece = [UInt8](bytes[position..<min(data.upperBound, position + 65_536)])
                crc = Self.checksum(crc, piece)
                do { try consume(piece) } catch { throw .stopped(error) }
                position += piece.count
            }
        case 8:
            crc = try inflate(data, consume: consume)
        default:
            throw .damage(Damage(reason: "it is compressed with method \(entry.method), which Office files do not use (only stored and deflate are read)"))
        }
        guard UInt32(truncatingIfNeeded: crc) == entry.crc else {
            throw .damage(Damage(reason: "its checksum does not match (the part is damaged)"))
        }
    }

    private func inflate<Failure: Error>(_ data: Range<Int>, consume: ([UInt8]) throws(Failure) -> Void) throws(ExtractionError<Failure>) -> uLong {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .damage(Damage(reason: "zlib could not start"))
        }
        defer { inflateEnd(&stream) }
        var crc = crc32(0, nil, 0)
        var output = [UInt8](repeating: 0, count: 65_536)
        var input = data.lowerBound
        var finished = false
        while !finished {
            // One piece of input at a time; zlib is told exactly how much it holds.
            let piece = [UInt8](bytes[input..<min(data.upperBound, input + 65_536)])
            input += piece.count
            let last = input == data.upperBound
            var status: Int32 = Z_OK
            var produced: [UInt8] = []
            piece.withUnsafeBufferPointer { source in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = uInt(source.count)
                repeat {
                    output.withUnsafeMutableBufferPointer { target in
                        stream.next_out = target.baseAddress
                        stream.avail_out = uInt(target.count)
                        status = CZlib.inflate(&stream, Z_NO_FLUSH)
                        produced.append(contentsOf: target.prefix(target.count - Int(stream.avail_out)))
                    }
                } while status == Z_OK && stream.avail_out == 0 && produced.count < 4 * 1_048_576
            }
            if status == Z_OK, stream.avail_in > 0 {
                // More output waits than one round takes: rewind the input to what zlib left.
                input -= Int(stream.avail_in)
            }
            if !produced.isEmpty {
                crc = Self.checksum(crc, produced)
                do { try consume(produced) } catch { throw .stopped(error) }
            }
            switch status {
            case Z_STREAM_END: finished = true
            case Z_OK, Z_BUF_ERROR:
                if last && stream.avail_in == 0 && produced.isEmpty {
                    throw .damage(Damage(reason: "its compressed data ends before the part does (the file is cut short)"))
                }
            default:
                throw .damage(Damage(reason: "its compressed data is damaged (zlib: \(stream.msg.map { String(cString: $0) } ?? "error \(status)"))"))
            }
        }
        return crc
    }

    private static func checksum(_ crc: uLong, _ piece: [UInt8]) -> uLong {
        piece.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
    }

    /// The end-of-central-directory record: the last one in the final 64 KB + 22 bytes.
    private static func endRecord(in bytes: Data) throws(Damage) -> Int {
        guard bytes.count >= 22 else { throw Damage(reason: "it is too short to be a zip file") }
        var position = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while position >= lowest {
            if bytes.uint32(at: position) == 0x0605_4B50 { return position }
            position -= 1
        }
        throw Damage(reason: "it has no zip directory (the file is cut short or damaged)")
    }

    /// The zip64 extra field (0x0001): the sizes and offset that did not fit, in that order, each present only when its field was all ones.
    private static func zip64Sizes(_ extra: Data, uncompressed: inout Int, compressed: inout Int, local: inout Int) {
        var position = 0
        while position + 4 <= extra.count {
            let id = extra.uint16(at: position)
            let length = Int(extra.uint16(at: position + 2))
            let body = position + 4
            guard body + length <= extra.count else { return }
            if id == 0x0001 {
                var field = body
                for value in [\ZipSizes.uncompressed, \.compressed, \.local] {
                    var sizes = ZipSizes(uncompressed: uncompressed, compressed: compressed, local: local)
                    guard sizes[keyPath: value] == 0xFFFF_FFFF else { continue }
                    guard field + 8 <= body + length else { return }
                    sizes[keyPath: value] = clamped(extra.uint64(at: field))
                    (uncompressed, compressed, local) = (sizes.uncompressed, sizes.compressed, sizes.local)
                    field += 8
                }
                return
            }
            position = body + length
        }
    }

    private static func clamped(_ value: UInt64) -> Int { value > UInt64(Int32.max) * 64 ? Int(Int32.max) * 64 : Int(value) }
}

private struct ZipSizes {
    var uncompressed: Int
    var compressed: Int
    var local: Int
}

/// A part that could not be extracted: damaged, or stopped by the consumer (a limit).
enum ExtractionError<Failure: Error>: Error {
    case damage(ZipDirectory.Damage)
    case stopped(Failure)
}

private extension Data {
    func uint16(at offset: Int) -> UInt16 {
        let base = startIndex + offset
        return UInt16(self[base]) | UInt16(self[base + 1]) << 8
    }

    func uint32(at offset: Int) -> UInt32 {
        let base = startIndex + offset
        return UInt32(self[base]) | UInt32(self[base + 1]) << 8 | UInt32(self[base + 2]) << 16 | UInt32(self[base + 3]) << 24
    }

    func uint64(at offset: Int) -> UInt64 {
        UInt64(uint32(at: offset)) | UInt64(uint32(at: offset + 4)) << 32
    }
}
