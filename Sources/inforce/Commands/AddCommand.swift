import ArgumentParser
import Foundation
import InForce
import InForceRegistry

/// `inforce add`: create or update one record from flags.
struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create or update a document's record; every value is validated before anything is written.",
        discussion: """
            Fields given replace what the record has; --cite, --fact, --disposition and --source add entries \
            (an identical entry is not added twice). Entries are key=value pairs joined by ';' (write \\; for a \
            literal semicolon):
              --cite 'relation=basis;number=国发〔2014〕40号;title=…;evidence=根据《…》(国发〔2014〕40号)'
              --fact 'event=disposition;outcome=continued;by=绍政办发〔2019〕34号;site=USHUI.NET;quote=…'
              --disposition 'number=…;title=…;outcome=repealed;effective=2021-01-01;quote=…'
            relation: \(Relation.choices); event: \(FactEvent.choices); outcome: \(DispositionOutcome.choices).
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Option(help: "The document number (any written form; stored canonical, raw form kept).")
    var number: String?
    @Option(help: "The title (required for a new record; alone, it keys a document that has no number).")
    var title: String?
    @Option(name: .customLong("raw-number"), help: "The number as the source wrote it, when --number is canonical.")
    var rawNumber: String?
    @Option(help: "The issuing body's full name (also picks between two issuers sharing a number).")
    var issuer: String?
    @Option(help: "Level: \(Level.choices).")
    var level: String?
    @Option(help: "成文日期, YYYY-MM-DD.") var issued: String?
    @Option(help: "发布日期, YYYY-MM-DD.") var published: String?
    @Option(help: "First day in force, YYYY-MM-DD.") var effective: String?
    @Option(help: "Last day in force, YYYY-MM-DD.") var expires: String?
    @Option(help: "Validity period in ISO 8601: P5Y, P2Y6M.") var validity: String?
    @Option(help: "Where the text was read (URL or file); repeatable.") var source: [String] = []
    @Option(help: "A remark kept with the record.") var note: String?
    @Option(help: "A citation, key=value;…; repeatable.") var cite: [String] = []
    @Option(help: "A fact with provenance, key=value;…; repeatable.") var fact: [String] = []
    @Option(name: .customLong("scope-issuer"), help: "For a cleanup notice: an issuer in its scope; repeatable.")
    var scopeIssuer: [String] = []
    @Option(name: .customLong("issued-before"), help: "For a cleanup notice: its cut-off date.")
    var issuedBefore: String?
    @Option(name: .customLong("closed-list"), help: "For a cleanup notice: true if unlisted documents in scope lapse.")
    var closedList: Bool?
    @Option(name: .customLong("closed-list-quote"), help: "For a cleanup notice: the sentence stating the closed-list rule.")
    var closedListQuote: String?
    @Option(name: .customLong("notice-effective"), help: "For a cleanup notice: the day its dispositions take effect.")
    var noticeEffective: String?
    @Option(help: "For a cleanup notice: one listed document, key=value;…; repeatable.")
    var disposition: [String] = []

    @OptionGroup var output: FormatOptions

    func validate() throws {
        if number == nil && title == nil { throw ValidationError("give --number, or --title for a document without a number") }
    }

    func run() throws {
        let key: DocumentKey = if let number { .number(try DocumentNumber(number)) } else { DocumentKey(titleOnly: title!) }
        var edit = RecordEdit()
        edit.title = title
        edit.rawNumber = rawNumber
        edit.issuer = issuer
        edit.level = level
        edit.issued = issued
        edit.published = published
        edit.effective = effective
        edit.expires = expires
        edit.validity = validity
        edit.sources = source
        edit.note = note
        edit.citations = cite
        edit.facts = fact
        edit.scopeIssuers = scopeIssuer
        edit.issuedBefore = issuedBefore
        edit.closedList = closedList
        edit.closedListQuote = closedListQuote
        edit.noticeEffective = noticeEffective
        edit.dispositions = disposition
        // Check the edit before taking the lock, so bad input never waits on another writer.
        var probe: DocumentRecord? = DocumentRecord(title: title ?? "—")
        try edit.apply(to: &probe, key: key)

        let outcome = try registry.store.update(key, issuer: issuer) { (record: inout DocumentRecord?) throws(RegistryError) in
            do {
                try edit.apply(to: &record, key: key)
            } catch {
                throw RegistryError(.invalidInput, String(describing: error))
            }
        }
        switch output.format {
        case .json:
            struct Report: Encodable { let outcome: String; let path: String; let key: String }
            let word = switch outcome { case .created: "created"; case .updated: "updated"; case .unchanged: "unchanged" }
            print(try JSONOutput.string(Report(outcome: word, path: outcome.path, key: key.description), pretty: false))
        case .text:
            switch outcome {
            case .created(let path): print("created \(key) in \(path)")
            case .updated(let path): print("updated \(key) in \(path)")
            case .unchanged(let path): print("unchanged: \(key) in \(path) already says this")
            }
        }
    }
}
