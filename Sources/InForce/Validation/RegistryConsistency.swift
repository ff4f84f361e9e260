/// Checks across records and tables: duplicates, unknown issuers, references to nothing.
public enum RegistryConsistency {
    public static func problems(
        records: [(origin: String, record: DocumentRecord)], issuers: IssuerTable, issuersOrigin: String,
        regions: RegionTable, regionsOrigin: String
    ) -> [RegistryProblem] {
        var problems: [RegistryProblem] = []
        var byKey: [DocumentKey: [(origin: String, issuer: String?)]] = [:]
        for (origin, record) in records { byKey[record.key, default: []].append((origin, record.issuer)) }

        for (key, holders) in byKey where holders.count > 1 {
            // The same 代字 used by two issuers is real (财社); the same number and issuer twice is not.
            for (index, holder) in holders.enumerated() {
                let clashes = holders.enumerated().filter { other in
                    other.offset != index && (other.element.issuer == nil || holder.issuer == nil || other.element.issuer == holder.issuer)
                }
                if let first = clashes.first {
                    problems.append(RegistryProblem(.error, origin: holder.origin, field: "number", "duplicate record: \(key) is also in \(first.element.origin)"))
                }
            }
        }

        let known = Set(byKey.keys)
        for (origin, record) in records {
            // The table names the issuers of the register's own documents by their 代字; a law,
            // regulation or interpretation read from its text (it has a rank) names its maker as
            // the text prints it, and its decree series (国务院令, 法释) is no 代字 of an office.
            let fromItsText = record.rank != nil
            if !fromItsText, let number = record.number, issuers.issuer(of: number) == nil, !number.isIssuerImplied {
                problems.append(RegistryProblem(.warning, origin: origin, field: "number", "the 代字 \(number.agency) is not in \(issuersOrigin)"))
            }
            if !fromItsText, let name = record.issuer, issuers.issuer(named: name) == nil {
                problems.append(RegistryProblem(.warning, origin: origin, field: "issuer", "the issuer \(name) is not in \(issuersOrigin)"))
            }
            for (index, citation) in record.citations.enumerated() {
                if let target = citation.target, !known.contains(target) {
                    problems.append(RegistryProblem(.warning, origin: origin, field: "citations[\(index)]", "cites \(target), which is not in the registry"))
                }
            }
            for (index, fact) in record.facts.enumerated() {
                if let by = fact.by, !known.contains(.number(by)) {
                    problems.append(RegistryProblem(.warning, origin: origin, field: "facts[\(index)].by", "\(by.canonical) is not in the registry"))
                }
            }
            for (index, disposition) in (record.notice?.dispositions ?? []).enumerated() {
                if let target = disposition.target, !known.contains(target) {
                    problems.append(RegistryProblem(.warning, origin: origin, field: "notice.dispositions[\(index)]", "lists \(target), which is not in the registry"))
                }
            }
        }

        problems += tableProblems(issuers: issuers, origin: issuersOrigin, regions: regions, regionsOrigin: regionsOrigin)
        return problems
    }

    private static func tableProblems(issuers: IssuerTable, origin: String, regions: RegionTable, regionsOrigin: String) -> [RegistryProblem] {
        var problems: [RegistryProblem] = []
        var codeOwner: [String: String] = [:]
        var names: Set<String> = []
        for (index, issuer) in issuers.issuers.enumerated() {
            let field = "issuer[\(index)]"
            if !names.insert(issuer.name).inserted {
                problems.append(RegistryProblem(.error, origin: origin, field: field + ".name", "the issuer \(issuer.name) is listed twice"))
            }
            for code in issuer.codes {
                if let owner = codeOwner[code], owner != issuer.name {
                    problems.append(RegistryProblem(.warning, origin: origin, field: field + ".codes", "the 代字 \(code) is used by both \(owner) and \(issuer.name): numbers with it need the issuer to tell them apart"))
                }
                codeOwner[code] = codeOwner[code] ?? issuer.name
            }
            if let parent = issuer.parent, issuers.issuer(named: parent) == nil {
                problems.append(RegistryProblem(.error, origin: origin, field: field + ".parent", "the parent \(parent) is not in the issuers table"))
            }
            if let region = issuer.region, regions.region(named: region) == nil {
                problems.append(RegistryProblem(.warning, origin: origin, field: field + ".region", "the region \(region) is not in \(regionsOrigin)"))
            }
        }
        for (index, region) in regions.regions.enumerated() {
            let field = "region[\(index)]"
            guard let parent = region.parent else { continue }
            if regions.region(named: parent) == nil {
                problems.append(RegistryProblem(.error, origin: regionsOrigin, field: field + ".parent", "the parent region \(parent) is not in the table"))
                continue
            }
            var seen: Set<String> = [region.name]
            var next: String? = parent
            while let name = next {
                if !seen.insert(name).inserted {
                    problems.append(RegistryProblem(.error, origin: regionsOrigin, field: field + ".parent", "the regions above \(region.name) form a cycle through \(name)"))
                    break
                }
                next = regions.region(named: name)?.parent
            }
        }
        return problems
    }
}
