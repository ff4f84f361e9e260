/// The registry keys nearest to a number or title it does not hold: what `check` offers after
/// "not found" (绍正办发〔2016〕11号 → 绍政办发〔2016〕11号).
///
/// Feed it every key once, as UTF-8; it keeps only the few nearest. Keys are compared as Unicode
/// scalars of the canonical form, so one wrong character is one edit, and a swap of neighbours
/// (〔2061〕 for 〔2016〕) is one too. A key whose length alone rules it out is never decoded, and
/// nothing is allocated per key: a registry of 100,000 documents is one quick pass.
public struct NearestKeys {
    private let wanted: [UInt32]
    /// Scalars of the 代字 (before 〔), when the wanted key is a dispatch number.
    private let agencyLength: Int?
    /// The inner bytes of a wanted title (between 《 and 》), for titles that contain it or that
    /// it contains (中华人民共和国劳动合同法 → 劳动合同法).
    private let title: [UInt8]?
    private let limit: Int
    private var cutoff: Int
    private var distance = EditDistance()
    private var scalars: [UInt32] = []
    private var position = 0
    private var found: [(rank: (Int, Int, Int), key: String)] = []

    private static let openingBracket: UInt32 = 0x3014  // 〔
    private static let titleOpen: [UInt8] = Array("《".utf8)
    private static let titleClose: [UInt8] = Array("》".utf8)

    public init(to key: DocumentKey, limit: Int = 5) {
        wanted = key.description.unicodeScalars.map(\.value)
        agencyLength = wanted.firstIndex(of: Self.openingBracket)
        if case .title(let text) = key, text.unicodeScalars.count >= 4 { title = Array(text.utf8) } else { title = nil }
        self.limit = limit
        // About one character in five may be wrong, and at least two.
        cutoff = max(2, wanted.count / 5)
    }

    /// Considers one key of the registry (its canonical number or 《title》 as UTF-8).
    public mutating func consider(_ key: UnsafeBufferPointer<UInt8>) {
        defer { position += 1 }
        let containsTitle = title.map { Self.isTitle(key) && Self.overlaps(key, $0) } ?? false
        let length = UTF8Text(bytes: key).scalarCount(0..<key.count)
        guard containsTitle || abs(length - wanted.count) <= cutoff else { return }
        scalars.setScalars(ofUTF8: key)
        // A title that holds the whole of the wanted one, or is held whole in it, counts as one edit away.
        guard let edits = distance.distance(wanted, scalars, limit: cutoff).map({ containsTitle ? min($0, 1) : $0 }) ?? (containsTitle ? 1 : nil),
              edits > 0
        else { return }
        let sameAgency = agencyLength.map { count in
            scalars.count > count && scalars[count] == Self.openingBracket && scalars[..<count].elementsEqual(wanted[..<count])
        } ?? false
        let text = String(decoding: key, as: UTF8.self)
        guard !found.contains(where: { $0.key == text }) else { return }
        found.append(((edits, sameAgency ? 0 : 1, position), text))
        found.sort { $0.rank < $1.rank }
        if found.count > limit { found.removeLast() }
        // Once the list is full, nothing further than its last entry can enter it.
        if found.count == limit { cutoff = min(cutoff, found[limit - 1].rank.0) }
    }

    public mutating func consider(_ key: String) {
        var key = key
        key.withUTF8 { consider($0) }
    }

    /// The nearest keys seen, nearest first (keys of the same 代字 before others at one distance).
    public var nearest: [String] { found.map(\.key) }

    private static func isTitle(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        key.starts(with: titleOpen)
    }

    /// Whether the title key's inner text contains `title` or is contained in it, the shorter
    /// being at least four characters.
    private static func overlaps(_ key: UnsafeBufferPointer<UInt8>, _ title: [UInt8]) -> Bool {
        let inner = key.dropFirst(titleOpen.count).dropLast(titleClose.count)
        if contains(inner, title) { return true }
        guard UTF8Text(bytes: key).scalarCount(inner.startIndex..<inner.endIndex) >= 4 else { return false }
        return title.withUnsafeBufferPointer { contains($0[...], inner) }
    }

    /// Whether `part` occurs in `text` (UTF-8 is self-synchronising, so a byte match is a
    /// character match).
    private static func contains(_ text: Slice<UnsafeBufferPointer<UInt8>>, _ part: some Collection<UInt8>) -> Bool {
        guard let first = part.first, text.count >= part.count else { return false }
        var start = text.startIndex
        while start + part.count <= text.endIndex {
            if text[start] == first && text[start..<start + part.count].elementsEqual(part) { return true }
            start += 1
        }
        return false
    }
}

extension ValidityIndex {
    /// The keys nearest to one the index does not hold, nearest first: one pass over the sorted
    /// keys of the graph.
    public func nearestKeys(to key: DocumentKey, limit: Int = 5) -> [String] {
        var nearest = NearestKeys(to: key, limit: limit)
        graph.forEachKey { nearest.consider($0) }
        return nearest.nearest
    }

    /// The node for `key`, or an error that names the nearest keys the index holds.
    public func requireNode(_ key: DocumentKey, place: String = "the registry") throws(UnknownName) -> Int32 {
        if let node = node(try resolve(key, place: place)) { return node }
        throw UnknownName(.document, key.description, nearest: nearestKeys(to: key), place: place)
    }

    /// The documents whose title is exactly `title`, in the registry's order.
    public func documents(titled title: String) -> [Int32] {
        if let titles = graph as? any TitleLookup { return titles.documents(titled: title) }
        return nodes.filter { record($0).title == title }
    }

    /// Up to `limit` documents whose title holds `part`, shortest titles first.
    public func documents(titleHolding part: String, limit: Int) -> [Int32] {
        if let titles = graph as? any TitleLookup { return titles.documents(titleHolding: part, limit: limit) }
        let found = nodes.filter { record($0).title.contains(part) }
        return Array(found.enumerated().sorted { (record($0.element).title.count, $0.offset) < (record($1.element).title.count, $1.offset) }.map(\.element).prefix(limit))
    }

    /// What a name a user typed stands for: a title that only a numbered document bears is that
    /// document's number (`国务院关于进一步做好为农民工服务工作的意见` → 国发〔2014〕40号). A title that
    /// several documents bear, or that none bears but some hold, is an error listing them.
    public func resolve(_ key: DocumentKey, place: String = "the registry") throws(UnknownName) -> DocumentKey {
        guard case .title(let title) = key, node(key) == nil else { return key }
        let exact = documents(titled: title)
        func named(_ node: Int32) -> String {
            let record = record(node)
            return record.number.map { "\($0.canonical)（\(record.title)）" } ?? "《\(record.title)》"
        }
        if exact.count == 1 { return record(exact[0]).key }
        if exact.count > 1 { throw UnknownName(.document, key.description, nearest: exact.map(named), place: place, titleMatch: .several) }
        if !graph.unresolvedCiters(key).isEmpty { return key }
        let holding = documents(titleHolding: title, limit: 10)
        if !holding.isEmpty { throw UnknownName(.document, key.description, nearest: holding.map(named), place: place, titleMatch: .partial) }
        return key
    }
}
