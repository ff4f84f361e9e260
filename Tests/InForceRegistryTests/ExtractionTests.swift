import Foundation
import InForce
import InForceHTML
import InForceTestSupport
import Testing

/// The facts that must survive a change of encoding.
struct Facts: Equatable, CustomStringConvertible {
    let number: String?
    let title: String?
    let issuer: String?
    let issued: Day?
    let citations: [String]
    let dispositions: [String]
    let notes: [String]

    init(_ extraction: Extraction) {
        number = extraction.number?.canonical
        title = extraction.title
        issuer = extraction.issuer
        issued = extraction.issued
        citations = extraction.citations.map { "\($0.number?.canonical ?? "-") \($0.title ?? "-") \($0.relation.rawValue) \($0.evidence)" }
        dispositions = extraction.dispositions.map { "\($0.number?.canonical ?? "-") \($0.outcome.rawValue)" }
        notes = extraction.statusNotes.map { "\($0.by?.canonical ?? "-") \($0.site) \($0.evidence)" }
    }

    var description: String { "\(number ?? "nil") \(title ?? "nil") \(citations) \(dispositions) \(notes)" }
}

func extract(_ data: Data, name: String) throws -> Extraction {
    DocumentExtractor.extract(try PageLoader.load(Array(data), name: name), source: name)
}

@Suite("Extraction across encodings", .enabled(if: Corpus.isEnabled))
struct EncodingTests {
    @Test("a GBK gov.cn page, with and without <meta charset>, extracts what its UTF-8 original does")
    func gbk() throws {
        let original = try Data(contentsOf: Corpus.root.appendingPathComponent("govcn/01.html"))
        let expected = Facts(try extract(original, name: "01.html"))
        #expect(expected.number == "国发〔2018〕43号")
        let html = String(decoding: original, as: UTF8.self)
        let declared = html.replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">")
        let undeclared = html.replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "")
        for page in [declared, undeclared] {
            let gbk = try Iconv.convert(Data(page.utf8), to: "GBK")
            #expect(String(data: gbk, encoding: .utf8) == nil, "the bytes really are GBK")
            #expect(Facts(try extract(gbk, name: "01.html")) == expected)
        }
    }

    @Test("a GB18030 text page extracts what its UTF-8 original does")
    func gb18030Text() throws {
        let original = try Data(contentsOf: Corpus.root.appendingPathComponent("raw/00-shaoxing-shaozhengbanfa-2016-11.txt"))
        let expected = Facts(try extract(original, name: "00.txt"))
        #expect(expected.citations.count == 4)
        let converted = try Iconv.convert(original, to: "GB18030")
        #expect(Facts(try extract(converted, name: "00.txt")) == expected)
    }

    @Test("a Big5 page, HTML with and without <meta charset> and plain text, extracts what its UTF-8 original does")
    func big5() throws {
        let raw = try Data(contentsOf: Corpus.root.appendingPathComponent("raw/31-anhui-invalidate-804-docs-news-big5-number-inside-title.txt"))
        // The original is what Big5 can hold of the page: a round trip drops the characters it lacks.
        let big5Text = try Iconv.convert(raw, to: "BIG5", dropUnconvertible: true)
        let original = try Iconv.convert(big5Text, from: "BIG5", to: "UTF-8")
        let expected = Facts(try extract(original, name: "31.txt"))
        #expect(expected.dispositions.count == 3)
        #expect(Facts(try extract(big5Text, name: "31.txt")) == expected)

        let body = String(decoding: original, as: UTF8.self).split(separator: "\n").map { "<p>\($0)</p>" }.joined(separator: "\n")
        let utf8Page = "<html><head><meta charset=\"utf-8\"></head><body>\(body)</body></html>"
        let expectedHTML = Facts(try extract(Data(utf8Page.utf8), name: "31.html"))
        for meta in ["<meta charset=\"big5\">", ""] {
            let page = utf8Page.replacingOccurrences(of: "<meta charset=\"utf-8\">", with: meta)
            let bytes = try Iconv.convert(Data(page.utf8), to: "BIG5")
            #expect(Facts(try extract(bytes, name: "31.html")) == expectedHTML, "meta: \(meta)")
        }
    }
}

@Suite("Extraction rules")
struct ExtractionRuleTests {
    static func page(_ text: String) -> Extraction {
        DocumentExtractor.extract(PageText(plainText: text), source: "test")
    }

    @Test("relations come from the words around a citation, shared along a run of citations")
    func relations() {
        let extraction = Self.page("""
            某市人民政府关于加强某项工作的通知
            某政发〔2020〕7号
            各县（区）人民政府：
            为认真贯彻落实《国务院关于甲的意见》（国发〔2019〕1号）、《某省人民政府关于乙的通知》（某省政发〔2019〕2号）和《某市丙办法》（某市政发〔2018〕3号）精神，根据《某省丁条例》（某省人民政府令第12号）规定，参照《戊的通知》（某办发〔2017〕4号）执行。《己的通知》（某政发〔2015〕5号）同时废止。《庚的意见》（某政发〔2016〕6号）印发以来成效明显。
            """)
        let relations = Dictionary(uniqueKeysWithValues: extraction.citations.compactMap { citation in citation.number.map { ($0.canonical, citation.relation) } })
        #expect(extraction.number?.canonical == "某政发〔2020〕7号")
        #expect(extraction.title == "某市人民政府关于加强某项工作的通知")
        #expect(extraction.issuer == "某市人民政府")
        #expect(relations["国发〔2019〕1号"] == .implements)
        #expect(relations["某省政发〔2019〕2号"] == .implements)
        #expect(relations["某市政发〔2018〕3号"] == .implements)
        #expect(relations["某省人民政府令第12号"] == .basis)
        #expect(relations["某办发〔2017〕4号"] == .reference)
        #expect(relations["某政发〔2015〕5号"] == .repeals)
        #expect(relations["某政发〔2016〕6号"] == .reference)
        let cited = extraction.citations.first { $0.number?.canonical == "某省人民政府令第12号" }
        #expect(cited?.title == "某省丁条例")
        #expect(cited?.evidence.hasPrefix("根据《某省丁条例》") == true)
    }

