/// An issuing body and the 机关代字 it numbers its documents with.
public struct Issuer: Hashable, Sendable {
    /// The full name (绍兴市人民政府办公室).
    public var name: String
    /// 机关代字 and decree series it uses (绍政办发, 绍政办函; 国务院令).
    public var codes: [String]
    public var level: Level
    /// The region whose rules apply (浙江省绍兴市); a name from the regions table.
    public var region: String?
    /// The body above it (绍兴市人民政府), by name.
    public var parent: String?

    public init(name: String, codes: [String], level: Level, region: String? = nil, parent: String? = nil) {
        self.name = name
        self.codes = codes
        self.level = level
        self.region = region
        self.parent = parent
    }
}

/// Per-region rules that decide dates the documents leave unsaid. Data, not code: each region
/// names the rule that sets it.
public struct RegionRules: Hashable, Sendable {
    /// 浙江省, 浙江省绍兴市 …
    public var name: String
    /// The region above, whose rules apply where this one is silent.
    public var parent: String?
    /// Days from publication to taking effect when a document does not say (e.g. 30).
    public var effectiveDelayDays: Int?
    /// Validity period for documents that do not state one.
    public var defaultValidity: ValidityPeriod?
    /// Validity period for 暂行 / 试行 documents that do not state one.
    public var provisionalValidity: ValidityPeriod?
    /// The rule these figures come from (省政府令第372号 …) and anything a reader should know.
    public var source: String?

    public init(
        name: String, parent: String? = nil, effectiveDelayDays: Int? = nil, defaultValidity: ValidityPeriod? = nil,
        provisionalValidity: ValidityPeriod? = nil, source: String? = nil
    ) {
        self.name = name
        self.parent = parent
        self.effectiveDelayDays = effectiveDelayDays
        self.defaultValidity = defaultValidity
        self.provisionalValidity = provisionalValidity
        self.source = source
    }
}

/// The issuers table: 代字 → issuer, with the hierarchy above each.
public struct IssuerTable: Sendable {
    public private(set) var issuers: [Issuer]
    private var byCode: [UTF8Key: Int] = [:]
    private var byName: [UTF8Key: Int] = [:]

    public init(_ issuers: [Issuer]) {
        self.issuers = issuers
        byName.reserveCapacity(issuers.count)
        byCode.reserveCapacity(issuers.count)
        for (index, issuer) in issuers.enumerated() {
            byName[UTF8Key(issuer.name)] = byName[UTF8Key(issuer.name)] ?? index
            for code in issuer.codes { byCode[UTF8Key(code)] = byCode[UTF8Key(code)] ?? index }
        }
    }

    /// The issuer that numbers with this 代字 or decree series.
    public func issuer(forCode code: String) -> Issuer? { byCode[UTF8Key(code)].map { issuers[$0] } }

    public func issuer(named name: String) -> Issuer? { byName[UTF8Key(name)].map { issuers[$0] } }

    /// The issuer of a number, when its 代字 is known.
    public func issuer(of number: DocumentNumber) -> Issuer? { issuer(forCode: number.agency) }
}

/// The regions table, with rules inherited down the hierarchy.
public struct RegionTable: Sendable {
    public private(set) var regions: [RegionRules]
    private var byName: [UTF8Key: Int] = [:]
    /// `effectiveRules(for:)` of each region, worked out once.
    private var effective: [RegionRules] = []

    public init(_ regions: [RegionRules]) {
        self.regions = regions
        for (index, region) in regions.enumerated() { byName[UTF8Key(region.name)] = byName[UTF8Key(region.name)] ?? index }
        effective = regions.map { inherited($0.name) ?? $0 }
    }

    public func region(named name: String) -> RegionRules? { byName[UTF8Key(name)].map { regions[$0] } }

    /// The position of a region in the table.
    public func index(named name: String) -> Int? { byName[UTF8Key(name)] }

    /// `effectiveRules(for:)` of the region at a position.
    public func effectiveRules(at index: Int) -> RegionRules { effective[index] }

    /// The rules in force for a region: its own figures, each missing one taken from the nearest
    /// region above that has it.
    public func effectiveRules(for name: String) -> RegionRules? {
        byName[UTF8Key(name)].map { effective[$0] }
    }

    private func inherited(_ name: String) -> RegionRules? {
        guard var rules = region(named: name) else { return nil }
        var seen: Set<String> = [name]
        var parent = rules.parent
        while let parentName = parent, !seen.contains(parentName), let above = region(named: parentName) {
            seen.insert(parentName)
            rules.effectiveDelayDays = rules.effectiveDelayDays ?? above.effectiveDelayDays
            rules.defaultValidity = rules.defaultValidity ?? above.defaultValidity
            rules.provisionalValidity = rules.provisionalValidity ?? above.provisionalValidity
            parent = above.parent
        }
        return rules
    }
}
