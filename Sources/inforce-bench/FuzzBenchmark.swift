import ArgumentParser
import Foundation
import Glibc
import InForce
import InForceHTML
import InForceOffice
import ZIPFoundation

/// `inforce-bench fuzz`: a mutation fuzzer for the page readers.
///
/// - `--target pages`: corpus pages (HTML and text) mutated at the byte level and at the tag
///   level, read by `PageLoader.read(_:name:)` and then `DocumentExtractor.extract`.
/// - `--target office`: .docx and .xlsx files generated here, mutated inside the zip (XML parts
///   edited — elements deleted, duplicated, swapped, nested deep, tags broken, attribute values
///   replaced by extreme ones, invalid UTF-8 — then re-zipped with correct CRCs) and at the byte
///   level of the zip itself, read by `DocumentFile.load(_:name:)` and then extracted.
///
/// The run is deterministic given `--seed` (SplitMix64, `SeededRandom`): `--seconds` only decides
/// where it stops, `--iterations` stops at an exact count. Before each iteration the input is
/// written to `<out>/current.<ext>` (and what made it to `<out>/current.info`), so after a trap
/// kills the process that file is the reproducer: `inforce-bench fuzz --target … --replay FILE`.
/// Thrown errors are expected and counted by kind. Inputs slower than `--slow` seconds, inputs
/// after which the peak RSS grew by more than `--memory-step` MB, and (from a watchdog thread)
/// inputs still running after `--hang` seconds or with RSS past `--memory-limit` MB are saved in `<out>`.
/// A hang or memory limit aborts the main thread (SIGABRT), so the Swift runtime prints where it was.
struct FuzzBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Mutation-fuzz the page readers (pages: PageLoader + DocumentExtractor; office: DocumentFile .docx/.xlsx + DocumentExtractor)."
    )

    enum Target: String, ExpressibleByArgument, CaseIterable { case pages, office }

    @Option(help: "What to fuzz: pages or office.")
    var target: Target = .pages

    @Option(help: "How long to run, in seconds.")
    var seconds: Double = 60

    @Option(help: "Stop after this many iterations (for an exact replay of a run).")
    var iterations: Int?

    @Option(help: "The PRNG seed: the same seed gives the same inputs in the same order.")
    var seed: UInt64 = 1

    @Option(help: "The corpus folder (its raw/ and govcn/ pages are the pages target's seeds).")
    var corpus: String = "../shared/corpus"

    @Option(help: "Where the current input, slow inputs and findings are written.")
    var out: String = "/tmp/inforce-fuzz"

    @Option(help: "An input taking longer than this many seconds is reported and saved as slow.")
    var slow: Double = 2

    @Option(help: "An input still running after this many seconds is a hang: saved, then the process aborts.")
    var hang: Double = 10

    @Option(help: "RSS in MB past which the watchdog saves the input and aborts.")
    var memoryLimit: Int = 4096

    @Option(help: "An input after which the peak RSS grew by more than this many MB is saved and reported.")
    var memoryStep: Int = 128

    @Option(help: "Run one saved input alone (no fuzzing) and print what happened.")
    var replay: String?

    @Flag(inversion: .prefixedNo, help: "Run each input in a forked child, so a crash is recorded and the run goes on (--no-isolate: in process; a crash ends the run and current.* is the reproducer).")
    var isolate = true

    @Option(help: "Seconds between progress lines.")
    var progress: Double = 30

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        if let replay {
            try Replay.run(path: replay, target: target)
            return
        }
        var fuzzer = try Fuzzer(options: self)
        fuzzer.loop()
    }
}

// MARK: - Randomness

/// SplitMix64 (`SeededRandom`) with the helpers mutators need.
struct FuzzRandom: RandomNumberGenerator {
    private var base: SeededRandom

    init(seed: UInt64) { base = SeededRandom(seed: seed) }

    mutating func next() -> UInt64 { base.next() }
    /// 0..<bound (bound ≥ 1).
    mutating func below(_ bound: Int) -> Int { base.next(max(1, bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    /// A length in 1...limit skewed towards small ones (a random power of two, then uniform below it).
    mutating func length(upTo limit: Int) -> Int {
        guard limit > 1 else { return 1 }
        let bits = Int.bitWidth - limit.leadingZeroBitCount
        return 1 + below(min(limit, 1 << below(bits + 1)))
    }
    /// A position in 0...count (for inserts).
    mutating func position(_ count: Int) -> Int { below(count + 1) }
}

// MARK: - Dictionaries

enum FuzzDictionary {
    static let interestingBytes: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x26, 0x27, 0x2F, 0x3C, 0x3D, 0x3E, 0x5B, 0x5D, 0x7F, 0x80, 0xA1, 0xBF, 0xC0, 0xC2, 0xE0, 0xE3, 0xED, 0xEF, 0xF0, 0xF4, 0xF8, 0xFE, 0xFF]

    static let invalidUTF8: [[UInt8]] = [
        [0x80], [0xBF], [0xFF], [0xFE], [0xC0, 0x80], [0xC1, 0xBF], [0xE3, 0x80], [0xE3], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE0, 0x80, 0x80], [0xEF, 0xBF, 0xBE],
        [0xA1, 0xA1], [0x81, 0x30, 0x81, 0x30], [0xA4, 0x40],
    ]

    /// Numbers and strings that break parsers: overflow edges, negative, huge, not numbers.
    static let interestingNumbers: [String] = [
        "0", "1", "-1", "2", "7", "8", "9", "10", "19", "20", "21", "63", "64", "65", "99", "100", "255", "256", "257", "999", "1000",
        "9999", "32767", "32768", "65535", "65536", "199999", "200000", "200001", "1048576", "9999999", "10000000", "10000001",
        "2147483647", "2147483648", "-2147483648", "4294967295", "4294967296", "9223372036854775806", "9223372036854775807",
        "-9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551616", "99999999999999999999999999",
        "1e9", "0x10", "+5", " 5", "5 ", "1.5", "-0", "００", "１２", "٣", "", " ", "NaN",
    ]

    static let interestingAttributeValues: [String] = interestingNumbers + [
        "restart", "continue", "true", "false", "on", "off", "preserve",
        "bullet", "none", "decimal", "chineseCounting", "chineseCountingThousand", "ideographTraditional", "decimalEnclosedCircle",
        "decimalEnclosedCircleChinese", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman",
        "%1", "%2", "%9", "%0", "%10", "%1.%2.%3", "%1%2%3%4%5%6%7%8%9", "%%", "%", "（%2）", "%1、", "第%1条",
        "A1", "Z1", "AA1", "ZZ1", "ZZZ1", "AAAA1", "XFD1048576", "A200000", "A200001", "A9999999", "A10000000", "ZZZ9999999",
        "A0", "1A", "A-1", "A1B2", "a1", "zzz9999999", "", "A1:A1", "A1:B2", "A1:ZZZ9999999", "A1:XFD1048576", "B2:A1", "A1:A200000",
        "A1:IV65536", "A1:A9999999", "ZZZ1:ZZZ9999999", "A1:", ":A1", "A1:B2:C3", "A1:ZZZ1",
        "s", "str", "inlineStr", "b", "e", "n", "d",
        "rId1", "rId2", "rId3", "rId999", "/xl/worksheets/sheet1.xml", "worksheets/sheet1.xml", "worksheets/sheet2.xml",
        "../../../../etc/passwd", "worksheets/../workbook.xml", "workbook.xml", "sharedStrings.xml", "http://example.com/x.xml",
        "/", "//", "xl/", "worksheets/", "sheet1.xml#frag", "Sheet1", "工作表1", "拟废止", "&amp;", "&#0;", "&#x10FFFF;", "&#xD800;",
        "&lt;", "&quot;", "&#65;", "&unknown;", "\"", "<", ">", "'",
    ]

    /// Text for pages and for the text inside Office parts: markup, document numbers, the words
    /// the extractor keys on, odd Unicode.
    static let pageTokens: [String] = [
        "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<meta charset=\"gbk\">", "<meta charset=utf-8>",
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">", "<meta charset=\"gb2312\">", "<meta charset=\"utf-16\">",
        "<div>", "</div>", "<p>", "</p>", "<br>", "<br/>", "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>",
        "<td rowspan=\"99999\">", "<td colspan=\"99999\">", "<td rowspan=\"-1\">", "<td colspan=\"2147483648\">", "<ul>", "<ol>", "<li>", "</li>",
        "<h1>", "</h1>", "<span>", "</span>", "<a href=\"附件1.xlsx\">", "<a href=\"x.docx\">", "</a>", "<a href=\"javascript:void(0)\">",
        "<script>", "</script>", "<style>", "</style>", "<!--", "-->", "<![CDATA[", "]]>", "<?xml version=\"1.0\"?>", "<!DOCTYPE html>",
        "&nbsp;", "&amp;", "&#12288;", "&#x3000;", "&#0;", "&#xD800;", "&#1114112;", "&#99999999999;", "&lt;", "&gt;", "&", "<", ">",
        "<title>", "</title>", "<pre>", "</pre>", "<textarea>", "<noscript>", "<iframe>", "<select><option>", "<b>", "<font>", "<center>",
        "<meta name=\"ArticleTitle\" content=\"", "<meta name=\"PubDate\" content=\"2020-01-01\">", "<img src=x alt=\"国发〔2015〕68号\">",
        "国发〔2015〕68号", "国办发〔2020〕1号", "浙政办发[2016]11号", "令第48号", "第17号令", "国务院令第588号", "省政府令第372号",
        "〔", "〕", "[", "]", "（", "）", "(", ")", "号", "號", "發", "國", "第", "条", "款", "《", "》", "〈", "〉", "《《《《", "》》》》",
        "废止", "失效", "继续有效", "宣布失效", "修改", "拟废止", "拟修改", "建议废止", "拟保留", "根据", "依据", "同时废止", "现予公布",
        "自", "起施行", "之日起施行", "年", "月", "日", "二〇一六年十一月三日", "2016年11月3日", "2016-11-03", "2016.11.3", "0年0月0日",
        "9999年99月99日", "有效期", "有效期至", "至", "止", "有效期5年", "一、", "二、", "（一）", "（二）", "1.", "①", "附件", "附件1：",
        "目录", "清理", "决定", "通知", "关于", "的通知", "人民政府", "办公厅", "国务院", "USHUI.NET®提示：", "【效力状态】", "【发文字号】",
        "【发布日期】", "状态：", "失效日期：", "原标题：", "序号", "文件名称", "文号", "清理结果", "继续有效270件", "共", "件", "经", "会议通过",
        "关于修改《", "》的决定", "对《", "》作如下修改", "列入", "未列入继续有效目录的", "不得作为", "第二次修正", "修正",
        "\u{3000}", "\u{FEFF}", "\u{200B}", "\u{00A0}", "\r\n", "\r", "\n\n\n", "\t", "|", " | ", "｜", "\u{0301}", "👍🏽", "\u{202E}",
        "國務院", "〇", "零一二三四五六七八九十百千万亿", "２０１６", "99999999999999999999", "一千二百三十四万五千六百七十八",
    ]

    /// Office parts' element names (without prefix), for renaming tags and adding elements.
    static let officeTags: [String] = [
        "document", "body", "p", "r", "t", "tbl", "tr", "tc", "tcPr", "vMerge", "gridSpan", "pPr", "numPr", "ilvl", "numId", "tab", "br", "cr",
        "abstractNum", "num", "abstractNumId", "lvl", "numFmt", "lvlText", "start", "sectPr", "rPr", "hyperlink",
        "worksheet", "sheetData", "row", "c", "v", "is", "si", "rPh", "sst", "mergeCells", "mergeCell", "sheets", "sheet", "workbook",
        "Relationships", "Relationship", "f",
    ]

    static let officeAttributes: [String] = [
        "w:val", "w:ilvl", "w:abstractNumId", "w:numId", "r", "t", "ref", "r:id", "name", "sheetId", "Id", "Target", "Type", "xml:space",
        "count", "s", "val", "id",
    ]
}

// MARK: - Byte mutations

/// Byte-level mutations, on pages and on zips and their parts.
enum ByteMutator {
    static let operations = [
        "flipBit", "setByte", "randomBytes", "insertToken", "deleteRange", "duplicateRange", "repeatRange", "truncate", "splice",
        "insertSplice", "invalidUTF8", "breakMultibyte", "replaceDigits", "deepNesting", "swapRanges", "transcode", "bom", "caseFlip",
        "lineEndings", "whitespaceFlood", "hugeToken",
    ]

