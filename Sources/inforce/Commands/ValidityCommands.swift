import ArgumentParser
import Foundation
import InForce
import InForceRegistry

/// `--as-of DATE`, default today.
struct AsOfOptions: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date to answer for, YYYY-MM-DD (default: today).", valueName: "date"))
    var asOf: String?

    func day() throws -> Day {
        if let asOf { return try Day(iso: asOf) }
        let now = Date()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return try Day(year: parts.year!, month: parts.month!, day: parts.day!)
    }
}

/// Loads the registry into a validity index and finds the document asked about: files that
/// could not be read are named on standard error, and when one of them is the document's own
/// (or a table) there is no answer.
struct ValiditySubject {
    let index: ValidityIndex
    let node: Int32
    let problems: [RegistryProblem]

    init(registry: RegistryOptions, document: String) throws {
        let (view, key) = try Self.open(registry: registry, document: document)
        index = view.index
        node = try index.requireNode(key, place: "the registry \(registry.registry)")
        problems = view.unreadable.problems
    }

    /// The registry open, its problems reported, the document's own file readable.
    static func open(registry: RegistryOptions, document: String) throws -> (RegistryView, DocumentKey) {
        let key = try documentKey(document)
        let view = try registry.store.open()
        ProblemOutput.report(view.unreadable)
        try view.unreadable.requireReadable(key)
        return (view, key)
    }
}

/// `inforce check NUMBER`: in force on a date, and why.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Is a document in force on a date? The status, since when, the evidence and what looks wrong.",
        discussion: """
            Several documents, or - for one per line on standard input, are answered in one process, each in \
            turn (JSON: one object per line; a document with no answer is {"query", "error", "exit", "message"}), \
            and the exit code is the highest of theirs. Exit codes: 0 in force; 1 not in force (not yet, repealed, expired, invalidated); 2 document or status \
            unknown (a number not found lists the nearest the registry holds); 3 invalid input; 4 registry error, \
            including a record file of this document (or issuers.toml, regions.toml) that cannot be read. Files \
            that cannot be read are named on standard error and in the JSON's `problems`.
            """
    )

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "Document numbers in any written form, or titles; `-` reads one per line from standard input.")
    var documents: [String]
    @OptionGroup var asOf: AsOfOptions
    @Option(name: .customLong("expiring-within"), help: "Days ahead for expiring_soon.") var expiringWithin: Int = 90
    @Option(name: .customLong("review-years"), help: "Years without a cleanup before review_overdue.") var reviewYears: Int = 5
    @OptionGroup var output: FormatOptions

    /// One question of many: its JSON line, its text, and the exit status it alone would give.
    struct Reply {
        let json: String
        let text: String
        let status: ExitStatus
    }

    func run() throws {
        let day = try asOf.day()
        var names = documents.flatMap { $0 == "-" ? Self.standardInputLines() : [$0] }
        guard !names.isEmpty else { throw ValidationError("give a document number or title, or - to read them from standard input") }
        let many = names.count > 1 || documents == ["-"]
        let policy = FindingPolicy(expiringWithinDays: expiringWithin, reviewYears: reviewYears)
        let place = "the registry \(registry.registry)"
        if !many {
            // One question: the answer, or its error as the exit status.
            let name = names.removeFirst()
            let (answer, unreadable) = try registry.store.answer { view in
                ProblemOutput.report(view.unreadable)
                let key = try documentKey(name)
                try view.unreadable.requireReadable(key)
                return (try view.index.answer(for: key, on: day, policy: policy, place: place), view.unreadable)
            }
            let reply = try Self.reply(answer, problems: unreadable.problems, format: output.format, pretty: true)
            print(output.format == .json ? reply.json : reply.text)
            if reply.status.code != 0 { throw reply.status }
            return
        }
        // Many questions, one process: each answered in turn (JSON: one object per line); the
        // exit status is the worst of theirs.
        let replies = try registry.store.answer { view -> [Reply] in
            ProblemOutput.report(view.unreadable)
            return names.map { name in
                do {
                    let key = try documentKey(name)
                    try view.unreadable.requireReadable(key)
                    let answer = try view.index.answer(for: key, on: day, policy: policy, place: place)
                    return try Self.reply(answer, problems: view.unreadable.problems(about: key), format: output.format, pretty: false)
                } catch {
                    let status = ExitStatus(for: error) ?? .invalidInput
                    let message = ExitStatus.message(for: error)
                    let json = (try? JSONOutput.string(CheckError(query: name, error: status.label.replacingOccurrences(of: " ", with: "_"), exit: status.code, message: message), pretty: false)) ?? ""
                    return Reply(json: json, text: "inforce: \(name): \(status.label): \(message)", status: status)
                }
            }
        }
        var worst = ExitStatus.success
        for reply in replies {
            switch output.format {
            case .json: print(reply.json)
            case .text:
                if reply.status.code >= 2 { FileHandle.standardError.write(Data((reply.text + "\n").utf8)) } else { print(reply.text + "\n") }
            }
            if reply.status.code > worst.code { worst = reply.status }
        }
        if worst.code != 0 { throw worst }
    }

    /// The documented line for a question that has no answer.
    struct CheckError: Encodable {
        let query: String
        /// not_found, invalid_input, registry_error: the exit status's name.
        let error: String
        /// The exit status this question alone would give.
        let exit: Int32
        let message: String
    }

    static func reply(_ answer: StatusAnswer, problems: [RegistryProblem], format: OutputFormat, pretty: Bool) throws -> Reply {
        var json = CheckJSON(answer)
        json.problems = problems
        let status = status(of: answer)
        return Reply(json: format == .json ? try JSONOutput.string(json, pretty: pretty) : "", text: ValidityText.memo(answer), status: status)
    }

    static func status(of answer: StatusAnswer) -> ExitStatus {
        switch answer.status {
        case .inForce, .partiallyInvalid: .success
        case .unknown: .notFound
        default: .negative
        }
    }

    static func standardInputLines() -> [String] {
        var lines: [String] = []
        while let line = readLine() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { lines.append(trimmed) }
        }
        return lines
    }
}

