import InForce
import InForceTestSupport
import Testing

/// The history printed under a law's title, in the forms LawRefBook and the national database
/// print it (the lines are real ones, from ../shared/lawrefbook).
@Suite("Legislative history")
struct LegislativeHistoryTests {
    static func steps(_ text: String) -> [String] {
        LegislativeHistory.read(text).map { "\($0.kind.rawValue) \($0.date) \($0.body ?? "—")\($0.decision.map { " 《\($0)》" } ?? "")" }
    }

    @Test("one step a line: adopted, amended by a named decision, its session dropped from the body")
    func lines() {
        #expect(Self.steps("""
            2000年3月15日 第九届全国人民代表大会第三次会议通过

            2015年3月15日 第十二届全国人民代表大会第三次会议《关于修改<中华人民共和国立法法>的决定》第一次修正
            """) == [
                "adopted 2000-03-15 全国人民代表大会",
                "amended 2015-03-15 全国人民代表大会 《关于修改〈中华人民共和国立法法〉的决定》",
            ])
    }

    @Test("the national database's bracketed run: 根据 starts the next step, a decision's 修改 is not the step")
    func bracketed() {
        #expect(Self.steps("（2000年3月15日第九届全国人民代表大会第三次会议通过　根据2015年3月15日第十二届全国人民代表大会第三次会议《关于修改〈中华人民共和国立法法〉的决定》修正　2023年3月13日第十四届全国人民代表大会第一次会议修订）") == [
            "adopted 2000-03-15 全国人民代表大会",
            "amended 2015-03-15 全国人民代表大会 《关于修改〈中华人民共和国立法法〉的决定》",
            "revised 2023-03-13 全国人民代表大会",
        ])
    }

    @Test("a decree promulgates; a 施行 line puts in force; 公布施行 does both")
    func decreeAndForce() {
        let events = LegislativeHistory.read("""
            2014年11月24日 中华人民共和国国务院令第656号公布
            2015年3月1日 施行
            1982年12月4日 全国人民代表大会公告公布施行
            """)
        #expect(events.map(\.kind) == [.promulgated, .effective, .promulgated, .effective])
        #expect(events[0].body == "国务院")
        #expect(events[0].number?.canonical == "国务院令第656号")
    }

    @Test("a body adopting again what it adopted is a new version; its standing committee's too; another court's is not")
    func readoption() {
        #expect(Self.steps("""
            2000年11月3日 北京市第十一届人民代表大会常务委员会第二十二次会议通过

            2007年3月30日 北京市第十二届人民代表大会常务委员会第三十五次会议通过

            2023年7月28日 北京市第十六届人民代表大会常务委员会第四次会议通过
            """) == [
                "adopted 2000-11-03 北京市人民代表大会常务委员会",
                "revised 2007-03-30 北京市人民代表大会常务委员会",
                "revised 2023-07-28 北京市人民代表大会常务委员会",
            ])
        #expect(Self.steps("""
            2001年2月10日 北京市第十一届人民代表大会第四次会议通过
            2003年4月18日 北京市第十二届人民代表大会常务委员会第二次会议通过
            """).last == "revised 2003-04-18 北京市人民代表大会常务委员会")
        #expect(Self.steps("""
            2020年12月1日 最高人民法院审判委员会第1820次会议通过
            2020年12月10日 最高人民检察院第十三届检察委员会第五十七次会议通过
            """).map { $0.prefix(7) } == ["adopted", "adopted"])
    }

    @Test("two bodies joined by 、 with their own dates are one adoption by both")
    func jointAdoption() {
        let events = LegislativeHistory.read("2016年3月28日 最高人民法院审判委员会第1680次会议、2016年3月25日最高人民检察院第十二届检察委员会第五十次会议通过")
        #expect(events.count == 1)
        #expect(events.first?.kind == .adopted)
        #expect(events.first?.body == "最高人民法院、最高人民检察院")
    }

    @Test("an approval that completes the next step (批准的…决定修正) is that step, on the approval's day")
    func approvalCarried() {
        let events = LegislativeHistory.read("2020年3月26日 山东省第十三届人民代表大会常务委员会第十八次会议批准的2020年1月14日青岛市第十六届人民代表大会常务委员会第二十次会议《关于修改〈青岛市城市绿化条例〉的决定》修正")
        #expect(events.count == 1)
        #expect(events.first?.kind == .amended)
        #expect(events.first?.date.description == "2020-03-26")
        #expect(events.first?.decision == "关于修改〈青岛市城市绿化条例〉的决定")
    }

    @Test("人大常委会, 八届 and a session with no verb are read as the body and an adoption")
    func shortForms() {
        #expect(Self.steps("2002年6月28日 洛阳市第十一届人大常委会第三十次会议通过") == ["adopted 2002-06-28 洛阳市人民代表大会常务委员会"])
        #expect(Self.steps("2015年3月1日 景宁畲族自治县八届人民代表大会四次会议通过") == ["adopted 2015-03-01 景宁畲族自治县人民代表大会"])
        #expect(Self.steps("2020年11月9日 最高人民法院审判委员会") == ["adopted 2020-11-09 最高人民法院"])
    }

    @Test("what a decision's title says is not the step: 《关于修订…的决定》修正 is an amendment")
    func titleWordsIgnored() {
        let events = LegislativeHistory.read("2012年7月26日 某省第十一届人民代表大会常务委员会第三十五次会议《关于修订〈某省某某条例〉等五件地方性法规的决定》第一次修正")
        #expect(events.map(\.kind) == [.amended])
    }

    @Test("a bare date states no step and is left out")
    func bareDate() {
        #expect(LegislativeHistory.read("1982年2月27日").isEmpty)
    }
}

@Suite("Law texts")
struct LawTextTests {
    static let head = """
        # 中华人民共和国技术进出口管理条例

        2001年12月10日 中华人民共和国国务院令第331号公布

        2011年1月8日 《国务院关于废止和修改部分行政法规的决定》第一次修订

        <!-- INFO END -->

        第五十二条 本条例自2002年1月1日起施行。1985年5月24日国务院发布的《中华人民共和国技术引进合同管理条例》和1987年12月30日国务院批准、1988年1月20日对外经济贸易部发布的《中华人民共和国技术引进合同管理条例施行细则》同时废止。
        """

    @Test("title, issuer, rank, decree, the text's force and what it repeals")
    func reads() throws {
        let law = try #require(LawText.read(Self.head))
        #expect(law.title == "中华人民共和国技术进出口管理条例")
        #expect(law.issuer == "国务院")
        #expect(law.rank == .administrativeRegulation)
        #expect(law.number?.canonical == "国务院令第331号")
        #expect(law.effective?.description == "2002-01-01")
        #expect(law.repeals.map(\.title) == ["中华人民共和国技术引进合同管理条例", "中华人民共和国技术引进合同管理条例施行细则"])
        #expect(law.changes.map(\.kind) == [.revised])
    }

    @Test("a promulgation printed only after a revision is that version's: the document dates from its first adoption and has no number of its own")
    func promulgatedAfterRevision() throws {
        let text = """
            # 浙江省科学技术进步条例
            1997年11月12日 浙江省第八届人民代表大会常务委员会第四十次会议通过
            2002年4月25日 浙江省第九届人民代表大会常务委员会第三十四次会议《关于修改〈浙江省科学技术进步条例〉的决定》修正
            2011年5月25日 浙江省第十一届人民代表大会常务委员会第二十五次会议修订
            2011年5月25日 浙江省第十一届人民代表大会常务委员会公告第65号公布
            2011年9月1日 施行
            <!-- INFO END -->
            第一条 为了促进科学技术进步，制定本条例。
            """
        let law = try #require(LawText.read(text))
        #expect(law.firstMade?.description == "1997-11-12")
        #expect(law.number == nil)
        let extraction = DocumentExtractor.extract(PageText(plainText: text), source: "浙江省科学技术进步条例(2011-05-25).md")
        #expect(extraction.issued?.description == "1997-11-12")
        #expect(extraction.number == nil)
        // The original promulgation keeps its day and its decree.
        let original = try #require(LawText.read(Self.head))
        #expect(original.firstMade?.description == "2001-12-10")
        #expect(original.number?.canonical == "国务院令第331号")
    }

    @Test("修正的《…》同时废止 is the history of the document repealed, not an amendment of this one")
    func repealedDocumentsHistory() {
        let page = PageText(plainText: """
            某省政府非税收入管理条例
            第四十六条 本条例自2014年5月1日起施行。1996年11月30日某省第八届人民代表大会常务委员会第二十三次会议通过、根据2010年7月30日某省第十一届人民代表大会常务委员会第十六次会议《关于修改部分地方性法规的决定》修正的《某省预算外资金管理条例》同时废止。
            """)
        let extraction = DocumentExtractor.extract(page, source: "x.txt")
        #expect(extraction.amendments.isEmpty)
        #expect(extraction.citations.contains { $0.title == "某省预算外资金管理条例" && $0.relation == .repeals })
        let chain = PageText(plainText: """
            某市统计条例
            第三十九条 本条例自2016年1月1日起施行。1994年9月8日某市第十届人民代表大会常务委员会第十二次会议通过，根据1997年9月4日某市第十届人民代表大会常务委员会第三十九次会议《关于修改〈某市统计管理条例〉的决定》第一次修正，根据2001年10月16日某市第十一届人民代表大会常务委员会第三十次会议《关于修改〈某市统计管理条例〉的决定》第二次修正的《某市统计管理条例》同时废止。
            """)
        #expect(DocumentExtractor.extract(chain, source: "y.txt").amendments.isEmpty)
    }

    @Test("a version after the text's statement of force is in force from its own day, marked as not stated")
    func laterVersion() throws {
        let law = try #require(LawText.read(Self.head))
        #expect(law.versionDate?.description == "2011-01-08")
        #expect(law.versionEffective?.description == "2011-01-08")
        #expect(!law.versionEffectiveStated)
        // The file name's date, where the layout gives one, is the version's.
        let named = try #require(LawText.read(Self.head, path: "行政法规/技术进出口管理条例(2020-11-29).md"))
        #expect(named.versionDate?.description == "2020-11-29")
    }

    @Test("an unchanged text's stated force is its version's; 自公布之日 is counted from its promulgation")
    func statedForce() throws {
        let law = try #require(LawText.read("""
            # 某市某某条例
            2021年8月30日 某市第十四届人民代表大会常务委员会第二十四次会议通过
            2021年9月29日 某省第十三届人民代表大会常务委员会第二十七次会议批准
            2021年10月25日 某市人民代表大会常务委员会公告第5号公布
            <!-- INFO END -->
            第五十八条 本条例自公布之日起施行。
            """))
        #expect(law.issuer == "某市人民代表大会常务委员会")
        #expect(law.rank == .localRegulation)
        #expect(law.approved?.description == "2021-09-29")
        #expect(law.effective?.description == "2021-10-25")
        #expect(law.versionEffective?.description == "2021-10-25")
        #expect(law.versionEffectiveStated)
    }

    @Test("a revised text's 自公布之日 is its revision's: the day is that version's, not the first text's")
    func revisedFromPromulgation() throws {
        let law = try #require(LawText.read("""
            # 北京市优化营商环境条例
            2020年3月27日 北京市第十五届人民代表大会常务委员会第二十次会议通过
            2022年8月29日 北京市第十五届人民代表大会常务委员会第四十二次会议通过
            2024年11月29日 北京市第十六届人民代表大会常务委员会第十三次会议第一次修订）
            <!-- INFO END -->
            第九十四条 本条例自公布之日起施行。
            """, path: "北京/北京市优化营商环境条例(2024-11-29).md"))
        #expect(law.effective?.description == "2024-11-29")
        #expect(law.versionEffective?.description == "2024-11-29" && law.versionEffectiveStated)
        #expect(law.originalEffective == nil, "the first text's day is not in this one")
    }

    @Test("a text that prints no history: its version is in force from its file's day when it says 自发布之日; the document's own days stay unknown")
    func noHistory() throws {
        let law = try #require(LawText.read("""
            # 中华人民共和国价格管理条例

            <!-- INFO END -->

            第三十九条 本条例自发布之日起施行，1982年7月7日国务院发布的《物价管理暂行条例》同时废止。
            """, path: "行政法规/价格管理条例(1987-09-10).md"))
        #expect(law.firstMade == nil && law.effective == nil, "the file may hold a later version")
        #expect(law.versionEffective?.description == "1987-09-10" && law.versionEffectiveStated)
        #expect(law.repeals.map(\.title) == ["物价管理暂行条例"])
        #expect(LawText.read("# 某条例\n\n<!-- INFO END -->\n\n第一条 本条例自发布之日起施行。\n")?.versionEffective == nil, "no name, no day")
    }

    @Test("a history printed in brackets at the top of the body, as the national database prints it, is the text's history")
    func bracketedHistoryInBody() throws {
        let law = try #require(LawText.read("""
            # 最高人民法院关于审理生态环境损害赔偿案件的若干规定（试行）

            <!-- INFO END -->

            （2019年5月20日最高人民法院审判委员会第1769次会议通过，根据2020年12月23日最高人民法院审判委员会第1823次会议通过的《最高人民法院关于修改〈最高人民法院关于在民事审判工作中适用《中华人民共和国工会法》若干问题的解释〉等二十七件民事类司法解释的决定》修正）

            第二十三条 本规定自2019年6月5日起施行。
            """, path: "司法解释/x(2020-12-29).md"))
        #expect(law.history.map(\.kind) == [.adopted, .amended])
        #expect(law.firstMade?.description == "2019-05-20")
        #expect(law.originalEffective?.description == "2019-06-05")
        #expect(law.issuer == "最高人民法院")
    }

    @Test("自本条例施行之日起九十日内 is a count from the force, not a statement of it")
    func countFromForce() throws {
        let law = try #require(LawText.read("""
            # 某市合同条例
            2000年10月1日 某市第十一届人民代表大会常务委员会第二十二次会议通过
            <!-- INFO END -->
            第二十一条 本条例自2001年1月1日起施行。
            本条例第十一条规定的合同，在本条例施行前已经使用的，提供方应当自本条例施行之日起九十日内备案。
            """))
        #expect(law.effective?.description == "2001-01-01")
    }

    @Test("the rank follows the maker: a court, an autonomous county's congress, a government; the folder only when the text is silent")
    func ranks() throws {
        func rank(_ title: String, _ line: String, path: String? = nil) -> LegalRank? {
            LawText.read("# \(title)\n\(line)\n<!-- INFO END -->\n", path: path)?.rank
        }
        #expect(rank("最高人民法院关于审理某案件的解释", "2020年12月23日 最高人民法院审判委员会第1823次会议通过") == .judicialInterpretation)
        #expect(rank("景宁畲族自治县某某条例", "2019年3月1日 景宁畲族自治县第九届人民代表大会第三次会议通过") == .separateRegulation)
        #expect(rank("浙江省景宁畲族自治县自治条例", "2021年3月1日 景宁畲族自治县第十届人民代表大会第五次会议通过") == .autonomousRegulation)
        #expect(rank("北京市某某办法", "2007年1月1日 北京市人民政府第56次常务会议审议通过") == .localGovernmentRule)
        #expect(rank("中华人民共和国宪法", "1982年12月4日 第五届全国人民代表大会第五次会议通过") == .constitution)
        #expect(LawText.read("# 上海市专利保护条例\n\n<!-- INFO END -->\n", path: "DLC/上海地方法规/地方性法规/上海/上海市专利保护条例.md")?.rank == .localRegulation)
        #expect(LawText.read("# 上海市专利保护条例\n\n<!-- INFO END -->\n")?.rank == nil)
    }

    @Test("a page that is not a law text is not read as one")
    func notALaw() {
        #expect(LawText.read("绍兴市人民政府办公室关于印发某某办法的通知\n绍政办发〔2016〕11号\n各区、县（市）人民政府：") == nil)
        #expect(LawText.read("") == nil)
        #expect(LawText.read("# 标题\n没有历史的正文") == nil)
    }
}

/// Real texts of ../shared/lawrefbook, a few by name.
@Suite("Law texts of LawRefBook", .enabled(if: Corpus.isEnabled))
struct LawRefBookTests {
    static func extract(_ path: String) throws -> Extraction {
        DocumentExtractor.extract(PageText(plainText: try LawRefBook.text(path)), source: path)
    }

    @Test("立法法 as amended in 2015: adopted 2000, amended 2015, the version in force from its amendment")
    func legislationLaw2015() throws {
        let extraction = try Self.extract("宪法相关法/立法法(2015-03-15).md")
        let law = try #require(extraction.law)
        #expect(extraction.title == "中华人民共和国立法法")
        #expect(extraction.issuer == "全国人民代表大会")
        #expect(law.rank == .law)
        #expect(law.adopted?.description == "2000-03-15")
        #expect(law.effective?.description == "2000-07-01")
        #expect(law.versionDate?.description == "2015-03-15")
        #expect(law.versionEffective?.description == "2015-03-15")
        #expect(extraction.amendments.map { $0.date?.description } == ["2015-03-15"])
    }

    @Test("立法法 of 2023: two amendments, the last its version")
    func legislationLaw2023() throws {
        let law = try #require(try Self.extract("宪法相关法/立法法(2023-03-13).md").law)
        #expect(law.changes.map(\.date.description) == ["2015-03-15", "2023-03-13"])
        #expect(law.versionDate?.description == "2023-03-13")
    }

    @Test("a joint interpretation of the two courts, its issuer from the title when no history is printed")
    func jointInterpretation() throws {
        let extraction = try Self.extract("司法解释/最高人民法院 最高人民检察院关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释（三）(2020-09-12).md")
        #expect(extraction.law?.rank == .judicialInterpretation)
        #expect(extraction.issuer?.hasPrefix("最高人民法院") == true)
    }
}