    /// Applies one named operation; `other` gives a second input for splices. Returns the name.
    @discardableResult
    static func mutate(_ bytes: inout [UInt8], _ random: inout FuzzRandom, other: () -> [UInt8], tokens: [String], maxSize: Int, allowTranscode: Bool) -> String {
        var operation = random.pick(operations)
        if operation == "transcode" && !allowTranscode { operation = "insertToken" }
        if bytes.isEmpty && !["randomBytes", "insertToken", "splice", "insertSplice", "invalidUTF8", "bom", "hugeToken", "deepNesting"].contains(operation) {
            operation = "insertToken"
        }
        let count = bytes.count
        switch operation {
        case "flipBit":
            let i = random.below(count)
            bytes[i] ^= UInt8(1 << random.below(8))
        case "setByte":
            bytes[random.below(count)] = random.chance(50) ? random.pick(FuzzDictionary.interestingBytes) : UInt8(truncatingIfNeeded: random.next())
        case "randomBytes":
            let n = random.length(upTo: 32)
            bytes.insert(contentsOf: (0..<n).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: random.position(count))
        case "insertToken":
            bytes.insert(contentsOf: Array(random.pick(tokens).utf8), at: random.position(count))
        case "deleteRange":
            let n = random.chance(10) ? random.length(upTo: count) : random.length(upTo: min(count, 256))
            let at = random.below(count - n + 1)
            bytes.removeSubrange(at..<(at + n))
        case "duplicateRange":
            let n = random.length(upTo: min(count, 4096))
            let from = random.below(count - n + 1)
            bytes.insert(contentsOf: Array(bytes[from..<(from + n)]), at: random.position(count))
        case "repeatRange":
            let n = random.length(upTo: min(count, 512))
            let from = random.below(count - n + 1)
            let times = random.length(upTo: max(1, min(100_000, (maxSize - count) / max(1, n))))
            let chunk = Array(bytes[from..<(from + n)])
            var block: [UInt8] = []
            block.reserveCapacity(n * times)
            for _ in 0..<times { block += chunk }
            bytes.insert(contentsOf: block, at: from)
        case "truncate":
            bytes = Array(bytes.prefix(random.below(count)))
        case "splice":
            let second = other()
            bytes = Array(bytes.prefix(random.position(count))) + Array(second.suffix(random.position(second.count)))
        case "insertSplice":
            let second = other()
            if !second.isEmpty {
                let n = random.length(upTo: min(second.count, 8192))
                let from = random.below(second.count - n + 1)
                bytes.insert(contentsOf: second[from..<(from + n)], at: random.position(count))
            }
        case "invalidUTF8":
            for _ in 0..<random.length(upTo: 8) {
                bytes.insert(contentsOf: random.pick(FuzzDictionary.invalidUTF8), at: random.position(bytes.count))
            }
        case "breakMultibyte":
            // Remove or damage one byte of a multibyte character near a random place.
            var i = random.below(count)
            var steps = 0
            while i < count, bytes[i] < 0x80, steps < 4096 { i += 1; steps += 1 }
            if i < count {
                if random.chance(50) { bytes.remove(at: i) } else { bytes[i] = random.pick([0x80, 0xC0, 0xFF, 0x20, 0x3C]) }
            }
        case "replaceDigits":
            var i = random.below(count)
            var steps = 0
            while i < count, !(0x30...0x39).contains(bytes[i]), steps < 8192 { i += 1; steps += 1 }
            if i < count {
                var end = i
                while end < count, (0x30...0x39).contains(bytes[end]) { end += 1 }
                let replacement = random.chance(80) ? random.pick(FuzzDictionary.interestingNumbers) : String(repeating: random.pick(["9", "0", "1", "九", "〇"]), count: random.length(upTo: 5000))
                bytes.replaceSubrange(i..<end, with: Array(replacement.utf8))
            }
        case "deepNesting":
            let token = random.pick(["<div>", "<table><tr><td>", "<ul><li>", "<p>", "<span>", "<font>", "<b><i>", "<td>", "<tr>", "<li>", "<a href=x>", "《", "（", "<!--", "<![CDATA[", "<ol>", "<blockquote>", "<x:y>", "<div/>"])
            let depth = random.pick([100, 300, 1000, 5000, 30000, 200000])
            let block = Array(String(repeating: token, count: min(depth, max(1, (maxSize - count) / token.utf8.count))).utf8)
            bytes.insert(contentsOf: block, at: random.position(count))
        case "swapRanges":
            if count >= 2 {
                let n = random.length(upTo: max(1, min(count / 2, 2048)))
                let a = random.below(count - 2 * n + 1)
                let b = a + n + random.below(count - a - 2 * n + 1)
                let first = Array(bytes[a..<(a + n)]), second = Array(bytes[b..<(b + n)])
                bytes.replaceSubrange(b..<(b + n), with: first)
                bytes.replaceSubrange(a..<(a + n), with: second)
            }
        case "transcode":
            let encoding = random.pick(["GB18030", "GBK", "BIG5", "BIG5-HKSCS", "UTF-16LE", "UTF-16BE", "ISO-8859-1"])
            if let converted = transcode(bytes, to: encoding) { bytes = converted }
            if random.chance(50) {
                let charset = random.pick(["gbk", "gb2312", "big5", "utf-8", "gb18030", "cp936", "x-gbk", "koi8-r"])
                bytes.insert(contentsOf: Array("<meta charset=\"\(charset)\">".utf8), at: 0)
            }
        case "bom":
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                bytes.removeFirst(3)
            } else {
                bytes.insert(contentsOf: random.pick([[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF], [0x84, 0x31, 0x95, 0x33]]), at: 0)
            }
        case "caseFlip":
            let n = random.length(upTo: min(count, 4096))
            let from = random.below(count - n + 1)
            let upper = random.chance(50)
            for i in from..<(from + n) {
                if upper, (0x61...0x7A).contains(bytes[i]) { bytes[i] -= 0x20 } else if !upper, (0x41...0x5A).contains(bytes[i]) { bytes[i] += 0x20 }
            }
        case "lineEndings":
            let replacement: [UInt8] = random.pick([[0x0D, 0x0A], [0x0D], [0x0A, 0x0A], [0xE2, 0x80, 0xA8], [0x0C], [0x0B]])
            var result: [UInt8] = []
            result.reserveCapacity(count + count / 8)
            for byte in bytes { if byte == 0x0A { result += replacement } else { result.append(byte) } }
            bytes = result
        case "whitespaceFlood":
            let unit: [UInt8] = random.pick([[0x0A], [0x20], [0xE3, 0x80, 0x80], [0x09], [0x0D, 0x0A], [0xC2, 0xA0], [0x7C], [0xE3, 0x80, 0x82]])
            let times = random.pick([1000, 10_000, 100_000, 1_000_000]) / unit.count
            let block = Array([[UInt8]](repeating: unit, count: min(times, max(1, (maxSize - count) / unit.count))).joined())
            bytes.insert(contentsOf: block, at: random.position(count))
        case "hugeToken":
            let token = Array(random.pick(tokens).utf8)
            let times = random.pick([100, 1000, 10_000, 50_000])
            let block = Array([[UInt8]](repeating: token, count: min(times, max(1, (maxSize - count) / max(1, token.count)))).joined())
            bytes.insert(contentsOf: block, at: random.position(count))
        default:
            break
        }
        if bytes.count > maxSize { bytes.removeLast(bytes.count - maxSize) }
        return operation
    }

    /// UTF-8 bytes converted with iconv (characters it cannot write are dropped); nil when iconv cannot.
    static func transcode(_ bytes: [UInt8], to encoding: String) -> [UInt8]? {
        guard let descriptor = iconv_open(encoding + "//IGNORE", "UTF-8"), Int(bitPattern: descriptor) != -1 else { return nil }
        defer { iconv_close(descriptor) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 16)
        let produced: Int = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress
                var outPointer = outBuffer.baseAddress
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                while inLeft > 0 {
                    if iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft) == -1 {
                        // //IGNORE skips what it cannot convert but still reports EILSEQ; skip a byte of bad input and go on.
                        if errno == E2BIG || inLeft == 0 { break }
                        inPointer = inPointer.map { $0 + 1 }
                        inLeft -= 1
                    }
                }
                return outBuffer.count - outLeft
            }
        }
        return output.prefix(produced).map { UInt8(bitPattern: $0) }
    }
}

// MARK: - XML structure mutations

/// Markup as a flat list of tokens (tags and the text between them), edited as elements:
/// enough structure to delete, duplicate, swap and nest elements and to reach attribute values,
/// without a parser that would refuse the broken markup the mutations make.
struct MarkupTokens {
    enum Kind: Equatable { case start, end, empty, other, text }

    struct Token {
        var bytes: [UInt8]
        var kind: Kind
    }

    var tokens: [Token]