/// The documented `check --format json` object.
struct CheckJSON: Encodable {
    let number: String
    let title: String
    let asOf: Day
    let status: Status
    let statusChinese: String
    let grounds: Grounds
    let reason: String
    let reasonChinese: String
    let lastFact: String?
    let citedBy: [Citer]
    let amended: Bool
    let since: Day?
    let sinceBound: String?
    let evidence: [EvidenceStep]
    let findings: [Finding]
    let version: DocumentVersion?
    /// Registry files that could not be read in full, with file and line.
    var problems: [RegistryProblem] = []

    init(_ answer: StatusAnswer) {
        number = answer.key
        title = answer.title
        asOf = answer.asOf
        status = answer.status
        statusChinese = answer.status.chinese
        grounds = answer.grounds
        reason = answer.reason.english
        reasonChinese = answer.reason.chinese
        lastFact = answer.lastFact.map { $0.latest.description }
        citedBy = answer.citedBy
        amended = answer.amended
        since = answer.since
        sinceBound = answer.sinceBound
        evidence = answer.evidence
        findings = answer.findings
        version = answer.version
    }

    enum CodingKeys: String, CodingKey {
        case number, title, asOf, status, statusChinese, grounds, reason, reasonChinese, lastFact, citedBy, amended, since, sinceBound, evidence,
             findings, version, problems
    }

    /// Every key always present, absent values as null, so the schema is stable.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(title, forKey: .title)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(status, forKey: .status)
        try container.encode(statusChinese, forKey: .statusChinese)
        try container.encode(grounds, forKey: .grounds)
        try container.encode(reason, forKey: .reason)
        try container.encode(reasonChinese, forKey: .reasonChinese)
        try container.encode(lastFact, forKey: .lastFact)
        try container.encode(citedBy, forKey: .citedBy)
        try container.encode(amended, forKey: .amended)
        try container.encode(since, forKey: .since)
        try container.encode(sinceBound, forKey: .sinceBound)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(findings, forKey: .findings)
        try container.encode(version, forKey: .version)
        try container.encode(problems, forKey: .problems)
    }
}

/// What `trace` and `impact` share: the document, the date, the format.
struct WalkOptions: ParsableArguments {
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "A document number or title.") var document: String
    @OptionGroup var asOf: AsOfOptions
    @OptionGroup var output: FormatOptions

    /// Walks up (what it rests on) or down (what rests on it) and prints the result.
    func run(upward: Bool) throws {
        let subject = try ValiditySubject(registry: registry, document: document)
        let day = try asOf.day()
        let walk = upward ? subject.index.trace(subject.node, on: day) : subject.index.impact(subject.node, on: day)
        switch output.format {
        case .json: print(try JSONOutput.string(WithProblems(value: walk, problems: subject.problems)))
        case .text: print(ValidityText.walk(walk, heading: upward ? "rests on" : "rested on by"))
        }
    }
}

/// `inforce trace NUMBER`: what it rests on.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace", abstract: "What a document rests on, up to national level, each with its status on the date.",
        discussion: ExitStatus.aboutOneDocument)
    @OptionGroup var options: WalkOptions
    func run() throws { try options.run(upward: true) }
}

/// `inforce impact NUMBER`: what rests on it.
struct ImpactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact", abstract: "Everything resting on a document, directly or through others, with the path.",
        discussion: ExitStatus.aboutOneDocument)
    @OptionGroup var options: WalkOptions
    func run() throws { try options.run(upward: false) }
}

