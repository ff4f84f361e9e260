import InForce
import Testing

/// The ways texts cite one title reach one key; titles of different documents do not.
@Suite("Title identity")
struct TitleIdentityTests {
    @Test("the forms a law is cited in are one key", arguments: [
        "中华人民共和国劳动合同法", "劳动合同法", "《劳动合同法》", "《中华人民共和国劳动合同法》", "《劳动合同法》（2012年修正）",
        "劳动合同法(2012修正)", "《勞動合同法》", " 《中华人民共和国劳动合同法》（2012年12月28日修正） ",
    ])
    func lawForms(form: String) {
        #expect(TitleIdentity.key(form) == "劳动合同法")
        #expect(DocumentKey(titleOnly: form) == DocumentKey(titleOnly: "中华人民共和国劳动合同法"))
    }

    @Test("a law inside a title is the same law however it is written there")
    func inner() {
        let short = TitleIdentity.key("最高人民法院关于适用《公司法》若干问题的规定（五）")
        #expect(short == TitleIdentity.key("最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（五）"))
        #expect(short == TitleIdentity.key("最高人民法院关于适用<中华人民共和国公司法>若干问题的规定(五)"))
        #expect(short == "最高人民法院关于适用〈公司法〉若干问题的规定（五）")
    }

    @Test("joint issuers joined by 、 or by spaces are one key")
    func jointIssuers() {
        let joined = TitleIdentity.key("最高人民法院、最高人民检察院关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释（三）")
        #expect(TitleIdentity.key("最高人民法院 最高人民检察院关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释（三）") == joined)
        #expect(TitleIdentity.key("最高人民法院  最高人民检察院关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释（三）") == joined)
    }

    @Test("what tells documents apart stays: the place, 试行, a numbered part, the country alone", arguments: [
        ("浙江省水资源管理条例", "杭州市水资源管理条例"),
        ("处方药与非处方药分类管理办法（试行）", "处方药与非处方药分类管理办法"),
        ("最高人民法院关于适用〈公司法〉若干问题的规定（五）", "最高人民法院关于适用〈公司法〉若干问题的规定（四）"),
        ("中华人民共和国宪法", "宪法修正案"),
    ])
    func distinct(one: String, other: String) {
        #expect(TitleIdentity.key(one) != TitleIdentity.key(other))
    }

    @Test("the country's name alone is not emptied")
    func countryAlone() {
        #expect(TitleIdentity.key("中华人民共和国") == "中华人民共和国")
    }
}
