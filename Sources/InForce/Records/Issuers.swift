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

/// A region of the hierarchy (全国 › 浙江省 › 浙江省绍兴市). What governs its documents is in the
/// rules table (`RegionRule`), each rule cited; a region inherits the rules of the regions above.
public struct Region: Hashable, Sendable {
    /// 浙江省, 浙江省绍兴市 …
    public var name: String
    /// The region above, whose rules apply where this one's are silent.
    public var parent: String?
    /// Anything a reader should know about the region's entry.
    public var note: String?

    public init(name: String, parent: String? = nil, note: String? = nil) {
        self.name = name
        self.parent = parent
        self.note = note
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

/// The regions table and the rules of each region, inherited down the hierarchy.
public struct RegionTable: Sendable {
    public private(set) var regions: [Region]
    /// Every rule, in the order of the file.
    public private(set) var rules: [RegionRule]
    private var byName: [UTF8Key: Int] = [:]
    /// The rules that apply in each region (its own, then those above, nearest first), worked out once.
    private var applicable: [ApplicableRules] = []

    public init(_ regions: [Region], rules: [RegionRule] = []) {
        self.regions = regions
        self.rules = rules
        for (index, region) in regions.enumerated() { byName[UTF8Key(region.name)] = byName[UTF8Key(region.name)] ?? index }
        applicable = regions.map { region in
            ApplicableRules(ancestry(of: region.name).flatMap { name in rules.filter { $0.region == name } })
        }
    }

    public func region(named name: String) -> Region? { byName[UTF8Key(name)].map { regions[$0] } }

    /// The position of a region in the table.
    public func index(named name: String) -> Int? { byName[UTF8Key(name)] }

    /// The rules that apply in the region at a position, nearest region first.
    public func rules(at index: Int) -> ApplicableRules { applicable[index] }

    /// The rules that apply in a region, nearest region first.
    public func rules(for name: String) -> ApplicableRules? { byName[UTF8Key(name)].map { applicable[$0] } }

    /// The region and those above it, nearest first; a loop in the parents stops the walk.
    public func ancestry(of name: String) -> [String] {
        var names: [String] = []
        var next: String? = name
        while let current = next, !names.contains(current) {
            names.append(current)
            next = region(named: current)?.parent
        }
        return names
    }
}
