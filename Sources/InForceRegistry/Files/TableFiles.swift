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

/// `regions.toml`: the regions (`[[region]]`, each with its parent) and their rules (`[[rule]]`),
/// each rule with its instrument, article, the words read in a published text and where.
public enum RegionsFile {
    public static func encode(_ table: RegionTable) -> String {
        var toml = TOMLText()
        toml.comment("Regions, and the rules that govern their documents' validity and cleanups. A region is governed by its own rules and those of the regions above it.")
        toml.comment("Every rule cites its instrument, article, the words read in a published text and where they were read (lint rejects a rule without them).")
        for region in table.regions {
            toml.header("region", array: true)
            toml.set("name", region.name)
            toml.set("parent", region.parent)
            toml.set("note", region.note)
        }
        for rule in table.rules {
            toml.header("rule", array: true)
            toml.set("region", rule.region)
            toml.set("instrument", rule.instrument)
            toml.set("number", rule.number)
            toml.set("article", rule.article)
            toml.set("words", rule.words)
            toml.set("source", rule.source)
            toml.set("note", rule.note)
            toml.set("in_force_from", rule.inForceFrom)
            toml.set("in_force_until", rule.inForceUntil)
            toml.set("period_required", rule.periodRequired)
            toml.set("default_validity", rule.defaultValidity?.description)
            toml.set("notice_validity", rule.noticeValidity?.description)
            toml.set("provisional_validity", rule.provisionalValidity?.description)
            toml.set("counted_from", rule.countedFrom)
            toml.set("at_end", rule.atEnd)
            toml.set("end_day_included", rule.endDayIncluded)
            toml.set("effective_delay_days", rule.effectiveDelayDays)
            toml.set("evaluation_lead_months", rule.evaluationLeadMonths)
            toml.set("cleanup_interval_years", rule.cleanupIntervalYears)
            toml.set("cleanup_effective", rule.cleanupEffective)
            toml.set("transitional_from", rule.transitionalFrom)
            toml.set("transitional_validity", rule.transitionalValidity?.description)
            toml.set("transitional_exempts_implementing", rule.transitionalExemptsImplementing)
        }
        return toml.text
    }

    public static func decode(_ text: String, origin: String) -> (table: RegionTable, problems: [RegistryProblem]) {
        var root: TableReader
        switch TableReader.parse(text, origin: origin) {
        case .success(let reader): root = reader
        case .failure(let problem): return (RegionTable([]), [problem])
        }
        var regions: [Region] = []
        for var entry in root.tables("region") {
            let name = entry.string("name", required: true)
            if let name { regions.append(Region(name: name, parent: entry.string("parent"), note: entry.string("note"))) }
            root.merge(entry)
        }
        var rules: [RegionRule] = []
        for var entry in root.tables("rule") {
            let region = entry.string("region", required: true)
            let instrument = entry.string("instrument", required: true)
            // A rule is only as good as the words it was read in: without them it is not data.
            let words = entry.string("words", required: true)
            let source = entry.string("source", required: true)
            var cited = true
            for (key, value) in [("words", words), ("source", source), ("instrument", instrument)] where value?.allSatisfy(\.isWhitespace) == true {
                entry.fail(key, "\(key) is empty: a rule must quote the words read in a published text and say where")
                cited = false
            }
            if let region, !regions.contains(where: { $0.name == region }) {
                entry.fail("region", "the rule governs \(region), which is not a [[region]] of this file")
            }
            var rule = RegionRule(
                region: region ?? "", instrument: instrument ?? "", number: entry.string("number"), article: entry.string("article"),
                words: words ?? "", source: source ?? "")
            rule.note = entry.string("note")
            rule.inForceFrom = entry.day("in_force_from")
            rule.inForceUntil = entry.day("in_force_until")
            if let from = rule.inForceFrom, let until = rule.inForceUntil, until < from {
                entry.fail("in_force_until", "in_force_until \(until) is before in_force_from \(from)")
            }
            rule.periodRequired = entry.bool("period_required")
            rule.defaultValidity = entry.period("default_validity")
            rule.noticeValidity = entry.period("notice_validity")
            rule.provisionalValidity = entry.period("provisional_validity")
            rule.countedFrom = entry.word("counted_from")
            rule.atEnd = entry.word("at_end")
            rule.endDayIncluded = entry.bool("end_day_included")
            rule.effectiveDelayDays = bounded(&entry, "effective_delay_days", 0...3650)
            rule.evaluationLeadMonths = bounded(&entry, "evaluation_lead_months", 1...120)
            rule.cleanupIntervalYears = bounded(&entry, "cleanup_interval_years", 1...50)
            rule.cleanupEffective = entry.word("cleanup_effective")
            rule.transitionalFrom = entry.day("transitional_from")
            rule.transitionalValidity = entry.period("transitional_validity")
            rule.transitionalExemptsImplementing = entry.bool("transitional_exempts_implementing")
            if (rule.transitionalFrom == nil) != (rule.transitionalValidity == nil) {
                entry.fail(rule.transitionalFrom == nil ? "transitional_from" : "transitional_validity", "a transitional period needs both transitional_from and transitional_validity")
            }
            if region != nil && instrument != nil && words != nil && source != nil && cited {
                if !rule.setsAnything { entry.fail(nil, "the rule of \(rule.citation) sets no parameter, so it decides nothing") }
                rules.append(rule)
            }
            root.merge(entry)
        }
        return (RegionTable(regions, rules: rules), root.finished())
    }

    private static func bounded(_ entry: inout TableReader, _ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let value = entry.int(key) else { return nil }
        guard range.contains(value) else {
            entry.fail(key, "\(key) must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return value
    }
}
