import InForce
import Testing

/// Each lifecycle rule as a scenario built through the library.
@Suite("Validity on a date")
struct ValidityTests {
    static func day(_ text: String) -> Day { try! Day(iso: text) }
    static func number(_ text: String) -> DocumentNumber { try! DocumentNumber(text) }

    static func status(_ records: [DocumentRecord], _ document: String, on date: String, issuers: IssuerTable = IssuerTable([]), regions: RegionTable = RegionTable([])) -> StatusAnswer {
        let index = ValidityIndex(records: records, issuers: issuers, regions: regions)
        return index.answer(index.node(.number(number(document)))!, on: day(date))
    }

    @Test("a closed-list notice lapses a document in its scope that it does not keep")
    func closedList() {
        let kept = DocumentRecord(number: Self.number("甲政发〔2015〕1号"), title: "甲市人民政府关于甲的通知", issuer: "甲市人民政府", issued: Self.day("2015-03-01"))
        let dropped = DocumentRecord(number: Self.number("甲政发〔2016〕2号"), title: "甲市人民政府关于乙的通知", issuer: "甲市人民政府", issued: Self.day("2016-03-01"))
        let later = DocumentRecord(number: Self.number("甲政发〔2021〕3号"), title: "甲市人民政府关于丙的通知", issuer: "甲市人民政府", issued: Self.day("2021-03-01"))
        let notice = DocumentRecord(
            number: Self.number("甲政发〔2020〕9号"), title: "甲市人民政府关于公布行政规范性文件清理结果的通知", issuer: "甲市人民政府", issued: Self.day("2020-06-30"),
            notice: CleanupNotice(
                scopeIssuers: ["甲市人民政府"], issuedBefore: Self.day("2019-12-31"), closedList: true,
                closedListQuote: "未列入继续有效目录的市政府行政规范性文件，一律不得作为行政管理的依据。",
                dispositions: [Disposition(number: Self.number("甲政发〔2015〕1号"), outcome: .continued, quote: "1 甲市人民政府关于甲的通知 甲政发〔2015〕1号 继续有效")]))
        let records = [kept, dropped, later, notice]
        #expect(Self.status(records, "甲政发〔2016〕2号", on: "2020-01-01").status == .inForce)
        let lapsed = Self.status(records, "甲政发〔2016〕2号", on: "2020-07-01")
        #expect(lapsed.status == .invalidated)
        #expect(lapsed.since == Self.day("2020-06-30"))
        #expect(lapsed.evidence.contains { $0.source == "甲政发〔2020〕9号" && $0.quote?.hasPrefix("未列入") == true })
        let keptAnswer = Self.status(records, "甲政发〔2015〕1号", on: "2020-07-01")
        #expect(keptAnswer.status == .inForce)
        #expect(keptAnswer.evidence.contains { $0.event == "continued" && $0.source == "甲政发〔2020〕9号" })
        #expect(Self.status(records, "甲政发〔2021〕3号", on: "2021-07-01").status == .inForce, "issued after the cut-off: out of scope")
    }

    @Test("a later document with the same title repeals the earlier one (…同时废止)")
    func repealBySameTitle() {
        let old = DocumentRecord(number: Self.number("劳社部发〔2000〕8号"), title: "关于职工全年月平均工作时间和工资折算问题的通知", issued: Self.day("2000-03-17"))
        let new = DocumentRecord(
            number: Self.number("劳社部发〔2008〕3号"), title: "关于职工全年月平均工作时间和工资折算问题的通知", issued: Self.day("2008-01-03"),
            citations: [Citation(number: Self.number("劳社部发〔2000〕8号"), title: old.title, relation: .repeals, evidence: "《关于职工全年月平均工作时间和工资折算问题的通知》（劳社部发[2000]8号）同时废止")])
        #expect(Self.status([old, new], "劳社部发〔2000〕8号", on: "2007-12-31").status == .inForce)
        let answer = Self.status([old, new], "劳社部发〔2000〕8号", on: "2008-06-01")
        #expect(answer.status == .repealed)
        #expect(answer.since == Self.day("2008-01-03"))
        #expect(answer.evidence.last?.source == "劳社部发〔2008〕3号")
        #expect(Self.status([old, new], "劳社部发〔2008〕3号", on: "2008-06-01").status == .inForce)
    }

