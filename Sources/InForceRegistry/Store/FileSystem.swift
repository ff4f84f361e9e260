import Foundation

/// What identifies one version of a file or folder without reading it: inode, size and
/// modification time in nanoseconds. An edit in place changes the time (and usually the size);
/// an atomic rewrite makes a new inode; adding or removing a file changes its folder's time.
struct FileStamp: Hashable, Sendable {
    let inode: UInt64
    let size: Int64
    let modified: Int64

    init(inode: UInt64, size: Int64, modified: Int64) {
        self.inode = inode
        self.size = size
        self.modified = modified
    }

    init(_ info: stat) {
        self.init(inode: UInt64(info.st_ino), size: Int64(info.st_size),
                  modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// The stamp of a path, or nil when it cannot be read.
    static func of(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(info)
    }
}

/// The few file-system calls the registry makes in bulk, in POSIX terms: at 100,000 files the
/// per-call cost of `FileManager` and `URL` (path re-encoding, attribute dictionaries) was a
/// quarter of reading the whole registry.
enum FileSystem {
    enum ReadFailure: Error {
        case tooLarge(Int)
        case system(String)
    }

    /// The bytes of a file, refusing files larger than `limit`.
    static func read(_ path: String, limit: Int) -> Result<[UInt8], ReadFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.system(String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.system(String(cString: strerror(errno)))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .failure(.system("it is a folder")) }
        let size = Int(info.st_size)
        if size > limit { return .failure(.tooLarge(size)) }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + filled, size - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.system(String(cString: strerror(errno))))
            }
            if count == 0 { break }
            filled += count
        }
        // A file that shrank while it was read is what is there now.
        if filled < size { bytes.removeLast(size - filled) }
        return .success(bytes)
    }

    /// Every file and folder below `root`, as paths relative to `base` (`documents/…`), each
    /// folder with its stamp; sorted. Hidden names are skipped.
    static func walk(_ root: String, prefix: String) -> (files: [String], folders: [(path: String, stamp: FileStamp)]) {
        var files: [String] = []
        var folders: [(path: String, stamp: FileStamp)] = []
        var pending: [String] = [""]
        while let relative = pending.popLast() {
            let full = relative.isEmpty ? root : root + "/" + relative
            guard let stamp = FileStamp.of(full), let directory = opendir(full) else { continue }
            folders.append((relative.isEmpty ? prefix : prefix + "/" + relative, stamp))
            for (name, isFolder) in entries(directory, in: full) {
                let child = relative.isEmpty ? name : relative + "/" + name
                if isFolder {
                    if !name.hasPrefix(".") { pending.append(child) }
                } else {
                    files.append(prefix + "/" + child)
                }
            }
        }
        files.sort()
        folders.sort { $0.path < $1.path }
        return (files, folders)
    }

    /// The files and folders directly in `folder`, as paths under `prefix` (empty: the registry
    /// itself). Hidden folders are skipped, as by `walk`.
    static func list(_ folder: String, prefix: String) -> (files: [String], folders: [String]) {
        guard let directory = opendir(folder) else { return ([], []) }
        var files: [String] = []
        var folders: [String] = []
        for (name, isFolder) in entries(directory, in: folder) {
            let child = prefix.isEmpty ? name : prefix + "/" + name
            if isFolder {
                if !name.hasPrefix(".") { folders.append(child) }
            } else {
                files.append(child)
            }
        }
        return (files.sorted(), folders.sorted())
    }

    /// The names in an open folder (closed after), each with whether it is a folder.
    private static func entries(_ directory: OpaquePointer, in path: String) -> [(name: String, isFolder: Bool)] {
        defer { closedir(directory) }
        var found: [(name: String, isFolder: Bool)] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isFolder = lstat(path + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            found.append((name, isFolder))
        }
        return found
    }
}
