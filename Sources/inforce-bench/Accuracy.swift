import ArgumentParser
import Foundation
import InForce
import InForceHTML

/// `inforce-bench accuracy CORPUS`: runs extraction over the corpus and scores it against the
/// answer keys (truth/) and the gov.cn crawler's records (govcn/).
struct AccuracyBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "Score extraction against ../shared/corpus answer keys; with --require, fail below the recorded levels."
    )

    @Argument(help: "The corpus folder.")
    var corpus: String = "../shared/corpus"

    @Flag(help: "Exit 1 when a figure is below the level recorded in `floors`.")
    var require = false

    @Flag(help: "Print each miss.")
    var verbose = false

    @Option(help: "The LawRefBook folder whose laws title citations should reach (default: beside the corpus).")
    var laws: String?

    @Option(help: "The registry title citations are resolved in.")
    var registry: String = "registry"

    /// Of the title citations of laws present in the LawRefBook folder, the share that must reach
    /// a record read from the law's text: the level reached (issue 13 asked for at least 95 %).
    static let titleResolutionFloor = 1.0
    /// Of all title citations of laws, present in the folder or not, the share that reaches a
    /// record (a stub the registry holds counts): the level reached on 2026-12-04.
    static let allTitleCitationFloors = ["corpus": 0.86, "folder": 0.906]

    /// The corpus in the sets it grew by: the first pages (files 00–69) and the repeal and
    /// amendment decisions, decrees, inline lists and closed-list notices added later (70–99).
    /// Each set keeps its own floors, so a gain on one cannot hide a loss on the other.
    enum FileSet: String, CaseIterable {
        case pages = "pages 00-69"
        case decisions = "decisions 70-99"
        case govcn = "gov.cn"

        init?(file: String) {
            let name = file.split(separator: "/").last.map(String.init) ?? file
            guard let prefix = Int(name.prefix(2)) else { return nil }
            self = prefix < 70 ? .pages : .decisions
        }
    }

    /// The levels reached, per set; CI fails below them. Raise them when extraction improves.
    static let floors: [FileSet: [String: Double]] = [
        .pages: [
            "own number": 1.0, "title": 1.0, "date": 1.0, "citation-number F1": 1.0, "relation accuracy": 0.962,
            "disposition F1": 1.0, "status-note recall": 1.0,
        ],
        .decisions: [
            "own number": 1.0, "title": 0.928, "date": 0.947, "citation-number F1": 1.0, "relation accuracy": 1.0,
            "disposition F1": 1.0, "status-note recall": 1.0,
        ],
        .govcn: ["govcn number": 1.0, "govcn issuer": 1.0, "govcn title": 1.0],
    ]

    func run() throws {
        var scores: [FileSet: Score] = [:]
        let root = URL(fileURLWithPath: corpus)
        let truthFolder = root.appendingPathComponent("truth")
        for name in try FileManager.default.contentsOfDirectory(atPath: truthFolder.path).sorted() where name.hasSuffix(".json") {
            let key = try JSONSerialization.jsonObject(with: Data(contentsOf: truthFolder.appendingPathComponent(name))) as? [String: Any] ?? [:]
            guard let file = key["file"] as? String, let set = FileSet(file: file) else { continue }
            let extraction = try extract(root.appendingPathComponent(file))
            scores[set, default: Score()].compare(extraction, with: key, file: file, verbose: verbose)
        }
        let govcn = root.appendingPathComponent("govcn")
        for name in try FileManager.default.contentsOfDirectory(atPath: govcn.path).sorted() where name.hasSuffix(".json") {
            let record = try JSONSerialization.jsonObject(with: Data(contentsOf: govcn.appendingPathComponent(name))) as? [String: Any] ?? [:]
            guard let file = record["file"] as? String else { continue }
            let extraction = try extract(govcn.appendingPathComponent(file))
            scores[.govcn, default: Score()].compareGovcn(extraction, with: record, file: "govcn/\(file)", verbose: verbose)
        }
        var failed: [String] = []
        for set in FileSet.allCases {
            guard let score = scores[set] else { continue }
            print("\(set.rawValue) (\(score.files) files)")
            print("  figure                 value    floor   (counts)")
            for (name, value, counts) in score.figures(govcn: set == .govcn) {
                let floor = Self.floors[set]?[name] ?? 0
                let mark = value + 1e-9 < floor ? "  BELOW" : ""
                if !mark.isEmpty { failed.append("\(name) (\(set.rawValue))") }
                print("  " + name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: " %.3f    %.3f  %@", value, floor, counts) + mark)
            }
        }
        failed += try titleCitations(root: root)
        if require && !failed.isEmpty {
            print("accuracy below the recorded level: \(failed.joined(separator: ", "))")
            throw ExitCode(1)
        }
    }

    /// The share of title citations of laws that reach a record, printed; the figures below their floor.
    func titleCitations(root: URL) throws -> [String] {
        let folder = laws.map { URL(fileURLWithPath: $0) } ?? root.deletingLastPathComponent().appendingPathComponent("lawrefbook")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            print("title citations: skipped, no LawRefBook folder at \(folder.path)")
            return []
        }
        let resolution = try TitleResolution(laws: folder, registry: URL(fileURLWithPath: registry))
        var pages: [(file: String, extraction: Extraction)] = []
        let raw = root.appendingPathComponent("raw")
        for name in try FileManager.default.contentsOfDirectory(atPath: raw.path).sorted() where !name.hasPrefix(".") {
            pages.append(("raw/\(name)", try extract(raw.appendingPathComponent(name))))
        }
        let (corpus, national) = resolution.measure(corpusPages: pages, nationalSource: "https://github.com/LawRefBook/Laws/")
        var failed: [String] = []
        print("title citations of laws (《…法》, 《…条例》) reaching a record read from the law's text")
        print("  figure                 value    floor   (counts)")
        for (name, tally) in [("corpus", corpus), ("folder", national)] {
            let all = tally.cited == 0 ? 1 : Double(tally.resolved) / Double(tally.cited)
            let present = tally.present == 0 ? 1 : Double(tally.presentResolved) / Double(tally.present)
            let below = present + 1e-9 < Self.titleResolutionFloor
            if below { failed.append("title citations in the folder (\(name))") }
            let allFloor = Self.allTitleCitationFloors[name] ?? 0
            let allBelow = all + 1e-9 < allFloor
            if allBelow { failed.append("title citations, all (\(name))") }
            print("  " + "\(name), all".padding(toLength: 22, withPad: " ", startingAt: 0)
                + String(format: " %.3f    %.3f  (%d/%d)", all, allFloor, tally.resolved, tally.cited) + (allBelow ? "  BELOW" : ""))
            print("  " + "\(name), law in folder".padding(toLength: 22, withPad: " ", startingAt: 0)
                + String(format: " %.3f    %.3f  (%d/%d)", present, Self.titleResolutionFloor, tally.presentResolved, tally.present) + (below ? "  BELOW" : ""))
            if verbose { for miss in tally.misses { print("    not reached: \(miss)") } }
        }
        return failed
    }

    func extract(_ url: URL) throws -> Extraction {
        let page = try PageLoader.load(Array(try Data(contentsOf: url)), name: url.lastPathComponent)
        return DocumentExtractor.extract(page, source: url.lastPathComponent)
    }
}

