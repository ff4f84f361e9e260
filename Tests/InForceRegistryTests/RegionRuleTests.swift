import Foundation
import InForce
import InForceRegistry
import InForceTestSupport
import Testing

/// One scenario per sourced rule of ../shared/RULES.md, run on the rules the bundled registry ships
/// (`registry/regions.toml`), each checking that the answer quotes the rule.
@Suite("Regional rules as cited data")
struct RegionRuleTests {
    static func day(_ text: String) -> Day { try! Day(iso: text) }
    static func number(_ text: String) -> DocumentNumber { try! DocumentNumber(text) }

    /// The shipped regions and rules; the file must read without a problem.
    static let shipped: RegionTable = {
        let url = Corpus.packageRoot.appendingPathComponent("registry/regions.toml")
        let text = try! String(contentsOf: url, encoding: .utf8)
        let (table, problems) = RegionsFile.decode(text, origin: "regions.toml")
        precondition(problems.isEmpty, "registry/regions.toml: \(problems)")
        return table
    }()

    static func index(_ records: [DocumentRecord], issuer: String, code: String, region: String, regions: RegionTable = shipped) -> ValidityIndex {
        ValidityIndex(records: records, issuers: IssuerTable([Issuer(name: issuer, codes: [code], level: .prefecture, region: region)]), regions: regions)
    }

    static func answer(_ index: ValidityIndex, _ document: String, on date: String) -> StatusAnswer {
        index.answer(index.node(.number(number(document)))!, on: day(date))
    }

    @Test("上海 令第26号 第二十六条: no stated period means 5 years from 施行, a 通告 1, 暂行/试行 2; the document lapses by itself")
    func shanghaiDefaultPeriods() {
        let plain = DocumentRecord(number: Self.number("沪府办发〔2012〕5号"), title: "上海市人民政府办公厅关于某某工作的意见", issuer: "上海市人民政府办公厅", issued: Self.day("2012-03-01"), sources: ["test"])
        let notice = DocumentRecord(number: Self.number("沪府办发〔2012〕6号"), title: "上海市人民政府办公厅关于某某事项的通告", issuer: "上海市人民政府办公厅", issued: Self.day("2012-03-01"), sources: ["test"])
        let trial = DocumentRecord(number: Self.number("沪府办发〔2012〕7号"), title: "上海市某某管理暂行办法", issuer: "上海市人民政府办公厅", issued: Self.day("2012-03-01"), sources: ["test"])
        let stated = DocumentRecord(number: Self.number("沪府办发〔2012〕8号"), title: "上海市人民政府办公厅关于另一工作的意见", issuer: "上海市人民政府办公厅", issued: Self.day("2012-03-01"), validity: try! ValidityPeriod(years: 3), sources: ["test"])
        let afterRule = DocumentRecord(number: Self.number("沪府办发〔2017〕9号"), title: "上海市人民政府办公厅关于新工作的意见", issuer: "上海市人民政府办公厅", issued: Self.day("2017-06-01"), sources: ["test"])
        let index = Self.index([plain, notice, trial, stated, afterRule], issuer: "上海市人民政府办公厅", code: "沪府办发", region: "上海市")

        let before = Self.answer(index, "沪府办发〔2012〕5号", on: "2017-02-28")
        #expect(before.status == .inForce)
        #expect(before.grounds == .presumed)
        let expired = Self.answer(index, "沪府办发〔2012〕5号", on: "2017-03-01")
        #expect(expired.status == .expired)
        #expect(expired.since == Self.day("2017-03-01"))
        #expect(expired.grounds == .rule)
        #expect(expired.reason.english == "expired on 2017-03-01 under 上海市人民政府令第26号 第二十六条")
        #expect(expired.evidence.contains { $0.grounds == .rule && $0.source == "上海市人民政府令第26号 第二十六条" && $0.quote?.contains("未明确有效期的，其有效期为5年") == true })

        #expect(Self.answer(index, "沪府办发〔2012〕6号", on: "2013-02-28").status == .inForce)
        #expect(Self.answer(index, "沪府办发〔2012〕6号", on: "2013-03-01").status == .expired, "a 通告: 1 year")
        #expect(Self.answer(index, "沪府办发〔2012〕7号", on: "2014-02-28").status == .inForce)
        #expect(Self.answer(index, "沪府办发〔2012〕7号", on: "2014-03-01").status == .expired, "暂行: 2 years")

        let own = Self.answer(index, "沪府办发〔2012〕8号", on: "2015-03-01")
        #expect(own.status == .expired)
        #expect(own.grounds == .stated, "its own period decides, not the rule")
        // Made after 令第26号 was replaced: that rule does not reach it.
        let later = Self.answer(index, "沪府办发〔2017〕9号", on: "2023-06-01")
        #expect(later.status == .inForce)
        #expect(later.grounds == .presumed)
    }

