import Foundation
import InForce
import InForceHTML

/// An Office Open XML file (.docx, .xlsx) opened as the zip it is (`ZipDirectory`), with limits that a hostile
/// or damaged file cannot get past: the number of parts, the size of each part once
/// inflated, and the whole. Sizes are counted while inflating, not taken from the headers (a
/// zip bomb lies in them).
struct OfficePackage {
    /// What a package may hold.
    struct Limits: Sendable {
        var entries = 10_000
        /// One part inflated: a 200,000-row sheet is about 40 MB of XML.
        var partBytes = 128 * 1024 * 1024
        /// All parts read, together.
        var totalBytes = 256 * 1024 * 1024
        /// Inflated size over compressed size, for parts over 1 MB.
        var ratio = 200
    }

    let directory: ZipDirectory
    let name: String
    let limits: Limits
    private var read = 0

    /// Opens `url`; `name` names it in errors.
    init(url: URL, name: String, limits: Limits = Limits()) throws(PageError) {
        // Mapped, not read: a 256 MB file costs the pages the parts asked for.
        guard let bytes = try? Data(contentsOf: url, options: .alwaysMapped) else {
            throw PageError(reason: "\(name) cannot be read")
        }
        // D0 CF 11 E0: an OLE compound file — a legacy .doc/.xls, or an Office file with a password.
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw PageError(reason: "\(name) is an OLE compound file, not Office Open XML: either it is encrypted (remove the password and save again) or it is a legacy .doc/.xls renamed")
        }
        guard bytes.starts(with: [0x50, 0x4B]) else {
            throw PageError(reason: "\(name) is not a zip file, so not a .docx or .xlsx (damaged, or another format renamed)")
        }
        do {
            directory = try ZipDirectory(bytes: bytes, maximumEntries: limits.entries)
        } catch {
            throw PageError(reason: "\(name) is a damaged zip file: \(error.reason)")
        }
        if directory.count > limits.entries { throw PageError(reason: "\(name) holds more than \(limits.entries) parts: refused") }
        self.name = name
        self.limits = limits
    }

    /// Whether the package holds `path`.
    func contains(_ path: String) -> Bool { directory.entries[path] != nil }

    /// The bytes of one part, nil when the package has no such part.
    mutating func part(_ path: String) throws(PageError) -> [UInt8]? {
        guard let entry = directory.entries[path] else { return nil }
        var bytes: [UInt8] = []
        let partLimit = limits.partBytes
        let remaining = limits.totalBytes - read
        let compressed = max(1, entry.compressedSize)
        let ratio = limits.ratio
        let label = "\(name): \(path)"
        do {
            try directory.extract(entry) { (chunk: [UInt8]) throws(OfficeLimit) in
                bytes.append(contentsOf: chunk)
                if bytes.count > partLimit || bytes.count > remaining {
                    throw OfficeLimit(reason: "\(label) inflates past \(min(partLimit, remaining) / 1_048_576) MB: refused as a zip bomb")
                }
                if bytes.count > 1_048_576, bytes.count / compressed > ratio {
                    throw OfficeLimit(reason: "\(label) inflates more than \(ratio) times its compressed size: refused as a zip bomb")
                }
            }
        } catch {
            switch error {
            case .stopped(let limit): throw PageError(reason: limit.reason)
            case .damage(let damage): throw PageError(reason: "\(label) is damaged: \(damage.reason)")
            }
        }
        read += bytes.count
        return bytes
    }

    /// The part, or an error naming what is missing.
    mutating func requiredPart(_ path: String, what: String) throws(PageError) -> [UInt8] {
        guard let bytes = try part(path) else {
            throw PageError(reason: "\(name) has no \(path): it is not \(what) (or its parts are encrypted)")
        }
        return bytes
    }

    /// Targets of a relationships part (word/_rels/document.xml.rels) by id.
    mutating func relationships(_ path: String) throws(PageError) -> [String: String] {
        guard let bytes = try part(path) else { return [:] }
        let stream = try XMLStream(bytes: bytes, name: "\(name): \(path)")
        var targets: [String: String] = [:]
        while let node = try stream.next() {
            if case .start("Relationship", let attributes, _) = node, let id = attributes["Id"], let target = attributes["Target"] {
                targets[id] = target
            }
        }
        return targets
    }
}

private struct OfficeLimit: Error {
    let reason: String
}
