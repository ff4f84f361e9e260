import Glibc

/// Turns page bytes into text: UTF-8, GB18030 (which reads GBK and GB2312) or Big5, as declared
/// by `<meta charset>` or, when nothing is declared, as the bytes show.
public enum TextDecoding {
    /// An encoding InForce reads.
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case gb18030 = "GB18030"
        case big5 = "BIG5"
    }

    /// The charset a page declares in its first bytes (`<meta charset=gbk>`,
    /// `content="text/html; charset=gb2312"`), mapped to what InForce reads, or nil.
    public static func declaredEncoding(_ bytes: [UInt8]) -> Encoding? {
        let head = bytes.prefix(4096).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        let needle = Array("charset".utf8)
        var index = 0
        while index + needle.count < head.count {
            if Array(head[index..<(index + needle.count)]) == needle {
                var position = index + needle.count
                while position < head.count, head[position] == 0x20 || head[position] == 0x3D || head[position] == 0x22 || head[position] == 0x27 {
                    position += 1
                }
                var name: [UInt8] = []
                while position < head.count, name.count < 20,
                      (0x61...0x7A).contains(head[position]) || (0x30...0x39).contains(head[position]) || head[position] == 0x2D || head[position] == 0x5F
                {
                    name.append(head[position])
                    position += 1
                }
                switch String(decoding: name, as: UTF8.self) {
                case "utf-8", "utf8": return .utf8
                case "gbk", "gb2312", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312": return .gb18030
                case "big5", "big5-hkscs", "x-x-big5", "cp950": return .big5
                default: break
                }
            }
            index += 1
        }
        return nil
    }
    /// Text decoded from page bytes, and what had to be repaired to read it.
    public struct Decoded: Sendable {
        /// The text, with U+FFFD where bytes were not valid in `encoding`.
        public let text: String
        /// The encoding the bytes were read in.
        public let encoding: Encoding
        /// How many bytes were not valid in `encoding` and were replaced by U+FFFD; 0 when the
        /// bytes read cleanly.
        public let replacedBytes: Int
        /// The offset, in the bytes given, of the first replaced byte; nil when none was.
        public let firstReplacedOffset: Int?

        init(_ text: String, _ encoding: Encoding, replacedBytes: Int = 0, firstReplacedOffset: Int? = nil) {
            self.text = text
            self.encoding = encoding
            self.replacedBytes = replacedBytes
            self.firstReplacedOffset = firstReplacedOffset
        }
    }

    /// Decodes bytes: the declared encoding when the bytes agree with it, else the one that
    /// reads the bytes cleanly and most like Chinese text.
    ///
    /// A download cut short or a stray byte leaves text that is valid apart from a few bytes.
    /// With `repairing`, such text is read with U+FFFD for the bad bytes, counted in
    /// `replacedBytes`; without it, it is refused with the offset of the first bad byte. Bytes
    /// are taken as damaged UTF-8 only when their well-formed multibyte characters far outnumber
    /// the bad bytes, so a GBK or Big5 page is never misread as broken UTF-8. Throws when no
    /// encoding reads the bytes, cleanly or with a few repairs.
    public static func decode(_ bytes: [UInt8], declared: Encoding? = nil, repairing: Bool = false) throws(PageError) -> Decoded {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let bodyStart = bytes.count - body.count
        if declared == nil || declared == .utf8, let text = String(validating: body, as: UTF8.self) { return Decoded(text, .utf8) }
        if let declared, declared != .utf8, let text = convert(Array(body), from: declared) { return Decoded(text, declared) }
        if let text = String(validating: body, as: UTF8.self) { return Decoded(text, .utf8) }
        // Before the legacy encodings: Chinese UTF-8 with a bad byte may still convert as GB18030 mojibake.
        let damage = UTF8Damage(body)
        var repaired: Decoded?
        if damage.isMostlyValid {
            repaired = Decoded(String(decoding: body, as: UTF8.self), .utf8, replacedBytes: damage.invalidBytes, firstReplacedOffset: damage.firstInvalidOffset)
        } else {
            let candidates: [(String, Encoding)] = [Encoding.gb18030, .big5].compactMap { encoding in
                convert(Array(body), from: encoding).map { ($0, encoding) }
            }
            if let best = candidates.max(by: { chineseScore($0.0) < chineseScore($1.0) }) { return Decoded(best.0, best.1) }
            repaired = leastRepaired(body, damage: damage, declared: declared)
        }
        guard let repaired else {
            throw PageError(reason: "the text is in an unknown encoding (not UTF-8, GB18030/GBK or Big5)")
        }
        let first = bodyStart + (repaired.firstReplacedOffset ?? 0)
        guard repairing else {
            let count = repaired.replacedBytes == 1 ? "1 byte is" : "\(repaired.replacedBytes) bytes are"
            throw PageError(reason: "the text is \(repaired.encoding.rawValue) but \(count) not (the first at byte \(first)): the file is damaged or cut short")
        }
        return Decoded(repaired.text, repaired.encoding, replacedBytes: repaired.replacedBytes, firstReplacedOffset: first)
    }

    /// Text that no encoding reads cleanly, in the encoding that needs the fewest repairs (the
    /// declared one first, then the one that reads most like Chinese), if they are few: at most
    /// two bytes, or one in twenty of the bytes outside ASCII.
    private static func leastRepaired(_ body: ArraySlice<UInt8>, damage: UTF8Damage, declared: Encoding?) -> Decoded? {
        let nonASCII = body.reduce(0) { $0 + ($1 >= 0x80 ? 1 : 0) }
        var encodings: [Encoding] = [.utf8, .gb18030, .big5]
        if let declared, let position = encodings.firstIndex(of: declared) { encodings.insert(encodings.remove(at: position), at: 0) }
        var best: Decoded?
        for encoding in encodings {
            let attempt = encoding == .utf8
                ? Decoded(String(decoding: body, as: UTF8.self), .utf8, replacedBytes: damage.invalidBytes, firstReplacedOffset: damage.firstInvalidOffset)
                : iconv(Array(body), from: encoding, repairing: true)
            guard let attempt, attempt.replacedBytes <= max(2, nonASCII / 20) else { continue }
            if let best, best.replacedBytes < attempt.replacedBytes
                || (best.replacedBytes == attempt.replacedBytes && chineseScore(best.text) >= chineseScore(attempt.text))
            {
                continue
            }
            best = attempt
        }
        return best
    }

    /// How far bytes are from UTF-8: the bytes of its well-formed multibyte characters, and the
    /// bytes of its ill-formed sequences (maximal subparts, each of which U+FFFD replaces).
    struct UTF8Damage {
        var multibyteBytes = 0
        var invalidBytes = 0
        var firstInvalidOffset: Int?

        /// Whether the bytes are UTF-8 apart from a few bad ones: at least 20 bytes of
        /// well-formed multibyte characters for each bad byte. GBK and Big5 text forms a
        /// well-formed UTF-8 sequence only by chance, a few times in a hundred characters.
        var isMostlyValid: Bool { invalidBytes > 0 && multibyteBytes >= 20 * invalidBytes }

        init(_ bytes: ArraySlice<UInt8>) {
            bytes.withUnsafeBufferPointer { buffer in
                var index = 0
                while index < buffer.count {
                    let lead = buffer[index]
                    if lead < 0x80 {
                        index += 1
                        continue
                    }
                    // Unicode's table of well-formed UTF-8 byte sequences (no overlongs, no surrogates).
                    var length = 0
                    var low: UInt8 = 0x80
                    var high: UInt8 = 0xBF
                    switch lead {
                    case 0xC2...0xDF: length = 2
                    case 0xE0: (length, low) = (3, 0xA0)
                    case 0xED: (length, high) = (3, 0x9F)
                    case 0xE1...0xEF: length = 3
                    case 0xF0: (length, low) = (4, 0x90)
                    case 0xF4: (length, high) = (4, 0x8F)
                    case 0xF1...0xF3: length = 4
                    default: length = 0
                    }
                    var consumed = 1
                    while consumed < length, index + consumed < buffer.count {
                        let byte = buffer[index + consumed]
                        guard consumed == 1 ? (low...high).contains(byte) : (0x80...0xBF).contains(byte) else { break }
                        consumed += 1
                    }
                    if length > 0, consumed == length {
                        multibyteBytes += length
                    } else {
                        invalidBytes += consumed
                        if firstInvalidOffset == nil { firstInvalidOffset = index }
                    }
                    index += consumed
                }
            }
        }
    }

    /// How much a decoded text looks like Chinese prose: common characters count, rare and
    /// private-use ones count against.
    static func chineseScore(_ text: String) -> Int {
        let common: Set<Unicode.Scalar> = Set("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞".unicodeScalars)
        var score = 0
        var counted = 0
        for scalar in text.unicodeScalars {
            counted += 1
            if counted > 20_000 { break }
            if common.contains(scalar) {
                score += 2
            } else if (0xE000...0xF8FF).contains(scalar.value) || scalar.value == 0xFFFD {
                score -= 5
            }
        }
        return score
    }


    /// Converts with glibc's iconv; nil when the bytes are not valid in that encoding.
    static func convert(_ bytes: [UInt8], from encoding: Encoding) -> String? {
        iconv(bytes, from: encoding, repairing: false)?.text
    }

    /// Converts with glibc's iconv. With `repairing`, each byte iconv cannot read is replaced by
    /// U+FFFD and counted; without it, nil when any byte is not valid in the encoding.
    static func iconv(_ bytes: [UInt8], from encoding: Encoding, repairing: Bool) -> Decoded? {
        let converter = iconv_open("UTF-8", encoding.rawValue)
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3 / 2 + 16)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var replaced = 0
        var firstReplaced: Int?
        var failed = false
        var input = bytes
        input.withUnsafeMutableBufferPointer { inBuffer in
            guard let base = inBuffer.baseAddress else { return }
            var offset = 0
            while offset < inBuffer.count, !failed {
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(base + offset).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count - offset
                let (result, error, produced) = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count
                    let result = Glibc.iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    return (result, errno, outBuffer.count - outLeft)
                }
                output += chunk[0..<produced]
                offset = inBuffer.count - inLeft
                guard result == -1 else { continue }
                switch error {
                case E2BIG:
                    continue
                case EILSEQ, EINVAL:
                    guard repairing else {
                        failed = true
                        break
                    }
                    // An unreadable or unfinished sequence: its first byte is replaced, the rest read again.
                    replaced += 1
                    if firstReplaced == nil { firstReplaced = offset }
                    offset += 1
                    output += [0xEF, 0xBF, 0xBD]
                    _ = Glibc.iconv(converter, nil, nil, nil, nil)
                default:
                    failed = true
                }
            }
        }
        guard !failed else { return nil }
        return Decoded(String(decoding: output, as: UTF8.self), encoding, replacedBytes: replaced, firstReplacedOffset: firstReplaced)
    }
}

/// A page InForce cannot read: the file, when known, and why.
public struct PageError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, as a sentence a user can act on ("the file is empty").
    public let reason: String
    /// The file the page came from, as the caller named it; nil when only bytes were given.
    public let file: String?

    public init(reason: String, file: String? = nil) {
        self.reason = reason
        self.file = file
    }

    /// The same error, naming `file` (a name it already has is kept).
    public func naming(_ file: String) -> PageError {
        PageError(reason: reason, file: self.file ?? file)
    }

    /// `file: reason`, or the reason alone.
    public var description: String { file.map { "\($0): \(reason)" } ?? reason }
}