    init(_ bytes: [UInt8]) {
        tokens = []
        var i = 0
        var textStart = 0
        let count = bytes.count
        while i < count {
            if bytes[i] == 0x3C {
                var j = i + 1
                var quote: UInt8 = 0
                while j < count {
                    let byte = bytes[j]
                    if quote != 0 { if byte == quote { quote = 0 } } else if byte == 0x22 || byte == 0x27 { quote = byte } else if byte == 0x3E { break }
                    j += 1
                }
                if j >= count { break }
                if textStart < i { tokens.append(Token(bytes: Array(bytes[textStart..<i]), kind: .text)) }
                let tag = Array(bytes[i...j])
                let kind: Kind
                if tag.count > 1, tag[1] == 0x2F { kind = .end } else if tag.count > 1, tag[1] == 0x3F || tag[1] == 0x21 { kind = .other } else if tag.count > 2, tag[tag.count - 2] == 0x2F { kind = .empty } else { kind = .start }
                tokens.append(Token(bytes: tag, kind: kind))
                i = j + 1
                textStart = i
            } else {
                i += 1
            }
        }
        if textStart < count { tokens.append(Token(bytes: Array(bytes[textStart..<count]), kind: .text)) }
    }

    var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(tokens.reduce(0) { $0 + $1.bytes.count })
        for token in tokens { result += token.bytes }
        return result
    }

    /// The token range of the element starting at `index` (a start or empty tag), nil when it never closes.
    func element(at index: Int) -> Range<Int>? {
        switch tokens[index].kind {
        case .empty: return index..<(index + 1)
        case .start:
            var depth = 1
            var j = index + 1
            while j < tokens.count {
                switch tokens[j].kind {
                case .start: depth += 1
                case .end: depth -= 1
                default: break
                }
                if depth == 0 { return index..<(j + 1) }
                j += 1
            }
            return nil
        default: return nil
        }
    }

    func indices(of kinds: Set<Kind>) -> [Int] { tokens.indices.filter { kinds.contains(tokens[$0].kind) } }

    /// A random element (start or empty tag and what it holds up to its end tag).
    func randomElement(_ random: inout FuzzRandom) -> Range<Int>? {
        let starts = indices(of: [.start, .empty])
        guard !starts.isEmpty else { return nil }
        for _ in 0..<4 {
            if let range = element(at: random.pick(starts)) { return range }
        }
        return nil
    }

    /// The qualified name of a tag (w:p), from its bytes.
    static func name(of tag: [UInt8]) -> [UInt8] {
        var i = 1
        if i < tag.count, tag[i] == 0x2F { i += 1 }
        var name: [UInt8] = []
        while i < tag.count, ![0x20, 0x09, 0x0A, 0x0D, 0x2F, 0x3E].contains(tag[i]) { name.append(tag[i]); i += 1 }
        return name
    }

    /// Byte ranges of attribute values (inside the quotes) in a tag.
    static func attributeValues(of tag: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = 0
        while i < tag.count {
            if tag[i] == 0x3D, i + 1 < tag.count, tag[i + 1] == 0x22 || tag[i + 1] == 0x27 {
                let quote = tag[i + 1]
                var j = i + 2
                while j < tag.count, tag[j] != quote { j += 1 }
                ranges.append((i + 2)..<j)
                i = j
            }
            i += 1
        }
        return ranges
    }
}

enum StructureMutator {
    static let operations = [
        "deleteElement", "duplicateElement", "swapElements", "moveElement", "repeatElement", "wrapDeep", "breakTag", "attributeValue",
        "attributeValue", "attributeValue", "hugeAttribute", "addAttribute", "textInsert", "textInsert", "hugeText", "renameTag",
        "insertElement", "prolog", "namespace", "invalidUTF8Text", "unclosed", "bytes",
    ]

    static func mutate(_ part: inout [UInt8], _ random: inout FuzzRandom, other: () -> [UInt8], maxSize: Int) -> String {
        var markup = MarkupTokens(part)
        let operation = random.pick(operations)
        if operation == "bytes" || markup.tokens.isEmpty {
            let name = ByteMutator.mutate(&part, &random, other: other, tokens: FuzzDictionary.pageTokens + FuzzDictionary.interestingAttributeValues, maxSize: maxSize, allowTranscode: true)
            return "bytes." + name
        }
        let size = part.count
        switch operation {
        case "deleteElement":
            if let range = markup.randomElement(&random) { markup.tokens.removeSubrange(range) }
        case "duplicateElement":
            if let range = markup.randomElement(&random) { markup.tokens.insert(contentsOf: Array(markup.tokens[range]), at: random.chance(50) ? range.upperBound : random.position(markup.tokens.count)) }
        case "swapElements":
            if let a = markup.randomElement(&random), let b = markup.randomElement(&random), a.upperBound <= b.lowerBound || b.upperBound <= a.lowerBound {
                let (first, second) = a.lowerBound < b.lowerBound ? (a, b) : (b, a)
                let firstTokens = Array(markup.tokens[first]), secondTokens = Array(markup.tokens[second])
                markup.tokens.replaceSubrange(second, with: firstTokens)
                markup.tokens.replaceSubrange(first, with: secondTokens)
            }
        case "moveElement":
            if let range = markup.randomElement(&random) {
                let moved = Array(markup.tokens[range])
                markup.tokens.removeSubrange(range)
                markup.tokens.insert(contentsOf: moved, at: random.position(markup.tokens.count))
            }
        case "repeatElement":
            if let range = markup.randomElement(&random) {
                let element = Array(markup.tokens[range])
                let elementSize = max(1, element.reduce(0) { $0 + $1.bytes.count })
                let times = min(random.pick([10, 100, 1000, 10_000, 100_000]), max(1, (maxSize - size) / elementSize))
                var block: [MarkupTokens.Token] = []
                block.reserveCapacity(element.count * times)
                for _ in 0..<times { block += element }
                markup.tokens.insert(contentsOf: block, at: range.upperBound)
            }
        case "wrapDeep":
            // An element inside thousands of copies of its own tag, or of a table cell, or a run.
            if let range = markup.randomElement(&random) {
                let tag = markup.tokens[range.lowerBound].bytes
                let name = MarkupTokens.name(of: tag)
                let prefix = name.firstIndex(of: 0x3A).map { String(decoding: name[...$0], as: UTF8.self) } ?? ""
                let wrappers: [(String, String)] = [
                    ("<\(prefix)tbl><\(prefix)tr><\(prefix)tc>", "</\(prefix)tc></\(prefix)tr></\(prefix)tbl>"),
                    ("<\(prefix)p>", "</\(prefix)p>"), ("<\(prefix)r>", "</\(prefix)r>"), ("<\(prefix)t>", "</\(prefix)t>"),
                    ("<\(prefix)sheetData>", "</\(prefix)sheetData>"), ("<\(prefix)row>", "</\(prefix)row>"), ("<\(prefix)si>", "</\(prefix)si>"),
                    ("<x>", "</x>"),
                ]
                let (open, close): (String, String)
                if random.chance(40), tokenKind(tag) == .start {
                    open = String(decoding: tag, as: UTF8.self)
                    close = "</" + String(decoding: name, as: UTF8.self) + ">"
                } else {
                    (open, close) = random.pick(wrappers)
                }
                let depth = min(random.pick([50, 300, 3000, 30_000, 200_000]), max(1, (maxSize - size) / (open.utf8.count + close.utf8.count)))
                let closes = random.chance(90)
                markup.tokens.insert(MarkupTokens.Token(bytes: closes ? Array(String(repeating: close, count: depth).utf8) : [], kind: .other), at: range.upperBound)
                markup.tokens.insert(MarkupTokens.Token(bytes: Array(String(repeating: open, count: depth).utf8), kind: .other), at: range.lowerBound)
            }
        case "breakTag":
            let tags = markup.indices(of: [.start, .end, .empty, .other])
            if !tags.isEmpty {
                let index = random.pick(tags)
                var tag = markup.tokens[index].bytes
                switch random.below(6) {
                case 0: tag.removeLast()  // no >
                case 1: tag.removeFirst()  // no <
                case 2: tag = Array(tag.prefix(random.below(tag.count)))
                case 3: tag = []  // an end or start tag gone
                case 4: tag.insert(contentsOf: Array(random.pick(["<", ">", "\"", "'", "=", "/", "&", "<<", "</>", " x=", "\u{0}"]).utf8), at: random.position(tag.count))
                default: tag = Array("</\(String(decoding: MarkupTokens.name(of: tag), as: UTF8.self))x>".utf8)  // misnested end
                }
                markup.tokens[index].bytes = tag
            }
        case "attributeValue", "hugeAttribute":
            let tags = markup.indices(of: [.start, .empty]).filter { !MarkupTokens.attributeValues(of: markup.tokens[$0].bytes).isEmpty }
            if !tags.isEmpty {
                let index = random.pick(tags)
                var tag = markup.tokens[index].bytes
                let values = MarkupTokens.attributeValues(of: tag)
                let range = random.pick(values)
                let value: [UInt8]
                if operation == "hugeAttribute" {
                    let unit = random.pick(["A", "9", "国", "%1", "A1:", "&amp;", " ", "Z"])
                    value = Array(String(repeating: unit, count: min(random.pick([1000, 65_536, 1_000_000, 4_000_000]), max(1, (maxSize - size) / unit.utf8.count))).utf8)
                } else if random.chance(10) {
                    value = random.pick(FuzzDictionary.invalidUTF8)
                } else {
                    value = Array(random.pick(FuzzDictionary.interestingAttributeValues).utf8)
                }
                tag.replaceSubrange(range, with: value)
                markup.tokens[index].bytes = tag
            }
        case "addAttribute":
            let tags = markup.indices(of: [.start, .empty])
            if !tags.isEmpty {
                let index = random.pick(tags)
                var tag = markup.tokens[index].bytes
                let attribute = " \(random.pick(FuzzDictionary.officeAttributes))=\"\(random.pick(FuzzDictionary.interestingAttributeValues))\""
                let at = tag.count - (markup.tokens[index].kind == .empty ? 2 : 1)
                tag.insert(contentsOf: Array(attribute.utf8), at: max(0, at))
                markup.tokens[index].bytes = tag
            }
        case "textInsert", "invalidUTF8Text", "hugeText":
            let texts = markup.indices(of: [.text])
            let index = texts.isEmpty ? random.below(markup.tokens.count) : random.pick(texts)
            var text = markup.tokens[index].kind == .text ? markup.tokens[index].bytes : []
            let insert: [UInt8]
            switch operation {
            case "invalidUTF8Text": insert = random.pick(FuzzDictionary.invalidUTF8)
            case "hugeText":
                let unit = random.pick(FuzzDictionary.pageTokens.filter { !$0.contains("<") && !$0.contains("&") })
                insert = Array(String(repeating: unit, count: min(random.pick([1000, 20_000, 200_000]), max(1, (maxSize - size) / max(1, unit.utf8.count)))).utf8)
            default:
                let token = random.pick(FuzzDictionary.pageTokens)
                insert = Array((random.chance(70) ? escape(token) : token).utf8)
            }
            text.insert(contentsOf: insert, at: random.position(text.count))
            if markup.tokens[index].kind == .text { markup.tokens[index].bytes = text } else { markup.tokens.insert(MarkupTokens.Token(bytes: text, kind: .text), at: index) }
        case "renameTag":
            let tags = markup.indices(of: [.start, .end, .empty])
            if !tags.isEmpty {
                let index = random.pick(tags)
                let tag = markup.tokens[index].bytes
                let name = MarkupTokens.name(of: tag)
                let prefix = name.firstIndex(of: 0x3A).map { Array(name[...$0]) } ?? []
                let newName = random.chance(80) ? prefix + Array(random.pick(FuzzDictionary.officeTags).utf8) : Array(random.pick(["", "1", "-", "w:", ":p", "x:p", "P", "国"]).utf8)
                let start = tag.count > 1 && tag[1] == 0x2F ? 2 : 1
                var renamed = tag
                renamed.replaceSubrange(start..<(start + name.count), with: newName)
                markup.tokens[index].bytes = renamed
            }
        case "insertElement":
            let tagName = random.pick(FuzzDictionary.officeTags)
            let prefix = markup.tokens.first(where: { $0.kind == .start && MarkupTokens.name(of: $0.bytes).contains(0x3A) }).map { Array(MarkupTokens.name(of: $0.bytes).prefix { $0 != 0x3A }) + [0x3A] } ?? []
            let name = String(decoding: prefix, as: UTF8.self) + tagName
            let attribute = random.chance(60) ? " \(random.pick(FuzzDictionary.officeAttributes))=\"\(random.pick(FuzzDictionary.interestingAttributeValues))\"" : ""
            let element = random.chance(50) ? "<\(name)\(attribute)/>" : "<\(name)\(attribute)>\(escape(random.pick(FuzzDictionary.pageTokens)))</\(name)>"
            markup.tokens.insert(MarkupTokens.Token(bytes: Array(element.utf8), kind: .other), at: random.position(markup.tokens.count))
        case "prolog":
            let prologs = [
                "<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "<?xml version=\"1.0\" encoding=\"GB18030\"?>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
                "<?xml version=\"1.1\"?>", "<?xml version=\"2.0\"?>", "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">]>", "<!DOCTYPE x SYSTEM \"file:///etc/passwd\">",
                "<!ENTITY x SYSTEM \"http://example.com/\">", "<!-- comment -->", "<?pi data?>", "\u{FEFF}", "   \n", "<!doctype x>", "<?xml?>",
                "<![CDATA[x]]>",
            ]
            let text = Array(random.pick(prologs).utf8)
            if random.chance(50), markup.tokens.first?.kind == .other, String(decoding: markup.tokens[0].bytes.prefix(5), as: UTF8.self) == "<?xml" {
                markup.tokens[0].bytes = text
            } else {
                markup.tokens.insert(MarkupTokens.Token(bytes: text, kind: .other), at: random.chance(70) ? 0 : random.position(markup.tokens.count))
            }
        case "namespace":
            // Drop or rebind namespace declarations and prefixes.
            let tags = markup.indices(of: [.start, .empty, .end])
            if let first = tags.first {
                switch random.below(3) {
                case 0:
                    var tag = markup.tokens[first].bytes
                    if let range = find(Array("xmlns".utf8), in: tag) { tag.replaceSubrange(range, with: Array("xmlnz".utf8)) }
                    markup.tokens[first].bytes = tag
                case 1:
                    for index in tags { markup.tokens[index].bytes = replaceAll(Array("w:".utf8), with: Array(random.pick(["", "x:", "w:w:", ":"]).utf8), in: markup.tokens[index].bytes) }
                default:
                    var tag = markup.tokens[first].bytes
                    tag.insert(contentsOf: Array(" xmlns:w=\"urn:other\" xmlns=\"\"".utf8), at: max(0, tag.count - 1))
                    markup.tokens[first].bytes = tag
                }
            }
        case "unclosed":
            // Cut the part off after a random token (a download cut short, inside the zip).
            markup.tokens = Array(markup.tokens.prefix(random.below(markup.tokens.count)))
        default:
            break
        }
        part = markup.bytes
        if part.count > maxSize { part.removeLast(part.count - maxSize) }
        return operation
    }

    static func tokenKind(_ tag: [UInt8]) -> MarkupTokens.Kind { MarkupTokens([UInt8](tag)).tokens.first?.kind ?? .text }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) { return i..<(i + needle.count) }
        return nil
    }

    static func replaceAll(_ needle: [UInt8], with replacement: [UInt8], in haystack: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var i = 0
        while i < haystack.count {
            if i + needle.count <= haystack.count, haystack[i..<(i + needle.count)].elementsEqual(needle) {
                result += replacement
                i += needle.count
            } else {
                result.append(haystack[i])
                i += 1
            }
        }
        return result
    }
}