    @Test("a cleanup notice's table lists documents with their outcomes, and its closed-list rule is kept")
    func cleanupTable() throws {
        let html = """
            <html><body><div class="nav">首页 > 政务公开 > 规范性文件</div>
            <p style="text-align:center">某市人民政府关于公布行政规范性文件清理结果的通知</p><p>某政发〔2021〕9号</p>
            <p>各县（区）人民政府：</p>
            <p>根据《某省行政规范性文件管理办法》（某省人民政府令第30号）规定，市政府对截至2020年12月31日的行政规范性文件进行了清理。未列入继续有效目录的市政府行政规范性文件，一律不得作为行政管理的依据。</p>
            <p>附件：市政府行政规范性文件清理结果目录</p>
            <table><tr><td>序号</td><td>文件名称</td><td>文号</td><td>清理结果</td></tr>
            <tr><td>1</td><td>某市人民政府关于甲的通知</td><td>某政发[2015]1号</td><td>继续有效</td></tr>
            <tr><td>2</td><td>某市人民政府关于乙的意见</td><td>某政发〔2016〕2号</td><td>废止</td></tr>
            <tr><td>3</td><td>某市人民政府关于丙的办法</td><td>某政发（2017）3号</td><td>宣布失效</td></tr>
            <tr><td>4</td><td>某市人民政府关于丁的规定</td><td>某政发〔2018〕4号</td><td>修改</td></tr>
            </table><p>某市人民政府</p><p>2021年3月5日</p><p>扫一扫在手机打开当前页</p></body></html>
            """
        let extraction = try extract(Data(html.utf8), name: "notice.html")
        #expect(extraction.number?.canonical == "某政发〔2021〕9号")
        #expect(extraction.title == "某市人民政府关于公布行政规范性文件清理结果的通知")
        #expect(extraction.issued == (try Day(iso: "2021-03-05")))
        #expect(extraction.dispositions.map { "\($0.number?.canonical ?? "") \($0.outcome.rawValue)" } == [
            "某政发〔2015〕1号 continued", "某政发〔2016〕2号 repealed", "某政发〔2017〕3号 invalidated", "某政发〔2018〕4号 amend",
        ])
        #expect(extraction.dispositions.first?.title == "某市人民政府关于甲的通知")
        #expect(extraction.closedListQuote?.hasPrefix("未列入继续有效目录的") == true)
        #expect(extraction.scopeIssuedBefore == (try Day(iso: "2020-12-31")))
        #expect(extraction.citations.map { $0.number?.canonical } == ["某省人民政府令第30号"])
    }

    @Test("dates in Chinese numerals, effect and validity are read from the document's own words")
    func dates() throws {
        let extraction = Self.page("""
            某县人民政府关于印发某某暂行办法的通知
            某县政发〔2008〕3号
            各乡镇人民政府：
            现将《某某暂行办法》印发给你们，请认真贯彻执行。本办法自2008年5月1日起施行，有效期2年。
            某县人民政府
            二○○八年四月三十日
            """)
        #expect(extraction.issued == (try Day(iso: "2008-04-30")))
        #expect(extraction.effective == (try Day(iso: "2008-05-01")))
        #expect(extraction.validity == (try ValidityPeriod(iso: "P2Y")))
        #expect(extraction.issuer == "某县人民政府")
    }

    @Test("a period the document sets for something else (a licence's 有效期) is not its own validity")
    func periodOfSomethingElse() throws {
        let extraction = Self.page("""
            某某安全管理条例
            第十六条 放射性固体废物贮存许可证的有效期为10年。
            第十七条 行政规范性文件有效期一般不得超过5年。
            第十八条 知识产权海关保护备案自海关总署准予备案之日起生效，有效期为10年。
            第四十六条 本条例自2012年3月1日起施行。
            """)
        #expect(extraction.validity == nil)
        #expect(extraction.expires == nil)
        let own = Self.page("""
            某某办法
            第一条 本办法有效期至2030年12月31日。
            """)
        #expect(own.expires == (try Day(iso: "2030-12-31")))
    }

    @Test("a site's note is lower-grade evidence naming the site, and its number is not a citation")
    func statusNotes() {
        let extraction = Self.page("""
            某市人民政府办公室关于某事的意见[全文失效]
            某政办发〔2015〕8号
            税屋提示——依据某政办发〔2021〕9号 某市人民政府办公室关于公布清理结果的通知,本法规有效期截止到2022年12月31日。
            各县（区）人民政府：为做好某事，提出如下意见。
            """)
        #expect(extraction.number?.canonical == "某政办发〔2015〕8号")
        #expect(extraction.citations.isEmpty)
        #expect(extraction.expires == nil, "a note's date is not the document's own")
        let note = extraction.statusNotes.first { $0.by != nil }
        #expect(note?.by?.canonical == "某政办发〔2021〕9号")
        #expect(note?.until == (try? Day(iso: "2022-12-31")))
        #expect(note?.site.contains("税屋") == true)
        #expect(extraction.statusNotes.contains { $0.evidence == "[全文失效]" && $0.outcome == .invalidated })
    }
}
