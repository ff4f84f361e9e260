import ArgumentParser
import Foundation
import InForce

/// Reads every text of a LawRefBook folder with `LawText.read` and says how much of it was read:
/// the measure of the law reader while no answer key for these texts exists. The folder's own
/// layout is the check where it states something: the file name's date (the version's), the
/// folder's kind.
struct LawsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "laws",
        abstract: "Reads every law text of a LawRefBook folder; counts what was read and where it disagrees with the folder's own labels."
    )

    @Argument(help: "The LawRefBook folder (../shared/lawrefbook).")
    var folder: String

    @Option(help: "Print up to this many disagreements of each kind.")
    var show: Int = 5

    @Flag(help: "Print one tab-separated line per text instead: path, title, rank, issuer, number, version date, version effective (stated or not), effective, changes, repeals.")
    var dump = false

    func run() throws {
        let root = URL(fileURLWithPath: folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw ValidationError("\(folder): not a folder")
        }
        var paths: [String] = []
        for case let url as URL in walker where url.pathExtension == "md" && url.lastPathComponent != "_index.md" && url.lastPathComponent != "README.md" {
            paths.append(String(url.path.dropFirst(root.path.count + 1)))
        }
        paths.sort()
        var counts: [String: Int] = [:]
        var shown: [String: [String]] = [:]
        func note(_ kind: String, _ detail: String? = nil) {
            counts[kind, default: 0] += 1
            if let detail, shown[kind, default: []].count < show { shown[kind, default: []].append(detail) }
        }
        var bytes = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for path in paths {
            let data = try Data(contentsOf: root.appendingPathComponent(path))
            bytes += data.count
            let text = String(decoding: data, as: UTF8.self)
            guard let law = LawText.read(text, path: path) else {
                note("not read as a law text", path)
                continue
            }
            note("read")
            if dump {
                print([path, law.title, law.rank?.rawValue ?? "—", law.issuer ?? "—", law.number?.canonical ?? "—", law.versionDate?.description ?? "—",
                       (law.versionEffective?.description ?? "—") + (law.versionEffectiveStated ? "" : "?"), law.effective?.description ?? "—",
                       law.changes.map { "\($0.kind.rawValue) \($0.date) \($0.decision ?? "")" }.joined(separator: "; "),
                       law.repeals.map(\.title).joined(separator: "; ")].joined(separator: "\t"))
            }
            if law.issuer == nil { note("no issuer", path) }
            // Read again without the path: what the text alone decides.
            let alone = LawText.read(text)
            let textRank = alone?.rank
            if let hint = LawText.rankHint(path: path) {
                if textRank == nil { note("rank from the folder only", "\(path): \(law.history.first?.quote ?? "")") }
                else if textRank != hint { note("rank differs from the folder", "\(path): text \(textRank!.rawValue), issuer \(law.issuer ?? "—")") }
            }
            if let named = LawText.nameDate(path: path) {
                if alone?.versionDate == named { note("head's version date = file name's") }
                else if let read = alone?.versionDate, read > named { note("head's version date later than the file name's", "\(path): head \(read)") }
                else { note("head's version date earlier than the file name's or none", "\(path): head \(alone?.versionDate?.description ?? "—")") }
            }
            if law.effective == nil { note("no effective date", path) }
            if law.versionEffective != nil { note("version effective date") }
            if law.versionEffectiveStated { note("version effective date stated") }
            if law.number != nil { note("promulgation number") }
            if !law.changes.isEmpty { note("with amendments or revisions") }
            counts["repeals", default: 0] += law.repeals.count
            if !law.repeals.isEmpty { note("texts that repeal") }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if dump { return }
        print(String(format: "%d texts, %.1f MB, %.2f s (%.1f MB/s)", paths.count, Double(bytes) / 1_048_576, seconds, Double(bytes) / 1_048_576 / seconds))
        for (kind, count) in counts.sorted(by: { $0.key < $1.key }) {
            print("\(kind): \(count)")
            for detail in shown[kind] ?? [] { print("    \(detail)") }
        }
    }
}