    @Test("a 试行 document lapses under its region's default, counted from the region's effective delay")
    func provisionalDefault() {
        let issuers = IssuerTable([Issuer(name: "乙省人民政府", codes: ["乙政发"], level: .provincial, region: "乙省")])
        var rule = RegionRule(region: "乙省", instrument: "乙省规范性文件管理办法", words: "test rule", source: "test")
        rule.effectiveDelayDays = 30
        rule.defaultValidity = try! ValidityPeriod(iso: "P5Y")
        rule.provisionalValidity = try! ValidityPeriod(iso: "P2Y")
        rule.atEnd = .lapses
        let regions = RegionTable([Region(name: "乙省")], rules: [rule])
        let trial = DocumentRecord(number: Self.number("乙政发〔2018〕4号"), title: "乙省某某管理办法(试行)", published: Self.day("2018-01-01"))
        let plain = DocumentRecord(number: Self.number("乙政发〔2018〕5号"), title: "乙省某某管理办法", published: Self.day("2018-01-01"))
        let before = Self.status([trial, plain], "乙政发〔2018〕4号", on: "2018-01-20", issuers: issuers, regions: regions)
        #expect(before.status == .notYetInForce, "30 days after publication")
        #expect(Self.status([trial, plain], "乙政发〔2018〕4号", on: "2020-01-30", issuers: issuers, regions: regions).status == .inForce)
        let lapsed = Self.status([trial, plain], "乙政发〔2018〕4号", on: "2020-01-31", issuers: issuers, regions: regions)
        #expect(lapsed.status == .expired)
        #expect(lapsed.since == Self.day("2020-01-31"))
        #expect(Self.status([trial, plain], "乙政发〔2018〕5号", on: "2020-01-31", issuers: issuers, regions: regions).status == .inForce)
    }

    @Test("a conditional date: to be amended and re-published, or invalid from the date the notice names")
    func conditionalInvalidation() {
        let target = DocumentRecord(number: Self.number("丙政发〔2015〕6号"), title: "丙市人民政府关于丁的规定", issued: Self.day("2015-05-01"))
        let notice = DocumentRecord(
            number: Self.number("丙政发〔2020〕33号"), title: "丙市人民政府关于公布清理结果的通知", issued: Self.day("2020-09-28"),
            notice: CleanupNotice(dispositions: [Disposition(number: target.number, outcome: .amend, effective: Self.day("2021-01-01"), quote: "需修改后重新发布的…逾期未公布的,自2021年1月1日起宣布失效")]))
        #expect(Self.status([target, notice], "丙政发〔2015〕6号", on: "2020-12-31").status == .inForce)
        #expect(Self.status([target, notice], "丙政发〔2015〕6号", on: "2021-01-01").status == .invalidated)
        let republished = DocumentRecord(
            number: Self.number("丙政发〔2020〕40号"), title: "丙市人民政府关于丁的规定", issued: Self.day("2020-12-01"),
            citations: [Citation(number: target.number, relation: .amends, evidence: "对《丙市人民政府关于丁的规定》作如下修改")])
        let answer = Self.status([target, notice, republished], "丙政发〔2015〕6号", on: "2021-06-01")
        #expect(answer.status == .inForce)
        #expect(answer.amended)
    }

    @Test("contradictory notices are both shown and flagged")
    func contradictory() {
        let target = DocumentRecord(number: Self.number("丁政发〔2012〕1号"), title: "丁市人民政府关于戊的意见", issued: Self.day("2012-01-01"))
        let keep = DocumentRecord(number: Self.number("丁政发〔2019〕8号"), title: "清理结果的通知", issued: Self.day("2019-06-01"),
                                  notice: CleanupNotice(dispositions: [Disposition(number: target.number, outcome: .continued, quote: "继续有效")]))
        let repeal = DocumentRecord(number: Self.number("丁政办发〔2019〕9号"), title: "废止部分文件的决定", issued: Self.day("2019-08-01"),
                                    notice: CleanupNotice(dispositions: [Disposition(number: target.number, outcome: .repealed, quote: "废止")]))
        let answer = Self.status([target, keep, repeal], "丁政发〔2012〕1号", on: "2020-01-01")
        #expect(answer.status == .repealed)
        #expect(answer.findings.contains { $0.kind == .contradictoryDispositions })
    }

