/// The characters that make up document numbers as real pages write them, and how each folds
/// into the canonical form.
enum NumberCharacters {
    static func isCJK(_ scalar: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(scalar) || (0x3400...0x4DBF).contains(scalar)
            || (0xF900...0xFAFF).contains(scalar) || scalar == 0x3007
    }

    /// Spaces and line breaks that sites put inside numbers, including no-break and ideographic spaces.
    static func isSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x3000, 0xFEFF, 0x2002...0x200B: true
        default: false
        }
    }

    /// An ASCII or full-width digit's value.
    static func digitValue(_ scalar: UInt32) -> Int? {
        if (0x30...0x39).contains(scalar) { return Int(scalar - 0x30) }
        if (0xFF10...0xFF19).contains(scalar) { return Int(scalar - 0xFF10) }
        return nil
    }

    static func isFullWidthDigit(_ scalar: UInt32) -> Bool { (0xFF10...0xFF19).contains(scalar) }

    /// Opening brackets seen around the year: 〔 [ 【 ( （ 〈 ［ ﹝ 〖 ﹙.
    static func isOpeningBracket(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x3014, 0x5B, 0x3010, 0x28, 0xFF08, 0x3008, 0xFF3B, 0xFE5D, 0x3016, 0xFE59: true
        default: false
        }
    }

    static func isClosingBracket(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x3015, 0x5D, 0x3011, 0x29, 0xFF09, 0x3009, 0xFF3D, 0xFE5E, 0x3017, 0xFE5A: true
        default: false
        }
    }

    static let hao: Set<UInt32> = [0x53F7, 0x865F]  // 号 號
    static let di: UInt32 = 0x7B2C  // 第
    static let ling: UInt32 = 0x4EE4  // 令
    static let gong: UInt32 = 0x516C  // 公
    static let gao: UInt32 = 0x544A  // 告
    static let nian: UInt32 = 0x5E74  // 年

    /// Chinese numerals used in decree numbers such as 主席令第六十九号.
    static func chineseDigit(_ scalar: UInt32) -> Int? {
        switch scalar {
        case 0x3007, 0x96F6, 0x25CB, 0x25EF, 0x039F, 0x004F: 0  // 〇 零 ○ ◯ (and look-alikes)
        case 0x4E00: 1
        case 0x4E8C: 2
        case 0x4E09: 3
        case 0x56DB: 4
        case 0x4E94: 5
        case 0x516D: 6
        case 0x4E03: 7
        case 0x516B: 8
        case 0x4E5D: 9
        default: nil
        }
    }

    static func chineseUnit(_ scalar: UInt32) -> Int? {
        switch scalar {
        case 0x5341: 10  // 十
        case 0x767E: 100  // 百
        case 0x5343: 1000  // 千
        default: nil
        }
    }

    /// Letters of an injected pinyin gloss such as (hào): ASCII letters and tone-marked vowels.
    static func isPinyinLetter(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x41...0x5A, 0x61...0x7A: true
        case 0xE0, 0xE1, 0xE8, 0xE9, 0xEC, 0xED, 0xF2, 0xF3, 0xF9, 0xFA, 0xFC: true
        case 0x101, 0x113, 0x11B, 0x12B, 0x144, 0x148, 0x14D, 0x16B, 0x1CE, 0x1D0, 0x1D2, 0x1D4, 0x1D6, 0x1D8, 0x1DA, 0x1DC,
             0x1F9, 0x1E3F, 0x251, 0x261:
            true
        default: false
        }
    }

    /// Every traditional character OpenCC's t2s knows, folded to its simplified form
    /// (`TraditionalTable.swift`, generated from OpenCC's dictionary).
    static let simplified: [UInt32: UInt32] = {
        let pairs = traditionalPairs
        var table: [UInt32: UInt32] = [:]
        var iterator = pairs.unicodeScalars.makeIterator()
        while let traditional = iterator.next(), let simple = iterator.next() {
            if traditional != simple { table[traditional.value] = simple.value }
        }
        return table
    }()

    /// `simplified` as a flat table over the CJK block, so folding a page costs one load per character.
    private static let foldTable: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 0xA000 - 0x4E00)
        for (traditional, simple) in simplified where (0x4E00..<0xA000).contains(traditional) {
            table[Int(traditional - 0x4E00)] = simple
        }
        return table
    }()

    static func fold(_ scalar: UInt32) -> UInt32 {
        guard scalar >= 0x4E00 && scalar < 0xA000 else { return simplified[scalar] ?? scalar }
        let folded = foldTable[Int(scalar - 0x4E00)]
        return folded == 0 ? scalar : folded
    }

    static func isTraditional(_ scalar: UInt32) -> Bool { fold(scalar) != scalar }
}

extension String {
    /// The text with every traditional character replaced by its simplified form, one character
    /// for one (OpenCC's t2s character table), so offsets in Unicode scalars stay valid:
    /// `"盤錦市人民政府令".simplifiedCharacters == "盘锦市人民政府令"`.
    public var simplifiedCharacters: String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: unicodeScalars.map { Unicode.Scalar(NumberCharacters.fold($0.value)) ?? $0 })
        return String(result)
    }
}
