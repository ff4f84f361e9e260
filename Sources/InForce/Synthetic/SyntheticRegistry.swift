/// A synthetic registry with the real shape, for trying InForce at national scale: issuers in a
/// national → provincial → prefecture → county hierarchy with their 代字 and regional rules;
/// documents citing documents above them (mostly `basis`) and beside them; cleanup notices every
/// two years per government with closed lists; validity periods and 暂行/试行 documents; repeals
/// (some by same-titled successors), amendments and re-publications; and a sprinkling of
/// contradictions, unknown citations and cycles. Deterministic from the seed.
public struct SyntheticRegistry {
    public let issuers: IssuerTable
    public let regions: RegionTable

    struct Government {
        let name: String
        let office: String
        let code: String
        let officeCode: String
        let level: Level
        let region: String
        let parent: Int?
    }

    struct Written {
        let number: DocumentNumber
        let title: String
        let government: Int
        let issued: Day
    }

    let governments: [Government]
    var random: SeededRandom

    public init(documents: Int, seed: UInt64) {
        random = SeededRandom(seed: seed)
        // Enough governments that each issues a realistic number of documents (~60 per county).
        let provinces = 31
        let prefecturesPerProvince = max(1, min(12, documents / 2_000))
        let countiesPerPrefecture = max(0, min(8, documents / 20_000))
        var governments: [Government] = []
        var issuerList: [Issuer] = []
        var regionList: [Region] = [Region(name: "全国")]
        var ruleList: [RegionRule] = []
        func add(_ government: Government) {
            governments.append(government)
            let parentName = government.parent.map { governments[$0].name }
            issuerList.append(Issuer(name: government.name, codes: [government.code, government.name + "令"], level: government.level, region: government.region, parent: parentName))
            issuerList.append(Issuer(name: government.office, codes: [government.officeCode], level: government.level, region: government.region, parent: government.name))
        }
        add(Government(name: "国务院", office: "国务院办公厅", code: "国发", officeCode: "国办发", level: .national, region: "全国", parent: nil))
        let syllables = Array("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土东南西北中天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏")
        // Place names must be unique, or two issuers would share a name and a 代字.
        var used: Set<String> = []
        func unique(_ base: String) -> String {
            var name = base
            var extra = 0
            while !used.insert(name).inserted {
                // Chinese characters only: a 代字 holds no digits.
                name = base + String(syllables[extra % syllables.count])
                    + (extra >= syllables.count ? String(syllables[(extra / syllables.count) % syllables.count]) : "")
                extra += 1
            }
            return name
        }
        for p in 0..<provinces {
            let short = unique(String(syllables[p % syllables.count]) + String(syllables[(p * 7 + 3) % syllables.count]))
            let province = governments.count
            let regionName = "\(short)省"
            regionList.append(Region(name: regionName, parent: "全国"))
            // Synthetic rules, so that answers exercise rule-derived dates; their words say they are made up.
            var rule = RegionRule(region: regionName, instrument: "\(short)省规范性文件管理办法（合成）", number: "\(short)省人民政府令第1号", article: "第一条",
                                  words: "synthetic rule: not a published text", source: "inforce generate")
            if p % 3 == 0 { rule.effectiveDelayDays = 30 }
            if p % 2 == 0 {
                rule.defaultValidity = try? ValidityPeriod(years: 5)
                rule.provisionalValidity = try? ValidityPeriod(years: 2)
                rule.atEnd = .lapses
            }
            if rule.setsAnything { ruleList.append(rule) }
            add(Government(name: "\(short)省人民政府", office: "\(short)省人民政府办公厅", code: "\(short)政发", officeCode: "\(short)政办发", level: .provincial, region: regionName, parent: 0))
            for c in 0..<prefecturesPerProvince {
                let city = unique(short + String(syllables[(p + c * 5 + 11) % syllables.count]) + String(syllables[(c * 3 + p) % syllables.count]))
                let prefecture = governments.count
                let cityRegion = "\(regionName)\(city)市"
                regionList.append(Region(name: cityRegion, parent: regionName))
                add(Government(name: "\(city)市人民政府", office: "\(city)市人民政府办公室", code: "\(city)政发", officeCode: "\(city)政办发", level: .prefecture, region: cityRegion, parent: province))
                for k in 0..<countiesPerPrefecture {
                    let county = unique(city + String(syllables[(k * 13 + c + p) % syllables.count]))
                    regionList.append(Region(name: "\(cityRegion)\(county)县", parent: cityRegion))
                    add(Government(name: "\(county)县人民政府", office: "\(county)县人民政府办公室", code: "\(county)县政发", officeCode: "\(county)县政办发", level: .county, region: "\(cityRegion)\(county)县", parent: prefecture))
                }
            }
        }
        self.governments = governments
        issuers = IssuerTable(issuerList)
        regions = RegionTable(regionList, rules: ruleList)
    }

