/// A document number found in a text, with where it was found.
public struct NumberMatch: Sendable, Equatable {
    public let number: DocumentNumber
    /// Byte offsets of the raw number in the text's UTF-8.
    public let utf8Range: Range<Int>
    /// Offset of the first character in Unicode scalars (a Python or JavaScript string index).
    public let scalarOffset: Int
    /// Length of the raw number in Unicode scalars.
    public let scalarLength: Int
}

/// Finds document numbers in text by scanning UTF-8 bytes.
///
/// The scanner jumps between anchors (an opening bracket, 令) with a byte test and only then
/// decodes characters around them, so it runs at memory speed on page text. It finds 发文字号 in
/// every bracket kind, with spaces, line breaks, traditional characters, full-width digits and
/// pinyin glosses inside; decrees (国务院令第491号, 达州市人民政府令 第48号, 建设部第162号令) and the
/// hybrid 建设部〔2007〕第162号令. The 机关代字 is read backwards from the year bracket and stops
/// at words that cannot belong to one (根据, 的, 关于…通知), so 根据国发〔2014〕40号 yields 国发〔2014〕40号.
public enum NumberScanner {
    /// Every number in `text`, in order of appearance.
    public static func scan(_ text: String) -> [NumberMatch] {
        var copy = text
        return copy.withUTF8 { scan(utf8: $0) }
    }

    /// Every number in UTF-8 `bytes`, in order of appearance.
    public static func scan(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [NumberMatch] {
        var scanner = Scanner(text: UTF8Text(bytes: bytes), exact: false)
        return scanner.run()
    }

    /// Parses a text that must be one number and nothing else.
    static func parseExactly(_ input: String) throws(NumberError) -> DocumentNumber {
        var text = Substring(input).trimmingSpaces()
        for suffix in ["文件", "文"] where text.hasSuffix(suffix) {
            text = text.dropLast(suffix.count).trimmingSpaces()
            break
        }
        guard !text.isEmpty else { throw NumberError(text: input, reason: "it is empty") }
        var copy = String(text)
        let result: DocumentNumber? = copy.withUTF8 { bytes in
            var scanner = Scanner(text: UTF8Text(bytes: bytes), exact: true)
            let matches = scanner.run()
            guard matches.count == 1, let match = matches.first,
                  match.utf8Range == 0..<bytes.count
            else { return nil }
            return match.number
        }
        if let result { return result }
        throw NumberError(text: input, reason: diagnose(String(text)))
    }

    /// A sentence for a text that did not parse as exactly one number.
    private static func diagnose(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars.map(\.value))
        let expected = "expected 机关代字〔年份〕序号号 (国发〔2014〕40号) or 机关令第N号 (国务院令第491号)"
        if let bad = scalars.first(where: { !NumberCharacters.isCJK($0) && NumberCharacters.digitValue($0) == nil
            && !NumberCharacters.isOpeningBracket($0) && !NumberCharacters.isClosingBracket($0)
            && !NumberCharacters.isSpace($0) && !NumberCharacters.isPinyinLetter($0) })
        {
            let character = Unicode.Scalar(bad).map { String(Character($0)) } ?? "?"
            return "'\(character)' cannot appear in a number; \(expected)"
        }
        if let open = scalars.firstIndex(where: NumberCharacters.isOpeningBracket) {
            if open == 0 { return "the 机关代字 before the year is missing; \(expected)" }
            let year = scalars[(open + 1)...].prefix { NumberCharacters.digitValue($0) != nil }
            if year.count != 4 && year.count != 2 { return "the year in brackets must have four digits; \(expected)" }
            let afterYear = scalars[(open + 1 + year.count)...]
            guard let close = afterYear.first, NumberCharacters.isClosingBracket(close) else {
                return "the year bracket is not closed; \(expected)"
            }
            if !afterYear.dropFirst().contains(where: { NumberCharacters.digitValue($0) != nil }) {
                return "there is no sequence number after the year; \(expected)"
            }
        }
        if scalars.count(where: { NumberCharacters.isOpeningBracket($0) || $0 == NumberCharacters.ling }) > 1 {
            return "it holds more than one number; give one at a time"
        }
        if !scalars.contains(where: { NumberCharacters.digitValue($0) != nil || NumberCharacters.chineseDigit($0) != nil }) {
            return "it has no sequence number; \(expected)"
        }
        return expected
    }
}