    @Test("徐汇区 under 令第26号: evaluation is due six months before the period ends")
    func xuhuiEvaluation() {
        let document = DocumentRecord(number: Self.number("徐府发〔2012〕3号"), title: "徐汇区人民政府关于某某工作的意见", issuer: "徐汇区人民政府", issued: Self.day("2012-03-01"), sources: ["test"])
        let index = Self.index([document], issuer: "徐汇区人民政府", code: "徐府发", region: "上海市徐汇区")
        #expect(!Self.answer(index, "徐府发〔2012〕3号", on: "2016-08-27").findings.contains { $0.kind == .evaluationDue })
        let due = Self.answer(index, "徐府发〔2012〕3号", on: "2016-09-01")
        let finding = due.findings.first { $0.kind == .evaluationDue }
        #expect(finding?.message.contains("2017-02-28") == true)
        #expect(finding?.quote?.contains("有效期届满前6个月") == true)
        // The city's rule reaches the district: the same document lapses by it.
        #expect(Self.answer(index, "徐府发〔2012〕3号", on: "2017-03-01").status == .expired)
    }

    @Test("辽宁 令第237号: a cleanup every two years, else cleanup_overdue quoting the rule")
    func liaoningCleanupInterval() {
        let document = DocumentRecord(number: Self.number("辽政发〔2010〕1号"), title: "辽宁省人民政府关于某某工作的意见", issuer: "辽宁省人民政府", issued: Self.day("2010-01-01"), sources: ["test"])
        let cleanup = DocumentRecord(
            number: Self.number("辽政发〔2012〕20号"), title: "辽宁省人民政府关于公布规范性文件清理结果的通知", issuer: "辽宁省人民政府", issued: Self.day("2012-06-01"), sources: ["test"],
            notice: CleanupNotice(scopeIssuers: ["辽宁省人民政府"], dispositions: [Disposition(number: document.number, outcome: .continued, quote: "辽政发〔2010〕1号 继续有效")]))
        let index = Self.index([document, cleanup], issuer: "辽宁省人民政府", code: "辽政发", region: "辽宁省")
        #expect(!Self.answer(index, "辽政发〔2010〕1号", on: "2014-05-31").findings.contains { $0.kind == .cleanupOverdue })
        let overdue = Self.answer(index, "辽政发〔2010〕1号", on: "2014-07-01")
        #expect(overdue.grounds == .stated)
        let finding = overdue.findings.first { $0.kind == .cleanupOverdue }
        #expect(finding?.message.contains("辽政发〔2012〕20号") == true)
        #expect(finding?.quote?.contains("每2年清理一次") == true)
        #expect(!overdue.findings.contains { $0.kind == .reviewOverdue }, "one finding for one duty")
    }

