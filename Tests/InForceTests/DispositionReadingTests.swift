import InForce
import Testing

/// How decisions state what becomes of the documents they name, on pages written for the tests
/// in the forms real decisions take (the corpus files 70–97 have the real ones).
@Suite("Reading dispositions")
struct DispositionReadingTests {
    static func extract(_ text: String) -> Extraction {
        DocumentExtractor.extract(PageText(plainText: text), source: "test.txt")
    }

    static func summary(_ extraction: Extraction) -> [String] {
        extraction.dispositions.map { "\($0.number?.canonical ?? "《\($0.title ?? "")》") \($0.outcome.rawValue)\($0.planned ? " planned" : "")" }
    }

    @Test("grouped lists: the heading states the outcome, the items under it are the documents, their sub-items are edits")
    func groupedList() {
        let page = Self.extract("""
            某省人民政府令
            第9号
            某省人民政府关于废止和修改部分规章的决定
            一、废止下列规章
            （一）《某省甲管理办法》（某省人民政府令第1号）
            （二）《某省乙管理办法》（某省人民政府令第2号）
            二、对下列规章的部分条款予以修改
            （一）《某省丙管理办法》（某省人民政府令第3号）
            1.将第三条修改为：“依照《某省丁管理办法》执行。”
            2.删去第五条。
            （二）修改《某省戊管理办法》（某省人民政府令第5号）
            """)
        #expect(Self.summary(page) == [
            "某省人民政府令第1号 repealed", "某省人民政府令第2号 repealed", "某省人民政府令第3号 amend", "某省人民政府令第5号 amend",
        ])
        #expect(page.number?.canonical == "某省人民政府令第9号", "the decree's own number, not a listed one")
    }

    @Test("inline items 一、废止《…》（…通过）: the date in brackets is the listed law's, not the decision's")
    func inlineItems() {
        let page = Self.extract("""
            某省人民代表大会常务委员会关于废止部分地方性法规的决定
            （2020年7月24日某省第十三届人民代表大会常务委员会第二十二次会议通过）
            某省第十三届人民代表大会常务委员会第二十二次会议决定：
            一、废止《某省甲条例》（1992年9月19日某省第七届人民代表大会常务委员会第三十次会议通过）
            二、废止《某省乙条例》（1995年6月1日某省第八届人民代表大会常务委员会第十五次会议通过）
            本决定自公布之日起施行。
            """)
        #expect(Self.summary(page) == ["《某省甲条例》 repealed", "《某省乙条例》 repealed"])
        #expect(page.issued?.description == "2020-07-24")
        #expect(page.effective?.description == "2020-07-24")
    }

    @Test("a table under a lead sentence: the outcome column, written once for a group, holds for the rows below it")
    func tableWithCarriedOutcome() {
        let page = Self.extract("""
            某市人民政府关于公布规范性文件清理结果的通知
            某政发〔2021〕1号
            现将清理结果公布如下：
            序号 | 文号 | 文件名称 | 清理结果
            1 | 某政发〔2010〕5号 | 某市人民政府关于甲的通知 | 继续有效
            2 | 某政发〔2011〕6号 | 某市人民政府关于乙的通知 |
            3 | 某政发〔2012〕7号 | 某市人民政府关于丙的通知 | 拟修改
            """)
        #expect(Self.summary(page) == ["某政发〔2010〕5号 continued", "某政发〔2011〕6号 continued", "某政发〔2012〕7号 amend planned"])
        #expect(page.dispositions.first?.title == "某市人民政府关于甲的通知")
    }

    @Test("a planned outcome in running text is recorded as planned")
    func plannedInText() {
        let page = Self.extract("根据初步清理结果，拟修改的文件包括《某市甲办法》、《某市乙办法》等。《某市丙办法》等文件，则被列入拟保留的政府规范性文件中。")
        #expect(Self.summary(page) == ["《某市甲办法》 amend planned", "《某市乙办法》 amend planned", "《某市丙办法》 continued planned"])
    }

    @Test("a count the heading states is compared with the rows read under it")
    func countDiffers() {
        let page = Self.extract("""
            某县人民政府关于公布规范性文件清理结果的通知
            一、宣布失效的规范性文件（3件）
            （一）《某县甲办法》（某政发〔2010〕1号）
            （二）《某县乙办法》（某政发〔2011〕2号）
            二、继续有效的规范性文件（1件）
            （一）《某县丙办法》（某政发〔2012〕3号）
            """)
        let invalidated = page.statedCounts.first { $0.outcome == .invalidated }
        #expect(invalidated?.count == 3 && invalidated?.listed == 2 && invalidated?.differs == true)
        let continued = page.statedCounts.first { $0.outcome == .continued }
        #expect(continued?.count == 1 && continued?.listed == 1 && continued?.differs == false)
    }

    @Test("a document's own repeal clause repeals what it names, also when a decree number names it; a note in brackets stays a reference")
    func repealClause() {
        let page = Self.extract("""
            某省计量条例
            第四十二条 本条例自2004年7月1日起施行。1990年7月6日某省人民政府第7号令发布的《某省计量规定》，1995年8月30日某省人民政府第62号令发布（1998年4月30日修订某省人民政府第90号令发布）的《某省计量办法》同时废止。
            """)
        #expect(page.dispositions.isEmpty)
        let relations = Dictionary(page.citations.compactMap { citation in citation.number.map { ($0.canonical, citation.relation) } }, uniquingKeysWith: { first, _ in first })
        #expect(relations["某省人民政府令第7号"] == .repeals)
        #expect(relations["某省人民政府令第62号"] == .repeals)
        #expect(relations["某省人民政府令第90号"] == .reference)
        #expect(page.citations.first { $0.number?.canonical == "某省人民政府令第7号" }?.title == "某省计量规定")
    }

    @Test("经…令第N号修正 in a document's header is an amendment of it, not a document it amends")
    func amendedBy() {
        let page = Self.extract("""
            某省甲管理办法
            （2005年3月1日某省人民政府令第10号公布 根据2010年12月1日某省人民政府令第20号修正）
            第一条 为了加强管理，制定本办法。
            """)
        #expect(page.amendments.map { $0.by?.canonical } == ["某省人民政府令第20号"])
        #expect(page.amendments.first?.date?.description == "2010-12-01")
        #expect(!page.citations.contains { $0.relation == .amends })
    }

    @Test("a group named by one document (对《X》等3件…修改) is read from the page's contents when they list exactly three from X")
    func gazetteContents() {
        let contents = """
            目  录
            某省人民政府令〔2011〕第10号(2)
            某省甲实施细则(15)
            某省乙实施办法(16)
            某省丙管理规定(17)《某省人民政府公报》增刊
            某省人民政府令
            〔2011〕第10号
            经省政府常务会议通过，决定对《某省甲实施细则》等3件省政府规章进行修改，现予公布。
            """
        let page = Self.extract(contents)
        #expect(Self.summary(page) == ["《某省甲实施细则》 amend", "《某省乙实施办法》 amend", "《某省丙管理规定》 amend"])
        #expect(page.number?.canonical == "某省人民政府令〔2011〕第10号")
        // Four said, three listed: the contents are not taken for the group.
        let miscounted = Self.extract(contents.replacingOccurrences(of: "等3件", with: "等4件"))
        #expect(Self.summary(miscounted) == ["《某省甲实施细则》 amend"])
        #expect(miscounted.statedCounts.first { $0.count == 4 }?.differs == true)
    }

    @Test("every document a page names gets a stub; one known by number alone takes its real title when its own page arrives")
    func stubsAndTitles() throws {
        let repealing = Self.extract("""
            某省计量条例
            第四十二条 本条例自2004年7月1日起施行。1990年7月6日某省人民政府第7号令发布的《某省计量规定》同时废止。
            第四十三条 依照某省人民政府令第9号执行。
            """)
        let records = IngestPlanner.records(from: repealing)
        let stub = try #require(records.first { $0.number?.canonical == "某省人民政府令第9号" })
        #expect(stub.isTitleUnknown, "a number cited without a title still gets its record")
        #expect(records.contains { $0.number?.canonical == "某省人民政府令第7号" && $0.title == "某省计量规定" })
        let own = DocumentRecord(number: stub.number, title: "某省乙管理办法", sources: ["own.html"])
        let merged = RecordMerge.merge(own, into: stub)
        #expect(merged.record.title == "某省乙管理办法")
        #expect(merged.conflicts.isEmpty)
    }

    @Test("a stub named as others cite a law takes the title its own text prints; a read record keeps its own; a different title is a conflict")
    func citedTitleForms() {
        let stub = DocumentRecord(number: nil, title: "劳动合同法")
        let text = DocumentRecord(number: nil, title: "中华人民共和国劳动合同法", sources: ["劳动合同法(2012-12-28).md"])
        let merged = RecordMerge.merge(text, into: stub)
        #expect(merged.record.title == "中华人民共和国劳动合同法")
        #expect(merged.conflicts.isEmpty)
        let again = RecordMerge.merge(DocumentRecord(number: nil, title: "《劳动合同法》（2012年修正）"), into: merged.record)
        #expect(again.record.title == "中华人民共和国劳动合同法")
        #expect(again.conflicts.isEmpty)
        #expect(RecordMerge.merge(DocumentRecord(number: nil, title: "中华人民共和国劳动法"), into: merged.record).conflicts.count == 1)
    }

    @Test("a short name the text defines (以下简称《…》) is the document it names: one citation, with the relation its use states")
    func shortNames() {
        let extraction = Self.extract("""
            某省民事诉讼实施办法
            第一条 本办法参照《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》（以下简称《民诉法解释》）和《中华人民共和国档案法》（以下简称《档案法》）制定。
            第二条 依照《民诉法解释》第五条的规定，根据《档案法》，当事人可以申请。
            """)
        #expect(extraction.citations.map(\.title) == ["最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释", "中华人民共和国档案法"])
        #expect(extraction.citations.map(\.relation) == [.basis, .basis])
        // Without the definition, 《档案法》 is the same document by its title: one record citation.
        let plain = Self.extract("""
            某省档案办法
            第一条 为了加强档案管理，参照《中华人民共和国档案法》，制定本办法。
            第二条 根据《档案法》第十条，档案馆应当开放档案。
            """)
        let record = IngestPlanner.records(from: plain).last
        #expect(record?.citations.count == 1)
        #expect(record?.citations.first?.relation == .basis)
    }

    @Test("a text naming its own title as repealed speaks of its earlier text: no citation of itself")
    func repealOfItsOwnEarlierText() {
        let extraction = Self.extract("""
            # 山东省实施《中华人民共和国渔业法》办法

            2002年10月26日 山东省第九届人民代表大会常务委员会第三十二次会议通过

            <!-- INFO END -->

            第一条 根据《中华人民共和国渔业法》，制定本办法。

            第二条 本办法自2003年1月1日起施行。1989年10月28日公布的《山东省实施〈中华人民共和国渔业法〉办法》同时废止。
            """)
        let record = IngestPlanner.records(from: extraction).last
        #expect(record?.citations.map(\.title) == ["中华人民共和国渔业法"], "\(record?.citations ?? [])")
        // Keyed by its decree, the same: its own title is its earlier text.
        let decree = Self.extract("""
            # 中华人民共和国某某条例

            1996年12月1日 中华人民共和国国务院令第203号公布

            <!-- INFO END -->

            第一条 为了加强管理，制定本条例。

            第二条 本条例自1997年1月1日起施行。1988年发布的《某某条例》同时废止。
            """)
        #expect(decree.number?.canonical == "国务院令第203号")
        #expect(IngestPlanner.records(from: decree).last?.citations.isEmpty == true)
    }

    @Test("a law rests on what its enacting clause names; a later article that applies another law only mentions it")
    func lawBasisIsTheEnactingClause() {
        let extraction = Self.extract("""
            # 某某管理条例

            2010年1月1日 国务院令第1号公布

            <!-- INFO END -->

            第一条 为了加强管理，根据《中华人民共和国甲法》，制定本条例。

            第二条 本条例适用于全国。

            第九条 违反本条例规定，构成犯罪的，依照《中华人民共和国刑法》追究刑事责任。
            """)
        #expect(extraction.law != nil)
        #expect(extraction.citations.map(\.relation) == [.basis, .reference], "\(extraction.citations)")
    }

    @Test("a merge fills every field the registry lacks, the end of validity too")
    func mergeFillsExpiry() throws {
        let held = DocumentRecord(number: try DocumentNumber("某政发〔2020〕1号"), title: "某市人民政府关于甲的通知")
        let page = DocumentRecord(
            number: try DocumentNumber("某政发〔2020〕1号"), title: "某市人民政府关于甲的通知", issued: try Day(iso: "2020-01-01"),
            effective: try Day(iso: "2020-02-01"), expires: try Day(iso: "2025-01-31"), sources: ["甲.txt"])
        let merged = RecordMerge.merge(page, into: held).record
        #expect(merged.issued == page.issued && merged.effective == page.effective && merged.expires == page.expires)
    }

    @Test("two amendments weeks apart stay two versions, whichever text is read first")
    func closeAmendments() throws {
        func text(_ date: String, steps: [String]) throws -> DocumentRecord {
            var record = DocumentRecord(number: nil, title: "上海市河道管理条例", sources: ["河道管理条例(\(date)).md"])
            record.versions = try steps.map { DocumentVersion(date: try Day(iso: $0), effectiveStated: false) }
                + [DocumentVersion(date: try Day(iso: date), source: "河道管理条例(\(date)).md")]
            return record
        }
        let november = try text("2018-11-22", steps: ["1997-12-19"])
        let later = try text("2023-03-01", steps: ["1997-12-19", "2018-11-22", "2018-12-20"])
        for (first, second) in [(november, later), (later, november)] {
            let merged = RecordMerge.merge(second, into: RecordMerge.merge(first, into: nil).record).record
            #expect(merged.versions.map(\.date.description) == ["1997-12-19", "2018-11-22", "2018-12-20", "2023-03-01"], "\(merged.versions)")
        }
    }

    @Test("of two texts of one law, the newer's reading of a citation is the document's; an older text's different reading is no conflict")
    func newerTextsCitations() throws {
        func text(_ date: String, _ relation: Relation) throws -> DocumentRecord {
            var record = DocumentRecord(number: nil, title: "中华人民共和国公司法", sources: ["公司法(\(date)).md"])
            record.versions = [DocumentVersion(date: try Day(iso: date), source: "公司法(\(date)).md")]
            record.citations = [Citation(number: nil, title: "中华人民共和国证券法", relation: relation, evidence: "《中华人民共和国证券法》")]
            return record
        }
        let older = try text("2018-10-26", .reference), newer = try text("2023-12-29", .basis)
        for (first, second) in [(older, newer), (newer, older)] {
            let merged = RecordMerge.merge(second, into: RecordMerge.merge(first, into: nil).record)
            #expect(merged.conflicts.isEmpty, "\(merged.conflicts)")
            #expect(merged.record.citations.map(\.relation) == [.basis])
        }
    }

    @Test("a planned outcome changes no status; a decided one does")
    func plannedChangesNothing() throws {
        let target = DocumentRecord(number: try DocumentNumber("某政发〔2012〕7号"), title: "某市人民政府关于丙的通知", issued: try Day(iso: "2012-03-01"))
        func notice(planned: Bool) throws -> DocumentRecord {
            DocumentRecord(
                number: try DocumentNumber("某政发〔2021〕1号"), title: "某市人民政府关于公布清理结果的通知", issued: try Day(iso: "2021-03-01"),
                notice: CleanupNotice(dispositions: [Disposition(number: target.number, outcome: .repealed, planned: planned, quote: "3 | 某政发〔2012〕7号 | 拟废止")]))
        }
        for planned in [true, false] {
            let index = ValidityIndex(records: [target, try notice(planned: planned)], issuers: IssuerTable([]), regions: RegionTable([]))
            let answer = index.answer(index.node(.number(target.number!))!, on: try Day(iso: "2022-01-01"))
            #expect(answer.status == (planned ? .inForce : .repealed), "planned: \(planned)")
            if planned { #expect(answer.evidence.contains { $0.event == "planned" }) }
        }
    }
}