/// Tallies for each figure.
struct Score {
    struct Ratio {
        var hits = 0
        var total = 0
        var value: Double { total == 0 ? 1 : Double(hits) / Double(total) }
        mutating func add(_ hit: Bool) {
            total += 1
            if hit { hits += 1 }
        }
    }

    var own = Ratio(), title = Ratio(), relation = Ratio(), notes = Ratio(), date = Ratio()
    var citationHits = 0, citationPredicted = 0, citationExpected = 0
    var dispositionHits = 0, dispositionPredicted = 0, dispositionExpected = 0
    var govcnNumber = Ratio(), govcnIssuer = Ratio(), govcnTitle = Ratio()
    var files = 0

    struct KeyedDisposition {
        let number: String?
        let title: String?
        let outcome: DispositionOutcome?
    }

    /// A title as compared: simplified characters, no spaces, no pinyin glosses such as (guī),
    /// no 《》 around it.
    static func comparableTitle(_ title: String) -> String {
        var scalars = Array(title.simplifiedCharacters.unicodeScalars.filter { !$0.properties.isWhitespace })
        var index = 0
        while index < scalars.count {
            if scalars[index] == "(", let close = scalars[index...].firstIndex(of: ")"), close - index > 1, close - index <= 8,
               scalars[(index + 1)..<close].allSatisfy({ $0.properties.isAlphabetic && $0.value < 0x300 })
            {
                scalars.removeSubrange(index...close)
            } else {
                index += 1
            }
        }
        var text = String(String.UnicodeScalarView(scalars))
        if text.hasPrefix("《") && text.hasSuffix("》") { text = String(text.dropFirst().dropLast()) }
        return text
    }