extension String {
    /// The text without the spaces (ASCII, no-break, ideographic) and line breaks around it.
    public func trimmingSpaces() -> Substring { Substring(self).trimmingSpaces() }
}

extension Substring {
    /// The text without the spaces (ASCII, no-break, ideographic) and line breaks around it.
    public func trimmingSpaces() -> Substring {
        // By scalars: dropping Characters one by one was quadratic-slow on a flood of spaces.
        let scalars = unicodeScalars
        var start = scalars.startIndex
        while start < scalars.endIndex, NumberCharacters.isSpace(scalars[start].value) { start = scalars.index(after: start) }
        var end = scalars.endIndex
        while end > start {
            let previous = scalars.index(before: end)
            guard NumberCharacters.isSpace(scalars[previous].value) else { break }
            end = previous
        }
        return self[start..<end]
    }
}

/// The state of one scan: where the last match ended and how many scalars precede it.
private struct Scanner {
    let text: UTF8Text
    /// In exact mode the 机关代字 runs back to the start of the text, untrimmed.
    let exact: Bool
    var matches: [NumberMatch] = []
    var lastEnd = 0
    var countedBytes = 0
    var countedScalars = 0

    init(text: UTF8Text, exact: Bool) {
        self.text = text
        self.exact = exact
    }

    mutating func run() -> [NumberMatch] {
        let bytes = text.bytes
        guard let base = bytes.baseAddress else { return matches }
        let count = bytes.count
        var index = Scanner.nextLead(base, count, from: 0)
        while index < count {
            if isAnchor(at: index), let found = candidate(at: index) {
                record(found)
                index = Scanner.nextLead(base, count, from: found.range.upperBound)
            } else {
                index = Scanner.nextLead(base, count, from: index &+ 1)
            }
        }
        return matches
    }