/// `inforce timeline NUMBER`: every event, in order.
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline", abstract: "Everything known to happen to a document, in order, with its sources.",
        discussion: ExitStatus.aboutOneDocument)
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "A document number or title.") var document: String
    @OptionGroup var asOf: AsOfOptions
    @OptionGroup var output: FormatOptions

    struct Timeline: Encodable {
        let document: String
        let title: String
        let asOf: Day
        let status: Status
        let events: [LifecycleEvent]
        let problems: [RegistryProblem]
    }

    func run() throws {
        let subject = try ValiditySubject(registry: registry, document: document)
        let day = try asOf.day()
        let record = subject.index.record(subject.node)
        let timeline = Timeline(
            document: record.key.description, title: record.title, asOf: day,
            status: subject.index.answer(subject.node, on: day).status, events: subject.index.events(of: subject.node),
            problems: subject.problems)
        switch output.format {
        case .json: print(try JSONOutput.string(timeline))
        case .text:
            print(Terminal.bold("\(timeline.document)  \(timeline.title)"))
            for event in timeline.events {
                let when = event.date?.description ?? "(undated)"
                let grade = event.thirdParty ? " [third party]" : ""
                print("  \(Terminal.pad(when, to: 24))\(ValidityText.eventName(event.kind.rawValue))  \(event.source)\(grade)")
                if let note = event.dateNote { print(Terminal.dim("      \(note)")) }
                if let quote = event.quote { print(Terminal.dim("      “\(quote)”")) }
            }
            print("  status on \(day): \(timeline.status.chinese) (\(timeline.status.rawValue))")
        }
    }
}

/// The text forms: short memos in the terms users expect.
enum ValidityText {
    static func eventName(_ event: String) -> String {
        switch event {
        case "issued": "成文 issued"
        case "published": "发布 published"
        case "effective": "施行 takes effect"
        case "continued": "继续有效 kept"
        case "amended": "修改 amended"
        case "repealed": "废止 repealed"
        case "expired": "有效期届满 validity ends"
        case "invalidated": "宣布失效 declared invalid"
        case "conditional_invalidation": "逾期失效 invalid unless re-published"
        case "note": "提示 note"
        case "planned": "拟 planned, not decided"
        case "period_ended": "有效期届满 period ends, to be declared invalid"
        default: event
        }
    }

    static func memo(_ answer: StatusAnswer) -> String {
        var lines: [String] = []
        let verdict = "\(answer.status.chinese) (\(answer.status.rawValue))"
        lines.append(Terminal.bold("\(answer.key)  \(answer.title)"))
        var status = "  \(answer.asOf): \(answer.status == .inForce ? verdict : Terminal.red(verdict))"
        if answer.amended { status += ", 已被修改 (amended)" }
        if let since = answer.since { status += ", since \(since)" }
        lines.append(status)
        lines.append("  \(answer.grounds.chinese) (\(answer.grounds.rawValue)): \(answer.reason.chinese)")
        lines.append("  \(answer.reason.english)")
        if let bound = answer.sinceBound { lines.append("  (\(bound))") }
        if let version = answer.version {
            let force = version.effective.map { " in force from \($0)\(version.effectiveStated ? "" : " (the version's own day; not stated in its text)")" } ?? ""
            lines.append("  version of \(version.date)\(version.decision.map { " (《\($0)》)" } ?? ""),\(force)\(version.source.map { ", text: \($0)" } ?? "")")
        }
        if !answer.citedBy.isEmpty {
            lines.append(Terminal.bold("Cited by"))
            for citer in answer.citedBy {
                lines.append("  \(citer.document)  \(citer.relation.chinese) \(citer.relation.rawValue)")
                if let quote = citer.quote { lines.append(Terminal.dim("      “\(quote)”")) }
            }
        }
        if !answer.evidence.isEmpty {
            lines.append(Terminal.bold("Evidence"))
            for step in answer.evidence {
                let grade = step.grade == "third_party" ? " [third party]" : ""
                let rule = step.grade == "rule" ? " [rule]" : ""
                lines.append("  \(Terminal.pad(step.date ?? "(undated)", to: 24))\(eventName(step.event))  \(step.source)\(grade)\(rule)")
                if let note = step.note { lines.append(Terminal.dim("      \(note)")) }
                if let quote = step.quote { lines.append(Terminal.dim("      “\(quote)”")) }
            }
        }
        if !answer.findings.isEmpty {
            lines.append(Terminal.bold("Findings"))
            for finding in answer.findings {
                lines.append("  " + Terminal.yellow(finding.kind.rawValue) + ": \(finding.message)")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func walk(_ walk: GraphWalk, heading: String) -> String {
        var lines = [Terminal.bold("\(walk.document) \(heading) (as of \(walk.asOf))")]
        if walk.steps.isEmpty { lines.append("  nothing in the registry") }
        for step in walk.steps {
            let indent = String(repeating: "  ", count: step.depth)
            let status = step.status == .inForce ? step.status.chinese : Terminal.red(step.status.chinese)
            let via = step.path.count > 2 ? "  (via \(step.path.dropFirst().dropLast().joined(separator: " → ")))" : ""
            let unrecorded = step.recorded ? "" : Terminal.dim("  (no record in the registry: known only from this citation)")
            lines.append("\(indent)\(step.relation.rawValue) → \(step.document)  \(status)  \(Terminal.dim(step.title))\(via)\(unrecorded)")
        }
        for cycle in walk.cycles { lines.append(Terminal.yellow("  cycle: ") + cycle.joined(separator: " → ")) }
        return lines.joined(separator: "\n")
    }
}
