public import InForce

/// `issuers.toml`: the 代字 → issuer table, one `[[issuer]]` per body.
public enum IssuersFile {
    public static func encode(_ table: IssuerTable) -> String {
        var toml = TOMLText()
        toml.comment("Issuers: who numbers documents with which 机关代字 (and decree series), at what level, in which region.")
        for issuer in table.issuers {
            toml.header("issuer", array: true)
            toml.set("name", issuer.name)
            toml.set("codes", issuer.codes)
            toml.set("level", issuer.level)
            toml.set("region", issuer.region)
            toml.set("parent", issuer.parent)
        }
        return toml.text
    }

    public static func decode(_ text: String, origin: String) -> (table: IssuerTable, problems: [RegistryProblem]) {
        var root: TableReader
        switch TableReader.parse(text, origin: origin) {
        case .success(let reader): root = reader
        case .failure(let problem): return (IssuerTable([]), [problem])
        }
        var issuers: [Issuer] = []
        for var entry in root.tables("issuer") {
            let name = entry.string("name", required: true)
            let level: Level? = entry.word("level", required: true)
            let issuer = Issuer(
                name: name ?? "", codes: entry.strings("codes"), level: level ?? .department,
                region: entry.string("region"), parent: entry.string("parent"))
            if name != nil && level != nil { issuers.append(issuer) }
            root.merge(entry)
        }
        return (IssuerTable(issuers), root.finished())
    }
}

/// `regions.toml`: per-region rules (effective delay, validity defaults) as data.
public enum RegionsFile {
    public static func encode(_ table: RegionTable) -> String {
        var toml = TOMLText()
        toml.comment("Regions and the rules that fill in dates documents leave unsaid. A region inherits what it does not set from its parent.")
        for region in table.regions {
            toml.header("region", array: true)
            toml.set("name", region.name)
            toml.set("parent", region.parent)
            toml.set("effective_delay_days", region.effectiveDelayDays)
            toml.set("default_validity", region.defaultValidity?.description)
            toml.set("provisional_validity", region.provisionalValidity?.description)
            toml.set("source", region.source)
        }
        return toml.text
    }

    public static func decode(_ text: String, origin: String) -> (table: RegionTable, problems: [RegistryProblem]) {
        var root: TableReader
        switch TableReader.parse(text, origin: origin) {
        case .success(let reader): root = reader
        case .failure(let problem): return (RegionTable([]), [problem])
        }
        var regions: [RegionRules] = []
        for var entry in root.tables("region") {
            let name = entry.string("name", required: true)
            let delay = entry.int("effective_delay_days")
            if let delay, !(0...3650).contains(delay) {
                entry.fail("effective_delay_days", "effective_delay_days must be between 0 and 3650")
            }
            let region = RegionRules(
                name: name ?? "", parent: entry.string("parent"), effectiveDelayDays: delay,
                defaultValidity: entry.period("default_validity"), provisionalValidity: entry.period("provisional_validity"),
                source: entry.string("source"))
            if name != nil { regions.append(region) }
            root.merge(entry)
        }
        return (RegionTable(regions), root.finished())
    }
}