    /// Non-zero for ( [ and the UTF-8 lead bytes E3 (〔【〈〖), E4 (令), E5 (告), EF (（［﹝﹙). Built once, never
    /// written again.
    nonisolated(unsafe) private static let leadTable: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        for byte in [0x28, 0x5B, 0xE3, 0xE4, 0xE5, 0xEF] { table[byte] = 1 }
        return UnsafePointer(table)
    }()

    /// The hot loop: the next byte from `start` that may begin an anchor, or `count`. A plain
    /// function over pointers with one table load per byte and no unpredictable branch.
    @inline(never)
    private static func nextLead(_ bytes: UnsafePointer<UInt8>, _ count: Int, from start: Int) -> Int {
        let table = leadTable
        var index = start
        while index < count {
            if table[Int(bytes[index])] != 0 { return index }
            index &+= 1
        }
        return count
    }

    /// Whether the bytes at `index` are an exact anchor followed by what a number needs next:
    /// a bracket before a digit or space, or 令 — so the HTML's many ( and the common Chinese
    /// characters sharing a lead byte with 令 are passed over cheaply.
    @inline(__always)
    private func isAnchor(at index: Int) -> Bool {
        let bytes = text.bytes
        let count = bytes.count
        func opensYear(_ next: Int) -> Bool {
            guard next < count else { return false }
            let byte = bytes[next]
            return (byte >= 0x30 && byte <= 0x39) || byte == 0xEF || byte == 0x20 || byte == 0xE3 || byte == 0xC2
        }
        switch bytes[index] {
        case 0x28, 0x5B:
            return opensYear(index &+ 1)
        default:
            guard index &+ 2 < count else { return false }
            let second = bytes[index &+ 1]
            let third = bytes[index &+ 2]
            switch bytes[index] {
            case 0xE3:
                return second == 0x80 && (third == 0x94 || third == 0x90 || third == 0x88 || third == 0x96) && opensYear(index &+ 3)
            case 0xE4:
                return second == 0xBB && third == 0xA4
            case 0xE5:
                return second == 0x91 && third == 0x8A
            default:
                return ((second == 0xBC && (third == 0x88 || third == 0xBB)) || (second == 0xB9 && (third == 0x9D || third == 0x99)))
                    && opensYear(index &+ 3)
            }
        }
    }

    /// The number anchored at `index`, if the bytes there start an anchor and a number follows.
    private func candidate(at index: Int) -> Found? {
        let bytes = text.bytes
        let count = bytes.count
        switch bytes[index] {
        case 0x28, 0x5B:  // ( [
            return dispatch(openingAt: index, openingLength: 1)
        case 0xE3:  // 〔 【 〈 〖
            guard index + 2 < count, bytes[index + 1] == 0x80 else { return nil }
            let third = bytes[index + 2]
            guard third == 0x94 || third == 0x90 || third == 0x88 || third == 0x96 else { return nil }
            return dispatch(openingAt: index, openingLength: 3)
        case 0xEF:  // （ ［ ﹝ ﹙
            guard index + 2 < count else { return nil }
            let second = bytes[index + 1]
            let third = bytes[index + 2]
            guard (second == 0xBC && (third == 0x88 || third == 0xBB)) || (second == 0xB9 && (third == 0x9D || third == 0x99)) else {
                return nil
            }
            return dispatch(openingAt: index, openingLength: 3)
        case 0xE4:  // 令
            guard index + 2 < count, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xA4 else { return nil }
            return decree(lingAt: index)
        case 0xE5:  // 告 of 公告
            guard index + 2 < count, bytes[index + 1] == 0x91, bytes[index + 2] == 0x8A else { return nil }
            return announcement(gaoAt: index)
        default:
            return nil
        }
    }

    private mutating func record(_ found: Found) {
        countedScalars += text.scalarCount(countedBytes..<found.range.lowerBound)
        let length = text.scalarCount(found.range)
        matches.append(NumberMatch(
            number: found.number, utf8Range: found.range, scalarOffset: countedScalars, scalarLength: length))
        countedScalars += length
        countedBytes = found.range.upperBound
        lastEnd = found.range.upperBound
    }

    // MARK: 发文字号

    /// 机关代字 + bracket + year + bracket + [第] + sequence + 号 [令], anchored at the opening bracket.
    private func dispatch(openingAt bracket: Int, openingLength: Int) -> Found? {
        var notes = Notes()
        let open = text.scalar(at: bracket).value
        var index = skipSpaces(from: bracket + openingLength, notes: &notes)
        let year = readDigits(from: &index, max: 4, notes: &notes)
        guard let year, year.digits == 4 || year.digits == 2 else { return nil }
        index = skipSpaces(from: index, notes: &notes)
        let close = text.scalar(at: index)
        guard NumberCharacters.isClosingBracket(close.value) else { return nil }
        index = skipSpaces(from: index + close.length, notes: &notes)
        var di = false
        if text.scalar(at: index).value == NumberCharacters.di {
            di = true
            index = skipSpaces(from: index + 3, notes: &notes)
        }
        guard let sequence = readDigits(from: &index, max: 6, notes: &notes) else { return nil }
        guard let ending = readEnding(from: index, notes: &notes) else { return nil }
        // 河北省人民政府令〔2011〕第10号: a decree series that starts again each year. A 代字 that
        // merely ends in 令 (沈政令[1997]29号) names no organisation before it and stays a 发文字号.
        var probe = Notes()
        let afterLing = text.scalar(before: skipSpacesBackward(from: bracket, notes: &probe)).value == NumberCharacters.ling
        guard let agency = readAgency(before: bracket, maxLength: ending.isDecree || afterLing ? 20 : 10, notes: &notes) else {
            return nil
        }
        let annualDecree = !ending.isDecree && afterLing && NumberScanner.namesOrganisation(agency.text.dropLast())

        let fullYear = year.digits == 4 ? year.value : (year.value >= 50 ? 1900 : 2000) + year.value
        guard (1900...2099).contains(fullYear), sequence.value > 0 else { return nil }

        var lint: [NumberLint] = []
        if open != 0x3014 || close.value != 0x3015 {
            let used = String(scalarText(open)) + String(scalarText(close.value))
            lint.append(NumberLint(.bracket, "the year is in \(used); GB/T 9704-2012 puts it in 六角括号 〔〕"))
        }
        if !NumberScanner.bracketsPair(open, close.value) {
            lint.append(NumberLint(.mismatchedBrackets, "the year opens with \(scalarText(open)) but closes with \(scalarText(close.value))"))
        }
        if year.digits == 2 {
            lint.append(NumberLint(.twoDigitYear, "the year is written with two digits; write all four (〔\(fullYear)〕)"))
        }
        if annualDecree {
            if !di { lint.append(NumberLint(.missingDi, "a decree number is written 令〔年份〕第N号 (\(agency.text)〔\(fullYear)〕第\(sequence.value)号)")) }
        } else if ending.isDecree {
            lint.append(NumberLint(
                .decreeInDispatchForm,
                "a decree is numbered 机关令第N号 (\(NumberScanner.decreeAgency(agency.text))第\(sequence.value)号), not in 发文字号 form"))
        } else if di {
            lint.append(NumberLint(.diInDispatch, "a 发文字号 has no 第 before the sequence number"))
        }
        let kind: DocumentNumber.Kind = ending.isDecree || annualDecree ? .decree : .dispatch
        lint += notes.findings(sequence: sequence, hasHao: ending.hasHao)
        let range = agency.start..<ending.end
        let series = annualDecree ? NumberScanner.decreeAgency(String(agency.text.dropLast())) : NumberScanner.decreeAgency(agency.text)
        if annualDecree { lint += NumberScanner.seriesLint(series) }
        let number = DocumentNumber(
            kind: kind,
            agency: kind == .decree ? series : agency.text,
            year: fullYear, sequence: sequence.value, raw: text.string(range), lint: lint, yearInIdentity: annualDecree)
        return Found(number: number, range: range)
    }

    /// After the sequence: 号 (with a gloss), then perhaps 令; or nothing at a clear boundary.
    private func readEnding(from start: Int, notes: inout Notes) -> (end: Int, hasHao: Bool, isDecree: Bool)? {
        var probe = notes
        var index = skipSpaces(from: start, notes: &probe)
        let next = text.scalar(at: index)
        if NumberCharacters.hao.contains(next.value) {
            notes = probe
            if next.value != 0x53F7 { notes.traditional.insert(next.value) }
            index += next.length
            index = skipGloss(from: index, notes: &notes)
            if text.scalar(at: index).value == NumberCharacters.ling {
                return (index + 3, true, true)
            }
            return (index, true, false)
        }
        // No 号: accept only where the number visibly ends (end of text, a break, a closing mark).
        let after = text.scalar(at: start)
        switch after.value {
        case 0, 0x0A, 0x0D, 0x20, 0x09, 0x3000, 0xA0, 0x3001, 0xFF0C, 0x2C, 0x3B, 0xFF1B, 0x3002, 0x2E:
            return (start, false, false)
        default:
            return NumberCharacters.isClosingBracket(after.value) ? (start, false, false) : nil
        }
    }

    // MARK: 令

    /// Decrees, anchored at 令: 机关令 [第] N 号, or 机关 [第] N 号令.
    private func decree(lingAt ling: Int) -> Found? {
        var notes = Notes()
        let before = text.scalar(before: ling)
        if NumberCharacters.hao.contains(before.value) {
            return decreeWithTrailingLing(ling: ling, hao: before)
        }
        var index = skipSpaces(from: ling + 3, notes: &notes)
        index = skipGloss(from: index, notes: &notes)
        // 石家庄市人民政府令(第166号): the sequence in brackets on the line under the series.
        let bracket = text.scalar(at: index)
        let bracketed = bracket.value == 0x28 || bracket.value == 0xFF08
        if bracketed { index = skipSpaces(from: index + bracket.length, notes: &notes) }
        // 交通运输部令2016年第1号: a series numbered by year.
        var year: Int?
        var yearProbe = notes
        var yearEnd = index
        if let digits = readDigits(from: &yearEnd, max: 4, notes: &yearProbe), digits.digits == 4 {
            let nianAt = skipSpaces(from: yearEnd, notes: &yearProbe)
            if text.scalar(at: nianAt).value == NumberCharacters.nian, (1900...2099).contains(digits.value) {
                year = digits.value
                notes = yearProbe
                index = skipSpaces(from: nianAt + 3, notes: &notes)
            }
        }
        var di = false
        if text.scalar(at: index).value == NumberCharacters.di {
            di = true
            index = skipSpaces(from: index + 3, notes: &notes)
        }
        let sequence: (value: Int, digits: Int, leadingZeros: Int)
        if let arabic = readDigits(from: &index, max: 6, notes: &notes) {
            sequence = arabic
        } else if di, let chinese = readChineseNumeral(from: &index) {
            sequence = (chinese, 0, 0)
            notes.chineseNumerals = true
        } else {
            return nil
        }
        var probe = notes
        let haoAt = skipSpaces(from: index, notes: &probe)
        let hao = text.scalar(at: haoAt)
        guard NumberCharacters.hao.contains(hao.value), sequence.value > 0 else { return nil }
        notes = probe
        if hao.value != 0x53F7 { notes.traditional.insert(hao.value) }
        var end = skipGloss(from: haoAt + hao.length, notes: &notes)
        if bracketed {
            var afterProbe = notes
            let closeAt = skipSpaces(from: end, notes: &afterProbe)
            let close = text.scalar(at: closeAt)
            guard close.value == 0x29 || close.value == 0xFF09 else { return nil }
            notes = afterProbe
            end = closeAt + close.length
        }
        guard let agency = readAgency(before: ling, maxLength: 20, notes: &notes) else { return nil }
        let range = agency.start..<end
        let series = NumberScanner.decreeAgency(agency.text)
        var lint = notes.findings(sequence: sequence, hasHao: true) + NumberScanner.seriesLint(series)
        if !di { lint.append(NumberLint(.missingDi, "a decree number is written 令第N号 (\(series)第\(sequence.value)号)")) }
        if bracketed { lint.append(NumberLint(.bracket, "a decree number has no brackets: \(series)第\(sequence.value)号")) }
        return Found(
            number: DocumentNumber(
                kind: .decree, agency: series, year: year, sequence: sequence.value, raw: text.string(range), lint: lint,
                yearInIdentity: year != nil),
            range: range)
    }

    /// 建设部第162号令: read backwards from 号 over the sequence, 第 and the issuer.
    private func decreeWithTrailingLing(ling: Int, hao: (value: UInt32, start: Int)) -> Found? {
        var notes = Notes()
        if hao.value != 0x53F7 { notes.traditional.insert(hao.value) }
        var index = skipSpacesBackward(from: hao.start, notes: &notes)
        var value = 0
        var digits = 0
        var place = 1
        var leadingZeros = 0
        while index > lastEnd {
            let previous = text.scalar(before: index)
            guard let digit = NumberCharacters.digitValue(previous.value), digits < 6 else { break }
            if NumberCharacters.isFullWidthDigit(previous.value) { notes.fullWidth = true }
            value += digit * place
            place *= 10
            digits += 1
            leadingZeros = digit == 0 ? leadingZeros + 1 : 0
            index = previous.start
        }
        guard digits > 0, value > 0 else { return nil }
        index = skipSpacesBackward(from: index, notes: &notes)
        let di = text.scalar(before: index)
        if di.value == NumberCharacters.di, di.start >= lastEnd { index = skipSpacesBackward(from: di.start, notes: &notes) }
        // A closing bracket here means the hybrid 〔2007〕第162号令, which the bracket anchor owns.
        guard !NumberCharacters.isClosingBracket(text.scalar(before: index).value) else { return nil }
        guard let agency = readAgency(before: index, maxLength: 20, notes: &notes) else { return nil }
        let range = agency.start..<(ling + 3)
        let series = NumberScanner.decreeAgency(agency.text)
        var lint = notes.findings(sequence: (value, digits, leadingZeros), hasHao: true) + NumberScanner.seriesLint(series)
        lint.append(NumberLint(.decreeInDispatchForm, "a decree is numbered 机关令第N号 (\(series)第\(value)号)"))
        return Found(
            number: DocumentNumber(kind: .decree, agency: series, year: nil, sequence: value, raw: text.string(range), lint: lint),
            range: range)
    }

    // MARK: 公告

    /// Announcements, anchored at 告 of 公告: 机关公告 [YYYY年] 第N号 (国家税务总局公告2018年第28号,
    /// 全国人民代表大会常务委员会公告第1号).
    private func announcement(gaoAt gao: Int) -> Found? {
        let gong = text.scalar(before: gao)
        guard gong.value == NumberCharacters.gong, gong.start >= lastEnd else { return nil }
        var notes = Notes()
        var index = skipSpaces(from: gao + 3, notes: &notes)
        var year: Int?
        var probe = notes
        var yearEnd = index
        if let digits = readDigits(from: &yearEnd, max: 4, notes: &probe), digits.digits == 4 {
            let nianAt = skipSpaces(from: yearEnd, notes: &probe)
            guard text.scalar(at: nianAt).value == NumberCharacters.nian, (1900...2099).contains(digits.value) else { return nil }
            year = digits.value
            notes = probe
            index = skipSpaces(from: nianAt + 3, notes: &notes)
        }
        guard text.scalar(at: index).value == NumberCharacters.di else { return nil }
        index = skipSpaces(from: index + 3, notes: &notes)
        guard let sequence = readDigits(from: &index, max: 6, notes: &notes), sequence.value > 0 else { return nil }
        probe = notes
        let haoAt = skipSpaces(from: index, notes: &probe)
        let hao = text.scalar(at: haoAt)
        guard NumberCharacters.hao.contains(hao.value) else { return nil }
        notes = probe
        if hao.value != 0x53F7 { notes.traditional.insert(hao.value) }
        let end = skipGloss(from: haoAt + hao.length, notes: &notes)
        guard let agency = readAgency(before: gong.start, maxLength: 30, notes: &notes) else { return nil }
        let range = agency.start..<end
        let lint = notes.findings(sequence: sequence, hasHao: true)
        return Found(
            number: DocumentNumber(
                kind: .announcement, agency: agency.text + "公告", year: year, sequence: sequence.value, raw: text.string(range), lint: lint,
                yearInIdentity: year != nil),
            range: range)
    }

    // MARK: Pieces

    private struct Found {
        let number: DocumentNumber
        let range: Range<Int>
    }

    /// What was seen while reading one number, for its lint.
    private struct Notes {
        var traditional: Set<UInt32> = []
        var fullWidth = false
        var space = false
        var gloss = false
        var chineseNumerals = false

        func findings(sequence: (value: Int, digits: Int, leadingZeros: Int), hasHao: Bool) -> [NumberLint] {
            var lint: [NumberLint] = []
            if sequence.leadingZeros > 0 {
                lint.append(NumberLint(.leadingZeros, "the sequence number has leading zeros; write \(sequence.value)"))
            }
            if !hasHao { lint.append(NumberLint(.missingHao, "the number does not end in 号")) }
            if !traditional.isEmpty {
                let pairs = traditional.sorted().map { "\(scalarText($0))→\(scalarText(NumberCharacters.fold($0)))" }
                lint.append(NumberLint(.traditionalCharacters, "traditional characters: \(pairs.joined(separator: ", "))"))
            }
            if fullWidth { lint.append(NumberLint(.fullWidthDigits, "full-width digits; write ASCII digits")) }
            if space { lint.append(NumberLint(.spaceInside, "spaces or line breaks inside the number")) }
            if gloss { lint.append(NumberLint(.pinyinGloss, "a pinyin gloss such as (hào) was injected into the number")) }
            if chineseNumerals { lint.append(NumberLint(.chineseNumerals, "the sequence is in Chinese numerals; canonical form uses digits")) }
            return lint
        }
    }

    /// At most this many bytes of spaces inside a number (达州市人民政府令 and 第48号 were 22
    /// spaces apart on one page), so a flood of spaces is not walked once per bracket.
    static let spaceReach = 96

    private func skipSpaces(from start: Int, notes: inout Notes) -> Int {
        var index = start
        while index - start < Scanner.spaceReach {
            let next = text.scalar(at: index)
            guard next.length > 0, NumberCharacters.isSpace(next.value) else { return index }
            notes.space = true
            index += next.length
        }
        return index
    }

    private func skipSpacesBackward(from start: Int, notes: inout Notes) -> Int {
        var index = start
        while index > lastEnd, start - index < Scanner.spaceReach {
            let previous = text.scalar(before: index)
            guard NumberCharacters.isSpace(previous.value) else { break }
            notes.space = true
            index = previous.start
        }
        return index
    }

    /// Skips an injected gloss such as (hào) or（fā）.
    private func skipGloss(from start: Int, notes: inout Notes) -> Int {
        let open = text.scalar(at: start)
        guard open.value == 0x28 || open.value == 0xFF08 else { return start }
        var index = start + open.length
        var letters = 0
        while true {
            let next = text.scalar(at: index)
            if NumberCharacters.isPinyinLetter(next.value), letters < 8 {
                letters += 1
                index += next.length
            } else if (next.value == 0x29 || next.value == 0xFF09) && letters > 0 {
                notes.gloss = true
                return index + next.length
            } else {
                return start
            }
        }
    }

    /// Where a gloss ending just before `end` starts, if one does.
    private func glossStart(endingAt end: Int) -> Int? {
        let close = text.scalar(before: end)
        guard close.value == 0x29 || close.value == 0xFF09 else { return nil }
        var index = close.start
        var letters = 0
        while index > lastEnd, letters <= 8 {
            let previous = text.scalar(before: index)
            if NumberCharacters.isPinyinLetter(previous.value) {
                letters += 1
                index = previous.start
            } else if (previous.value == 0x28 || previous.value == 0xFF08) && letters > 0 {
                return previous.start
            } else {
                return nil
            }
        }
        return nil
    }

    private func readDigits(from index: inout Int, max: Int, notes: inout Notes) -> (value: Int, digits: Int, leadingZeros: Int)? {
        var value = 0
        var digits = 0
        var leadingZeros = 0
        var position = index
        while digits <= max {
            let next = text.scalar(at: position)
            guard next.length > 0, let digit = NumberCharacters.digitValue(next.value) else { break }
            if NumberCharacters.isFullWidthDigit(next.value) { notes.fullWidth = true }
            if digit == 0 && value == 0 { leadingZeros += 1 }
            value = value * 10 + digit
            digits += 1
            position += next.length
        }
        guard digits > 0, digits <= max else { return nil }
        index = position
        return (value, digits, value == 0 ? 0 : leadingZeros)
    }

    /// 六十九 → 69; 一百二十三 → 123; 四九一 → 491.
    private func readChineseNumeral(from index: inout Int) -> Int? {
        var position = index
        var total = 0
        var current = 0
        var sawUnit = false
        var digitsOnly = 0
        var count = 0
        while count < 12 {
            let next = text.scalar(at: position)
            guard next.length > 0 else { break }
            if let digit = NumberCharacters.chineseDigit(next.value) {
                current = current * (sawUnit ? 1 : 10) + digit
                if !sawUnit { digitsOnly = digitsOnly * 10 + digit }
            } else if let unit = NumberCharacters.chineseUnit(next.value) {
                total += (current == 0 ? 1 : current) * unit
                current = 0
                sawUnit = true
            } else {
                break
            }
            count += 1
            position += next.length
        }
        guard count > 0 else { return nil }
        index = position
        return sawUnit ? total + current : digitsOnly
    }

    /// The 机关代字 (or decree issuer) ending just before `end`: a run of Chinese characters,
    /// trimmed of the words around it that cannot belong to one.
    private func readAgency(before end: Int, maxLength: Int, notes: inout Notes) -> (start: Int, text: String)? {
        var probe = notes
        var index = skipSpacesBackward(from: end, notes: &probe)
        var run: [(scalar: UInt32, start: Int)] = []
        while index > lastEnd {
            if let gloss = glossStart(endingAt: index), gloss >= lastEnd {
                probe.gloss = true
                index = gloss
                continue
            }
            let previous = text.scalar(before: index)
            guard NumberCharacters.isCJK(previous.value), previous.start >= lastEnd else { break }
            run.append((previous.value, previous.start))
            index = previous.start
            if !exact && run.count >= 40 { break }
        }
        guard !run.isEmpty else { return nil }
        run.reverse()
        if exact {
            guard index == 0 else { return nil }
        } else {
            let afterDigit = NumberCharacters.digitValue(text.scalar(before: index).value) != nil
            run = NumberScanner.trimAgency(run, maxLength: maxLength, afterDigit: afterDigit)
            guard !run.isEmpty else { return nil }
        }
        notes = probe
        var folded = String.UnicodeScalarView()
        let start = run[0].start
        // 原国家工商行政管理局令第1号: 原 (former) says the issuer is gone; it is not part of the name.
        if exact, run.count > 3, run[0].scalar == 0x539F, [0x56FD, 0x4E2D].contains(NumberCharacters.fold(run[1].scalar)) {
            run.removeFirst()
        }
        for (scalar, _) in run {
            if NumberCharacters.isTraditional(scalar) { notes.traditional.insert(scalar) }
            folded.append(Unicode.Scalar(NumberCharacters.fold(scalar)) ?? "?")
        }
        return (start, String(folded))
    }
}

