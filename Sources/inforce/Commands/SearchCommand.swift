import ArgumentParser
import Foundation
import InForce
import InForceRegistry

/// `inforce search QUERY`: documents by words of their title, a number in any written form, or
/// words of a quote.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find documents by part of a title, a number in any written form, or words of a quote.",
        discussion: """
            Words of three characters or more are looked up in titles, numbers and quotes; shorter ones (农民, 浙江) \
            in titles and numbers. Several words must all match. Ranked: an exact number, an exact title, titles \
            holding every word (earlier and shorter first), then quotes. JSON: {"query", "asOf", "total", "offset", \
            "hits": [{"document", "title", "issuer", "region", "level", "status", "statusChinese", "field", \
            "snippet", "matchStart", "matchLength", "path"}]}. Exit codes: 0 found; 2 nothing found; 3 invalid input \
            (an empty query, an unknown region); 4 no registry.
            """
    )

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "Words of a title, a number, or words of a quote.") var query: [String]
    @Option(help: "Issuer: a full name, part of one (浙江), or a 代字.") var issuer: String?
    @Option(help: "Region, with the regions below it (浙江省; part of a name matches too).") var region: String?
    @Option(help: "Level: \(Level.choices).") var level: String?
    @Option(help: "The year in the number, else the year issued.") var year: Int?
    @Option(help: "Only documents with this status on the date (in_force, repealed, expired, …).") var status: String?
    @OptionGroup var asOf: AsOfOptions
    @Option(help: "How many hits to show.") var limit: Int = 20
    @Option(help: "How many hits to skip (the next page).") var offset: Int = 0
    @OptionGroup var output: FormatOptions

    func run() throws {
        let level = try self.level.map { text in
            guard let value = Level(rawValue: text) else { throw ValidationError("--level must be one of \(Level.choices)") }
            return value
        }
        let status = try self.status.map { text in
            guard let value = Status(rawValue: text) else { throw ValidationError("--status must be one of \(Status.allCases.map(\.rawValue).joined(separator: ", "))") }
            return value
        }
        guard limit >= 0, offset >= 0 else { throw ValidationError("--limit and --offset must not be negative") }
        let result = try registry.store.search(SearchQuery(
            text: query.joined(separator: " "), issuer: issuer, region: region, level: level, year: year, status: status,
            asOf: try asOf.day(), limit: limit, offset: offset))
        switch output.format {
        case .json: print(try JSONOutput.string(result))
        case .text:
            for hit in result.hits {
                let badge = hit.status == .inForce ? hit.status.chinese : Terminal.red(hit.status.chinese)
                print("\(Terminal.pad(hit.document, to: 28))  \(badge)  \(hit.field == "title" ? Self.marked(hit) : hit.title)")
                if hit.field == "quote" { print(Terminal.dim("      “") + Self.marked(hit) + Terminal.dim("”")) }
            }
            let shown = result.hits.isEmpty ? "" : "\(result.offset + 1)–\(result.offset + result.hits.count) of "
            print(Terminal.dim("\(shown)\(result.total) found for “\(result.query)” (status as of \(result.asOf))"))
        }
        if result.total == 0 { throw ExitStatus.notFound }
    }

    /// The snippet with its match in bold (on a terminal).
    static func marked(_ hit: SearchHit) -> String {
        let characters = Array(hit.snippet)
        let start = min(hit.matchStart, characters.count)
        let end = min(start + hit.matchLength, characters.count)
        return String(characters[..<start]) + Terminal.bold(String(characters[start..<end])) + String(characters[end...])
    }
}