    @Test("a site's note that disagrees with the notice is reported, and the notice decides")
    func thirdPartyDisagrees() {
        let target = DocumentRecord(
            number: Self.number("戊政发〔2014〕2号"), title: "戊市人民政府关于己的通知", issued: Self.day("2014-01-01"),
            facts: [Fact(event: .disposition, outcome: .repealed, by: Self.number("戊政发〔2018〕5号"), site: "某法规网", date: Self.day("2018-03-01"), quote: "某法规网提示：已废止")])
        let notice = DocumentRecord(number: Self.number("戊政发〔2019〕7号"), title: "清理结果的通知", issued: Self.day("2019-05-01"),
                                    notice: CleanupNotice(dispositions: [Disposition(number: target.number, outcome: .continued, quote: "继续有效")]))
        let answer = Self.status([target, notice], "戊政发〔2014〕2号", on: "2020-01-01")
        #expect(answer.status == .inForce)
        #expect(answer.findings.contains { $0.kind == .thirdPartyDisagrees })
    }

    @Test("a cycle of citations is reported, and walks end")
    func cycle() {
        let a = DocumentRecord(number: Self.number("庚发〔2010〕1号"), title: "甲", issued: Self.day("2010-01-01"),
                               citations: [Citation(number: Self.number("庚发〔2010〕2号"), relation: .basis, evidence: "根据")])
        let b = DocumentRecord(number: Self.number("庚发〔2010〕2号"), title: "乙", issued: Self.day("2010-01-01"),
                               citations: [Citation(number: Self.number("庚发〔2010〕1号"), relation: .basis, evidence: "根据"),
                                           Citation(number: Self.number("庚发〔2010〕2号"), relation: .basis, evidence: "根据")])
        let index = ValidityIndex(records: [a, b])
        let walk = index.trace(index.node(.number(Self.number("庚发〔2010〕1号")))!, on: Self.day("2012-01-01"))
        #expect(walk.steps.count == 1)
        #expect(!walk.cycles.isEmpty)
        let answer = index.answer(index.node(.number(Self.number("庚发〔2010〕1号")))!, on: Self.day("2012-01-01"))
        #expect(answer.findings.contains { $0.kind == .cycle })
    }

    @Test("basis_not_in_force follows the chain upward, and unknown and later citations are flagged")
    func chain() {
        let top = DocumentRecord(number: Self.number("国发〔2010〕1号"), title: "上位", issued: Self.day("2010-01-01"), expires: Self.day("2015-12-31"))
        let middle = DocumentRecord(number: Self.number("省发〔2011〕2号"), title: "中", issued: Self.day("2011-01-01"),
                                    citations: [Citation(number: Self.number("国发〔2010〕1号"), relation: .basis, evidence: "根据")])
        let bottom = DocumentRecord(number: Self.number("市发〔2012〕3号"), title: "下", issued: Self.day("2012-01-01"),
                                    citations: [Citation(number: Self.number("省发〔2011〕2号"), relation: .implements, evidence: "贯彻落实"),
                                                Citation(number: Self.number("国发〔2099〕9号"), relation: .reference, evidence: "参照"),
                                                Citation(number: Self.number("省发〔2013〕4号"), relation: .reference, evidence: "参照")])
        let later = DocumentRecord(number: Self.number("省发〔2013〕4号"), title: "后", issued: Self.day("2013-01-01"))
        let index = ValidityIndex(records: [top, middle, bottom, later])
        let answer = index.answer(index.node(.number(Self.number("市发〔2012〕3号")))!, on: Self.day("2017-06-01"))
        let basis = answer.findings.first { $0.kind == .basisNotInForce }
        #expect(basis?.documents.prefix(3) == ["市发〔2012〕3号", "省发〔2011〕2号", "国发〔2010〕1号"])
        #expect(answer.findings.contains { $0.kind == .unknownCitation && $0.documents.contains("国发〔2099〕9号") })
        #expect(answer.findings.contains { $0.kind == .citesLaterDocument && $0.documents.contains("省发〔2013〕4号") })
        #expect(answer.findings.contains { $0.kind == .reviewOverdue })
    }

