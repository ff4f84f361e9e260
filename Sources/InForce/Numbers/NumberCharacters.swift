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

    /// Traditional forms seen in agency codes and issuer names, folded to the simplified form.
    static let simplified: [UInt32: UInt32] = {
        let pairs = """
        國国發发號号辦办廳厅貿贸經经會会衛卫財财稅税務务農农環环學学設设勞劳動动計计價价證证監监銀银險险鐵铁電电運运輸输規规劃划\
        協协體体資资產产産产業业養养醫医藥药總总廣广東东蘇苏遼辽龍龙貴贵陝陕寧宁華华與与關关於于為为區区縣县鄉乡鎮镇團团黨党\
        機机構构編编紀纪審审統统僑侨聯联組组織织軍军復复歸归檔档質质檢检驗验糧粮儲储備备進进門门開开達达專专訊讯網网貨货幣币\
        報报導导領领軌轨車车漁渔濟济礦矿書书記记預预決决議议項项園园風风雲云應应戰战蘭兰閩闽滬沪魯鲁粵粤瓊琼臺台內内晉晋贛赣\
        陽阳紹绍興兴蕪芜銅铜慶庆連连遠远廈厦門门漢汉鄭郑瀋沈蘭兰寶宝澤泽滄沧灣湾黃黄從从衆众眾众辭辞廢废屬属實实驗验員员處处\
        禮礼樂乐買买賣卖稅税費费險险務务齊齐營营醫医療疗壽寿鄰邻壩坝灘滩湯汤溫温濱滨淮淮滿满黎黎鳳凤頭头鵬鹏鶴鹤麗丽龜龟韓韩\
        歐欧亞亚盧卢羅罗塢坞嶺岭巖岩島岛嶼屿灤滦潁颍
        """
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
