import CSV
public import Foundation
public import InForce

/// An audit report in the forms people read, file and automate.
public enum AuditRendering {
    // MARK: Text

    /// Terminal text, wrapped at `width` columns (Chinese characters take two). `emphasis`
    /// wraps words that should stand out (colour on a terminal; identity otherwise).
    public static func text(_ report: AuditReport, width: Int = 80, emphasis: (String) -> String = { $0 }) -> String {
        var lines: [String] = []
        func add(_ text: String, indent: Int = 0) { lines += wrap(text, width: width, indent: indent) }
        add(emphasis("InForce audit — \(report.scope), as of \(report.asOf)"))
        if let incomplete = report.incompleteness {
            add(emphasis("INCOMPLETE: " + incomplete))
            for problem in report.problems { add(problem.description, indent: 2) }
        }
        for warning in report.warnings { add("warning: \(warning)") }
        add("\(report.documents.count) documents: " + statusSummary(report))
        if !report.countsByFinding.isEmpty {
            add("Findings: " + report.countsByFinding.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        add("By issuer: " + report.countsByIssuer.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        lines.append("")
        let action = report.actionEntries
        add(emphasis("Needs action (\(action.count))"))
        for (index, entry) in action.enumerated() {
            add("\(index + 1). \(entry.key)  \(entry.status.chinese) (\(entry.status.rawValue)) — \(entry.grounds.chinese) \(entry.grounds.rawValue)")
            add(entry.title, indent: 3)
            add("\(entry.reason.chinese); \(entry.reason.english)", indent: 3)
            for finding in entry.actionFindings {
                add("! \(finding.kind.rawValue): \(finding.message)", indent: 3)
                if finding.documents.count > 2 { add("chain: " + finding.documents.joined(separator: " → "), indent: 5) }
            }
            for step in entry.evidence {
                add("\(step.date ?? "(undated)")  \(step.event)  \(step.source)\(step.grade == "third_party" ? " [third party]" : step.grade == "rule" ? " [rule]" : "")", indent: 5)
            }
            for ignored in entry.ignored {
                add("(ignored \(ignored.finding.kind.rawValue): \(ignored.reason)\(ignored.until.map { ", until \($0)" } ?? ""))", indent: 3)
            }
        }
        let ignored = report.documents.filter { !$0.ignored.isEmpty }
        if !ignored.isEmpty {
            lines.append("")
            add(emphasis("Ignored by audit.toml (\(ignored.reduce(0) { $0 + $1.ignored.count }))"))
            for entry in ignored {
                for item in entry.ignored {
                    add("\(entry.key): ignored \(item.finding.kind.rawValue): \(item.reason)\(item.until.map { ", until \($0)" } ?? "")", indent: 2)
                }
            }
        }
        lines.append("")
        add(emphasis("All documents"))
        for entry in report.documents {
            let head = pad(entry.key, 24) + pad(entry.status.chinese, 12) + pad(entry.grounds.rawValue, 10)
            add(head + clip(entry.title, max(10, width - displayWidth(head))))
        }
        return lines.joined(separator: "\n")
    }

    static func statusSummary(_ report: AuditReport) -> String {
        Status.allCases.compactMap { status in
            report.countsByStatus[status.rawValue].map { "\($0) \(status.chinese) \(status.rawValue)" }
        }.joined(separator: ", ")
    }

    /// Columns a terminal gives `text`: Chinese characters and full-width forms take two.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + columns($1) }
    }

    /// Columns of one scalar: two for the East Asian wide ranges (CJK ideographs and their
    /// extensions and compatibility forms, CJK symbols and punctuation, kana, Hangul, full-width
    /// forms), else one. Ranges, not Unicode property lookups: reports measure every character.
    static func columns(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            2
        default:
            1
        }
    }

    static func displayWidth(_ character: Character) -> Int {
        character.unicodeScalars.reduce(0) { $0 + columns($1) }
    }

    /// `text` padded with spaces to `width` columns (at least one space).
    public static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - displayWidth(text)))
    }

    static func clip(_ text: String, _ width: Int) -> String {
        guard displayWidth(text) > width else { return text }
        var out = ""
        var used = 0
        for character in text {
            used += displayWidth(character)
            if used > width - 1 { break }
            out.append(character)
        }
        return out + "…"
    }

    /// Breaks text into lines of at most `width` columns, continuing lines indented.
    static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        let prefix = String(repeating: " ", count: indent)
        var lines: [String] = []
        var current = prefix
        var used = indent
        for character in text {
            if used + displayWidth(character) > width {
                // Break Latin words at their last space; Chinese may break between any characters.
                if character.isASCII, character != " ", let space = current.lastIndex(of: " "),
                   current.distance(from: current.startIndex, to: space) > indent + 2
                {
                    let carried = current[current.index(after: space)...]
                    lines.append(String(current[..<space]))
                    current = prefix + "  " + carried
                } else {
                    lines.append(current)
                    current = prefix + "  "
                    if character == " " {
                        used = displayWidth(current)
                        continue
                    }
                }
                used = displayWidth(current)
            }
            current.append(character)
            used += displayWidth(character)
        }
        lines.append(current)
        return lines
    }

    // MARK: Markdown

    public static func markdown(_ report: AuditReport) -> String {
        let e = Escape.markdown
        var out = "# InForce audit — \(e(report.scope)), as of \(report.asOf)\n\n"
        if let incomplete = report.incompleteness {
            out += "> **Incomplete:** \(e(incomplete))\n>\n"
            for problem in report.problems { out += "> - \(e(problem.description))\n" }
            out += "\n"
        }
        for warning in report.warnings { out += "> **Warning:** \(e(warning))\n\n" }
        out += "\(report.documents.count) documents: \(e(statusSummary(report))).\n\n"
        out += "| finding | count |\n|---|---|\n"
        for (kind, count) in report.countsByFinding.sorted(by: { $0.key < $1.key }) { out += "| \(e(kind)) | \(count) |\n" }
        out += "\n## Needs action (\(report.actionEntries.count))\n\n"
        for entry in report.actionEntries {
            out += "### \(e(entry.key)) — \(e(entry.status.chinese)) (\(entry.status.rawValue)), \(e(entry.grounds.chinese)) (\(entry.grounds.rawValue))\n\n\(e(entry.title))\n\n"
            out += "\(e(entry.reason.chinese)). \(e(entry.reason.english)).\n\n"
            for finding in entry.actionFindings {
                out += "- **\(finding.kind.rawValue)**: \(e(finding.message))"
                if finding.documents.count > 2 { out += " — chain: " + finding.documents.map(e).joined(separator: " → ") }
                out += "\n"
            }
            out += "\nEvidence:\n\n"
            for step in entry.evidence {
                out += "- \(e(step.date ?? "(undated)")) · \(e(step.event)) · \(e(step.source))\(step.grade == "third_party" ? " (third party)" : step.grade == "rule" ? " (rule)" : "")"
                if let quote = step.quote { out += ": “\(e(quote))”" }
                out += "\n"
            }
            for ignored in entry.ignored { out += "- ignored \(ignored.finding.kind.rawValue): \(e(ignored.reason))\n" }
            out += "\n"
        }
        let ignored = report.documents.filter { !$0.ignored.isEmpty }
        if !ignored.isEmpty {
            out += "## Ignored by audit.toml\n\n"
            for entry in ignored {
                for item in entry.ignored {
                    out += "- \(e(entry.key)): ignored \(item.finding.kind.rawValue): \(e(item.reason))\(item.until.map { ", until \($0)" } ?? "")\n"
                }
            }
            out += "\n"
        }
        out += "## All documents\n\n| number | status | grounds | reason | issuer | title | findings |\n|---|---|---|---|---|---|---|\n"
        for entry in report.documents {
            out += "| \(e(entry.key)) | \(e(entry.status.chinese)) | \(e(entry.grounds.chinese)) \(entry.grounds.rawValue) | \(e(entry.reason.chinese)) | \(e(entry.issuer ?? "")) | \(e(entry.title)) | \(entry.findings.map(\.kind.rawValue).joined(separator: ", ")) |\n"
        }
        return out
    }

    // MARK: HTML

    /// One self-contained page: inline CSS, inline SVG, nothing fetched.
    public static func html(_ report: AuditReport, index: ValidityIndex, generated: String) -> String {
        let e = Escape.html
        var out = """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>InForce audit — \(e(report.scope)), \(report.asOf)</title>
            <style>
            body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
            table{border-collapse:collapse;width:100%;margin:12px 0}
            th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}
            th{background:#f0f0f0}
            .in_force{color:#2e7d32}.expired{color:#ef6c00}.repealed{color:#c62828}.invalidated{color:#6a1b9a}.unknown{color:#757575}.not_yet_in_force,.not_issued{color:#1565c0}
            .grounds{font-size:12px;padding:1px 6px;border-radius:8px;background:#eee;white-space:nowrap}.grounds.presumed,.grounds.none{background:#fff8e1}.grounds.rule{background:#e3f2fd}
            .finding{background:#fff3e0;border-left:4px solid #ef6c00;padding:6px 10px;margin:6px 0}
            .warning{background:#ffebee;border-left:4px solid #c62828;padding:6px 10px}
            .quote{color:#555}
            .section{border-top:2px solid #ddd;margin-top:24px;padding-top:8px}
            .graph{overflow-x:auto}
            </style></head><body>
            <h1>InForce audit — \(e(report.scope))</h1>
            <p>As of <b>\(report.asOf)</b>; generated \(e(generated)). \(report.documents.count) documents: \(e(statusSummary(report))).</p>

            """
        if let incomplete = report.incompleteness {
            out += "<div class=\"warning\"><p><b>Incomplete:</b> \(e(incomplete))</p>\n<ul>\n"
            for problem in report.problems { out += "<li>\(e(problem.description))</li>\n" }
            out += "</ul></div>\n"
        }
        for warning in report.warnings { out += "<p class=\"warning\">\(e(warning))</p>\n" }
        out += "<h2>Status</h2>\n<table><thead><tr><th>Number</th><th>Title</th><th>Issuer</th><th>Status</th><th>Grounds</th><th>Reason</th><th>Findings</th></tr></thead><tbody>\n"
        for entry in report.documents {
            out += "<tr><td>\(e(entry.key))</td><td>\(e(entry.title))</td><td>\(e(entry.issuer ?? ""))</td><td class=\"\(entry.status.rawValue)\">\(e(entry.status.chinese))</td><td class=\"grounds \(entry.grounds.rawValue)\">\(e(entry.grounds.chinese)) (\(entry.grounds.rawValue))</td><td lang=\"zh-CN\">\(e(entry.reason.chinese))<br><span lang=\"en\" class=\"quote\">\(e(entry.reason.english))</span></td><td>\(e(entry.findings.map(\.kind.rawValue).joined(separator: ", ")))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        let ignored = report.documents.filter { !$0.ignored.isEmpty }
        if !ignored.isEmpty {
            out += "<h2>Ignored by audit.toml</h2>\n<ul>\n"
            for entry in ignored {
                for item in entry.ignored {
                    out += "<li>\(e(entry.key)): ignored \(e(item.finding.kind.rawValue)): \(e(item.reason))\(item.until.map { ", until \($0)" } ?? "")</li>\n"
                }
            }
            out += "</ul>\n"
        }
        out += "<h2>Needs action (\(report.actionEntries.count))</h2>\n"
        for entry in report.actionEntries {
            out += "<div class=\"section\"><h3>\(e(entry.key)) — <span class=\"\(entry.status.rawValue)\">\(e(entry.status.chinese))</span> <span class=\"grounds \(entry.grounds.rawValue)\">\(e(entry.grounds.chinese)) (\(entry.grounds.rawValue))</span></h3>\n<p>\(e(entry.title))</p>\n<p class=\"reason\">\(e(entry.reason.chinese))<br><span lang=\"en\">\(e(entry.reason.english))</span></p>\n"
            for finding in entry.actionFindings {
                out += "<div class=\"finding\"><b>\(e(finding.kind.rawValue))</b>: \(e(finding.message))"
                if finding.documents.count > 2 { out += "<br>chain: " + finding.documents.map(e).joined(separator: " → ") }
                out += "</div>\n"
            }
            out += "<h4>Evidence</h4>\n<ul>\n"
            for step in entry.evidence {
                out += "<li>\(e(step.date ?? "(undated)")) · \(e(step.event)) · \(e(step.source))\(step.grade == "third_party" ? " (third party)" : step.grade == "rule" ? " (rule)" : "")"
                if let quote = step.quote { out += "<br><span class=\"quote\">“\(e(quote))”</span>" }
                out += "</li>\n"
            }
            out += "</ul>\n"
            if let key = try? DocumentKey(parsing: entry.key), let node = index.node(key) {
                // The picture travels inside the page as a data URI: nothing is fetched, and the
                // page stays plain HTML that any HTML parser accepts.
                let svg = GraphPicture(index.subgraph(around: [key], on: report.asOf)).svg()
                out += "<h4>Citation graph</h4>\n<div class=\"graph\"><img alt=\"citation graph around \(e(entry.key))\" src=\"data:image/svg+xml;base64,\(Data(svg.utf8).base64EncodedString())\"></div>\n"
                out += "<h4>Timeline</h4>\n<table><thead><tr><th>Date</th><th>Event</th><th>Source</th><th>Words</th></tr></thead><tbody>\n"
                for event in index.events(of: node) {
                    out += "<tr><td>\(e(event.date?.description ?? "(undated)"))</td><td>\(e(event.kind.rawValue))</td><td>\(e(event.source))\(event.thirdParty ? " (third party)" : "")</td><td>\(e(event.quote ?? event.dateNote ?? ""))</td></tr>\n"
                }
                out += "</tbody></table>\n"
            }
            out += "</div>\n"
        }
        return out + "</body></html>\n"
    }

    // MARK: CSV

    /// One row per document, UTF-8 with a byte-order mark so spreadsheets keep the Chinese; then,
    /// when the report is incomplete, one row per file that could not be read: status
    /// `unreadable`, its problems (file, line, message) in `finding_messages`, the rest empty.
    public static func csv(_ report: AuditReport) throws -> Data {
        let stream = OutputStream.toMemory()
        let writer = try CSVWriter(stream: stream)
        // Each column holds one kind of value: `since` only ISO dates, the words in `since_bound`.
        try writer.write(row: [
            "number", "title", "issuer", "status", "status_chinese", "grounds", "reason", "reason_chinese", "amended", "since", "since_bound",
            "needs_action", "findings", "finding_messages",
        ])
        for entry in report.documents {
            try writer.write(row: [
                entry.key, entry.title, entry.issuer ?? "", entry.status.rawValue, entry.status.chinese, entry.grounds.rawValue,
                entry.reason.english, entry.reason.chinese, entry.amended ? "yes" : "no",
                entry.since?.description ?? "", entry.sinceBound ?? "", entry.needsAction ? "yes" : "no",
                entry.findings.map(\.kind.rawValue).joined(separator: "; "), entry.findings.map(\.message).joined(separator: "; "),
            ])
        }
        for file in report.unreadableFiles {
            let problems = report.problems.filter { $0.origin == file }.map(\.description).joined(separator: "; ")
            try writer.write(row: ["", "", "", "unreadable", "无法读取", "", "", "yes", "", problems])
        }
        writer.stream.close()
        let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return Data([0xEF, 0xBB, 0xBF]) + data
    }
}