    static let topics = ["进一步做好为农民工服务工作", "加强城市供水价格管理", "推进政务新媒体健康有序发展", "促进中小企业发展", "加强安全生产工作",
                         "规范行政规范性文件管理", "推进养老服务体系建设", "加快发展现代农业", "深化户籍制度改革", "加强生态环境保护",
                         "优化营商环境", "推进全民健身", "加强食品安全监管", "促进就业创业", "加强耕地保护"]
    static let kinds = ["实施意见", "通知", "若干意见", "管理办法", "实施方案", "暂行办法", "管理办法(试行)"]

    /// `count` records in issue order, in memory (tests and benchmarks of a few thousand).
    public mutating func records(_ count: Int) -> [DocumentRecord] {
        var records: [DocumentRecord] = []
        records.reserveCapacity(count)
        generate(count) { records.append($0) }
        return records
    }

    /// Generates `count` records in issue order and hands each to `sink`.
    public mutating func generate(_ count: Int, _ sink: (DocumentRecord) throws -> Void) rethrows {
        var written: [Written] = []
        written.reserveCapacity(count)
        var sequences: [String: Int] = [:]
        var byGovernment: [[Int]] = Array(repeating: [], count: governments.count)
        var lastNotice: [Int: Int] = [:]
        // A document that cites the next number of its series, which will cite it back: a cycle.
        var cycleOpen: [DocumentNumber: DocumentNumber] = [:]
        func level(_ government: Int) -> Int {
            switch governments[government].level {
            case .national: 0
            case .provincial: 1
            case .prefecture: 2
            case .county, .department: 3
            }
        }
        func chain(_ government: Int) -> [Int] {
            var result: [Int] = []
            var current = governments[government].parent
            while let next = current { result.append(next); current = governments[next].parent }
            return result
        }
        func next(_ agency: String, _ year: Int) -> Int {
            let key = "\(agency)\(year)"
            let value = (sequences[key] ?? 0) + 1
            sequences[key] = value
            return value
        }
        let startOrdinal = try! Day(year: 1995, month: 1, day: 1).ordinal
        let span = try! Day(year: 2024, month: 12, day: 31).ordinal - startOrdinal
        for index in 0..<count {
            // Issue dates rise through the run, so citations point back in time.
            let issued = Day(ordinal: startOrdinal + span * index / max(1, count) + random.next(20))
            // More documents at lower levels.
            let roll = random.next(100)
            let wantedLevel = roll < 2 ? 0 : roll < 12 ? 1 : roll < 45 ? 2 : 3
            var government = random.next(governments.count)
            for _ in 0..<8 where level(government) != wantedLevel { government = random.next(governments.count) }
            let g = governments[government]
            let office = random.next(2) == 0
            let agency = office ? g.officeCode : g.code
            let year = issued.year
            let isNotice = (lastNotice[government].map { year - $0 >= 2 } ?? (year % 2 == 0)) && !byGovernment[government].isEmpty && random.next(4) == 0
            let number = try! DocumentNumber("\(agency)〔\(year)〕\(next(agency, year))号")
            var title: String
            var record: DocumentRecord
            if isNotice {
                lastNotice[government] = year
                title = "\(g.name)关于公布\(year)年行政规范性文件清理结果的通知"
                record = DocumentRecord(number: number, title: title, issuer: office ? g.office : g.name, level: g.level, issued: issued, published: issued.adding(days: 3))
                var notice = CleanupNotice(scopeIssuers: [g.name, g.office], issuedBefore: issued.adding(days: -30), closedList: random.next(3) != 0)
                if notice.closedList == true { notice.closedListQuote = "未列入继续有效目录的\(g.name)行政规范性文件，不得作为行政管理的依据。" }
                for previous in byGovernment[government].suffix(60) where written[previous].issued < issued.adding(days: -30) {
                    let outcomeRoll = random.next(100)
                    let outcome: DispositionOutcome = outcomeRoll < 80 ? .continued : outcomeRoll < 88 ? .amend : outcomeRoll < 95 ? .repealed : .invalidated
                    let effective = outcome == .amend && random.next(2) == 0 ? issued.adding(days: 90) : nil
                    notice.dispositions.append(Disposition(number: written[previous].number, title: written[previous].title, outcome: outcome, effective: effective,
                                                           quote: "\(notice.dispositions.count + 1) \(written[previous].title) \(written[previous].number.canonical) \(outcome.chinese)"))
                }
                record.notice = notice
            } else {
                let kind = SyntheticRegistry.kinds[random.next(SyntheticRegistry.kinds.count)]
                title = "\(office ? g.office : g.name)关于\(SyntheticRegistry.topics[random.next(SyntheticRegistry.topics.count)])的\(kind)"
                // A same-titled successor now and then.
                var repeals: Written?
                if random.next(50) == 0, let earlier = byGovernment[government].last(where: { !written[$0].title.contains("清理结果") }) {
                    repeals = written[earlier]
                    title = written[earlier].title
                }
                record = DocumentRecord(number: number, title: title, issuer: office ? g.office : g.name, level: g.level, issued: issued,
                                        published: issued.adding(days: random.next(10)))
                if random.next(10) == 0 { record.validity = try? ValidityPeriod(years: 1 + random.next(5)) }
                if random.next(20) == 0 { record.expires = issued.adding(years: 3) }
                // Bases above, references beside.
                for above in chain(government).shuffled(using: &random).prefix(1 + random.next(3)) {
                    if let cited = byGovernment[above].last(where: { written[$0].issued < issued }) {
                        record.citations.append(Citation(number: written[cited].number, title: written[cited].title, relation: random.next(5) == 0 ? .implements : .basis,
                                                         evidence: "根据《\(written[cited].title)》（\(written[cited].number.canonical)）精神"))
                    }
                }
                if random.next(4) == 0, let beside = byGovernment[government].randomElement(using: &random) {
                    record.citations.append(Citation(number: written[beside].number, title: written[beside].title, relation: .reference,
                                                     evidence: "参照《\(written[beside].title)》（\(written[beside].number.canonical)）"))
                }
                if let repeals {
                    record.citations.append(Citation(number: repeals.number, title: repeals.title, relation: .repeals,
                                                     evidence: "《\(repeals.title)》（\(repeals.number.canonical)）同时废止。"))
                } else if random.next(50) == 0, let amended = byGovernment[government].last {
                    record.citations.append(Citation(number: written[amended].number, title: written[amended].title, relation: .amends,
                                                     evidence: "对《\(written[amended].title)》（\(written[amended].number.canonical)）作如下修改"))
                }
                // Sprinkles: a cycle with the next document of the series, a number nobody has.
                if let partner = cycleOpen.removeValue(forKey: number) {
                    record.citations.append(Citation(number: partner, relation: .basis, evidence: "根据（\(partner.canonical)）"))
                } else if random.next(500) == 0 {
                    let future = try! DocumentNumber("\(agency)〔\(year)〕\((sequences["\(agency)\(year)"] ?? 0) + 1)号")
                    cycleOpen[future] = number
                    record.citations.append(Citation(number: future, relation: .basis, evidence: "根据（\(future.canonical)）"))
                }
                if random.next(100) == 0 {
                    record.citations.append(Citation(number: try! DocumentNumber("\(g.code)〔\(year)〕\(9000 + random.next(999))号"), relation: .reference, evidence: "参照有关文件"))
                }
            }
            written.append(Written(number: number, title: title, government: government, issued: issued))
            byGovernment[government].append(index)
            try sink(record)
        }
    }
}

/// SplitMix64: small, fast and the same on every machine.
public struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    public mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}