// MARK: - Office inputs

/// An Office file as its parts, before zipping.
struct OfficeInput {
    enum Kind: String { case docx, xlsx }
    struct Part {
        var path: String
        var bytes: [UInt8]
        var stored = false
    }

    var kind: Kind
    var parts: [Part]

    var size: Int { parts.reduce(0) { $0 + $1.bytes.count } }

    /// The zip, deflated (or stored, part by part), with a fixed timestamp so the bytes depend only on the parts.
    func zipped() -> [UInt8] {
        guard let archive = try? Archive(data: Data(), accessMode: .create, pathEncoding: nil) else { return [] }
        let date = Date(timeIntervalSince1970: 1_600_000_000)
        for part in parts {
            let data = Data(part.bytes)
            try? archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date, compressionMethod: part.stored ? .none : .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return archive.data.map { [UInt8]($0) } ?? []
    }
}

enum OfficeSeeds {
    static let w = #"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#
    static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#

    static func escape(_ text: String) -> String { StructureMutator.escape(text) }

    static func contentTypes(_ kind: OfficeInput.Kind, sheets: Int = 1) -> String {
        var overrides = ""
        if kind == .docx {
            overrides = #"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>"#
        } else {
            overrides = #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
            for n in 1...max(1, sheets) { overrides += #"<Override PartName="/xl/worksheets/sheet\#(n).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"# }
            overrides += #"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#
        }
        return header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"# + overrides + "</Types>"
    }

    static func rootRels(_ kind: OfficeInput.Kind) -> String {
        let target = kind == .docx ? "word/document.xml" : "xl/workbook.xml"
        return header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="\#(target)"/></Relationships>"#
    }

    static let numbering = header + """
        <w:numbering \(w)>\
        <w:abstractNum w:abstractNumId="0">\
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>\
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>\
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>\
        <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%4"/></w:lvl>\
        <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2.%3.%4.%5)"/></w:lvl>\
        <w:lvl w:ilvl="5"><w:start w:val="3"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>\
        </w:abstractNum>\
        <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="第%1条"/></w:lvl></w:abstractNum>\
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>\
        </w:numbering>
        """

    static func paragraph(_ text: String, numbering: (id: Int, level: Int)? = nil) -> String {
        let properties = numbering.map { #"<w:pPr><w:numPr><w:ilvl w:val="\#($0.level)"/><w:numId w:val="\#($0.id)"/></w:numPr></w:pPr>"# } ?? ""
        return #"<w:p>\#(properties)<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">\#(escape(text))</w:t></w:r></w:p>"#
    }

    static func table(_ rows: [[String]]) -> String {
        var body = "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>"
        for row in rows {
            body += "<w:tr>"
            for cell in row {
                if cell == "^" {
                    body += #"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"#
                } else if cell.hasPrefix("<") {
                    body += #"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>\#(paragraph(String(cell.dropFirst())))</w:tc>"#
                } else if cell.hasPrefix("=") {
                    body += #"<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>\#(paragraph(String(cell.dropFirst())))</w:tc>"#
                } else {
                    body += "<w:tc>\(paragraph(cell))</w:tc>"
                }
            }
            body += "</w:tr>"
        }
        return body + "</w:tbl>"
    }

    static func docx(_ body: String, numbering withNumbering: Bool = true) -> OfficeInput {
        let document = header + "<w:document \(w)><w:body>\(body)<w:sectPr/></w:body></w:document>"
        var parts: [OfficeInput.Part] = [
            .init(path: "[Content_Types].xml", bytes: Array(contentTypes(.docx).utf8)),
            .init(path: "_rels/.rels", bytes: Array(rootRels(.docx).utf8)),
            .init(path: "word/document.xml", bytes: Array(document.utf8)),
        ]
        if withNumbering {
            parts.append(.init(path: "word/numbering.xml", bytes: Array(numbering.utf8)))
            parts.append(.init(path: "word/_rels/document.xml.rels", bytes: Array((header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#).utf8)))
        }
        return OfficeInput(kind: .docx, parts: parts)
    }

    struct Sheet {
        var name: String
        var rows: [[String]]
        var merges: [String] = []
        var target: String?
        /// Cells with r= references (else positions only).
        var references = true
        var inline = false
    }

    static func xlsx(_ sheets: [Sheet]) -> OfficeInput {
        var strings: [String] = []
        var index: [String: Int] = [:]
        func shared(_ text: String) -> Int {
            if let known = index[text] { return known }
            strings.append(text)
            index[text] = strings.count - 1
            return strings.count - 1
        }
        var parts: [OfficeInput.Part] = [
            .init(path: "[Content_Types].xml", bytes: Array(contentTypes(.xlsx, sheets: sheets.count).utf8)),
            .init(path: "_rels/.rels", bytes: Array(rootRels(.xlsx).utf8)),
        ]
        var list = ""
        var relationships = ""
        for (number, sheet) in sheets.enumerated() {
            var xml = header + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:D\#(sheet.rows.count)"/><sheetData>"#
            for (r, row) in sheet.rows.enumerated() {
                xml += sheet.references ? #"<row r="\#(r + 1)" spans="1:\#(row.count)">"# : "<row>"
                for (c, value) in row.enumerated() {
                    let reference = sheet.references ? #" r="\#(column(c))\#(r + 1)""# : ""
                    if value.isEmpty {
                        xml += "<c\(reference)/>"
                    } else if value == "TRUE" || value == "FALSE" {
                        xml += #"<c\#(reference) t="b"><v>\#(value == "TRUE" ? 1 : 0)</v></c>"#
                    } else if value.allSatisfy(\.isASCII), Int(value) != nil {
                        xml += #"<c\#(reference)><v>\#(value)</v></c>"#
                    } else if sheet.inline {
                        xml += #"<c\#(reference) t="inlineStr"><is><t>\#(escape(value))</t></is></c>"#
                    } else {
                        xml += #"<c\#(reference) t="s"><v>\#(shared(value))</v></c>"#
                    }
                }
                xml += "</row>"
            }
            xml += "</sheetData>"
            if !sheet.merges.isEmpty {
                xml += #"<mergeCells count="\#(sheet.merges.count)">"# + sheet.merges.map { #"<mergeCell ref="\#($0)"/>"# }.joined() + "</mergeCells>"
            }
            xml += "</worksheet>"
            let path = "xl/worksheets/sheet\(number + 1).xml"
            parts.append(.init(path: path, bytes: Array(xml.utf8)))
            list += #"<sheet name="\#(escape(sheet.name))" sheetId="\#(number + 1)" r:id="rId\#(number + 1)"/>"#
            relationships += #"<Relationship Id="rId\#(number + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="\#(sheet.target ?? "worksheets/sheet\(number + 1).xml")"/>"#
        }
        relationships += #"<Relationship Id="rId\#(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
        parts.append(.init(path: "xl/workbook.xml", bytes: Array((header + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\#(list)</sheets></workbook>"#).utf8)))
        parts.append(.init(path: "xl/_rels/workbook.xml.rels", bytes: Array((header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#(relationships)</Relationships>"#).utf8)))
        // Shared strings: plain, and every third as rich text with a phonetic run.
        var sst = header + #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\#(strings.count)" uniqueCount="\#(strings.count)">"#
        for (n, text) in strings.enumerated() {
            if n % 3 == 2, text.count > 2 {
                let split = text.index(text.startIndex, offsetBy: text.count / 2)
                sst += #"<si><r><rPr><b/></rPr><t>\#(escape(String(text[..<split])))</t></r><r><t xml:space="preserve">\#(escape(String(text[split...])))</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>"#
            } else {
                sst += "<si><t>\(escape(text))</t></si>"
            }
        }
        parts.append(.init(path: "xl/sharedStrings.xml", bytes: Array((sst + "</sst>").utf8)))
        return OfficeInput(kind: .xlsx, parts: parts)
    }

    static func column(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(Character(Unicode.Scalar(UInt8(65 + remainder)))) + name
            index = (index - 1) / 26
        }
        return name
    }

    static let listRows: [[String]] = [
        ["序号", "文件名称", "文号", "清理结果"],
        ["1", "关于加强安全生产工作的通知", "浙政发〔2010〕12号", "继续有效"],
        ["2", "关于印发某市城市管理办法的通知", "浙政办发〔2012〕3号", "废止"],
        ["3", "某市人民政府关于修改部分规章的决定", "市政府令第48号", "宣布失效"],
        ["4", "关于调整最低工资标准的通知", "杭政函〔2015〕88号", "修改"],
        ["5", "关于进一步做好农民工工作的意见", "国发〔2006〕5号", "拟废止"],
        ["6", "關於印發管理辦法的通知", "府辦發[2016]11號", "继续有效"],
        ["7", "关于开展清理工作的通知", "", "TRUE"],
    ]

    /// The seeds: Word documents and workbooks of several shapes, some holding corpus text.
    static func all(corpusLines: [[String]]) -> [OfficeInput] {
        var seeds: [OfficeInput] = []
        // 1. A cleanup notice as numbered paragraphs, then its list as a table with merges.
        var body = paragraph("某市人民政府关于公布规范性文件清理结果的通知") + paragraph("某政发〔2021〕7号")
        body += paragraph("根据《中华人民共和国立法法》和《国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见》（国办发〔2018〕115号），现将清理结果公布如下：")
        body += paragraph("继续有效的文件", numbering: (1, 0)) + paragraph("关于加强安全生产工作的通知（浙政发〔2010〕12号）", numbering: (1, 1))
        body += paragraph("关于调整最低工资标准的通知（杭政函〔2015〕88号）", numbering: (1, 1)) + paragraph("废止的文件", numbering: (1, 0))
        body += paragraph("关于印发某市城市管理办法的通知（浙政办发〔2012〕3号）", numbering: (1, 1)) + paragraph("细则", numbering: (1, 2)) + paragraph("条目", numbering: (1, 3))
        body += paragraph("深层", numbering: (1, 4)) + paragraph("圆点", numbering: (1, 5)) + paragraph("本通知自印发之日起施行。", numbering: (2, 0))
        body += table([["序号", "文件名称", "文号", "清理结果"], ["1", "关于加强安全生产工作的通知", "浙政发〔2010〕12号", "<继续有效"], ["2", "关于印发某市城市管理办法的通知", "浙政办发〔2012〕3号", "^"], ["=合计2件", "", "继续有效2件"]])
        body += paragraph("某市人民政府") + paragraph("2021年3月4日")
        seeds.append(docx(body))
        // 2. A table with a table inside a cell, tabs and breaks.
        let inner = table([["内", "表"], ["国发〔2015〕68号", "废止"]])
        let cellWithTable = #"<w:tc><w:p><w:r><w:t>外</w:t><w:tab/><w:t>格</w:t><w:br/><w:t>换行</w:t></w:r></w:p>\#(inner)<w:p/></w:tc>"#
        seeds.append(docx("<w:tbl><w:tr>\(cellWithTable)<w:tc>\(paragraph("国务院令第588号"))</w:tc></w:tr></w:tbl>" + paragraph("附件：文件目录")))
        // 3. Corpus text as paragraphs (and no numbering part).
        for lines in corpusLines.prefix(3) {
            seeds.append(docx(lines.map { paragraph($0) }.joined(), numbering: lines.count % 2 == 0))
        }
        // 4. The smallest document.
        seeds.append(OfficeInput(kind: .docx, parts: [.init(path: "word/document.xml", bytes: Array((header + "<w:document \(w)><w:body><w:p><w:r><w:t>国发〔2015〕68号</w:t></w:r></w:p></w:body></w:document>").utf8))]))
        // Workbooks.
        seeds.append(xlsx([Sheet(name: "Sheet1", rows: listRows, merges: ["D2:D3", "A7:B8"])]))
        seeds.append(xlsx([
            Sheet(name: "拟废止", rows: Array(listRows.prefix(4)), merges: ["C2:C4"], target: "/xl/worksheets/sheet1.xml"),
            Sheet(name: "继续有效目录", rows: [["文件名称", "文号"], ["关于进一步做好农民工工作的意见", "国发〔2006〕5号"]], references: false, inline: true),
        ]))
        for lines in corpusLines.prefix(2) {
            let rows = [["序号", "内容"]] + lines.prefix(60).enumerated().map { [String($0.offset + 1), $0.element] }
            seeds.append(xlsx([Sheet(name: "工作表1", rows: rows, merges: rows.count > 4 ? ["A2:A3"] : [])]))
        }
        seeds.append(OfficeInput(kind: .xlsx, parts: [
            .init(path: "xl/workbook.xml", bytes: Array((header + #"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>"#).utf8)),
            .init(path: "xl/_rels/workbook.xml.rels", bytes: Array((header + #"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#).utf8)),
            .init(path: "xl/worksheets/sheet1.xml", bytes: Array((header + #"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>废止 国发〔2015〕68号</t></is></c><c r="B1"><v>3</v></c></row></sheetData></worksheet>"#).utf8), stored: true),
        ]))
        return seeds
    }
}

enum OfficeMutator {
    static let partOperations = ["removePart", "duplicateEntry", "renamePart", "copyPartOver", "emptyPart", "toggleStored", "addPart", "bombPart", "crossSeedPart"]

    /// Mutates the parts (mostly their XML). Returns the operations' names.
    static func mutateParts(_ input: inout OfficeInput, _ random: inout FuzzRandom, pool: () -> OfficeInput, maxPart: Int) -> [String] {
        var names: [String] = []
        let count = 1 + (random.chance(50) ? 0 : random.length(upTo: 6))
        for _ in 0..<count {
            if input.parts.isEmpty { input = pool() }
            if random.chance(12) {
                names.append(mutatePartList(&input, &random, pool: pool))
                continue
            }
            // Most edits go to the parts the readers read.
            let read = input.parts.indices.filter { ["word/document.xml", "word/numbering.xml", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/_rels/workbook.xml.rels"].contains(input.parts[$0].path) || input.parts[$0].path.hasPrefix("xl/worksheets/") }
            let index = !read.isEmpty && random.chance(90) ? random.pick(read) : random.below(input.parts.count)
            let donor = pool()
            let name = StructureMutator.mutate(&input.parts[index].bytes, &random, other: { donor.parts.first(where: { $0.path.hasSuffix(".xml") })?.bytes ?? [] }, maxSize: maxPart)
            names.append("\(input.parts[index].path.split(separator: "/").last ?? ""):\(name)")
        }
        return names
    }

    static func mutatePartList(_ input: inout OfficeInput, _ random: inout FuzzRandom, pool: () -> OfficeInput) -> String {
        let operation = random.pick(partOperations)
        guard !input.parts.isEmpty else { return operation }
        let index = random.below(input.parts.count)
        switch operation {
        case "removePart": input.parts.remove(at: index)
        case "duplicateEntry": input.parts.insert(input.parts[index], at: random.position(input.parts.count))
        case "renamePart":
            input.parts[index].path = random.pick([
                "/" + input.parts[index].path, input.parts[index].path.uppercased(), input.parts[index].path + "/", "../" + input.parts[index].path,
                input.parts[index].path.replacingOccurrences(of: "/", with: "\\"), "xl/worksheets/sheet1.xml", "word/document.xml", "xl/sharedStrings.xml",
                "", "a/" + input.parts[index].path, "文档/" + input.parts[index].path,
            ])
        case "copyPartOver":
            let other = random.below(input.parts.count)
            input.parts[other].bytes = input.parts[index].bytes
        case "emptyPart": input.parts[index].bytes = []
        case "toggleStored": input.parts[index].stored.toggle()
        case "addPart":
            let path = random.pick(["xl/worksheets/sheet2.xml", "xl/worksheets/sheet9.xml", "word/numbering.xml", "xl/sharedStrings.xml", "word/_rels/document.xml.rels", "customXml/item1.xml"])
            input.parts.append(.init(path: path, bytes: input.parts[index].bytes))
        case "bombPart":
            // A part of zeros or spaces that deflates to almost nothing: the ratio and size limits.
            let size = random.pick([2 << 20, 16 << 20, 130 << 20])
            input.parts[index].bytes = Array(input.parts[index].bytes.prefix(64)) + [UInt8](repeating: random.pick([0x20, 0x00, 0x41]), count: size)
            input.parts[index].stored = false
        case "crossSeedPart":
            let donor = pool()
            if let part = donor.parts.randomElement(using: &random) {
                if let same = input.parts.firstIndex(where: { $0.path == part.path }) { input.parts[same] = part } else { input.parts.append(part) }
            }
        default: break
        }
        return "parts." + operation
    }

    /// Zip-level mutations: header fields set to extreme values, bytes flipped, zips spliced.
    static func mutateZip(_ zip: inout [UInt8], _ random: inout FuzzRandom, other: () -> [UInt8]) -> String {
        if random.chance(55), !zip.isEmpty {
            // Find headers: local (PK\3\4), central (PK\1\2), end of directory (PK\5\6).
            var headers: [(offset: Int, fields: [(Int, Int)])] = []
            let local = [(4, 2), (6, 2), (8, 2), (14, 4), (18, 4), (22, 4), (26, 2), (28, 2)]
            let central = [(6, 2), (8, 2), (10, 2), (16, 4), (20, 4), (24, 4), (28, 2), (30, 2), (32, 2), (34, 2), (38, 4), (42, 4)]
            let end = [(4, 2), (6, 2), (8, 2), (10, 2), (12, 4), (16, 4), (20, 2)]
            var i = 0
            while i + 4 <= zip.count {
                if zip[i] == 0x50, zip[i + 1] == 0x4B {
                    switch (zip[i + 2], zip[i + 3]) {
                    case (3, 4): headers.append((i, local))
                    case (1, 2): headers.append((i, central))
                    case (5, 6): headers.append((i, end))
                    default: break
                    }
                }
                i += 1
            }
            if let header = headers.randomElement(using: &random) {
                let (offset, width) = random.pick(header.fields)
                let at = header.offset + offset
                let values: [UInt64] = [0, 1, 2, 7, 8, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF, 0x10000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF]
                var value = random.pick(values)
                if random.chance(30) {
                    var current: UInt64 = 0
                    for k in 0..<width where at + k < zip.count { current |= UInt64(zip[at + k]) << (8 * UInt64(k)) }
                    value = random.chance(50) ? current &+ UInt64(random.length(upTo: 64)) : current &- UInt64(random.length(upTo: 64))
                }
                for k in 0..<width where at + k < zip.count { zip[at + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
                return "zip.header\(zip[header.offset + 2])\(zip[header.offset + 3])+\(offset)"
            }
        }
        if random.chance(15) {
            // A second end-of-directory record, or garbage before or after.
            switch random.below(3) {
            case 0: zip += Array(zip.suffix(22))
            case 1: zip.insert(contentsOf: [UInt8](repeating: 0x41, count: random.length(upTo: 4096)), at: 2)
            default: zip += (0..<random.length(upTo: 1024)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
            return "zip.garbage"
        }
        return "zip." + ByteMutator.mutate(&zip, &random, other: other, tokens: ["PK\u{03}\u{04}", "PK\u{01}\u{02}", "PK\u{05}\u{06}", "PK\u{06}\u{06}", "PK\u{06}\u{07}"], maxSize: 16 << 20, allowTranscode: false)
    }
}

// MARK: - Watchdog

/// What the main thread is doing, for the watchdog thread.
final class FuzzWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var started: UInt64 = 0
    private var iteration = 0
    private var path = ""
    private var mainThread: pthread_t
    private var fired = false

    init() { mainThread = pthread_self() }

    func begin(_ iteration: Int, path: String) {
        lock.lock()
        self.iteration = iteration
        self.path = path
        started = DispatchTime.now().uptimeNanoseconds
        lock.unlock()
    }

    func end() {
        lock.lock()
        started = 0
        lock.unlock()
    }

    func start(out: String, hang: Double, memoryLimitMB: Int) {
        let thread = Thread { [self] in
            while true {
                usleep(50_000)
                lock.lock()
                let running = started == 0 ? 0 : Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                let iteration = self.iteration, path = self.path
                lock.unlock()
                let rss = Memory.residentMB()
                var finding: String?
                if running > hang { finding = String(format: "hang: iteration %d still running after %.1f s", iteration, running) }
                if rss > memoryLimitMB { finding = "memory: iteration \(iteration) has RSS \(rss) MB, past the \(memoryLimitMB) MB limit" }
                guard let finding, !fired else { continue }
                fired = true
                let kind = finding.hasPrefix("hang") ? "hang" : "memory"
                let saved = "\(out)/\(kind)-\(iteration).\((path as NSString).pathExtension)"
                try? FileManager.default.removeItem(atPath: saved)
                try? FileManager.default.copyItem(atPath: path, toPath: saved)
                try? FileManager.default.copyItem(atPath: "\(out)/current.info", toPath: saved + ".info")
                FileHandle.standardError.write(Data("\nFUZZ FINDING \(finding); input saved as \(saved); aborting the main thread for a backtrace\n".utf8))
                print("FUZZ FINDING \(finding); input saved as \(saved)")
                fflush(nil)
                pthread_kill(mainThread, SIGABRT)
                sleep(30)
                _exit(6)
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

enum Memory {
    /// Resident set size now, in MB (from /proc/self/statm, or another process's).
    static func residentMB(of pid: pid_t? = nil) -> Int {
        guard let text = read(pid.map { "/proc/\($0)/statm" } ?? "/proc/self/statm") else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return (pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20
    }

    /// Peak resident set size so far, in MB (VmHWM).
    static func peakMB() -> Int {
        guard let text = read("/proc/self/status") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return (Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0) >> 10
        }
        return 0
    }

    private static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : nil
    }
}

/// Writes bytes to a file with plain system calls (the reproducer must be on disk before the input runs).
func writeFile(_ path: String, _ bytes: [UInt8]) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    var written = 0
    bytes.withUnsafeBytes { buffer in
        while written < buffer.count {
            let n = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            if n <= 0 { break }
            written += n
        }
    }
}

// MARK: - Running one input

enum FuzzOutcome {
    case ok(signature: String)
    case threw(kind: String)
}

enum FuzzRunner {
    /// A thrown reason with the file name and numbers taken out, so errors count by kind.
    static func kind(_ reason: String, name: String) -> String {
        var text = reason.replacingOccurrences(of: name, with: "F")
        var result = ""
        var inDigits = false
        for character in text {
            if character.isASCII, character.isNumber {
                if !inDigits { result.append("#") }
                inDigits = true
            } else {
                inDigits = false
                result.append(character)
            }
        }
        text = result
        return text.count > 180 ? String(text.prefix(180)) + "…" : text
    }

    static func bucket(_ n: Int) -> Int { n == 0 ? 0 : Int.bitWidth - n.leadingZeroBitCount }

    static func signature(_ extraction: Extraction, page: PageText, prefix: String) -> String {
        let e = extraction
        let flags = [e.number != nil, e.title != nil, e.issuer != nil, e.issued != nil, e.published != nil, e.effective != nil, e.expires != nil, e.validity != nil, e.closedListQuote != nil, e.scopeIssuedBefore != nil]
            .map { $0 ? "1" : "0" }.joined()
        let planned = e.dispositions.contains(where: \.planned)
        return "\(prefix) \(flags) c\(bucket(e.citations.count)) a\(bucket(e.amendments.count)) d\(bucket(e.dispositions.count))\(planned ? "p" : "") s\(bucket(e.statusNotes.count)) k\(bucket(e.statedCounts.count)) L\(bucket(page.text.utf8.count / 256))"
    }

    /// Reads a page's bytes and extracts it.
    static func page(_ bytes: [UInt8], name: String, timing: inout (load: Double, extract: Double)) -> FuzzOutcome {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let loaded: PageLoader.LoadedPage
        do {
            loaded = try PageLoader.read(bytes, name: name)
        } catch {
            timing.load = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            return .threw(kind: kind(error.reason, name: name))
        }
        let t1 = DispatchTime.now().uptimeNanoseconds
        let extraction = DocumentExtractor.extract(loaded.page, source: name)
        let t2 = DispatchTime.now().uptimeNanoseconds
        timing = (Double(t1 - t0) / 1e9, Double(t2 - t1) / 1e9)
        return .ok(signature: signature(extraction, page: loaded.page, prefix: "\(loaded.encoding.rawValue)\(loaded.warnings.isEmpty ? "" : "w")"))
    }

    /// Reads an Office file from disk and extracts it.
    static func office(_ path: String, name: String, timing: inout (load: Double, extract: Double)) -> FuzzOutcome {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let page: PageText
        do {
            page = try DocumentFile.load(URL(fileURLWithPath: path), name: name)
        } catch {
            timing.load = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            return .threw(kind: kind(error.reason, name: name))
        }
        let t1 = DispatchTime.now().uptimeNanoseconds
        let extraction = DocumentExtractor.extract(page, source: name)
        let t2 = DispatchTime.now().uptimeNanoseconds
        timing = (Double(t1 - t0) / 1e9, Double(t2 - t1) / 1e9)
        return .ok(signature: signature(extraction, page: page, prefix: "office"))
    }
}

enum Replay {
    static func run(path: String, target: FuzzBenchmark.Target) throws {
        var timing = (load: 0.0, extract: 0.0)
        let outcome: FuzzOutcome
        let start = DispatchTime.now().uptimeNanoseconds
        switch target {
        case .pages:
            let bytes = try PageLoader.bytes(ofFile: path)
            print("replaying \(path) (\(bytes.count) bytes) as a page named \(path)")
            outcome = FuzzRunner.page(bytes, name: path, timing: &timing)
        case .office:
            print("replaying \(path) as an Office file")
            outcome = FuzzRunner.office(path, name: (path as NSString).lastPathComponent, timing: &timing)
        }
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        switch outcome {
        case .ok(let signature): print("read and extracted: \(signature)")
        case .threw(let kind): print("threw: \(kind)")
        }
        print(String(format: "load %.3f s, extract %.3f s, total %.3f s, peak RSS %d MB", timing.load, timing.extract, total, Memory.peakMB()))
    }
}

// MARK: - Running an input in a child process

/// How one input ended.
struct Execution {
    enum End {
        case finished(FuzzOutcome)
        /// The child died by a signal: a trap (SIGILL, SIGTRAP), SIGSEGV, SIGABRT…
        case crashed(signal: Int32)
        /// Stopped by the fuzzer after `--hang` seconds.
        case hang
        /// Stopped by the fuzzer with RSS past `--memory-limit`.
        case memory(mb: Int)
    }

    var end: End
    var load = 0.0
    var extract = 0.0
    var wall = 0.0
    /// The child's peak RSS (ru_maxrss), MB; includes what it shares with the parent.
    var peakMB = 0
}

/// Runs each input in a forked child, so a trap in the library ends the child, not the run: the
/// parent saves the input with the child's backtrace and goes on with the next one.
enum Isolation {
    /// Runs `body` in a child whose stdout and stderr go to `log`.
    static func run(log: String, hang: Double, memoryLimitMB: Int, _ body: () -> (FuzzOutcome, Double, Double)) -> Execution {
        var pipes: [Int32] = [0, 0]
        guard pipe(&pipes) == 0 else { fatalError("pipe failed: \(String(cString: strerror(errno)))") }
        fflush(nil)
        let start = DispatchTime.now().uptimeNanoseconds
        let pid = fork()
        if pid == 0 {
            close(pipes[0])
            let descriptor = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                dup2(descriptor, 1)
                dup2(descriptor, 2)
                close(descriptor)
            }
            let (outcome, load, extract) = body()
            let line: String
            switch outcome {
            case .ok(let signature): line = "ok\t\(signature)\t\(load)\t\(extract)\n"
            case .threw(let kind): line = "threw\t\(kind)\t\(load)\t\(extract)\n"
            }
            let bytes = Array(line.utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { write(pipes[1], $0.baseAddress! + written, bytes.count - written) }
                if n <= 0 { break }
                written += n
            }
            _exit(0)
        }
        close(pipes[1])
        guard pid > 0 else { fatalError("fork failed: \(String(cString: strerror(errno)))") }
        var status: Int32 = 0
        var usage = rusage()
        var stoppedFor: Execution.End?
        var killAt: UInt64 = 0
        var pause: UInt32 = 100
        var polls = 0
        while true {
            let waited = wait4(pid, &status, WNOHANG, &usage)
            if waited == pid { break }
            if waited < 0 && errno != EINTR { break }
            usleep(pause)
            pause = min(pause * 2, 5_000)
            polls += 1
            let now = DispatchTime.now().uptimeNanoseconds
            if stoppedFor == nil {
                let seconds = Double(now - start) / 1e9
                let rss = polls % 4 == 0 ? Memory.residentMB(of: pid) : 0
                if seconds > hang {
                    stoppedFor = .hang
                } else if rss > memoryLimitMB {
                    stoppedFor = .memory(mb: rss)
                }
                if stoppedFor != nil {
                    // SIGABRT first: the Swift runtime prints where the child was.
                    kill(pid, SIGABRT)
                    killAt = now + 5_000_000_000  // the backtracer returns from an asynchronous SIGABRT and the child runs on
                }
            } else if now > killAt {
                kill(pid, SIGKILL)
                killAt = UInt64.max
            }
        }
        var result = Execution(end: .crashed(signal: 0))
        result.wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        result.peakMB = Int(usage.ru_maxrss) >> 10
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(pipes[0], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            reply += buffer.prefix(n)
        }
        close(pipes[0])
        if let stoppedFor {
            result.end = stoppedFor
            return result
        }
        let signal = status & 0x7F
        if signal != 0 {
            result.end = .crashed(signal: signal)
            return result
        }
        let fields = String(decoding: reply, as: UTF8.self).trimmingCharacters(in: .newlines).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4 else {
            result.end = .crashed(signal: 0)  // exited without an answer
            return result
        }
        result.load = Double(fields[2]) ?? 0
        result.extract = Double(fields[3]) ?? 0
        result.end = .finished(fields[0] == "ok" ? .ok(signature: fields[1]) : .threw(kind: fields[1]))
        return result
    }

    /// Where a crash happened, from the child's backtrace: the fatal error and the first frame in Sources/.
    static func site(log: String, signal: Int32) -> (site: String, message: String) {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map(String.init)
        let message = lines.first(where: { $0.contains("Fatal error") || $0.contains("fatal error") || $0.contains("Swift runtime failure") })
            ?? lines.first(where: { $0.contains("Program crashed") }) ?? "signal \(signal)"
        var frame: String?
        for line in lines where line.contains(" at /") {
            guard let range = line.range(of: " at /") else { continue }
            let location = String(line[range.upperBound...])
            if location.contains("/Sources/inforce-bench/") { continue }
            if let sources = location.range(of: "Sources/") ?? location.range(of: ".build/checkouts/") {
                frame = String(location[sources.lowerBound...])
                break
            }
        }
        let shortMessage = message.replacingOccurrences(of: #"^.*?(Fatal error: |fatal error: |Swift runtime failure: )"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: " ***", with: "").replacingOccurrences(of: "*** ", with: "")
        return (frame.map { "\($0)" } ?? "signal \(signal), no frame in Sources", shortMessage)
    }
}

// MARK: - The fuzzer

struct Fuzzer {
    struct PageSeed {
        var bytes: [UInt8]
        var ext: String
        var origin: String
    }

    struct Finding {
        var iteration: Int
        var path: String
        var size: Int
        var seconds: Double
        var detail: String
        var description: String
    }

    struct CrashSite {
        var count = 0
        var message = ""
        var firstIteration = 0
        var files: [String] = []
    }

    enum Candidate {
        case page(PageSeed)
        case office(OfficeInput, String)
    }

    /// An input ready to run: its bytes are on disk at `path`.
    struct Staged {
        var size: Int
        var description: String
        var candidate: Candidate?
        var run: () -> (FuzzOutcome, Double, Double)
    }

    let options: FuzzBenchmark
    var random: FuzzRandom
    var pages: [PageSeed] = []
    var pageSeedCount = 0
    var offices: [(input: OfficeInput, origin: String)] = []
    var officeSeedCount = 0
    var signatures: Set<String> = []
    var errorKinds: [String: Int] = [:]
    var errorExamples: [String: Int] = [:]
    var okCount = 0
    var threwCount = 0
    var operationCounts: [String: Int] = [:]
    var slows: [Finding] = []
    var memoryFindings: [Finding] = []
    var hangs: [Finding] = []
    var crashes: [String: CrashSite] = [:]
    var crashCount = 0
    var heaviest: [Finding] = []
    var currentPath = ""
    let watch = FuzzWatch()
    let poolLimit = 2000

    init(options: FuzzBenchmark) throws {
        self.options = options
        random = FuzzRandom(seed: options.seed)
        switch options.target {
        case .pages:
            for folder in ["raw", "govcn"] {
                let url = URL(fileURLWithPath: options.corpus).appendingPathComponent(folder)
                for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() {
                    let ext = (name as NSString).pathExtension.lowercased()
                    guard ["html", "htm", "txt", "md"].contains(ext) else { continue }
                    let bytes = [UInt8](try Data(contentsOf: url.appendingPathComponent(name)))
                    pages.append(PageSeed(bytes: bytes, ext: ext == "htm" ? "html" : ext, origin: "\(folder)/\(name)"))
                }
            }
            guard !pages.isEmpty else { throw ValidationError("no .html or .txt pages under \(options.corpus)/raw or /govcn") }
            pageSeedCount = pages.count
        case .office:
            var lines: [[String]] = []
            let raw = URL(fileURLWithPath: options.corpus).appendingPathComponent("raw")
            if let names = try? FileManager.default.contentsOfDirectory(atPath: raw.path).sorted() {
                for name in names where name.hasSuffix(".txt") && (name.contains("cleanup") || name.contains("invalidate") || name.contains("repeal")) {
                    if let text = try? String(contentsOf: raw.appendingPathComponent(name), encoding: .utf8) {
                        lines.append(text.split(separator: "\n").map { String($0) }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.prefix(80).map { $0 })
                    }
                }
            }
            offices = OfficeSeeds.all(corpusLines: lines).enumerated().map { ($0.element, "seed\($0.offset).\($0.element.kind.rawValue)") }
            officeSeedCount = offices.count
        }
    }

    func save(_ kind: String, iteration: Int, description: String, log: String? = nil) -> String {
        let saved = "\(options.out)/\(kind)-\(options.target.rawValue)-\(options.seed)-\(iteration).\((currentPath as NSString).pathExtension)"
        try? FileManager.default.removeItem(atPath: saved)
        try? FileManager.default.copyItem(atPath: currentPath, toPath: saved)
        writeFile(saved + ".info", Array("target \(options.target.rawValue) seed \(options.seed) iteration \(iteration): \(description)\n".utf8))
        if let log {
            try? FileManager.default.removeItem(atPath: saved + ".log")
            try? FileManager.default.copyItem(atPath: log, toPath: saved + ".log")
        }
        return saved
    }

    mutating func loop() {
        let out = options.out
        for ext in ["html", "txt", "md", "bin", "docx", "xlsx"] { try? FileManager.default.removeItem(atPath: "\(out)/current.\(ext)") }
        if !options.isolate { watch.start(out: out, hang: options.hang, memoryLimitMB: options.memoryLimit) }
        let log = "\(out)/child.log"
        let start = DispatchTime.now().uptimeNanoseconds
        var lastProgress = start
        var peak = Memory.peakMB()
        var iteration = 0
        print("fuzz target \(options.target.rawValue), seed \(options.seed), \(options.target == .pages ? pageSeedCount : officeSeedCount) seeds, \(options.seconds) s, \(options.isolate ? "each input in a forked child" : "in process"), output in \(out)")
        print("started \(ISO8601DateFormatter().string(from: Date())), pid \(getpid())")
        fflush(nil)
        var longest = (seconds: 0.0, iteration: -1)
        var totalLoad = 0.0, totalExtract = 0.0
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            let elapsed = Double(now - start) / 1e9
            if elapsed >= options.seconds { break }
            if let limit = options.iterations, iteration >= limit { break }
            if Double(now - lastProgress) / 1e9 >= options.progress {
                lastProgress = now
                print(String(format: "[%5.0f s] %d iterations (%.1f/s): %d read, %d threw (%d kinds), %d crashed (%d sites), %d slow, %d hang, %d memory; pool %d; RSS %d MB",
                             elapsed, iteration, Double(iteration) / elapsed, okCount, threwCount, errorKinds.count, crashCount, crashes.count, slows.count, hangs.count,
                             memoryFindings.count, options.target == .pages ? pages.count : offices.count, Memory.residentMB()))
                fflush(nil)
            }
            let staged = options.target == .pages ? pageIteration(iteration) : officeIteration(iteration)
            let execution: Execution
            if options.isolate {
                execution = Isolation.run(log: log, hang: options.hang, memoryLimitMB: options.memoryLimit, staged.run)
            } else {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let (outcome, load, extract) = staged.run()
                execution = Execution(end: .finished(outcome), load: load, extract: extract, wall: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, peakMB: Memory.peakMB())
            }
            watch.end()
            totalLoad += execution.load
            totalExtract += execution.extract
            let seconds = execution.wall
            if seconds > longest.seconds { longest = (seconds, iteration) }
            var newSignature: String?
            switch execution.end {
            case .finished(.ok(let signature)):
                okCount += 1
                newSignature = signature
            case .finished(.threw(let kind)):
                threwCount += 1
                errorKinds[kind, default: 0] += 1
                if errorExamples[kind] == nil { errorExamples[kind] = iteration }
                newSignature = "E " + kind
            case .crashed(let signal):
                crashCount += 1
                let (site, message) = Isolation.site(log: log, signal: signal)
                var entry = crashes[site] ?? CrashSite(message: message, firstIteration: iteration)
                entry.count += 1
                if entry.files.count < 5 { entry.files.append(save("crash", iteration: iteration, description: staged.description, log: log)) }
                let isNew = crashes[site] == nil
                crashes[site] = entry
                if isNew || entry.count % 100 == 0 {
                    print("CRASH iteration \(iteration) (signal \(signal)) at \(site): \(message) — \(entry.count) so far at this site; input \(staged.size) bytes — \(staged.description)")
                    fflush(nil)
                }
            case .hang:
                let saved = save("hang", iteration: iteration, description: staged.description, log: log)
                hangs.append(Finding(iteration: iteration, path: saved, size: staged.size, seconds: seconds, detail: Isolation.site(log: log, signal: SIGABRT).site, description: staged.description))
                print(String(format: "HANG iteration %d stopped after %.1f s, saved %@ — %@", iteration, seconds, saved as NSString, staged.description as NSString))
            case .memory(let mb):
                let saved = save("memory", iteration: iteration, description: staged.description, log: log)
                memoryFindings.append(Finding(iteration: iteration, path: saved, size: staged.size, seconds: seconds, detail: "RSS \(mb) MB past the \(options.memoryLimit) MB limit; allocating at \(Isolation.site(log: log, signal: SIGABRT).site)", description: staged.description))
                print("MEMORY iteration \(iteration): RSS \(mb) MB past the limit, stopped; saved \(saved) — \(staged.description)")
            }
            if let newSignature, !signatures.contains(newSignature) {
                signatures.insert(newSignature)
                switch staged.candidate {
                case .page(let entry)?: pages.append(entry)
                case .office(let entry, let origin)?: offices.append((entry, origin))
                case nil: break
                }
            }
            if seconds > options.slow, case .finished = execution.end {
                let saved = save("slow", iteration: iteration, description: staged.description)
                slows.append(Finding(iteration: iteration, path: saved, size: staged.size, seconds: seconds, detail: String(format: "load %.2f s, extract %.2f s", execution.load, execution.extract), description: staged.description))
                print(String(format: "SLOW iteration %d: %.2f s (load %.2f, extract %.2f), %d bytes, saved %@ — %@", iteration, seconds, execution.load, execution.extract, staged.size, saved as NSString, staged.description as NSString))
            }
            // Memory: in a child, its own peak; in process, growth of the process's peak.
            let base = options.isolate ? Memory.residentMB() : peak
            let inputPeak = options.isolate ? execution.peakMB : execution.peakMB
            if inputPeak - base > options.memoryStep, case .finished = execution.end {
                let detail = "peak RSS \(inputPeak) MB (fuzzer itself \(base) MB)"
                if memoryFindings.count < 40 {
                    let saved = save("memory", iteration: iteration, description: staged.description)
                    memoryFindings.append(Finding(iteration: iteration, path: saved, size: staged.size, seconds: seconds, detail: detail, description: staged.description))
                    print("MEMORY iteration \(iteration): \(detail), \(staged.size) bytes, saved \(saved) — \(staged.description)")
                }
            }
            if heaviest.count < 5 || Double(inputPeak) > heaviest.last!.seconds {
                heaviest.append(Finding(iteration: iteration, path: "", size: staged.size, seconds: Double(inputPeak), detail: "", description: staged.description))
                heaviest.sort { $0.seconds > $1.seconds }
                if heaviest.count > 5 { heaviest.removeLast() }
            }
            peak = max(peak, Memory.peakMB())
            fflush(nil)
            iteration += 1
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        report(iterations: iteration, elapsed: elapsed, longest: longest, load: totalLoad, extract: totalExtract)
    }

    /// Writes the input where a crash leaves it, and tells the watchdog it runs.
    mutating func stage(_ bytes: [UInt8], ext: String, iteration: Int, description: String) {
        let path = "\(options.out)/current.\(ext)"
        if path != currentPath, !currentPath.isEmpty { unlink(currentPath) }
        currentPath = path
        writeFile(path, bytes)
        writeFile("\(options.out)/current.info", Array("target \(options.target.rawValue) seed \(options.seed) iteration \(iteration): \(description)\n".utf8))
        watch.begin(iteration, path: path)
    }

    mutating func pickPage() -> PageSeed {
        random.chance(30) ? pages[random.below(pageSeedCount)] : pages[random.below(pages.count)]
    }

    mutating func pageIteration(_ iteration: Int) -> Staged {
        let seed = pickPage()
        var bytes = seed.bytes
        var operations: [String] = []
        let count = 1 + (random.chance(40) ? 0 : random.length(upTo: 8))
        let maxSize = random.chance(5) ? 8 << 20 : 1 << 20
        for _ in 0..<count {
            let other = pages[random.below(pages.count)].bytes
            if random.chance(30) {
                operations.append("tags." + StructureMutator.mutate(&bytes, &random, other: { other }, maxSize: maxSize))
            } else {
                operations.append(ByteMutator.mutate(&bytes, &random, other: { other }, tokens: FuzzDictionary.pageTokens, maxSize: maxSize, allowTranscode: true))
            }
        }
        operations.counted(into: &operationCounts)
        let roll = random.below(100)
        let ext = roll < 80 ? seed.ext : roll < 90 ? (seed.ext == "html" ? "txt" : "html") : "bin"
        let description = "from \(seed.origin) as .\(ext): " + operations.joined(separator: ", ")
        stage(bytes, ext: ext, iteration: iteration, description: description)
        // The pool grows with small inputs that reached a new outcome.
        let keepable = bytes.count <= 128 * 1024 && pages.count < pageSeedCount + poolLimit
        let name = currentPath
        return Staged(size: bytes.count, description: description, candidate: keepable ? .page(PageSeed(bytes: bytes, ext: ext, origin: "\(seed.origin)+\(iteration)")) : nil) { [bytes] in
            var timing = (load: 0.0, extract: 0.0)
            let outcome = FuzzRunner.page(bytes, name: name, timing: &timing)
            return (outcome, timing.load, timing.extract)
        }
    }

    mutating func officeIteration(_ iteration: Int) -> Staged {
        let pick = random.chance(30) ? offices[random.below(officeSeedCount)] : offices[random.below(offices.count)]
        var input = pick.input
        var operations: [String] = []
        let roll = random.below(100)
        let structural = roll < 75
        let zipLevel = roll >= 65
        let maxPart = random.chance(5) ? 16 << 20 : 2 << 20
        if structural {
            var poolRandom = FuzzRandom(seed: random.next())
            let offices = self.offices
            operations += OfficeMutator.mutateParts(&input, &random, pool: { offices[poolRandom.below(offices.count)].input }, maxPart: maxPart)
        }
        var zip = input.zipped()
        if zipLevel {
            let other = offices[random.below(offices.count)].input.zipped()
            for _ in 0..<(1 + (random.chance(60) ? 0 : random.length(upTo: 4))) {
                operations.append(OfficeMutator.mutateZip(&zip, &random, other: { other }))
            }
        }
        operations.counted(into: &operationCounts)
        // Mostly the seed's own extension; sometimes the other one, to read a .docx as a workbook.
        let ext = random.chance(96) ? input.kind.rawValue : (input.kind == .docx ? "xlsx" : "docx")
        let description = "from \(pick.origin) as .\(ext): " + (operations.isEmpty ? "none" : operations.joined(separator: ", "))
        stage(zip, ext: ext, iteration: iteration, description: description)
        let keepable = structural && !zipLevel && input.size <= 512 * 1024 && offices.count < officeSeedCount + poolLimit
        let path = currentPath
        return Staged(size: zip.count, description: description, candidate: keepable ? .office(input, "\(pick.origin)+\(iteration)") : nil) {
            var timing = (load: 0.0, extract: 0.0)
            let outcome = FuzzRunner.office(path, name: "fuzz-input.\(ext)", timing: &timing)
            return (outcome, timing.load, timing.extract)
        }
    }

    mutating func report(iterations: Int, elapsed: Double, longest: (seconds: Double, iteration: Int), load: Double, extract: Double) {
        print("")
        print("== fuzz summary: target \(options.target.rawValue), seed \(options.seed) ==")
        print("finished \(ISO8601DateFormatter().string(from: Date()))")
        print(String(format: "%d iterations in %.1f s (%.1f/s): %d read and extracted, %d threw (%d kinds), %d crashed (%d sites), %d hangs, %d memory findings",
                     iterations, elapsed, Double(iterations) / max(elapsed, 0.001), okCount, threwCount, errorKinds.count, crashCount, crashes.count, hangs.count, memoryFindings.count))
        print(String(format: "time in load %.1f s, in extract %.1f s; longest iteration %.3f s (#%d)", load, extract, longest.seconds, longest.iteration))
        print("distinct outcomes \(signatures.count); pool: \(options.target == .pages ? pages.count - pageSeedCount : offices.count - officeSeedCount) kept inputs on \(options.target == .pages ? pageSeedCount : officeSeedCount) seeds")
        print("fuzzer's own peak RSS (VmHWM) \(Memory.peakMB()) MB; heaviest inputs (child peak RSS): " + heaviest.map { "#\($0.iteration) \(Int($0.seconds)) MB (\($0.size) bytes)" }.joined(separator: ", "))
        print("crashes: \(crashes.isEmpty ? "none" : "\(crashCount) at \(crashes.count) sites")")
        for (site, entry) in crashes.sorted(by: { $0.value.count > $1.value.count }) {
            print("  \(entry.count)× at \(site): \(entry.message) (first at #\(entry.firstIteration)); reproducers: \(entry.files.joined(separator: " "))")
        }
        print("hangs (> \(options.hang) s): \(hangs.isEmpty ? "none" : String(hangs.count))")
        for hang in hangs { print(String(format: "  #%d %.1f s %d bytes %@ at %@ — %@", hang.iteration, hang.seconds, hang.size, hang.path as NSString, hang.detail as NSString, hang.description as NSString)) }
        print("memory (> \(options.memoryStep) MB over the fuzzer's RSS, or past \(options.memoryLimit) MB): \(memoryFindings.isEmpty ? "none" : String(memoryFindings.count))")
        for finding in memoryFindings { print("  #\(finding.iteration) \(finding.detail), \(finding.size) bytes, \(finding.path) — \(finding.description)") }
        print("slow inputs (> \(options.slow) s): \(slows.isEmpty ? "none" : String(slows.count))")
        for slow in slows {
            print(String(format: "  #%d %.2f s (%@) %d bytes %@ — %@", slow.iteration, slow.seconds, slow.detail as NSString, slow.size, slow.path as NSString, slow.description as NSString))
        }
        print("thrown errors by kind (count, first iteration):")
        for (kind, count) in errorKinds.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            print(String(format: "  %7d  #%-7d %@", count, errorExamples[kind] ?? -1, kind as NSString))
        }
        print("mutations used:")
        for (name, count) in operationCounts.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }).prefix(80) {
            print(String(format: "  %7d  %@", count, name as NSString))
        }
        fflush(nil)
    }
}

extension Array where Element == String {
    func counted(into counts: inout [String: Int]) {
        for name in self { counts[name.split(separator: ":").last.map(String.init) ?? name, default: 0] += 1 }
    }
}