    static func canonical(_ text: String?) -> String? {
        guard let text else { return nil }
        return (try? DocumentNumber(text))?.canonical ?? text
    }

    /// The answer keys' relations, in InForce's vocabulary: the keys have no `implements` (they
    /// file 贯彻落实 under basis) and call other mentions `other`.
    static func relationMatches(_ predicted: Relation, key: String) -> Bool {
        switch key {
        case "basis": predicted == .basis || predicted == .implements
        case "other", "reference": predicted == .reference
        default: predicted.rawValue == key
        }
    }

    mutating func compare(_ extraction: Extraction, with key: [String: Any], file: String, verbose: Bool) {
        func miss(_ what: String) { if verbose { print("miss \(file): \(what)") } }
        files += 1
        let ownKey = Score.canonical((key["own_number"] as? [String: Any])?["normalized"] as? String)
        own.add(extraction.number?.canonical == ownKey)
        if extraction.number?.canonical != ownKey { miss("own number \(extraction.number?.canonical ?? "nil") ≠ \(ownKey ?? "nil")") }
        // The document's own date (signature, adoption or promulgation), where the key prints one.
        if let dateKey = key["date"] as? String, dateKey.count == 10 {
            let found = (extraction.issued ?? extraction.published)?.description
            date.add(found == dateKey)
            if found != dateKey { miss("date \(found ?? "nil") ≠ \(dateKey)") }
        }
        let titleKey = key["title"] as? String
        title.add(extraction.title == titleKey)
        if extraction.title != titleKey { miss("title \(extraction.title ?? "nil") ≠ \(titleKey ?? "nil")") }

        let expected = (key["citations"] as? [[String: Any]] ?? []).compactMap { citation -> (String, String)? in
            guard let number = Score.canonical(citation["normalized"] as? String) else { return nil }
            return (number, citation["relation"] as? String ?? "reference")
        }
        let predicted = extraction.citations.compactMap { citation in citation.number.map { ($0.canonical, citation.relation) } }
        citationExpected += expected.count
        citationPredicted += predicted.count
        for (number, relationKey) in expected {
            if let found = predicted.first(where: { $0.0 == number }) {
                citationHits += 1
                relation.add(Score.relationMatches(found.1, key: relationKey))
                if !Score.relationMatches(found.1, key: relationKey) { miss("relation of \(number): \(found.1.rawValue) ≠ \(relationKey)") }
            } else {
                miss("citation \(number) not found")
            }
        }
        for (number, _) in predicted where !expected.contains(where: { $0.0 == number }) { miss("citation \(number) not in the key") }

        // A disposition matches when the outcome is the same and so is the number, or the title
        // where the key has no number.
        let dispositionsKey = (key["dispositions"] as? [[String: Any]] ?? []).map { entry in
            KeyedDisposition(
                number: Score.canonical((entry["number_normalized"] as? String) ?? (entry["number"] as? String)),
                title: (entry["title"] as? String).map(Score.comparableTitle),
                outcome: (entry["outcome"] as? String).flatMap(DispositionOutcome.init(phrase:)))
        }
        var unmatched = extraction.dispositions
        dispositionExpected += dispositionsKey.count
        dispositionPredicted += extraction.dispositions.count
        for keyed in dispositionsKey {
            let found = unmatched.firstIndex { disposition in
                guard disposition.outcome == keyed.outcome else { return false }
                if let number = keyed.number { return disposition.number?.canonical == number }
                return disposition.title.map(Score.comparableTitle) == keyed.title
            }
            if let found {
                dispositionHits += 1
                unmatched.remove(at: found)
            } else {
                miss("disposition \(keyed.number ?? keyed.title ?? "?") (\(keyed.outcome?.rawValue ?? "?")) not found")
            }
        }
        for disposition in unmatched {
            miss("disposition \(disposition.number?.canonical ?? disposition.title ?? "?") (\(disposition.outcome.rawValue)) not in the key")
        }

        for note in key["status_notes"] as? [[String: Any]] ?? [] {
            let text = note["text"] as? String ?? ""
            let by = Score.canonical(note["by_number"] as? String)
            let hit = extraction.statusNotes.contains { found in
                (by != nil && found.by?.canonical == by) || found.evidence.contains(text) || (!found.evidence.isEmpty && text.contains(found.evidence))
                    || found.evidence.removingAllSpaces() == text.removingAllSpaces()
            }
            notes.add(hit)
            if !hit { miss("status note \(text) not found") }
        }
    }

