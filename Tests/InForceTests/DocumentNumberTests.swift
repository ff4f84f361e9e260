import InForce
import InForceTestSupport
import Testing

@Suite("Document numbers")
struct DocumentNumberTests {
    @Test("the variants of DOMAIN.md §2 fold to one canonical form", arguments: [
        ("绍政办发〔2016〕11号", "绍政办发〔2016〕11号"),
        ("浙政办发[2015]83号", "浙政办发〔2015〕83号"),
        ("计价格【1998】1810号", "计价格〔1998〕1810号"),
        ("信部信(2002)570号", "信部信〔2002〕570号"),
        ("信部信（2002）570号", "信部信〔2002〕570号"),
        ("沈政令[1997]29号", "沈政令〔1997〕29号"),
        ("国发〈2014〉40号", "国发〔2014〕40号"),
        ("国发［2014］40号", "国发〔2014〕40号"),
        ("國發〔2014〕40號", "国发〔2014〕40号"),
        ("国发〔２０１４〕４０号", "国发〔2014〕40号"),
        ("国发〔2014〕40 号", "国发〔2014〕40号"),
        ("国发\n〔2014〕40号", "国发〔2014〕40号"),
        ("国发〔2014〕040号", "国发〔2014〕40号"),
        ("国发〔2014〕第40号", "国发〔2014〕40号"),
        ("国发[98]12号", "国发〔1998〕12号"),
        ("国发〔2014〕40號(hào)", "国发〔2014〕40号"),
        ("国发〔2014〕40号文件", "国发〔2014〕40号"),
        ("皖政辦〔2012〕39號", "皖政办〔2012〕39号"),
        ("国务院令第491号", "国务院令第491号"),
        ("中华人民共和国国务院令第491号", "国务院令第491号"),
        ("国令第707号", "国务院令第707号"),
        ("达州市人民政府令\n                     第48号", "达州市人民政府令第48号"),
        ("省政府令第372号", "省政府令第372号"),
        ("建设部〔2007〕第162号令", "建设部令第162号"),
        ("建设部第162号令", "建设部令第162号"),
        ("中华人民共和国主席令第六十九号", "主席令第69号"),
        ("石家庄市人民政府令(第166号)", "石家庄市人民政府令第166号"),
        ("石家庄市人民政府令\n（第166号）", "石家庄市人民政府令第166号"),
        ("河北省人民政府令〔2011〕第10号", "河北省人民政府令〔2011〕第10号"),
        ("河北省人民政府令\n〔2011〕第10号", "河北省人民政府令〔2011〕第10号"),
        ("交通运输部令2016年第1号", "交通运输部令〔2016〕第1号"),
        ("盤錦市人民政府令 第58號", "盘锦市人民政府令第58号"),
        ("国务院令491号", "国务院令第491号"),
        ("山东省人民政府第17号令", "山东省人民政府令第17号"),
        ("原国家工商行政管理局令第1号", "国家工商行政管理局令第1号"),
        ("国家税务总局公告2018年第28号", "国家税务总局公告2018年第28号"),
        ("国家税务总局公告 2018 年第 28 号", "国家税务总局公告2018年第28号"),
        ("全国人民代表大会常务委员会公告第1号", "全国人民代表大会常务委员会公告第1号"),
        ("国发〔14〕40号", "国发〔2014〕40号"),
        ("国发〔2014〕 40 号", "国发〔2014〕40号"),
    ])
    func canonicalForm(raw: String, canonical: String) throws {
        let number = try DocumentNumber(raw)
        #expect(number.canonical == canonical)
        #expect(number.raw == raw.trimmingSuffix("文件"))
    }

    @Test("components are read out of the number")
    func components() throws {
        let number = try DocumentNumber("绍政办发〔2016〕11号")
        #expect(number.kind == .dispatch)
        #expect(number.agency == "绍政办发")
        #expect(number.year == 2016)
        #expect(number.sequence == 11)
        let decree = try DocumentNumber("建设部〔2007〕第162号令")
        #expect(decree.kind == .decree)
        #expect(decree.agency == "建设部令")
        #expect(decree.year == 2007)
        #expect(decree.sequence == 162)
        #expect(decree == (try DocumentNumber("建设部令第162号")))
    }

    @Test("a decree series that starts again each year keeps the year in its identity")
    func annualDecrees() throws {
        let hebei = try DocumentNumber("河北省人民政府令〔2011〕第10号")
        #expect(hebei.kind == .decree)
        #expect(hebei.yearInIdentity)
        #expect(hebei != (try DocumentNumber("河北省人民政府令〔2012〕第10号")))
        #expect(hebei != (try DocumentNumber("河北省人民政府令第10号")))
        // A 代字 that merely ends in 令 is a 发文字号.
        #expect(try DocumentNumber("沈政令[1997]29号").kind == .dispatch)
        let tax = try DocumentNumber("国家税务总局公告2018年第28号")
        #expect(tax.kind == .announcement)
        #expect(tax != (try DocumentNumber("国家税务总局公告2019年第28号")))
    }

    @Test("the GB/T 9704-2012 lint names each defect", arguments: [
        ("國發[2014]40號", [NumberLint.Code.bracket, .traditionalCharacters]),
        ("国发〔2014〕40号", []),
        ("国发〔2014〕040号", [.leadingZeros]),
        ("国发〔2014〕第40号", [.diInDispatch]),
        ("国发〔98〕12号", [.twoDigitYear]),
        ("国发〔2014〕40", [.missingHao]),
        ("国发〔２０１４〕40号", [.fullWidthDigits]),
        ("国发〔2014〕40 号", [.spaceInside]),
        ("国发〔2014〕40号(hào)", [.pinyinGloss]),
        ("国发[2014〕40号", [.bracket, .mismatchedBrackets]),
        ("建设部〔2007〕第162号令", [.decreeInDispatchForm]),
        ("国务院令491号", [.missingDi]),
        ("省政府令第372号", [.impliedIssuer]),
    ])
    func lint(raw: String, codes: [NumberLint.Code]) throws {
        let number = try DocumentNumber(raw)
        #expect(Set(number.lint.map(\.code)) == Set(codes), "\(number.lint)")
    }

    @Test("an implied decree issuer resolves from the place it was written in")
    func impliedIssuer() throws {
        let number = try DocumentNumber("省政府令第372号")
        #expect(number.isIssuerImplied)
        #expect(number.resolvingImpliedIssuer(in: "浙江省").canonical == "浙江省人民政府令第372号")
        #expect(number.resolvingImpliedIssuer(in: "绍兴市").canonical == "省政府令第372号")
        #expect(try DocumentNumber("国务院令第491号").resolvingImpliedIssuer(in: "浙江省").canonical == "国务院令第491号")
    }

    @Test("malformed numbers are rejected with a reason", arguments: [
        "", "   ", "国发", "国发〔2014〕", "〔2014〕40号", "国发〔201〕40号", "../国发〔2014〕40号",
        "国发〔2014〕40号/../../etc", "国发〔2014〕0号", "hello", "国发〔2014〕40号 国发〔2014〕41号",
    ])
    func malformed(text: String) {
        #expect(throws: NumberError.self) { try DocumentNumber(text) }
        do {
            _ = try DocumentNumber(text)
        } catch {
            #expect(!error.reason.isEmpty)
        }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
