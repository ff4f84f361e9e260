import CLibXML2
public import InForce

/// An HTML page parsed by libxml2, the project's only HTML parser.
///
/// The page's bytes go in as they are: libxml2 honours `<meta charset>` (GBK, GB2312, Big5,
/// UTF-8) and recovers from broken markup. Nothing outside this type sees a libxml2 pointer;
/// the document is freed with the value. Parsing never reaches the network and never expands
/// external entities.
public final class HTMLDocument {
    private let document: htmlDocPtr

    /// Parses page bytes. `encoding` overrides what the page declares (nil: let libxml2 decide).
    public init(bytes: [UInt8], encoding: String? = nil) throws(HTMLError) {
        HTMLDocument.initialise
        guard !bytes.isEmpty else { throw PageError(reason: "the page is empty") }
        guard bytes.count < Int(Int32.max) else { throw PageError(reason: "the page is too large to parse") }
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue)
        let parsed: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let encoding {
                    return htmlReadMemory(chars.baseAddress, Int32(chars.count), nil, encoding, options)
                }
                return htmlReadMemory(chars.baseAddress, Int32(chars.count), nil, nil, options)
            }
        }
        guard let parsed else {
            throw PageError(reason: HTMLDocument.lastErrorMessage() ?? "libxml2 could not parse the page")
        }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    /// libxml2 must be initialised once before documents are parsed on several threads.
    private static let initialise: Void = { xmlInitParser() }()

    /// The encoding libxml2 read the page in (from `<meta charset>` or its own detection), if known.
    public var encoding: String? {
        guard let name = document.pointee.encoding else { return nil }
        return String(cString: name)
    }

    /// The `<title>` text, trimmed.
    public var title: String? {
        strings(matching: "//title").first.map { String($0.trimmingWhitespace()) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The text of the page's body as a reader sees it: block elements and `<br>` start new
    /// lines, table cells are separated by ` | `, runs of spaces collapse; scripts and styles are
    /// left out.
    public var text: String { render().text }

    /// The page for extraction: its text, the label/value pairs of its tables (发文字号, 成文日期 …)
    /// and its `<title>`.
    public func pageText() -> PageText {
        let rendered = render()
        return PageText(text: rendered.text, metadata: rendered.metadata, pageTitle: title)
    }

    private struct Rendering {
        var text = ""
        var metadata: [PageText.Field] = []
        var pendingSpace = false

        mutating func append(_ content: String) {
            for scalar in content.unicodeScalars {
                if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar == "\u{A0}" {
                    pendingSpace = true
                    continue
                }
                if pendingSpace, !text.isEmpty, !text.hasSuffix("\n"), !text.hasSuffix(" ") { text.unicodeScalars.append(" ") }
                pendingSpace = false
                text.unicodeScalars.append(scalar)
            }
        }

        mutating func breakLine() {
            pendingSpace = false
            while text.hasSuffix(" ") { text.removeLast() }
            if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        }

        mutating func separateCell() {
            pendingSpace = false
            while text.hasSuffix(" ") { text.removeLast() }
            if !text.isEmpty, !text.hasSuffix("\n"), !text.hasSuffix(" | ") { text += " | " }
        }
    }

    private func render() -> Rendering {
        var rendering = Rendering()
        if let root = xmlDocGetRootElement(document) { appendText(of: root, to: &rendering) }
        rendering.breakLine()
        return rendering
    }
    /// The text content of every node an XPath expression selects.
    public func strings(matching xpath: String) -> [String] {
        guard let context = xmlXPathNewContext(document) else { return [] }
        defer { xmlXPathFreeContext(context) }
        guard let result = xmlXPathEvalExpression(xpath, context) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard let nodes = result.pointee.nodesetval, nodes.pointee.nodeNr > 0 else { return [] }
        var values: [String] = []
        for index in 0..<Int(nodes.pointee.nodeNr) {
            guard let node = nodes.pointee.nodeTab[index], let content = xmlNodeGetContent(node) else { continue }
            values.append(String(cString: content))
            inforce_xmlFree(content)
        }
        return values
    }

    private static let skipped: Set<String> = ["script", "style", "noscript", "template", "head"]
    private static let blocks: Set<String> = [
        "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "ul", "ol",
        "dd", "dt", "blockquote", "pre", "hr", "center", "title",
    ]

    private func appendText(of node: xmlNodePtr, to output: inout Rendering) {
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { output.append(String(cString: content)) }
            case XML_ELEMENT_NODE:
                let name = current.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                if HTMLDocument.skipped.contains(name) { break }
                if name == "tr" {
                    appendRow(current, to: &output)
                    break
                }
                let block = HTMLDocument.blocks.contains(name)
                if block { output.breakLine() }
                appendText(of: current, to: &output)
                if block { output.breakLine() }
            default:
                break
            }
            child = current.pointee.next
        }
    }

    /// A table row: its cells on one line, ` | ` between them, and label/value pairs read off it.
    private func appendRow(_ row: xmlNodePtr, to output: inout Rendering) {
        output.breakLine()
        var cells: [String] = []
        var cell = row.pointee.children
        while let current = cell {
            if current.pointee.type == XML_ELEMENT_NODE {
                let name = current.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                if name == "td" || name == "th" {
                    var inner = Rendering()
                    appendText(of: current, to: &inner)
                    inner.breakLine()
                    output.metadata += inner.metadata
                    let value = String(inner.text.trimmingSpaces())
                    cells.append(value)
                    if !value.isEmpty {
                        output.separateCell()
                        output.append(value)
                    }
                }
            }
            cell = current.pointee.next
        }
        output.breakLine()
        var index = 0
        while index + 1 < cells.count {
            let label = PageText.label(cells[index])
            if PageText.knownLabels.contains(label) {
                let value = cells[index + 1]
                let valueIsLabel = PageText.knownLabels.contains(PageText.label(value))
                output.metadata.append(PageText.Field(
                    label: label, value: valueIsLabel ? "" : value, quote: "\(cells[index]) \(valueIsLabel ? "" : value)"))
                index += valueIsLabel ? 1 : 2
            } else {
                index += 1
            }
        }
    }

    private static func lastErrorMessage() -> String? {
        guard let error = xmlGetLastError(), let message = error.pointee.message else { return nil }
        defer { xmlResetLastError() }
        return String(String(cString: message).trimmingWhitespace())
    }
}

/// A page libxml2 could not read.
public typealias HTMLError = PageError

extension StringProtocol {
    func trimmingWhitespace() -> SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[start..<end]
    }
}