    mutating func compareGovcn(_ extraction: Extraction, with record: [String: Any], file: String, verbose: Bool) {
        func miss(_ what: String) { if verbose { print("miss \(file): \(what)") } }
        files += 1
        let number = Score.canonical(record["number"] as? String)
        govcnNumber.add(extraction.number?.canonical == number)
        if extraction.number?.canonical != number { miss("number \(extraction.number?.canonical ?? "nil") ≠ \(number ?? "nil")") }
        govcnIssuer.add(extraction.issuer == record["issuer"] as? String)
        if extraction.issuer != record["issuer"] as? String { miss("issuer \(extraction.issuer ?? "nil") ≠ \(record["issuer"] ?? "nil")") }
        govcnTitle.add(extraction.title == record["title"] as? String)
        if extraction.title != record["title"] as? String { miss("title \(extraction.title ?? "nil") ≠ \(record["title"] ?? "nil")") }
    }

    func figures(govcn: Bool) -> [(String, Double, String)] {
        func counts(_ ratio: Ratio) -> String { "(\(ratio.hits)/\(ratio.total))" }
        if govcn {
            return [
                ("govcn number", govcnNumber.value, counts(govcnNumber)),
                ("govcn issuer", govcnIssuer.value, counts(govcnIssuer)),
                ("govcn title", govcnTitle.value, counts(govcnTitle)),
            ]
        }
        let precision = citationPredicted == 0 ? 1 : Double(citationHits) / Double(citationPredicted)
        let recall = citationExpected == 0 ? 1 : Double(citationHits) / Double(citationExpected)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        let dPrecision = dispositionPredicted == 0 ? 1 : Double(dispositionHits) / Double(dispositionPredicted)
        let dRecall = dispositionExpected == 0 ? 1 : Double(dispositionHits) / Double(dispositionExpected)
        let dF1 = dPrecision + dRecall == 0 ? 0 : 2 * dPrecision * dRecall / (dPrecision + dRecall)
        return [
            ("own number", own.value, counts(own)),
            ("title", title.value, counts(title)),
            ("date", date.value, counts(date)),
            ("citation precision", precision, "(\(citationHits)/\(citationPredicted))"),
            ("citation recall", recall, "(\(citationHits)/\(citationExpected))"),
            ("citation-number F1", f1, ""),
            ("relation accuracy", relation.value, counts(relation)),
            ("disposition precision", dPrecision, "(\(dispositionHits)/\(dispositionPredicted))"),
            ("disposition recall", dRecall, "(\(dispositionHits)/\(dispositionExpected))"),
            ("disposition F1", dF1, ""),
            ("status-note recall", notes.value, counts(notes)),
        ]
    }
}

extension String {
    func removingAllSpaces() -> String { String(unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init)) }
}
