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

    /// The registries (their roots' paths) whose lock this task holds through `Registry.whileLocked`.
    /// A `flock` taken again through a second descriptor would wait for the process's own hold.
    @TaskLocal static var heldRoots: Set<String> = []

    /// Waits up to `timeout` seconds for the lock on the registry at `root`; a writer that gives
    /// up names the process holding it.
    static func acquire(root: URL, timeout: Double = defaultTimeout) throws(RegistryError) -> RegistryLock {
        let path = root.appendingPathComponent(RegistryLayout.lockFile).path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw RegistryError(.io, "cannot open the lock \(path): \(lastError())") }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let failure = lastError()
                close(descriptor)
                throw RegistryError(.io, "cannot lock \(path): \(failure)")
            }
            guard Date() < deadline else {
                let holder = LockHolder.of(descriptor: descriptor, path: path)
                close(descriptor)
                throw RegistryError(.busy, busyMessage(path: path, holder: holder, timeout: timeout))
            }
            usleep(20_000)
        }
        let pid = Array("\(getpid())\n".utf8)
        ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return RegistryLock(descriptor: descriptor)
    }

    /// The lock for a write, or nil when this task holds it already (inside `whileLocked`).
    static func acquireUnlessHeld(root: URL) throws(RegistryError) -> RegistryLock? {
        heldRoots.contains(root.path) ? nil : try acquire(root: root)
    }

    static func busyMessage(path: String, holder: LockHolder?, timeout: Double) -> String {
        let seconds = timeout == timeout.rounded() && timeout < 1e9 ? "\(Int(timeout))" : "\(timeout)"
        return "\(path) is held by another writer, \(holder?.description ?? "a process that does not say which"); "
            + "gave up after waiting \(seconds) s for it. Try again when it is done, or wait longer with INFORCE_LOCK_TIMEOUT=SECONDS"
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
