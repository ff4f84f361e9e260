import ArgumentParser
import Foundation
import InForce
import InForceRegistry

/// `inforce show NUMBER`: one record, with everything that speaks of it.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a document's record: its fields, citations, facts with their sources, and who mentions it.",
        discussion: ExitStatus.aboutOneDocument
    )

    @OptionGroup var registry: RegistryOptions

    @Argument(help: "A document number in any written form, or a title (《劳动合同法》).")
    var document: String

    @Option(help: "The issuer, when two issuers share the number.")
    var issuer: String?

    @OptionGroup var output: FormatOptions

    struct Report: Encodable {
        let path: String
        let record: DocumentRecord
        let mentions: [Mention]
        let problems: [RegistryProblem]
    }

    func run() throws {
        // A title only a numbered document bears stands for its number.
        let key = try registry.store.open().index.resolve(try documentKey(document), place: "the registry \(registry.registry)")
        let snapshot = try registry.store.load()
        ProblemOutput.report(snapshot.unreadable)
        try snapshot.unreadable.requireReadable(key)
        var found = try snapshot.requireRecords(for: key, place: "the registry \(registry.registry)")
        if let issuer { found = found.filter { $0.record.issuer == issuer } }
        guard !found.isEmpty else {
            throw RegistryError(.notFound, "\(key) is in the registry \(registry.registry), but not for the issuer \(issuer ?? "")")
        }
        let reports = found.map { stored in
            Report(path: stored.path, record: stored.record, mentions: Mention.of(key, in: snapshot.records.map(\.record)), problems: snapshot.unreadable.problems)
        }
        switch output.format {
        case .json:
            // One object per record, one per line (two when two issuers share the number).
            for report in reports { print(try JSONOutput.string(report, pretty: false)) }
        case .text:
            print(reports.map(Self.text).joined(separator: "\n\n"))
        }
    }

    static func text(_ report: Report) -> String {
        let record = report.record
        var lines = [Terminal.bold("\(record.number?.canonical ?? "(no number)")  \(record.title)")]
        func field(_ name: String, _ value: String?) {
            guard let value else { return }
            lines.append("  " + name.padding(toLength: 11, withPad: " ", startingAt: 0) + value)
        }
        field("file", report.path)
        if let raw = record.rawNumber, raw != record.number?.canonical { field("as written", raw) }
        field("issuer", record.issuer.map { name in record.level.map { "\(name) (\($0.rawValue), \($0.chinese))" } ?? name })
        field("issued", record.issued?.description)
        field("published", record.published?.description)
        field("effective", record.effective?.description)
        field("expires", record.expires?.description)
        field("validity", record.validity.map { "\($0) (\($0.chinese))" })
        for source in record.sources { field("source", source) }
        field("note", record.note)
        if !record.citations.isEmpty {
            lines.append(Terminal.bold("Cites (\(record.citations.count))"))
            for citation in record.citations {
                let target = [citation.number?.canonical, citation.title.map { "《\($0)》" }].compactMap { $0 }.joined(separator: " ")
                lines.append("  \(citation.relation.rawValue) (\(citation.relation.chinese))  \(target)")
                if let evidence = citation.evidence { lines.append(Terminal.dim("      “\(evidence)”")) }
            }
        }
        if !record.facts.isEmpty {
            lines.append(Terminal.bold("Facts (\(record.facts.count))"))
            for fact in record.facts {
                var said = fact.event.rawValue
                if let outcome = fact.outcome { said += " \(outcome.rawValue) (\(outcome.chinese))" }
                if let until = fact.until { said += " until \(until)" }
                if let date = fact.date { said = "\(date)  " + said }
                if let by = fact.by { said += " by \(by.canonical)" }
                if let site = fact.site { said += ", reported by \(site) (third party)" }
                lines.append("  " + said)
                lines.append(Terminal.dim("      “\(fact.quote)”"))
                if let source = fact.source { lines.append(Terminal.dim("      source: \(source)")) }
            }
        }
        if let notice = record.notice {
            lines.append(Terminal.bold("Cleanup notice"))
            if !notice.scopeIssuers.isEmpty { lines.append("  scope      \(notice.scopeIssuers.joined(separator: ", "))") }
            if let cutoff = notice.issuedBefore { lines.append("  issued before \(cutoff)") }
            let closed = notice.closedList.map { $0 ? "yes: unlisted documents in scope lapse" : "no" } ?? "unknown"
            lines.append("  closed list \(closed)")
            if let quote = notice.closedListQuote { lines.append(Terminal.dim("      “\(quote)”")) }
            for disposition in notice.dispositions {
                let target = [disposition.number?.canonical, disposition.title.map { "《\($0)》" }].compactMap { $0 }.joined(separator: " ")
                lines.append("  \(disposition.outcome.rawValue) (\(disposition.outcome.chinese))  \(target)\(disposition.effective.map { " from \($0)" } ?? "")")
            }
        }
        if !report.mentions.isEmpty {
            lines.append(Terminal.bold("Mentioned by (\(report.mentions.count))"))
            for mention in report.mentions {
                let how = switch mention.kind {
                case .citedBy: "cited as \(mention.what) by"
                case .listedBy: "listed \(mention.what) by"
                case .saidOf: "said \(mention.what) of"
                }
                lines.append("  \(how) \(mention.other)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
