import Glibc

/// Linux inotify, wrapped once: one non-blocking instance, its watches, and its events read
/// as Swift values. Nothing outside this file sees the kernel's event layout.
final class Inotify {
    /// One event: the watch it came from, what happened, and the name in the watched folder
    /// (empty for an event about the folder itself).
    struct Event {
        let watch: Int32
        let mask: UInt32
        let name: String

        func has(_ flag: Int32) -> Bool { mask & UInt32(bitPattern: flag) != 0 }
    }

    /// What a folder of the registry is watched for: every way a file in it can come, go or
    /// change (a record's atomic rewrite is an IN_MOVED_TO), and the folder itself going.
    static let folderMask = UInt32(bitPattern: IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB
        | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)

    let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 256 << 10)

    /// A new instance; nil with `errno` set when the kernel refuses one.
    init?() {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
    }

    deinit { close(descriptor) }

    /// Watches a folder: its watch number, or the `errno` that refused it (ENOSPC: the user's
    /// limit of watches, `fs.inotify.max_user_watches`, is reached).
    func add(_ path: String, mask: UInt32 = folderMask) -> Result<Int32, Errno> {
        let watch = inotify_add_watch(descriptor, path, mask)
        return watch >= 0 ? .success(watch) : .failure(Errno(errno))
    }

    func remove(_ watch: Int32) {
        _ = inotify_rm_watch(descriptor, watch)
    }

    /// The events waiting now, in the kernel's order; empty when there are none (never blocks).
    func read() -> [Event] {
        var events: [Event] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return events }
            buffer.withUnsafeBytes { bytes in
                var offset = 0
                let header = MemoryLayout<inotify_event>.size
                while offset + header <= count {
                    let watch = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = bytes[(offset + header)..<min(count, offset + header + length)]
                    let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                    events.append(Event(watch: watch, mask: mask, name: name))
                    offset += header + length
                }
            }
        }
    }

    /// Waits up to `milliseconds` (forever when negative) for events; whether there are some.
    func wait(milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) > 0
    }
}

/// A C error number, with the system's words for it.
struct Errno: Error, Equatable, CustomStringConvertible {
    let code: Int32

    init(_ code: Int32) { self.code = code }

    var description: String { String(cString: strerror(code)) }
}
