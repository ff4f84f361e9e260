/// A string as a dictionary key, hashed and compared by its UTF-8 bytes. `String`'s own hashing
/// normalises Unicode first, which for 100,000 Chinese names or paths was a large part of
/// reading a registry; InForce's names are written and read back by InForce, byte for byte.
public struct UTF8Key: Hashable, Sendable {
    public let string: String

    public init(_ string: String) { self.string = string }

    public static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool { lhs.string.utf8.elementsEqual(rhs.string.utf8) }

    public func hash(into hasher: inout Hasher) {
        var string = string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