    @Test("河北 令〔2016〕第5号 第三十二条: documents in force before 2017-02-01 get 5 years from then, except those implementing higher law")
    func hebeiTransitional() {
        let plain = DocumentRecord(number: Self.number("冀政发〔2015〕4号"), title: "河北省人民政府关于某某工作的意见", issuer: "河北省人民政府", issued: Self.day("2015-05-01"), sources: ["test"])
        let implementing = DocumentRecord(
            number: Self.number("冀政发〔2015〕5号"), title: "河北省人民政府关于贯彻某某法的实施意见", issuer: "河北省人民政府", issued: Self.day("2015-05-01"), sources: ["test"],
            citations: [Citation(title: "中华人民共和国某某法", relation: .implements, evidence: "为贯彻实施《中华人民共和国某某法》")])
        let later = DocumentRecord(number: Self.number("冀政发〔2017〕6号"), title: "河北省人民政府关于新工作的意见", issuer: "河北省人民政府", issued: Self.day("2017-03-01"), sources: ["test"])
        let index = Self.index([plain, implementing, later], issuer: "河北省人民政府", code: "冀政发", region: "河北省")
        #expect(Self.answer(index, "冀政发〔2015〕4号", on: "2022-01-31").status == .inForce)
        let ended = Self.answer(index, "冀政发〔2015〕4号", on: "2022-02-01")
        // The rule has such documents declared invalid by a cleanup; none is known, so nothing is claimed.
        #expect(ended.status == .unknown)
        #expect(ended.grounds == .rule)
        #expect(ended.reason == .periodEnded(lastDay: Self.day("2022-01-31"), rule: "河北省人民政府令〔2016〕第5号 第三十二条"))
        #expect(ended.evidence.contains { $0.event == "period_ended" && $0.quote?.contains("自本办法施行之日起有效期为5年") == true })
        #expect(Self.answer(index, "冀政发〔2015〕5号", on: "2022-02-01").grounds == .presumed, "made to implement a law: exempt")
        #expect(Self.answer(index, "冀政发〔2017〕6号", on: "2023-02-01").status == .inForce, "made after the cut-off")
    }

    @Test("河南 惠济区: a declared lapse takes effect on the decision's 印发 date, not its publication")
    func huijiIssueDate() {
        let target = DocumentRecord(number: Self.number("惠政〔2019〕3号"), title: "郑州市惠济区人民政府关于某某工作的通知", issuer: "郑州市惠济区人民政府", issued: Self.day("2019-04-01"), sources: ["test"])
        let decision = DocumentRecord(
            number: Self.number("惠政〔2025〕10号"), title: "郑州市惠济区人民政府关于公布行政规范性文件清理结果的决定", issuer: "郑州市惠济区人民政府",
            issued: Self.day("2025-05-20"), published: Self.day("2025-05-28"), sources: ["test"],
            notice: CleanupNotice(scopeIssuers: ["郑州市惠济区人民政府"], dispositions: [Disposition(number: target.number, outcome: .invalidated, quote: "惠政〔2019〕3号 失效")]))
        let index = Self.index([target, decision], issuer: "郑州市惠济区人民政府", code: "惠政", region: "河南省郑州市惠济区")
        #expect(Self.answer(index, "惠政〔2019〕3号", on: "2025-05-19").status == .inForce)
        let lapsed = Self.answer(index, "惠政〔2019〕3号", on: "2025-05-21")
        #expect(lapsed.status == .invalidated)
        #expect(lapsed.since == Self.day("2025-05-20"))
        #expect(lapsed.grounds == .stated)
        #expect(lapsed.evidence.contains { $0.note?.contains("自本决定印发之日起失效") == true })
        // Without the rule the decision would count from its publication.
        let bare = Self.index([target, decision], issuer: "郑州市惠济区人民政府", code: "惠政", region: "河南省郑州市惠济区", regions: RegionTable([Region(name: "河南省郑州市惠济区")]))
        #expect(Self.answer(bare, "惠政〔2019〕3号", on: "2025-05-21").status == .inForce)
    }

