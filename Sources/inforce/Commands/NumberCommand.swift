import ArgumentParser
import Foundation
import InForce

/// `inforce number TEXT...`: read document numbers out of text.
struct NumberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "number",
        abstract: "Read document numbers (发文字号, 令) in text: canonical form, components, GB/T 9704-2012 lint.",
        discussion: "Each TEXT may be one number or a passage holding several; every number in it is reported."
    )

    @Argument(help: "A number such as 國發[2014]40號, or text containing numbers.")
    var texts: [String]

    @Option(help: ArgumentHelp("Resolve implied issuers (省政府令) in this place, e.g. 浙江省.", valueName: "place"))
    var place: String?

    @OptionGroup var output: FormatOptions

    struct Report: Encodable {
        let input: Int
        let offset: Int
        let canonical: String
        let raw: String
        let agency: String
        let year: Int?
        let sequence: Int
        let kind: DocumentNumber.Kind
        let resolved: String?
        let lint: [NumberLint]
    }

    func run() throws {
        var failures: [NumberError] = []
        for (index, text) in texts.enumerated() {
            let matches = NumberScanner.scan(text)
            if matches.isEmpty {
                do {
                    _ = try DocumentNumber(text)
                } catch {
                    failures.append(error)
                }
                continue
            }
            for match in matches {
                let number = match.number
                let resolved = place.map { number.resolvingImpliedIssuer(in: $0) }.flatMap { $0.canonical == number.canonical ? nil : $0.canonical }
                let report = Report(
                    input: index, offset: match.scalarOffset, canonical: number.canonical, raw: number.raw, agency: number.agency,
                    year: number.year, sequence: number.sequence, kind: number.kind, resolved: resolved, lint: number.lint)
                switch output.format {
                case .json: print(try JSONOutput.string(report, pretty: false))
                case .text: print(Self.text(report))
                }
            }
        }
        for failure in failures {
            FileHandle.standardError.write(Data("inforce: invalid input: \(failure.description)\n".utf8))
        }
        if !failures.isEmpty { throw ExitStatus.invalidInput }
    }

    static func text(_ report: Report) -> String {
        var lines = [Terminal.bold(report.raw.replacingOccurrences(of: "\n", with: "⏎"))]
        lines.append("  canonical  \(report.canonical)")
        if let resolved = report.resolved { lines.append("  resolved   \(resolved)") }
        lines.append("  kind       \(report.kind.rawValue) (\(report.kind.chinese))")
        lines.append("  agency     \(report.agency)")
        if let year = report.year { lines.append("  year       \(year)") }
        lines.append("  sequence   \(report.sequence)")
        if report.lint.isEmpty {
            lines.append("  lint       none: written as GB/T 9704-2012 says")
        } else {
            for (index, finding) in report.lint.enumerated() {
                lines.append((index == 0 ? "  lint       " : "             ") + Terminal.yellow("\(finding.code.rawValue)") + ": \(finding.message)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
