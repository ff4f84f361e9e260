import Foundation
import InForce
import InForceHTML
import InForceRegistry

/// How many laws cited by title (《…法》, 《…条例》) reach a record read from the law's own text:
/// of every such citation in the corpus pages and in the national layer's texts, and of those
/// whose law is in the LawRefBook folder — judged by a plain comparison of titles that does not
/// use InForce's title identity, so the figure measures it.
struct TitleResolution {
    struct Tally {
        var cited = 0, resolved = 0
        var present = 0, presentResolved = 0
        var misses: [String] = []
    }

    /// Titles of the folder's texts (their `# ` line), compared plainly.
    let folderTitles: Set<String>
    /// The registry as questions see it: a citation resolves to what `node` finds for its key.
    let index: ValidityIndex
    let snapshot: RegistrySnapshot

    init(laws: URL, registry: URL) throws {
        var titles: Set<String> = []
        let names = FileManager.default.enumerator(atPath: laws.path)?.allObjects as? [String] ?? []
        for name in names where name.hasSuffix(".md") && !name.hasSuffix("_index.md") && !name.hasSuffix("README.md") {
            guard let handle = FileHandle(forReadingAtPath: laws.appendingPathComponent(name).path) else { continue }
            let head = String(decoding: handle.readData(ofLength: 1024), as: UTF8.self)
            try? handle.close()
            if let line = head.split(separator: "\n").first(where: { $0.hasPrefix("# ") }) {
                titles.insert(Self.plain(String(line.dropFirst(2))))
            }
        }
        folderTitles = titles
        snapshot = try Registry(root: registry).load()
        index = ValidityIndex(records: snapshot.records.map(\.record), issuers: snapshot.issuers, regions: snapshot.regions)
    }

    /// A title compared without InForce's rules: no brackets or spaces, no 中华人民共和国 in
    /// front, no trailing version note in brackets (（2019年修正）).
    static func plain(_ title: String) -> String {
        var text = title.filter { !"《》〈〉<> \u{3000}".contains($0) }
        if let open = text.lastIndex(where: { $0 == "（" || $0 == "(" }), text.hasSuffix("）") || text.hasSuffix(")"),
            text[open...].contains("年")
        {
            text = String(text[..<open])
        }
        if text.hasPrefix("中华人民共和国") { text = String(text.dropFirst("中华人民共和国".count)) }
        return text
    }

    /// Whether a title names a law or regulation: …法 (not …办法) or …条例.
    static func isLawTitle(_ title: String) -> Bool {
        let text = plain(title)
        return text.count > 2 && ((text.hasSuffix("法") && !text.hasSuffix("办法")) || text.hasSuffix("条例"))
    }

    func count(_ title: String, into tally: inout Tally, from source: String) {
        guard Self.isLawTitle(title) else { return }
        // Reached: the record the citation's key leads to was read from a text of its own.
        let resolved = index.node(DocumentKey(titleOnly: title)).map { !index.record($0).sources.isEmpty } ?? false
        tally.cited += 1
        if resolved { tally.resolved += 1 }
        if folderTitles.contains(Self.plain(title)) {
            tally.present += 1
            if resolved { tally.presentResolved += 1 } else { tally.misses.append("\(source): 《\(title)》") }
        }
    }

    /// The corpus pages' citations and the national layer's records' citations.
    func measure(corpusPages: [(file: String, extraction: Extraction)], nationalSource: String) -> (corpus: Tally, folder: Tally) {
        var corpus = Tally(), folder = Tally()
        for page in corpusPages {
            for citation in page.extraction.citations { if let title = citation.title { count(title, into: &corpus, from: page.file) } }
        }
        for stored in snapshot.records where stored.record.sources.contains(where: { $0.hasPrefix(nationalSource) }) {
            for citation in stored.record.citations { if let title = citation.title { count(title, into: &folder, from: stored.path) } }
        }
        return (corpus, folder)
    }
}
