import Foundation

/// How a query made sure the derived store matched the files before answering from it.
public enum StoreFreshness: String, Sendable {
    /// A live `inforce watch` applied every change made before the query asked, so the query
    /// trusted the store without a `stat` of each file.
    case watcher
    /// The query compared every file's and folder's stamp with the store's (the stat pass).
    case statPass = "stat pass"
    /// The store was built from every file.
    case built
    /// No store: every file was read.
    case files

    /// Set `INFORCE_TRACE_STORE=1` to have each query say on standard error how it freshened
    /// the store (for tests and for measuring; it changes no answer).
    static func trace(_ freshness: StoreFreshness) {
        guard ProcessInfo.processInfo.environment["INFORCE_TRACE_STORE"] == "1" else { return }
        FileHandle.standardError.write(Data("inforce: store: \(freshness.rawValue)\n".utf8))
    }
}

/// The query's side of the watcher's socket: one connection, one round trip.
enum WatchClient {
    /// The store a live watcher of `root`, run by this user, vouches for once every change made
    /// before now is applied; nil when there is none, it is slow (`WatchSocket.timeout`), or
    /// its answer is anything but that — then the query checks every file itself.
    static func sync(_ root: URL) -> StoreIdentity? {
        guard let name = WatchSocket.name(for: root), let descriptor = WatchSocket.make() else { return nil }
        defer { close(descriptor) }
        let connected = WatchSocket.withAddress(name) { connect(descriptor, $0, $1) }
        // Anyone may bind an abstract name: only a watcher of this user's is believed.
        guard connected == 0, let peer = WatchSocket.peer(descriptor), peer.uid == getuid(),
              WatchSocket.send(WatchSocket.request, to: descriptor),
              let reply = WatchSocket.receiveLine(from: descriptor) else { return nil }
        let words = reply.split(separator: " ")
        guard words.count == 4, words[0] == "fresh", let device = UInt64(words[1]), let inode = UInt64(words[2]), UInt64(words[3]) != nil else { return nil }
        return StoreIdentity(device: device, inode: inode)
    }
}
