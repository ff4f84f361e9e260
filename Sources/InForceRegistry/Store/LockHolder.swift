import Foundation

/// The process holding the registry's lock, named in the message of a writer that gave up
/// waiting for it.
///
/// The kernel's own table (`/proc/locks`) is asked first: it names the holder even when that is
/// not an InForce writer (`flock registry/.lock …`) and so never wrote its pid into the file.
/// Elsewhere the pid the holder wrote is taken, when that process is still alive.
struct LockHolder: Sendable, Equatable, CustomStringConvertible {
    let pid: Int32
    /// Its command line, when the system shows it (`/proc/PID/cmdline`).
    let commandLine: String?

    /// Command lines longer than this are cut (a page list can run to thousands of paths).
    static let commandLineLimit = 240

    var description: String {
        "pid \(pid)" + (commandLine.map { " (\($0))" } ?? "")
    }

    /// The holder of the `flock` on `descriptor`, the open lock file at `path`.
    static func of(descriptor: Int32, path: String) -> LockHolder? {
        guard let pid = kernelHolder(of: descriptor) ?? writtenHolder(path) else { return nil }
        return LockHolder(pid: pid, commandLine: commandLine(of: pid))
    }

    /// The pid `/proc/locks` gives for a `flock` on the file open as `descriptor`.
    static func kernelHolder(of descriptor: Int32) -> Int32? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, let table = readSmallFile("/proc/locks") else { return nil }
        let device = UInt64(info.st_dev)
        // Linux's encoding of a device number (glibc's gnu_dev_major, gnu_dev_minor).
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        for line in String(decoding: table, as: UTF8.self).split(separator: "\n") {
            // 1: FLOCK  ADVISORY  WRITE 4242 fe:00:16220829 0 EOF — a waiter's line has "->" after the number.
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", let pid = Int32(fields[4]), pid > 0 else { continue }
            let file = fields[5].split(separator: ":")
            guard file.count == 3, UInt64(file[0], radix: 16) == major, UInt64(file[1], radix: 16) == minor,
                UInt64(file[2]) == UInt64(info.st_ino)
            else { continue }
            return pid
        }
        return nil
    }

    /// The pid a writer wrote into the lock file, when that process is alive.
    static func writtenHolder(_ path: String) -> Int32? {
        guard let bytes = readSmallFile(path),
            let pid = Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
            kill(pid, 0) == 0 || errno == EPERM
        else { return nil }
        return pid
    }

    /// The process's arguments as a shell would show them, cut at `commandLineLimit`.
    static func commandLine(of pid: Int32) -> String? {
        guard let bytes = readSmallFile("/proc/\(pid)/cmdline"), !bytes.isEmpty else { return nil }
        let words = bytes.split(separator: 0, omittingEmptySubsequences: false).dropLast(bytes.last == 0 ? 1 : 0).map { word in
            let text = String(decoding: word, as: UTF8.self)
            return text.isEmpty || text.contains(" ") ? "'\(text)'" : text
        }
        let line = words.joined(separator: " ")
        return line.count > commandLineLimit ? line.prefix(commandLineLimit) + "…" : line
    }

    /// A file of the kernel's (whose size `stat` gives as 0) or the lock file, read to its end.
    private static func readSmallFile(_ path: String, limit: Int = 1 << 20) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while bytes.count < limit {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return count == 0 ? bytes : nil }
            bytes += buffer[..<count]
        }
        return bytes
    }
}
