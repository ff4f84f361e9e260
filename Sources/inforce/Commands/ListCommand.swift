import ArgumentParser
import Foundation
import InForce
import InForceRegistry

/// `inforce list`: the records, filtered.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the registry's documents, filtered by issuer, year, kind or level.",
        discussion: """
            JSON: {"documents": [...], "problems": [...]}, problems being the registry files that cannot be read \
            (also named on standard error). Exit codes: 0 listed; 3 an issuer the registry does not know, with the \
            nearest names; 4 no registry.
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: "Issuer: a full name (绍兴市人民政府办公室) or a 代字 (绍政办发).")
    var issuer: String?
    @Option(help: "The year in the number, else the year issued.")
    var year: Int?
    @Option(help: "Kind: dispatch (发文字号), decree (令), announcement (公告), untitled (known by title only), notice (cleanup notices).")
    var kind: Kind?
    @Option(help: "Level: \(Level.choices).")
    var level: String?

    @OptionGroup var output: FormatOptions

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case dispatch, decree, announcement, untitled, notice
    }

    struct Listing: Encodable {
        let documents: [Row]
        let problems: [RegistryProblem]
    }

    struct Row: Encodable {
        let number: String?
        let title: String
        let issuer: String?
        let level: Level?
        let issued: Day?
        let path: String
    }

    func run() throws {
        let levelFilter: Level? = try level.map { text in
            guard let value = Level(rawValue: text) else { throw ValidationError("--level must be one of \(Level.choices)") }
            return value
        }
        let snapshot = try registry.store.load()
        ProblemOutput.report(snapshot.unreadable)
        if let issuer { try snapshot.requireIssuer(issuer, place: "the registry \(registry.registry)") }
        let rows = snapshot.records.filter { stored in
            let record = stored.record
            if let issuer {
                let byName = record.issuer == issuer
                let byCode = record.number?.agency == issuer
                let byTable = record.number.flatMap { snapshot.issuers.issuer(of: $0) }?.name == issuer
                guard byName || byCode || byTable else { return false }
            }
            if let year, (record.number?.year ?? record.issued?.year) != year { return false }
            if let levelFilter, (record.level ?? record.number.flatMap { snapshot.issuers.issuer(of: $0) }?.level) != levelFilter {
                return false
            }
            switch kind {
            case .dispatch: return record.number?.kind == .dispatch
            case .decree: return record.number?.kind == .decree
            case .announcement: return record.number?.kind == .announcement
            case .untitled: return record.number == nil
            case .notice: return record.notice != nil
            case nil: return true
            }
        }.map { stored in
            Row(number: stored.record.number?.canonical, title: stored.record.title, issuer: stored.record.issuer,
                level: stored.record.level, issued: stored.record.issued, path: stored.path)
        }
        switch output.format {
        case .json:
            print(try JSONOutput.string(Listing(documents: rows, problems: snapshot.unreadable.problems)))
        case .text:
            for row in rows {
                print(Terminal.pad(row.number ?? "—", to: 24) + Terminal.pad(row.issued?.description ?? "", to: 12) + row.title)
            }
            print(Terminal.dim("\(rows.count) of \(snapshot.records.count) documents"))
        }
    }
}
