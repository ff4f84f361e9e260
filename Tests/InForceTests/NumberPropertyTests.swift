import InForce
import Testing

/// Properties of numbers and the scanner over generated text, from a fixed seed.
@Suite("Document number properties")
struct NumberPropertyTests {
    static let agencies = ["国发", "国办发", "浙政办发", "绍市委办发", "黑市政办字", "计价格", "信部信", "劳社部发", "云县政府发", "皖政辦", "國發", "国办发明电", "财社"]
    static let decreeIssuers = ["国务院", "中华人民共和国国务院", "达州市人民政府", "陕西省人民政府", "省政府", "建设部"]
    static let brackets: [(String, String)] = [("〔", "〕"), ("[", "]"), ("【", "】"), ("(", ")"), ("（", "）"), ("〈", "〉"), ("［", "］")]
    static let fillers = ["为进一步做好", "工作", "，", "。", "、", "经市政府同意", "现提出如下意见", "2016年", "第三条", "（一）", "\n", " ", "；", "农民工", "等文件"]
    static let delimiters = ["（", "(", "，", "\n", " ", "、", "：", "《通知》("]

    static func fullWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0x30...0x39).contains(scalar.value) ? Unicode.Scalar(scalar.value - 0x30 + 0xFF10)! : scalar
        }))
    }

    /// A random number as some page might write it, and its canonical form.
    static func randomNumber(_ rng: inout SeededRandom) -> (written: String, canonical: String) {
        if Int.random(in: 0..<4, using: &rng) == 0 {
            let issuer = decreeIssuers.randomElement(using: &rng)!
            let sequence = Int.random(in: 1...999, using: &rng)
            let space = Bool.random(using: &rng) ? "\n  " : ""
            let series = issuer.hasPrefix("中华人民共和国") ? String(issuer.dropFirst(7)) : issuer
            return ("\(issuer)令\(space)第\(sequence)号", "\(series)令第\(sequence)号")
        }
        let agency = agencies.randomElement(using: &rng)!
        let (open, close) = brackets.randomElement(using: &rng)!
        let year = Int.random(in: 1990...2025, using: &rng)
        let sequence = Int.random(in: 1...2000, using: &rng)
        var yearText = String(year)
        if Int.random(in: 0..<5, using: &rng) == 0 { yearText = fullWidth(yearText) }
        let hao = Bool.random(using: &rng) ? "号" : "號"
        let beforeHao = Int.random(in: 0..<6, using: &rng) == 0 ? " " : ""
        let written = "\(agency)\(open)\(yearText)\(close)\(sequence)\(beforeHao)\(hao)"
        let simplified = agency.replacingOccurrences(of: "國", with: "国").replacingOccurrences(of: "發", with: "发")
            .replacingOccurrences(of: "辦", with: "办")
        return (written, "\(simplified)〔\(year)〕\(sequence)号")
    }

    @Test("the canonical form is a fixed point and parse(format(n)) == n")
    func fixedPoint() throws {
        var rng = SeededRandom(seed: 2016)
        for _ in 0..<2000 {
            let (written, canonical) = Self.randomNumber(&rng)
            let number = try DocumentNumber(written)
            #expect(number.canonical == canonical, "\(written)")
            let again = try DocumentNumber(number.canonical)
            #expect(again == number)
            #expect(again.canonical == number.canonical)
            #expect(again.lint.filter { $0.code != .impliedIssuer }.isEmpty, "canonical form is lint-clean: \(again.lint)")
        }
    }

    /// The slow reference: Swift Regex over the generated text.
    static func referenceScan(_ text: String) -> [String] {
        let dispatch = #/([一-鿿]+)[〔\[【(（〈［]\s*(\d{4})\s*[〕\]】)）〉］]\s*(\d+)\s*[号號]/#
        let decree = #/([一-鿿]+?)令\s*第\s*(\d+)\s*号/#
        var found: [(String.Index, String)] = []
        for match in text.matches(of: dispatch) {
            let agency = String(match.1).replacingOccurrences(of: "國", with: "国").replacingOccurrences(of: "發", with: "发")
                .replacingOccurrences(of: "辦", with: "办")
            let year = Int(String(match.2).unicodeScalars.map { Character(Unicode.Scalar($0.value >= 0xFF10 ? $0.value - 0xFF10 + 0x30 : $0.value)!) }.map(String.init).joined())!
            found.append((match.range.lowerBound, "\(agency)〔\(year)〕\(Int(match.3)!)号"))
        }
        for match in text.matches(of: decree) {
            var issuer = String(match.1)
            if issuer.hasPrefix("中华人民共和国") { issuer = String(issuer.dropFirst(7)) }
            found.append((match.range.lowerBound, "\(issuer)令第\(Int(match.2)!)号"))
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    @Test("the scanner finds exactly the numbers a slow reference finds on generated text")
    func scannerMatchesReference() {
        var rng = SeededRandom(seed: 40)
        for _ in 0..<300 {
            var text = ""
            var expected: [String] = []
            for _ in 0..<Int.random(in: 0...8, using: &rng) {
                for _ in 0..<Int.random(in: 0...4, using: &rng) { text += Self.fillers.randomElement(using: &rng)! }
                text += Self.delimiters.randomElement(using: &rng)!
                let (written, canonical) = Self.randomNumber(&rng)
                text += written
                expected.append(canonical)
            }
            text += Self.fillers.randomElement(using: &rng)!
            let scanned = NumberScanner.scan(text).map(\.number.canonical)
            #expect(scanned == Self.referenceScan(text), "\(text)")
            #expect(scanned == expected, "\(text)")
        }
    }
}
