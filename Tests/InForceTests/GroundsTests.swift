import InForce
import Testing

/// Every status says what it stands on: one test per grounds value, and the cases that used to
/// answer as if they knew.
@Suite("Status grounds and reasons")
struct GroundsTests {
    static func day(_ text: String) -> Day { try! Day(iso: text) }
    static func number(_ text: String) -> DocumentNumber { try! DocumentNumber(text) }

    static func answer(_ records: [DocumentRecord], _ document: String, on date: String) -> StatusAnswer {
        let index = ValidityIndex(records: records)
        return index.answer(index.node(.number(number(document)))!, on: day(date))
    }

    static let target = DocumentRecord(number: number("甲政发〔2016〕1号"), title: "甲市人民政府关于甲的通知", issuer: "甲市人民政府", issued: day("2016-03-01"), sources: ["page"])

    @Test("stated: a repeal decision the registry holds")
    func stated() {
        let repeal = DocumentRecord(
            number: Self.number("甲政发〔2021〕5号"), title: "甲市人民政府关于废止部分文件的决定", issued: Self.day("2021-04-26"), sources: ["page"],
            citations: [Citation(number: Self.target.number, relation: .repeals, evidence: "《甲市人民政府关于甲的通知》同时废止")])
        let answer = Self.answer([Self.target, repeal], "甲政发〔2016〕1号", on: "2021-05-01")
        #expect(answer.status == .repealed)
        #expect(answer.grounds == .stated)
        #expect(answer.reason.english == "repealed on 2021-04-26 by 甲政发〔2021〕5号")
        #expect(answer.reason.chinese == "甲政发〔2021〕5号规定，自2021-04-26起已废止")
    }

    @Test("reported: only a site's note speaks")
    func reported() {
        var record = Self.target
        record.facts = [Fact(event: .statusNote, outcome: .repealed, by: Self.number("甲政发〔2020〕3号"), site: "税屋 (shui5.cn)", date: Self.day("2020-06-01"), quote: "税屋提示——本法规已废止")]
        let answer = Self.answer([record], "甲政发〔2016〕1号", on: "2021-01-01")
        #expect(answer.status == .repealed)
        #expect(answer.grounds == .reported)
        #expect(answer.reason.english.contains("as reported"))
    }

    @Test("rule: a regional rule's default period ends it, and the rule is quoted")
    func rule() {
        var rule = RegionRule(region: "甲省", instrument: "甲省规范性文件管理办法", number: "甲省人民政府令第1号", article: "第二十条", words: "未明确有效期的，其有效期为5年", source: "test")
        rule.defaultValidity = try! ValidityPeriod(years: 5)
        rule.atEnd = .lapses
        let index = ValidityIndex(
            records: [Self.target], issuers: IssuerTable([Issuer(name: "甲市人民政府", codes: ["甲政发"], level: .prefecture, region: "甲省")]),
            regions: RegionTable([Region(name: "甲省")], rules: [rule]))
        let answer = index.answer(index.node(.number(Self.target.number!))!, on: Self.day("2021-03-01"))
        #expect(answer.status == .expired)
        #expect(answer.grounds == .rule)
        #expect(answer.evidence.contains { $0.source == "甲省人民政府令第1号 第二十条" && $0.quote == rule.words && $0.grounds == .rule })
    }

    @Test("presumed: its own record is known and nothing against it; the reason says since when")
    func presumed() {
        let answer = Self.answer([Self.target], "甲政发〔2016〕1号", on: "2023-06-01")
        #expect(answer.status == .inForce)
        #expect(answer.grounds == .presumed)
        #expect(answer.reason.english == "presumed: no cleanup, repeal or expiry known; last fact 2016-03-01")
        // A number's year is all it has: the reason says that year.
        let undated = DocumentRecord(number: Self.number("国发〔2014〕40号"), title: "国务院关于进一步做好为农民工服务工作的意见", sources: ["a copy"])
        #expect(Self.answer([undated], "国发〔2014〕40号", on: "2023-06-01").reason.english == "presumed: no cleanup, repeal or expiry known; last fact 2014")
    }

    @Test("none: a stub known only from citations is unknown, naming its citers; with no record at all the same")
    func stub() {
        let stub = DocumentRecord(number: Self.number("国发〔2006〕5号"), title: "国务院关于解决农民工问题的若干意见", note: "Known from its citation.")
        var citing = Self.target
        citing.citations = [Citation(number: stub.number, title: stub.title, relation: .basis, evidence: "根据《国务院关于解决农民工问题的若干意见》(国发〔2006〕5号)")]
        let answer = Self.answer([citing, stub], "国发〔2006〕5号", on: "2023-06-01")
        #expect(answer.status == .unknown)
        #expect(answer.grounds == .none)
        #expect(answer.reason == .citedOnly(citers: ["甲政发〔2016〕1号"]))
        #expect(answer.citedBy == [Citer(document: "甲政发〔2016〕1号", relation: .basis, quote: citing.citations[0].evidence)])

        let index = ValidityIndex(records: [citing])
        let unrecorded = index.unrecordedAnswer(.number(stub.number!), on: Self.day("2023-06-01"))
        #expect(unrecorded?.status == .unknown)
        #expect(unrecorded?.title == stub.title)
        #expect(unrecorded?.citedBy.map(\.document) == ["甲政发〔2016〕1号"])
        #expect(index.unrecordedAnswer(.number(Self.number("国发〔2099〕1号")), on: Self.day("2023-06-01")) == nil)
        // trace says what it cannot follow instead of leaving it out.
        let steps = index.trace(0, on: Self.day("2023-06-01")).steps
        #expect(steps.map(\.document) == ["国发〔2006〕5号"] && steps.allSatisfy { !$0.recorded && $0.status == .unknown })
    }

