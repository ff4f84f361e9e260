import InForce
import Testing

@Suite("Did you mean")
struct SuggestionTests {
    static func number(_ text: String) -> DocumentNumber { try! DocumentNumber(text) }
    static func key(_ text: String) -> DocumentKey { try! DocumentKey(parsing: text) }

    static let shaoxing: ValidityIndex = {
        let numbers = [
            "绍政办发〔2016〕11号", "绍政办发〔2019〕34号", "绍政办发〔2023〕3号", "绍政发〔2016〕11号", "临政发〔2016〕12号",
            "国发〔2014〕40号", "国发〔2006〕5号", "浙政办发〔2015〕83号",
        ]
        var records = numbers.map { DocumentRecord(number: number($0), title: "关于\($0)的通知") }
        records.append(DocumentRecord(number: nil, title: "劳动合同法"))
        return ValidityIndex(records: records)
    }()

    @Test("a wrong character in the 代字 finds the number meant", arguments: [
        ("绍正办发〔2016〕11号", "绍政办发〔2016〕11号"),
        ("绍政办发〔2061〕11号", "绍政办发〔2016〕11号"),
        ("浙政办发〔2015〕38号", "浙政办发〔2015〕83号"),
        ("国发〔2014〕4号", "国发〔2014〕40号"),
        ("劳动合同", "《劳动合同法》"),
        ("中华人民共和国劳动合", "《劳动合同法》"),
    ])
    func nearestFirst(typed: String, meant: String) {
        #expect(Self.shaoxing.nearestKeys(to: Self.key(typed)).first == meant)
    }

    @Test("at one distance, numbers of the same 代字 come first; nothing far off is offered")
    func sameAgencyFirst() throws {
        // 临政发〔2016〕12号 sorts before 绍政发〔2016〕11号, and both are one edit away.
        let nearest = Self.shaoxing.nearestKeys(to: Self.key("绍政发〔2016〕12号"))
        #expect(nearest == ["绍政发〔2016〕11号", "临政发〔2016〕12号", "绍政办发〔2016〕11号"])
        #expect(Self.shaoxing.nearestKeys(to: Self.key("云县政府发〔2001〕99号")).isEmpty)
    }

    @Test("not found names the nearest numbers; a held number is found")
    func requireNode() throws {
        #expect(throws: UnknownName(.document, "绍正办发〔2016〕11号", nearest: ["绍政办发〔2016〕11号", "绍政发〔2016〕11号"])) {
            try Self.shaoxing.requireNode(Self.key("绍正办发〔2016〕11号"))
        }
        #expect(try Self.shaoxing.requireNode(Self.key("国发〔2014〕40号")) == Self.shaoxing.node(Self.key("国发〔2014〕40号")))
        #expect(UnknownName(.document, "绍正办发〔2016〕11号", nearest: ["绍政办发〔2016〕11号"]).description
            == "绍正办发〔2016〕11号 is not in the registry; did you mean 绍政办发〔2016〕11号?")
    }

    @Test("a large registry gives at most five, nearest first, in one pass over its keys")
    func largeRegistry() throws {
        var generated = SyntheticRegistry(documents: 5000, seed: 11)
        let records = generated.records(5000)
        let index = ValidityIndex(records: records, issuers: generated.issuers, regions: generated.regions)
        // A held number with a 0 typed after its sequence (〔2016〕3号 as 〔2016〕30号) that the registry does not hold.
        func typo(of number: DocumentNumber) -> DocumentNumber { try! DocumentNumber("\(number.agency)〔\(number.year!)〕\(number.sequence)0号") }
        let held = try #require(records.compactMap(\.number).first { $0.kind == .dispatch && index.node(.number(typo(of: $0))) == nil })
        let typo = typo(of: held)
        let nearest = index.nearestKeys(to: .number(typo))
        #expect(nearest.count <= 5 && !nearest.isEmpty)
        #expect(nearest.contains(held.canonical))
        #expect(nearest.allSatisfy { $0.hasPrefix(held.agency) }, "the same 代字 first: \(nearest)")
    }

    @Test("names: those containing what was typed first (绍兴 → 浙江省绍兴市), then by edit distance")
    func names() {
        let regions = ["全国", "浙江省", "浙江省绍兴市", "云南省", "云南省临沧市"]
        #expect(Suggestions.nearest(to: "绍兴", among: regions) == ["浙江省绍兴市"])
        #expect(Suggestions.nearest(to: "浙江", among: regions) == ["浙江省", "浙江省绍兴市"])
        #expect(Suggestions.nearest(to: "火星", among: regions).isEmpty, "two characters are not near any other two")
        #expect(Suggestions.nearest(to: "绍兴市政府", among: ["绍兴市人民政府", "国务院"]) == ["绍兴市人民政府"])
        #expect(Suggestions.either(["a", "b", "c"]) == "a, b or c")
    }

    @Test("an unknown issuer or region scope is an error naming the nearest; a known one with no documents is not")
    func scopes() throws {
        let issuers = IssuerTable([
            Issuer(name: "绍兴市人民政府办公室", codes: ["绍政办发"], level: .prefecture, region: "浙江省绍兴市"),
            Issuer(name: "国务院", codes: ["国发"], level: .national, region: "全国"),
        ])
        let regions = RegionTable([Region(name: "全国"), Region(name: "浙江省", parent: "全国"), Region(name: "浙江省绍兴市", parent: "浙江省")])
        let records = [DocumentRecord(number: Self.number("甲发〔2016〕1号"), title: "甲", issuer: "甲市人民政府")]
        let index = ValidityIndex(records: records, issuers: issuers, regions: regions)
        #expect(throws: UnknownName(.region, "绍兴", nearest: ["浙江省绍兴市"])) { try index.requireKnown(.region("绍兴")) }
        #expect(throws: UnknownName(.issuer, "绍兴市政府办公室", nearest: ["绍兴市人民政府办公室"])) { try index.requireKnown(.issuer("绍兴市政府办公室")) }
        try index.requireKnown(.region("浙江省"))
        try index.requireKnown(.issuer("国发"))
        try index.requireKnown(.issuer("甲市人民政府"))
        try index.requireKnown(.issuer("甲发"))
        try index.requireKnown(.all)
    }
}