    @Test("a law repealed by a later one (…同时废止) is a lesser finding for a document that only mentions it, with the words that mention it")
    func mentionOfRepealedLaw() {
        let old = DocumentRecord(number: nil, title: "中华人民共和国合同法", issued: Self.day("1999-03-15"), effective: Self.day("1999-10-01"))
        let code = DocumentRecord(
            number: nil, title: "中华人民共和国民法典", issued: Self.day("2020-05-28"), effective: Self.day("2021-01-01"),
            citations: [Citation(number: nil, title: "中华人民共和国合同法", relation: .repeals, evidence: "《中华人民共和国合同法》…同时废止")])
        let notice = DocumentRecord(
            number: Self.number("某政发〔2015〕3号"), title: "某市人民政府关于规范合同管理的通知", issued: Self.day("2015-03-01"),
            citations: [Citation(number: nil, title: "合同法", relation: .reference, evidence: "按照《合同法》有关规定")])
        let index = ValidityIndex(records: [old, code, notice])
        let node = index.node(.number(Self.number("某政发〔2015〕3号")))!
        let after = index.answer(node, on: Self.day("2022-01-01")).findings.filter { $0.kind == .mentionsNotInForce }
        #expect(after.count == 1)
        #expect(after.first?.quote == "按照《合同法》有关规定")
        #expect(after.first?.message.contains("from 2021-01-01") == true, "\(after)")
        #expect(!index.answer(node, on: Self.day("2022-01-01")).findings.contains { $0.kind == .basisNotInForce })
        #expect(!index.answer(node, on: Self.day("2020-06-01")).findings.contains { $0.kind == .mentionsNotInForce })
    }

    @Test("lint asks the issuers table for the issuers of the register's documents, not for the maker a law's own text names")
    func lawMakersNeedNoTableEntry() throws {
        var law = DocumentRecord(number: Self.number("国务院令第593号"), title: "公路安全保护条例", issuer: "国务院")
        law.rank = .administrativeRegulation
        let notice = DocumentRecord(number: Self.number("某政发〔2015〕3号"), title: "某市人民政府关于甲的通知", issuer: "某市人民政府")
        let problems = RegistryConsistency.problems(
            records: [("law.toml", law), ("notice.toml", notice)], issuers: IssuerTable([]), issuersOrigin: "issuers.toml",
            regions: RegionTable([]), regionsOrigin: "regions.toml")
        #expect(problems.filter { $0.origin == "law.toml" }.isEmpty, "\(problems)")
        #expect(problems.filter { $0.origin == "notice.toml" }.count == 2)
    }

    @Test("a law known only by the texts of its versions repeals from the day its first version binds")
    func repealByVersionsOnly() throws {
        var code = DocumentRecord(
            number: nil, title: "中华人民共和国价格管理条例",
            citations: [Citation(number: nil, title: "物价管理暂行条例", relation: .repeals, evidence: "《物价管理暂行条例》同时废止")])
        code.versions = [DocumentVersion(date: Self.day("1987-09-10"), effective: Self.day("1987-09-10"), source: "价格管理条例(1987-09-10).md")]
        let old = DocumentRecord(number: nil, title: "物价管理暂行条例")
        let index = ValidityIndex(records: [code, old])
        let answer = index.answer(index.node(.title(TitleIdentity.key("物价管理暂行条例")))!, on: Self.day("2000-01-01"))
        #expect(answer.status == .repealed, "\(answer.reason)")
    }

    @Test("review_overdue is for the documents offices clean up, not for a law its makers amend or repeal")
    func reviewIsForCleanedUpDocuments() {
        var law = DocumentRecord(number: nil, title: "中华人民共和国甲法", issued: Self.day("2007-06-29"), effective: Self.day("2008-01-01"))
        law.rank = .law
        var rule = DocumentRecord(number: Self.number("某省人民政府令第1号"), title: "某省乙办法", issued: Self.day("2008-01-01"))
        rule.rank = .localGovernmentRule
        let index = ValidityIndex(records: [law, rule])
        let day = Self.day("2024-01-01")
        #expect(!index.answer(index.node(.title(TitleIdentity.key("中华人民共和国甲法")))!, on: day).findings.contains { $0.kind == .reviewOverdue })
        #expect(index.answer(index.node(.number(Self.number("某省人民政府令第1号")))!, on: day).findings.contains { $0.kind == .reviewOverdue })
    }

