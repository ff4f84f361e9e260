/// The issuer and region tables in `RecordSnapshot`'s binary form, so the derived store hands
/// them to a question without parsing `issuers.toml` and `regions.toml` again. Never the truth.
extension RecordSnapshot.Writer {
    public mutating func issuers(_ table: IssuerTable) {
        count(table.issuers.count)
        for issuer in table.issuers {
            string(issuer.name)
            count(issuer.codes.count)
            for code in issuer.codes { string(code) }
            word(issuer.level)
            string(issuer.region)
            string(issuer.parent)
        }
    }

    public mutating func regions(_ table: RegionTable) {
        count(table.regions.count)
        for region in table.regions {
            string(region.name)
            string(region.parent)
            string(region.note)
        }
        count(table.rules.count)
        for rule in table.rules {
            for text in [rule.region, rule.instrument, rule.number, rule.article, rule.words, rule.source, rule.note] { string(text) }
            day(rule.inForceFrom)
            day(rule.inForceUntil)
            flag(rule.periodRequired)
            for period in [rule.defaultValidity, rule.noticeValidity, rule.provisionalValidity, rule.transitionalValidity] { string(period?.description) }
            word(rule.countedFrom)
            word(rule.atEnd)
            flag(rule.endDayIncluded)
            for value in [rule.effectiveDelayDays, rule.evaluationLeadMonths, rule.cleanupIntervalYears] { int(Int64(value ?? -1)) }
            word(rule.cleanupEffective)
            day(rule.transitionalFrom)
            flag(rule.transitionalExemptsImplementing)
        }
    }
}

extension RecordSnapshot.Reader {
    public mutating func issuers() throws(RecordSnapshot.Damaged) -> IssuerTable {
        var issuers: [Issuer] = []
        for _ in 0..<(try count()) {
            let name = try required()
            var codes: [String] = []
            for _ in 0..<(try count()) { codes.append(try required()) }
            let level: Level = try requiredWord()
            issuers.append(Issuer(name: name, codes: codes, level: level, region: try string(), parent: try string()))
        }
        return IssuerTable(issuers)
    }

    public mutating func regions() throws(RecordSnapshot.Damaged) -> RegionTable {
        var regions: [Region] = []
        for _ in 0..<(try count()) {
            regions.append(Region(name: try required(), parent: try string(), note: try string()))
        }
        var rules: [RegionRule] = []
        for _ in 0..<(try count()) {
            var rule = RegionRule(region: try required(), instrument: try required(), number: try string(), article: try string(), words: try required(), source: try required())
            rule.note = try string()
            rule.inForceFrom = try day()
            rule.inForceUntil = try day()
            rule.periodRequired = try flag()
            rule.defaultValidity = try period()
            rule.noticeValidity = try period()
            rule.provisionalValidity = try period()
            rule.transitionalValidity = try period()
            rule.countedFrom = try word()
            rule.atEnd = try word()
            rule.endDayIncluded = try flag()
            func optionalInt() throws(RecordSnapshot.Damaged) -> Int? {
                let value = try int()
                return value < 0 ? nil : Int(value)
            }
            rule.effectiveDelayDays = try optionalInt()
            rule.evaluationLeadMonths = try optionalInt()
            rule.cleanupIntervalYears = try optionalInt()
            rule.cleanupEffective = try word()
            rule.transitionalFrom = try day()
            rule.transitionalExemptsImplementing = try flag()
            rules.append(rule)
        }
        return RegionTable(regions, rules: rules)
    }

    mutating func period() throws(RecordSnapshot.Damaged) -> ValidityPeriod? {
        guard let text = try string() else { return nil }
        do {
            return try ValidityPeriod(iso: text)
        } catch {
            throw RecordSnapshot.Damaged(reason: "'\(text)' is not a validity period")
        }
    }
}