    @Test("before its issue date a document is not issued; after it, before taking effect, not yet in force")
    func notIssued() {
        var record = Self.target
        record.effective = Self.day("2016-04-01")
        let early = Self.answer([record], "甲政发〔2016〕1号", on: "2010-01-01")
        #expect(early.status == .notIssued)
        #expect(early.reason == .notIssued(first: Self.day("2016-03-01"), published: false))
        #expect(Self.answer([record], "甲政发〔2016〕1号", on: "2016-03-15").status == .notYetInForce)
        let undated = DocumentRecord(number: Self.number("甲政发〔2016〕2号"), title: "甲", sources: ["page"])
        #expect(Self.answer([undated], "甲政发〔2016〕2号", on: "2015-12-31").status == .notIssued)
        #expect(Self.answer([undated], "甲政发〔2016〕2号", on: "2016-06-01").reason == .undatedYear(year: 2016, day: Self.day("2016-06-01")))
    }

    @Test("one notice listing a document both as kept and as repealed is a contradiction")
    func contradictionWithinOneNotice() {
        let notice = DocumentRecord(
            number: Self.number("甲政发〔2020〕9号"), title: "甲市人民政府关于公布清理结果的通知", issued: Self.day("2020-06-30"), sources: ["page"],
            notice: CleanupNotice(dispositions: [
                Disposition(number: Self.target.number, outcome: .continued, quote: "继续有效目录 3 甲政发〔2016〕1号"),
                Disposition(number: Self.target.number, outcome: .repealed, quote: "废止目录 7 甲政发〔2016〕1号"),
            ]))
        let answer = Self.answer([Self.target, notice], "甲政发〔2016〕1号", on: "2020-07-01")
        let found = answer.findings.filter { $0.kind == .contradictoryDispositions }
        #expect(found.count == 1)
        #expect(found.first?.message == "甲政发〔2020〕9号 lists it both as continued and as repealed")
    }

    @Test("a site's two notes against the notice are one finding")
    func thirdPartyOnce() {
        var record = Self.target
        let notice = DocumentRecord(
            number: Self.number("甲政发〔2020〕9号"), title: "甲市人民政府关于公布清理结果的通知", issued: Self.day("2020-06-30"), sources: ["page"],
            notice: CleanupNotice(dispositions: [Disposition(number: Self.target.number, outcome: .continued, quote: "甲政发〔2016〕1号 继续有效")]))
        record.facts = [
            Fact(event: .statusNote, outcome: .invalidated, site: "税屋", date: Self.day("2020-08-01"), quote: "[全文失效]"),
            Fact(event: .statusNote, outcome: .repealed, site: "税屋", date: Self.day("2020-08-01"), quote: "税屋提示——本法规已废止"),
        ]
        let answer = Self.answer([record, notice], "甲政发〔2016〕1号", on: "2021-01-01")
        #expect(answer.status == .inForce && answer.grounds == .stated)
        #expect(answer.findings.filter { $0.kind == .thirdPartyDisagrees }.count == 1)
    }

    @Test("an audit's Needs action leaves out an ended document unless the finding is about its ending")
    func needsAction() {
        let basis = DocumentRecord(number: Self.number("乙政发〔2010〕1号"), title: "乙", issued: Self.day("2010-01-01"), expires: Self.day("2015-12-31"), sources: ["page"])
        var ended = Self.target
        ended.expires = Self.day("2019-12-31")
        ended.citations = [Citation(number: basis.number, relation: .basis, evidence: "根据乙")]
        var live = DocumentRecord(number: Self.number("甲政发〔2016〕2号"), title: "丙", issued: Self.day("2016-03-01"), sources: ["page"])
        live.citations = [Citation(number: basis.number, relation: .basis, evidence: "根据乙")]
        let report = AuditReport(index: ValidityIndex(records: [basis, ended, live]), scope: .all, on: Self.day("2020-06-01"))
        #expect(report.actionRequired == ["甲政发〔2016〕2号"])
        #expect(report.documents.first { $0.key == "甲政发〔2016〕1号" }?.findings.contains { $0.kind == .basisNotInForce } == true, "still reported, not acted on")
    }
}

@Suite("Duplicate citations")
struct DuplicateCitationTests {
    @Test("lint warns about the same document cited twice with the same relation; add does not write a second one")
    func duplicates() throws {
        let cited = try DocumentNumber("国发〔2006〕5号")
        var record = DocumentRecord(number: try DocumentNumber("国发〔2014〕40号"), title: "国务院关于进一步做好为农民工服务工作的意见", citations: [
            Citation(number: cited, relation: .basis, evidence: "根据《…》(国发〔2006〕5号)"),
            Citation(number: cited, relation: .reference, evidence: "《…》(国发〔2006〕5号)印发以来"),
            Citation(number: cited, relation: .basis, evidence: "依据国发〔2006〕5号"),
        ])
        let warnings = RecordValidation.problems(in: record, origin: "documents/国发/2014-40.toml").filter { $0.message.contains("again") }
        #expect(warnings.map(\.field) == ["citations[2]"], "a reference beside a basis is not a duplicate")

        var edit = RecordEdit()
        edit.citations = ["relation=basis;number=国发〔2006〕5号;evidence=另一句"]
        var stored: DocumentRecord? = record
        try edit.apply(to: &stored, key: record.key)
        #expect(stored?.citations.count == 3)
        record.citations.removeLast()
        stored = record
        try edit.apply(to: &stored, key: record.key)
        #expect(stored?.citations.filter { $0.relation == .basis }.count == 1)
    }
}
