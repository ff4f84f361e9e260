import Foundation

/// The registry's single-writer lock: an advisory `flock` on `registry/.lock`.
///
/// The kernel drops the lock when its holder exits for any reason, a kill included, so a dead
/// writer never leaves the registry locked. The file holds the holder's process id, for messages.
final class RegistryLock {
    private var descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// How long a writer waits for another to finish: `INFORCE_LOCK_TIMEOUT` seconds, else 10.
    static var defaultTimeout: Double {
        ProcessInfo.processInfo.environment["INFORCE_LOCK_TIMEOUT"].flatMap(Double.init).map { max(0, $0) } ?? 10
    }

    /// Waits up to `timeout` seconds for the lock on the registry at `root`.
    static func acquire(root: URL, timeout: Double = defaultTimeout) throws(RegistryError) -> RegistryLock {
        let path = root.appendingPathComponent(RegistryLayout.lockFile).path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw RegistryError(.io, "cannot open the lock \(path): \(lastError())") }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                close(descriptor)
                throw RegistryError(.busy, "the registry is being written by another process\(holder.map { " (pid \($0))" } ?? ""); try again")
            }
            usleep(20_000)
        }
        let pid = Array("\(getpid())\n".utf8)
        ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return RegistryLock(descriptor: descriptor)
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
