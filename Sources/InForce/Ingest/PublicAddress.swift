/// Where a file read from a local copy of a published collection can be read by anyone: the
/// collection's public address followed by the file's path inside it, so a record names its
/// source the same on every machine (LawRefBook's README: a file's address is
/// `https://github.com/LawRefBook/Laws/blob/<commit>/<path in this folder>`).
public struct PublicAddress: Sendable, Equatable {
    /// The local folder the collection was copied to, as a plain path without a trailing `/`.
    public let root: String
    /// The address the folder's paths follow, ending in `/`.
    public let base: String

    public init(root: String, base: String) {
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
        self.base = base.hasSuffix("/") ? base : base + "/"
    }

    /// The public address of `path`, or nil when the file is not inside the folder. The path's
    /// characters are kept as written (an IRI: Chinese titles stay readable), except the ASCII
    /// ones a URL path cannot hold, which are percent-encoded (a space is %20).
    public func address(of path: String) -> String? {
        let prefix = root == "/" ? "/" : root + "/"
        guard path.hasPrefix(prefix), path.count > prefix.count else { return nil }
        return base + Self.escaped(path.dropFirst(prefix.count))
    }

    static func escaped(_ path: Substring) -> String {
        var result = ""
        for scalar in path.unicodeScalars {
            if !scalar.isASCII || allowed.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result += "%"
                result.unicodeScalars.append(hex[Int(scalar.value >> 4)])
                result.unicodeScalars.append(hex[Int(scalar.value & 0xF)])
            }
        }
        return result
    }

    /// What RFC 3986 lets a path hold unescaped: unreserved characters, sub-delimiters, : @ and /.
    static let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/".unicodeScalars)
}