    @Test("a law known only by the texts of its versions is in force from its first version, not unknown")
    func inForceFromFirstVersion() {
        var law = DocumentRecord(number: nil, title: "普通高等学校设置暂行条例", sources: ["普通高等学校设置暂行条例(1986-12-15).md"])
        law.versions = [DocumentVersion(date: Self.day("1986-12-15"), effective: Self.day("1986-12-15"), source: "普通高等学校设置暂行条例(1986-12-15).md")]
        let index = ValidityIndex(records: [law])
        let node = index.node(.title(TitleIdentity.key("普通高等学校设置暂行条例")))!
        #expect(index.answer(node, on: Self.day("2000-01-01")).status == .inForce)
        #expect(index.answer(node, on: Self.day("1980-01-01")).status != .inForce)
    }

    @Test("a law's text is its latest version's: citing a law made after its first version is no cites_later_document")
    func laterVersionCitesLaterLaw() {
        var law = DocumentRecord(
            number: nil, title: "中华人民共和国甲法", issued: Self.day("2007-06-29"), sources: ["甲法(2012-12-28).md"],
            citations: [Citation(number: nil, title: "中华人民共和国乙法", relation: .reference, evidence: "《中华人民共和国乙法》")])
        law.versions = [DocumentVersion(date: Self.day("2007-06-29")), DocumentVersion(date: Self.day("2012-12-28"), source: "甲法(2012-12-28).md")]
        let cited = DocumentRecord(number: nil, title: "中华人民共和国乙法", issued: Self.day("2010-10-28"))
        let index = ValidityIndex(records: [law, cited])
        let answer = index.answer(index.node(.title(TitleIdentity.key("中华人民共和国甲法")))!, on: Self.day("2020-01-01"))
        #expect(!answer.findings.contains { $0.kind == .citesLaterDocument }, "\(answer.findings)")
    }

    @Test("a law keyed by its decree is reached by its title too, before a stub of that title; a title record read from its text stays first")
    func lawReachedByTitle() {
        var law = DocumentRecord(number: Self.number("国务院令第250号"), title: "社会团体登记管理条例", issued: Self.day("1998-10-25"), sources: ["社会团体登记管理条例(1998-10-25).md"])
        law.rank = .administrativeRegulation
        let stub = DocumentRecord(number: nil, title: "社会团体登记管理条例")
        let citer = DocumentRecord(
            number: nil, title: "洛阳市社会团体登记管理办法", issued: Self.day("2005-01-01"), sources: ["x.md"],
            citations: [Citation(number: nil, title: "社会团体登记管理条例", relation: .basis, evidence: "根据《社会团体登记管理条例》")])
        for records in [[stub, law, citer], [law, stub, citer]] {
            let index = ValidityIndex(records: records)
            let lawNode = index.node(.number(Self.number("国务院令第250号")))
            #expect(index.node(.title(TitleIdentity.key("社会团体登记管理条例"))) == lawNode)
            let up = index.trace(index.node(.title(TitleIdentity.key("洛阳市社会团体登记管理办法")))!, on: Self.day("2020-01-01"), relations: [.basis])
            #expect(up.steps.map(\.document) == ["国务院令第250号"] && lawNode != nil)
        }
    }

    @Test("a repeal stated in a revised text takes effect when that text binds, not on the first version's day")
    func repealInRevisedText() {
        var code = DocumentRecord(
            number: nil, title: "山东省企业集体合同条例", issued: Self.day("2001-10-28"), sources: ["山东省企业集体合同条例(2013-08-01).md"],
            citations: [Citation(number: nil, title: "山东省集体合同规定", relation: .repeals, evidence: "《山东省集体合同规定》同时废止")])
        code.versions = [
            DocumentVersion(date: Self.day("2001-10-28"), effectiveStated: false),
            DocumentVersion(date: Self.day("2013-08-01"), effective: Self.day("2013-10-01"), source: "山东省企业集体合同条例(2013-08-01).md"),
        ]
        let old = DocumentRecord(number: nil, title: "山东省集体合同规定", issued: Self.day("1995-01-01"), sources: ["x.md"])
        let index = ValidityIndex(records: [code, old])
        let node = index.node(.title(TitleIdentity.key("山东省集体合同规定")))!
        #expect(index.answer(node, on: Self.day("2010-01-01")).status == .inForce)
        #expect(index.answer(node, on: Self.day("2014-01-01")).status == .repealed)
    }
}
