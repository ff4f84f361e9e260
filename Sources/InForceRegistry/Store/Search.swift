import Foundation
public import InForce

/// A search of the registry: words of a title, a number in any written form, or words of a
/// quote, with filters.
public struct SearchQuery: Sendable {
    public var text: String
    /// An issuer's name, part of it, or a 代字.
    public var issuer: String?
    /// A region and the regions below it.
    public var region: String?
    public var level: Level?
    /// The year of the number (else of issue).
    public var year: Int?
    /// Only documents with this status on `asOf`.
    public var status: Status?
    public var asOf: Day
    public var limit: Int
    public var offset: Int

    public init(text: String, issuer: String? = nil, region: String? = nil, level: Level? = nil, year: Int? = nil, status: Status? = nil,
                asOf: Day, limit: Int = 20, offset: Int = 0) {
        self.text = text
        self.issuer = issuer
        self.region = region
        self.level = level
        self.year = year
        self.status = status
        self.asOf = asOf
        self.limit = limit
        self.offset = offset
    }

    /// The words: split on spaces (ASCII or ideographic).
    var terms: [String] {
        text.split { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }.map(String.init)
    }
}

/// One document found, with the part that matched.
public struct SearchHit: Sendable, Encodable, Equatable {
    public let document: String
    public let title: String
    public let issuer: String?
    public let region: String?
    public let level: String?
    public let status: Status
    public let statusChinese: String
    /// Where the words matched: `number`, `title` or `quote`.
    public let field: String
    /// The matching part with some text around it.
    public let snippet: String
    /// The first match in `snippet`: its offset and length, in characters.
    public let matchStart: Int
    public let matchLength: Int
    /// The record's file, relative to the registry.
    public let path: String
}

/// The documented `search --format json` object.
public struct SearchResult: Sendable, Encodable {
    public let query: String
    public let asOf: Day
    /// How many documents match, before paging.
    public let total: Int
    public let offset: Int
    public let hits: [SearchHit]
}

extension Registry {
    /// Searches numbers, titles and quotes through the derived store (SQLite FTS5, trigram; words
    /// of one or two characters, which a trigram cannot hold, through `instr` on titles and
    /// numbers). Ranked: an exact number first, then an exact title, then titles holding every
    /// word (earlier and shorter first), then documents whose quotes hold them.
    public func search(_ query: SearchQuery) throws -> SearchResult {
        try answer { view throws -> SearchResult in
            guard let graph = view.storeGraph else { return try searchInMemory(query, view: view) }
            return try graph.search(query, index: view.index)
        }
    }

    /// Without a store (`INFORCE_NO_CACHE=1`, a read-only registry): the same search over a
    /// store built in memory from the files.
    private func searchInMemory(_ query: SearchQuery, view: RegistryView) throws -> SearchResult {
        guard let store = DerivedStore.inMemory(root) else { throw RegistryError(.io, "cannot build a search index in memory") }
        _ = try refresh(store)
        let tables = try storedTables(store.database) ?? (IssuerTable([]), RegionTable([]))
        let graph = try StoreGraph(store.database, issuers: tables.issuers, regions: tables.regions)
        return try graph.search(query, index: ValidityIndex(graph: graph, store: graph, issuers: tables.issuers, regions: tables.regions))
    }
}

extension StoreGraph {
    struct Candidate {
        let node: Int32
        let key: String
        let number: String?
        let title: String
        let issuer: String?
        let region: String?
        let level: String?
        let path: String
        let stub: Bool
    }