extension NumberScanner {
    /// Words after which a 机关代字 begins: a number is never part of them.
    static let boundaryWords: [[UInt32]] = [
        "的", "了", "之", "根据", "依据", "按照", "参照", "依照", "遵照", "对照", "贯彻", "落实", "印发", "转发", "执行",
        "废止", "修订", "修改", "详见", "参见", "以及", "简称", "同时", "关于", "通知", "意见", "决定", "办法", "规定",
        "方案", "批复", "复函", "公告", "通告", "细则", "条例", "规则", "答复", "报告", "纪要", "精神", "文件", "要求",
        "部署", "号", "號", "发文字号", "文号", "字号",
    ].map { $0.unicodeScalars.map(\.value) }

    /// Single characters dropped from the front of a 代字 when at least two characters remain.
    static let leadingWeak: Set<UInt32> = Set("和及与或并是按依据照经由以在对将把为于同如自从至即见原".unicodeScalars.map(\.value))

    /// Cuts the words in front of a 代字 off a run of Chinese characters read back from a number.
    /// `afterDigit` says the run follows a digit, as in a date: 1998年9月23日计价格[1998]1810号.
    static func trimAgency(_ run: [(scalar: UInt32, start: Int)], maxLength: Int, afterDigit: Bool) -> [(scalar: UInt32, start: Int)] {
        let scalars = run.map { NumberCharacters.fold($0.scalar) }
        var from = 0
        // A date (23日, 二十三日, 1998年) ends before the 代字 starts.
        for (position, scalar) in scalars.enumerated().reversed() where position + 1 < scalars.count {
            guard scalar == 0x65E5 || scalar == 0x5E74 || scalar == 0x6708 else { continue }  // 日 年 月
            let previous = position == 0 ? nil : scalars[position - 1]
            let datePart = previous.map { NumberCharacters.chineseDigit($0) != nil || NumberCharacters.chineseUnit($0) != nil }
                ?? afterDigit
            if datePart {
                from = position + 1
                break
            }
        }
        // Cut after the last boundary word that leaves at least one character.
        for end in stride(from: scalars.count - 1, to: from, by: -1) {
            if boundaryWords.contains(where: { word in
                word.count <= end && zip(word, scalars[(end - word.count)..<end]).allSatisfy { $0 == $1 }
            }) {
                from = end
                break
            }
        }
        while scalars.count - from > 2, leadingWeak.contains(scalars[from]) { from += 1 }
        from = max(from, scalars.count - maxLength)
        return Array(run[from...])
    }

