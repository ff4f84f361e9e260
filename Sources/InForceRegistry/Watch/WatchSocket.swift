import Foundation

/// The socket a registry's watcher answers on: a Linux abstract unix socket (no file to leave
/// behind, no path-length limit; it vanishes with the process) named from the registry's real
/// path, so every spelling of the path reaches the same watcher.
///
/// The conversation is one line each way. The query sends `sync`; the watcher, once every event
/// queued before it is applied, answers `fresh DEVICE INODE GENERATION` (the store file it
/// keeps, and how many refreshes it has written), or `stale REASON` when it cannot vouch for
/// the store.
enum WatchSocket {
    static let request = "sync\n"
    /// How long a query waits for the watcher before it checks every file itself.
    static let timeout = 2.0

    /// The socket's name for a registry folder: NUL, then `inforce-watch:` and a hash of the
    /// real path; nil when the folder has no real path (it does not exist).
    static func name(for root: URL) -> [UInt8]? {
        guard let real = realpath(root.path, nil) else { return nil }
        defer { free(real) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in String(cString: real).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return [0] + Array("inforce-watch:\(String(hash, radix: 16))".utf8)
    }

    /// A new stream socket, close-on-exec, with send and receive timeouts.
    static func make(timeout seconds: Double = timeout) -> Int32? {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            _ = setsockopt(descriptor, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
        return descriptor
    }

    /// Calls `body` with the socket address for `name`.
    static func withAddress<T>(_ name: [UInt8], _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let count = min(name.count, MemoryLayout.size(ofValue: address.sun_path))
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for index in 0..<count { path[index] = name[index] }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + count)
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
    }

    /// The process id and user id of the other end of a connected unix socket.
    static func peer(_ descriptor: Int32) -> (pid: Int32, uid: UInt32)? {
        // struct ucred: pid_t, uid_t, gid_t.
        var credentials: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
        var length = socklen_t(MemoryLayout.size(ofValue: credentials))
        guard getsockopt(descriptor, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return nil }
        return (credentials.pid, credentials.uid)
    }

    /// Writes all of `text`; false when the other end is gone or too slow.
    static func send(_ text: String, to descriptor: Int32) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            bytes = bytes.dropFirst(sent)
        }
        return true
    }

    /// Reads one line (without its newline), at most `limit` bytes; nil on a timeout, a closed
    /// connection or a longer line.
    static func receiveLine(from descriptor: Int32, limit: Int = 256) -> String? {
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: limit)
        while line.count <= limit {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            line += chunk[..<count]
            if let end = line.firstIndex(of: UInt8(ascii: "\n")) { return String(decoding: line[..<end], as: UTF8.self) }
        }
        return nil
    }
}

/// What names one store file: the device and inode of `store.sqlite` under the registry.
struct StoreIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    /// The store file now at the registry's store path, if there is one.
    static func current(_ root: URL) -> StoreIdentity? {
        var info = stat()
        guard stat(DerivedStore.url(root).path, &info) == 0 else { return nil }
        return StoreIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
