/// The validity graph and the issuer and region tables in `RecordSnapshot`'s binary form, for a
/// derived index that answers without reading every record. Never the truth.
extension RecordSnapshot.Writer {
    public mutating func graph(_ graph: ValidityGraph) {
        count(graph.nodeCount)
        byteArray(graph.keyBytes)
        ints(graph.keyStart)
        ints(graph.keyNode)
        ints(graph.citedStart)
        ints(graph.cited)
        words(graph.citedRelation)
        ints(graph.citingStart)
        ints(graph.citing)
        words(graph.citingRelation)
        ints(graph.listedStart)
        ints(graph.listedNotice)
        ints(graph.listedEntry)
        count(graph.closedListNotices.count)
        for issuer in graph.closedListNotices.keys.sorted() {
            string(issuer)
            ints(graph.closedListNotices[issuer]!)
        }
        count(graph.cleanupNotices.count)
        for issuer in graph.cleanupNotices.keys.sorted() {
            string(issuer)
            ints(graph.cleanupNotices[issuer]!)
        }
        byteArray(graph.unresolvedBytes)
        ints(graph.unresolvedStart)
        ints(graph.unresolvedCiter)
        count(graph.issuerNames.count)
        for name in graph.issuerNames { string(name) }
        ints(graph.issuerName)
        ints(graph.region)
    }

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

    mutating func ints(_ values: [Int32]) {
        count(values.count)
        for value in values { int(Int64(value)) }
    }

    mutating func byteArray(_ values: [UInt8]) {
        count(values.count)
        append(raw: values)
    }

    mutating func words(_ values: [Relation]) {
        count(values.count)
        for value in values { append(raw: [UInt8(Relation.allCases.distance(from: Relation.allCases.startIndex, to: Relation.allCases.firstIndex(of: value)!))]) }
    }
}

extension RecordSnapshot.Reader {
    public mutating func graph() throws(RecordSnapshot.Damaged) -> ValidityGraph {
        let nodes = try count()
        let keyBytes = try byteArray()
        let keyStart = try ints()
        let keyNode = try ints()
        let citedStart = try ints()
        let cited = try ints()
        let citedRelation = try relations()
        let citingStart = try ints()
        let citing = try ints()
        let citingRelation = try relations()
        let listedStart = try ints()
        let listedNotice = try ints()
        let listedEntry = try ints()
        var closed: [String: [Int32]] = [:]
        for _ in 0..<(try count()) { closed[try required()] = try ints() }
        var scoped: [String: [Int32]] = [:]
        for _ in 0..<(try count()) { scoped[try required()] = try ints() }
        let unresolvedBytes = try byteArray()
        let unresolvedStart = try ints()
        let unresolvedCiter = try ints()
        var issuerNames: [String] = []
        for _ in 0..<(try count()) { issuerNames.append(try required()) }
        let issuerName = try ints()
        let region = try ints()
        // Every array must fit the node count, and every node number must name a node: a damaged
        // index is rebuilt, never followed out of bounds.
        let rows = [keyStart.count == keyNode.count + 1, keyNode.count >= nodes, citedStart.count == nodes + 1, citingStart.count == nodes + 1,
                    listedStart.count == nodes + 1, issuerName.count == nodes, region.count == nodes,
                    cited.count == citedRelation.count, citing.count == citingRelation.count, listedNotice.count == listedEntry.count,
                    Int(keyStart.last ?? 0) == keyBytes.count, Int(citedStart.last ?? 0) == cited.count,
                    Int(citingStart.last ?? 0) == citing.count, Int(listedStart.last ?? 0) == listedNotice.count,
                    unresolvedStart.count == unresolvedCiter.count + 1, Int(unresolvedStart.last ?? -1) == unresolvedBytes.count,
                    unresolvedStart.first == 0]
        guard rows.allSatisfy({ $0 }) else { throw RecordSnapshot.Damaged(reason: "the graph's arrays do not fit together") }
        let inRange = { (value: Int32) in value >= 0 && Int(value) < nodes }
        guard keyNode.allSatisfy(inRange), cited.allSatisfy(inRange), citing.allSatisfy(inRange), listedNotice.allSatisfy(inRange),
              closed.values.allSatisfy({ $0.allSatisfy(inRange) }), scoped.values.allSatisfy({ $0.allSatisfy(inRange) }), issuerName.allSatisfy({ $0 >= -1 && Int($0) < issuerNames.count }),
              unresolvedCiter.allSatisfy(inRange), Self.ascending(unresolvedStart),
              Self.ascending(keyStart), Self.ascending(citedStart), Self.ascending(citingStart), Self.ascending(listedStart)
        else { throw RecordSnapshot.Damaged(reason: "the graph names nodes that do not exist") }
        return ValidityGraph(
            nodeCount: nodes, keyBytes: keyBytes, keyStart: keyStart, keyNode: keyNode, citedStart: citedStart, cited: cited,
            citedRelation: citedRelation, citingStart: citingStart, citing: citing, citingRelation: citingRelation,
            listedStart: listedStart, listedNotice: listedNotice, listedEntry: listedEntry, closedListNotices: closed,
            cleanupNotices: scoped, unresolvedBytes: unresolvedBytes, unresolvedStart: unresolvedStart,
            unresolvedCiter: unresolvedCiter, issuerNames: issuerNames, issuerName: issuerName, region: region)
    }

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

    mutating func ints() throws(RecordSnapshot.Damaged) -> [Int32] {
        let count = try count()
        var values: [Int32] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            let value = try int()
            guard let narrow = Int32(exactly: value) else { throw RecordSnapshot.Damaged(reason: "a node number is out of range") }
            values.append(narrow)
        }
        return values
    }

    mutating func byteArray() throws(RecordSnapshot.Damaged) -> [UInt8] {
        let count = try count()
        var values: [UInt8] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try byte()) }
        return values
    }

    mutating func relations() throws(RecordSnapshot.Damaged) -> [Relation] {
        let count = try count()
        var values: [Relation] = []
        values.reserveCapacity(count)
        let all = Relation.allCases
        for _ in 0..<count {
            let index = Int(try byte())
            guard index < all.count else { throw RecordSnapshot.Damaged(reason: "a relation is unknown") }
            values.append(all[all.index(all.startIndex, offsetBy: index)])
        }
        return values
    }

    private static func ascending(_ values: [Int32]) -> Bool {
        zip(values, values.dropFirst()).allSatisfy { $0 <= $1 } && (values.first ?? 0) == 0
    }
}
