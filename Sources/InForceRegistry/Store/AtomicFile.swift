public import Foundation

/// Writes a file so that readers and crashes see either the old bytes or the new ones, never a
/// mix: the bytes go to a temporary file beside the target, are flushed to disk, and the
/// temporary file is renamed over the target. Used for registry files, the derived index and
/// report files alike.
public enum AtomicFile {
    /// The prefix of temporary files; loaders ignore them, the next writer removes leftovers.
    static let temporaryMarker = ".tmp-"

    /// Replaces `url` with `text`, durably.
    public static func write(_ text: String, to url: URL) throws(RegistryError) {
        let file = try Replacement(url)
        try file.append(Array(text.utf8))
        try file.commit()
    }

    /// A file being written beside its target, in pieces; renamed over the target only by
    /// `commit`, removed if abandoned.
    public final class Replacement {
        let target: URL
        let temporary: URL
        private var descriptor: Int32
        private var done = false

        public init(_ url: URL) throws(RegistryError) {
            target = url
            let folder = url.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw RegistryError(.io, "cannot create the folder \(folder.path): \(error.localizedDescription)")
            }
            temporary = folder.appendingPathComponent(
                ".\(url.lastPathComponent)\(temporaryMarker)\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw RegistryError(.io, "cannot write \(temporary.path): \(lastError())") }
        }

        /// Adds bytes at the end.
        public func append(_ bytes: [UInt8]) throws(RegistryError) {
            try write(bytes, at: nil)
        }

        /// Writes bytes over what is already at `offset` (a header written last).
        func overwrite(_ bytes: [UInt8], at offset: Int) throws(RegistryError) {
            try write(bytes, at: offset)
        }

        private func write(_ bytes: [UInt8], at position: Int?) throws(RegistryError) {
            let failed = bytes.withUnsafeBytes { buffer -> Bool in
                var offset = 0
                while offset < buffer.count {
                    let result = position.map { pwrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset, off_t($0 + offset)) }
                        ?? Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if result < 0 {
                        if errno == EINTR { continue }
                        return true
                    }
                    offset += result
                }
                return false
            }
            if failed {
                let failure = lastError()
                discard()
                throw RegistryError(.io, "cannot write \(target.path): \(failure)")
            }
        }

        /// Puts the file in place. `durable` flushes it and the rename to disk first (a derived
        /// cache, rebuilt when lost, need not wait for the disk).
        public func commit(durable: Bool = true) throws(RegistryError) {
            if durable && fsync(descriptor) != 0 {
                let failure = lastError()
                discard()
                throw RegistryError(.io, "cannot write \(target.path): \(failure)")
            }
            close(descriptor)
            done = true
            guard rename(temporary.path, target.path) == 0 else {
                let failure = lastError()
                unlink(temporary.path)
                throw RegistryError(.io, "cannot replace \(target.path): \(failure)")
            }
            // The rename itself is durable only once the folder is flushed.
            let folderDescriptor = durable ? open(target.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1
            if folderDescriptor >= 0 {
                fsync(folderDescriptor)
                close(folderDescriptor)
            }
        }

        /// Abandons the file: the target is left as it was.
        public func discard() {
            guard !done else { return }
            done = true
            close(descriptor)
            unlink(temporary.path)
        }

        deinit { discard() }
    }

    /// Removes temporary files an interrupted writer left in `folder`. Call only under the lock.
    static func removeLeftovers(in folder: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where isTemporary(name) {
            unlink(folder.appendingPathComponent(name).path)
        }
    }

    static func isTemporary(_ name: String) -> Bool { name.hasPrefix(".") && name.contains(temporaryMarker) }

    /// The process that is writing (or was, before it died) a temporary file of `target`'s.
    static func writer(ofTemporary name: String, for target: String) -> Int32? {
        let prefix = ".\(target)\(temporaryMarker)"
        guard name.hasPrefix(prefix) else { return nil }
        return Int32(name.dropFirst(prefix.count).prefix { $0 != "-" })
    }
}

func lastError() -> String { String(cString: strerror(errno)) }