    @Test("浙江: a cleanup notice's repeals take effect on its own 施行 date, a month after its page date")
    func zhejiangNoticeEffectiveDate() {
        let target = DocumentRecord(number: Self.number("某政发〔2016〕2号"), title: "某县人民政府关于某某工作的通知", issuer: "某县人民政府", issued: Self.day("2016-04-01"), sources: ["test"])
        let notice = DocumentRecord(
            number: Self.number("某政发〔2021〕5号"), title: "某县人民政府关于公布行政规范性文件清理结果的通知", issuer: "某县人民政府",
            published: Self.day("2021-03-26"), effective: Self.day("2021-04-26"), sources: ["test"],
            notice: CleanupNotice(scopeIssuers: ["某县人民政府"], dispositions: [Disposition(number: target.number, outcome: .repealed, quote: "某政发〔2016〕2号 废止")]))
        let index = Self.index([target, notice], issuer: "某县人民政府", code: "某政发", region: "浙江省绍兴市")
        #expect(Self.answer(index, "某政发〔2016〕2号", on: "2021-04-01").status == .inForce)
        let repealed = Self.answer(index, "某政发〔2016〕2号", on: "2021-04-26")
        #expect(repealed.status == .repealed)
        #expect(repealed.since == Self.day("2021-04-26"))
        #expect(repealed.reason.english == "repealed on 2021-04-26 by 某政发〔2021〕5号")
        #expect(repealed.evidence.contains { $0.note?.contains("《通知》自2021年4月26日起施行") == true })
    }

    @Test("a closed list: a document in scope that the latest list leaves out lapses, and the finding quotes the notice's rule")
    func closedListRule() {
        let words = "未列入继续有效目录的规范性文件,不得作为行政管理的依据"
        let dropped = DocumentRecord(number: Self.number("某政发〔2016〕3号"), title: "某市人民政府关于乙的通知", issuer: "某市人民政府", issued: Self.day("2016-03-01"), sources: ["test"])
        let kept = DocumentRecord(number: Self.number("某政发〔2016〕4号"), title: "某市人民政府关于甲的通知", issuer: "某市人民政府", issued: Self.day("2016-03-01"), sources: ["test"])
        let notice = DocumentRecord(
            number: Self.number("某政发〔2020〕9号"), title: "某市人民政府关于公布行政规范性文件清理结果的通知", issuer: "某市人民政府", issued: Self.day("2020-06-30"), sources: ["test"],
            notice: CleanupNotice(scopeIssuers: ["某市人民政府"], closedList: true, closedListQuote: words,
                                  dispositions: [Disposition(number: kept.number, outcome: .continued, quote: "某政发〔2016〕4号 继续有效")]))
        let index = ValidityIndex(records: [dropped, kept, notice])
        let answer = Self.answer(index, "某政发〔2016〕3号", on: "2020-07-01")
        #expect(answer.status == .invalidated)
        #expect(answer.grounds == .stated)
        let finding = answer.findings.first { $0.kind == .notOnLatestList }
        #expect(finding?.documents == ["某政发〔2016〕3号", "某政发〔2020〕9号"])
        #expect(finding?.quote == words)
        #expect(!Self.answer(index, "某政发〔2016〕4号", on: "2020-07-01").findings.contains { $0.kind == .notOnLatestList })
    }

    @Test("lint rejects a rule without its words or source, and a rule for a region not in the table")
    func unsourcedRule() {
        let text = """
            [[region]]
            name = "甲省"

            [[rule]]
            region = "甲省"
            instrument = "甲省规范性文件管理办法"
            source = "somewhere"
            default_validity = "P5Y"

            [[rule]]
            region = "甲省"
            instrument = "甲省规范性文件管理办法"
            words = "未明确有效期的，其有效期为5年"
            source = " "
            default_validity = "P5Y"

            [[rule]]
            region = "乙省"
            instrument = "乙省规范性文件管理办法"
            words = "未明确有效期的，其有效期为5年"
            source = "somewhere"
            default_validity = "P5Y"
            """
        let (table, problems) = RegionsFile.decode(text, origin: "regions.toml")
        #expect(problems.contains { $0.field == "rule[0].words" && $0.severity == .error })
        #expect(problems.contains { $0.field == "rule[1].source" && $0.severity == .error })
        #expect(problems.contains { $0.field == "rule[2].region" && $0.message.contains("乙省") })
        #expect(table.rules.count == 1, "a rule without its words or its source is not data")
    }

    @Test("the shipped rules survive a write and a read, field for field")
    func roundTrip() {
        let text = RegionsFile.encode(Self.shipped)
        let (again, problems) = RegionsFile.decode(text, origin: "regions.toml")
        #expect(problems.isEmpty)
        #expect(again.rules == Self.shipped.rules)
        #expect(again.regions == Self.shipped.regions)
    }
}