    func search(_ query: SearchQuery, index: ValidityIndex) throws -> SearchResult {
        let terms = query.terms
        guard !terms.isEmpty else { throw RegistryError(.invalidInput, "the search is empty: give words of a title, a number or a quote") }
        // A number in any written form is looked up as such.
        var numbers: [String] = []
        for term in terms + [query.text] {
            if case .number(let number) = try? DocumentKey(parsing: term) { numbers.append(number.canonical) }
        }
        let long = terms.filter { term in
            guard term.count >= 3 else { return false }
            if case .number = try? DocumentKey(parsing: term) { return false }
            return true
        }
        let short = terms.filter { $0.count < 3 }
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if !long.isEmpty {
            conditions.append("d.id IN (SELECT rowid FROM search WHERE search MATCH ?)")
            values.append(.text(long.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " AND ")))
        }
        for term in short {
            conditions.append("(instr(d.title, ?) > 0 OR instr(ifnull(d.number, ''), ?) > 0)")
            values += [.text(term), .text(term)]
        }
        if !numbers.isEmpty {
            let placeholders = Array(repeating: "?", count: numbers.count).joined(separator: ", ")
            let matched = conditions.isEmpty ? "0" : conditions.joined(separator: " AND ")
            conditions = ["(d.number IN (\(placeholders)) OR (\(matched)))"]
            values = numbers.map { .text($0) } + values
        }
        if let issuer = query.issuer {
            conditions.append("(d.issuer = ? OR d.agency = ? OR instr(ifnull(d.issuer, ''), ?) > 0)")
            values += [.text(issuer), .text(issuer), .text(issuer)]
        }
        if let region = query.region {
            let names = Self.regions(under: region, in: index.regions)
            guard !names.isEmpty else {
                throw UnknownName(.region, region, nearest: Suggestions.nearest(to: region, among: index.regions.regions.map(\.name)))
            }
            conditions.append("d.region IN (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))")
            values += names.map { .text($0) }
        }
        if let level = query.level {
            conditions.append("d.level = ?")
            values.append(.text(level.rawValue))
        }
        if let year = query.year {
            conditions.append("d.year = ?")
            values.append(.int(Int64(year)))
        }
        let sql = "SELECT d.id, d.key, d.number, d.title, d.issuer, d.region, d.level, d.path, d.stub FROM documents d WHERE \(conditions.joined(separator: " AND "))"
        let found = try rowsOrThrow(sql, values) { row in
            Candidate(node: Int32(row.int(0)), key: row.text(1) ?? "", number: row.text(2), title: row.text(3) ?? "", issuer: row.text(4),
                      region: row.text(5), level: row.text(6), path: row.text(7) ?? "", stub: row.int(8) != 0)
        }
        // Ranked: exact number, exact title, every word in the title, then quotes; of those, records
        // read from a text before stubs known only from citations, earlier and shorter titles first.
        let text = query.text.trimmingCharacters(in: .whitespaces)
        func rank(_ candidate: Candidate) -> (Int, Int, Int, String) {
            let exactNumber = candidate.number.map(numbers.contains) ?? false
            let inTitle = terms.allSatisfy { candidate.title.contains($0) || (candidate.number?.contains($0) ?? false) }
            let position = terms.first.flatMap { candidate.title.range(of: $0) }.map { candidate.title.distance(from: candidate.title.startIndex, to: $0.lowerBound) } ?? Int.max
            let tier = (exactNumber ? 0 : 8) + (candidate.title == text ? 0 : 4) + (inTitle ? 0 : 2) + (candidate.stub ? 1 : 0)
            return (tier, position, candidate.title.count, candidate.path)
        }
        var ranked = found.map { ($0, rank($0)) }.sorted { $0.1 < $1.1 }.map(\.0)
        var statuses: [Int32: Status] = [:]
        if let wanted = query.status {
            ranked = ranked.filter { candidate in
                let status = index.statusOnly(candidate.node, on: query.asOf)
                statuses[candidate.node] = status
                return status == wanted
            }
        }
        let page = ranked.dropFirst(max(0, query.offset)).prefix(max(0, query.limit))
        let hits = try page.map { candidate throws -> SearchHit in
            let status = statuses[candidate.node] ?? index.statusOnly(candidate.node, on: query.asOf)
            let (field, snippet, start, length) = try snippet(for: candidate, terms: terms, numbers: numbers)
            return SearchHit(
                document: candidate.key, title: candidate.title, issuer: candidate.issuer, region: candidate.region, level: candidate.level,
                status: status, statusChinese: status.chinese, field: field, snippet: snippet, matchStart: start, matchLength: length, path: candidate.path)
        }
        if failed { throw SQLiteDatabase.Failure(code: 11, message: "the store failed under the search") }
        return SearchResult(query: query.text, asOf: query.asOf, total: ranked.count, offset: query.offset, hits: hits)
    }

    /// Where the first word matched, with up to 24 characters either side for a quote.
    private func snippet(for candidate: Candidate, terms: [String], numbers: [String]) throws -> (String, String, Int, Int) {
        if let number = candidate.number, numbers.contains(number) { return ("number", number, 0, number.count) }
        for term in terms {
            if let range = candidate.title.range(of: term) {
                return ("title", candidate.title, candidate.title.distance(from: candidate.title.startIndex, to: range.lowerBound), term.count)
            }
            if let number = candidate.number, let range = number.range(of: term) {
                return ("number", number, number.distance(from: number.startIndex, to: range.lowerBound), term.count)
            }
        }
        let quotes = try rowsOrThrow("SELECT quotes FROM search WHERE rowid = ?", [.int(Int64(candidate.node))]) { $0.text(0) ?? "" }.first ?? ""
        for line in quotes.split(separator: "\n").map(String.init) {
            for term in terms {
                guard let range = line.range(of: term) else { continue }
                let from = line.index(range.lowerBound, offsetBy: -24, limitedBy: line.startIndex) ?? line.startIndex
                let to = line.index(range.upperBound, offsetBy: 24, limitedBy: line.endIndex) ?? line.endIndex
                let prefix = from == line.startIndex ? "" : "…"
                let text = prefix + line[from..<to] + (to == line.endIndex ? "" : "…")
                return ("quote", text, prefix.count + line.distance(from: from, to: range.lowerBound), term.count)
            }
        }
        return ("title", candidate.title, 0, 0)
    }

    /// A region's name and those of every region below it; a name not in the table matches the
    /// regions whose names hold it (浙江 → 浙江省 and its cities).
    static func regions(under name: String, in table: RegionTable) -> [String] {
        var roots = table.regions.filter { $0.name == name }.map(\.name)
        if roots.isEmpty { roots = table.regions.filter { $0.name.contains(name) }.map(\.name) }
        var names = Set(roots)
        var grew = true
        while grew {
            grew = false
            for region in table.regions where !names.contains(region.name) {
                if let parent = region.parent, names.contains(parent) {
                    names.insert(region.name)
                    grew = true
                }
            }
        }
        return names.sorted()
    }
}
