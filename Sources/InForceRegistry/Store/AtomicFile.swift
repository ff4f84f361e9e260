import Foundation

/// Writes a file so that readers and crashes see either the old bytes or the new ones, never a
/// mix: the bytes go to a temporary file beside the target, are flushed to disk, and the
/// temporary file is renamed over the target.
enum AtomicFile {
    /// The prefix of temporary files; loaders ignore them, the next writer removes leftovers.
    static let temporaryMarker = ".tmp-"

    static func write(_ text: String, to url: URL) throws(RegistryError) {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw RegistryError(.io, "cannot create the folder \(folder.path): \(error.localizedDescription)")
        }
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent)\(temporaryMarker)\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw RegistryError(.io, "cannot write \(temporary.path): \(lastError())") }
        var bytes = Array(text.utf8)
        let written = bytes.withUnsafeMutableBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let result = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += result
            }
            return true
        }
        let synced = written && fsync(descriptor) == 0
        let failure = lastError()
        close(descriptor)
        guard synced else {
            unlink(temporary.path)
            throw RegistryError(.io, "cannot write \(url.path): \(failure)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let failure = lastError()
            unlink(temporary.path)
            throw RegistryError(.io, "cannot replace \(url.path): \(failure)")
        }
        // The rename itself is durable only once the folder is flushed.
        let folderDescriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
        bytes.removeAll()
    }

    /// Removes temporary files an interrupted writer left in `folder`. Call only under the lock.
    static func removeLeftovers(in folder: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where isTemporary(name) {
            unlink(folder.appendingPathComponent(name).path)
        }
    }

    static func isTemporary(_ name: String) -> Bool { name.hasPrefix(".") && name.contains(temporaryMarker) }
}

func lastError() -> String { String(cString: strerror(errno)) }