    /// Whether a name ends as an organisation does (河北省人民政府, 交通运输部), unlike a 代字 (沈政).
    static func namesOrganisation(_ name: Substring) -> Bool {
        name.count >= 3 && ["政府", "委员会", "部", "局", "厅", "署", "院", "办公室", "银行", "会"].contains { name.hasSuffix($0) }
    }

    /// The decree series for an issuer: 中华人民共和国国务院 → 国务院令, 国 → 国务院令.
    static func decreeAgency(_ issuer: String) -> String {
        var name = Substring(issuer)
        let republic = "中华人民共和国"
        if name.hasPrefix(republic) && name.count > republic.count { name = name.dropFirst(republic.count) }
        if name == "国" { name = "国务院" }
        return name + "令"
    }

    static func seriesLint(_ series: String) -> [NumberLint] {
        guard DocumentNumber.impliedPrefix(of: series) != nil else { return [] }
        return [NumberLint(.impliedIssuer, "\(series) leaves the issuer to context; name it (浙江省人民政府令) before using the number as a key")]
    }

    static func bracketsPair(_ open: UInt32, _ close: UInt32) -> Bool {
        switch (open, close) {
        case (0x3014, 0x3015), (0x5B, 0x5D), (0x3010, 0x3011), (0x28, 0x29), (0xFF08, 0xFF09), (0x3008, 0x3009),
             (0xFF3B, 0xFF3D), (0xFE5D, 0xFE5E), (0x3016, 0x3017), (0xFE59, 0xFE5A), (0x28, 0xFF09), (0xFF08, 0x29):
            true
        default: false
        }
    }
}

private func scalarText(_ value: UInt32) -> String {
    Unicode.Scalar(value).map { String(Character($0)) } ?? "?"
}
