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

    /// Decodes bytes: the declared encoding when the bytes agree with it, else the one that
    /// reads the bytes cleanly and most like Chinese text. Throws when none does.
    public static func decode(_ bytes: [UInt8], declared: Encoding? = nil) throws(PageError) -> (text: String, encoding: Encoding) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if declared == nil || declared == .utf8, let text = String(validating: body, as: UTF8.self) { return (text, .utf8) }
        if let declared, declared != .utf8, let text = convert(Array(body), from: declared) { return (text, declared) }
        if let text = String(validating: body, as: UTF8.self) { return (text, .utf8) }
        let candidates: [(String, Encoding)] = [Encoding.gb18030, .big5].compactMap { encoding in
            convert(Array(body), from: encoding).map { ($0, encoding) }
        }
        guard let best = candidates.max(by: { chineseScore($0.0) < chineseScore($1.0) }) else {
            throw PageError(reason: "the text is in an unknown encoding (not UTF-8, GB18030/GBK or Big5)")
        }
        return best
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
        let converter = iconv_open("UTF-8", encoding.rawValue)
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var failed = false
        let produced: Int = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 || inLeft != 0 { failed = true }
                return outBuffer.count - outLeft
            }
        }
        guard !failed else { return nil }
        return String(decoding: output[0..<produced], as: UTF8.self)
    }
}

/// A page InForce cannot read, and why.
public struct PageError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}
