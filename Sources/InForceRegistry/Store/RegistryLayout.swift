public import InForce

/// Where each file of a registry lives, by canonical number, so a person can find a record by
/// hand: `documents/国发/2014-40.toml`, `documents/国务院令/491.toml`, `documents/_titles/劳动合同法.toml`.
///
/// One folder per 代字, not per 代字 and year: a county office issues a few documents a year, so
/// year folders made about one folder per file (74,000 for 100,000 documents), and a watcher
/// needs one inotify watch per folder. `legacyPath(for:)` is where the earlier layout put a
/// record (`documents/国发/2014/40.toml`); `inforce migrate` moves such files.
///
/// Every path component comes from a parsed number (Chinese characters and digits only) or is
/// sanitised, so no number or title can lead a path out of the registry.
public enum RegistryLayout {
    public static let documentsFolder = "documents"
    public static let titlesFolder = "_titles"
    public static let issuersFile = "issuers.toml"
    public static let regionsFile = "regions.toml"
    public static let lockFile = ".lock"
    public static let recordExtension = ".toml"

    /// The folder, relative to the registry, that holds a key's records.
    public static func folder(for key: DocumentKey) -> String {
        switch key {
        case .number(let number): "\(documentsFolder)/\(safeComponent(number.agency))"
        case .title: "\(documentsFolder)/\(titlesFolder)"
        }
    }

    /// The file name stem for a key: year and sequence (`2014-40`), the sequence alone for a
    /// number without a year in it (国务院令第491号), or the sanitised title.
    public static func stem(for key: DocumentKey) -> String {
        switch key {
        case .number(let number): number.yearInIdentity ? "\(number.year ?? 0)-\(number.sequence)" : String(number.sequence)
        case .title(let title): safeComponent(title)
        }
    }

    /// Where the layout before one folder per 代字 put a key's record (nil where both agree).
    public static func legacyPath(for key: DocumentKey, issuerSuffix: String? = nil) -> String? {
        guard case .number(let number) = key, number.yearInIdentity else { return nil }
        let stem = String(number.sequence) + (issuerSuffix.map { "@" + safeComponent($0) } ?? "")
        return "\(folder(for: key))/\(number.year ?? 0)/\(stem)\(recordExtension)"
    }

    /// The path of a record's file. `issuerSuffix` tells apart two issuers that share a 代字
    /// (财社): the second one's file is `N@issuer.toml`.
    public static func path(for key: DocumentKey, issuerSuffix: String? = nil) -> String {
        let stem = stem(for: key) + (issuerSuffix.map { "@" + safeComponent($0) } ?? "")
        return "\(folder(for: key))/\(stem)\(recordExtension)"
    }

    /// A file or folder name made safe: no separators, no control characters, no leading dot,
    /// at most 80 characters. A name that had to change (a character replaced, a dot dropped, a
    /// long title cut) keeps a short hash of the text, so two titles never share a file
    /// (关于A/B的通知 and 关于A_B的通知 are `关于A_B的通知~…` and `关于A_B的通知`).
    public static func safeComponent(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var changed = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "/", "\\", ":", "*", "?", "\"", "<", ">", "|", "@", "~":
                scalars.append("_")
                changed = true
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.properties.isWhitespace {
                    scalars.append("_")
                    changed = true
                } else {
                    scalars.append(scalar)
                }
            }
        }
        var name = String(scalars)
        while name.hasPrefix(".") {
            name.removeFirst()
            changed = true
        }
        if name.count > 72 {
            name = String(name.prefix(72))
            changed = true
        }
        if name.isEmpty { name = "_" }
        return changed ? name + "~" + shortHash(text) : name
    }

    /// FNV-1a, printed as 7 hex digits: stable across runs and machines.
    static func shortHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(String(hash, radix: 16).prefix(7))
    }
}
