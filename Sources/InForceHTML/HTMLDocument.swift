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
    ///
    /// Throws when libxml2 stops before the end of the page rather than return part of it.
    public init(bytes: [UInt8], encoding: String? = nil) throws(PageError) {
        LibXML.initialised
        guard !bytes.isEmpty else { throw PageError(reason: "the page is empty") }
        guard bytes.count < Int(Int32.max) else { throw PageError(reason: "the page is too large to parse") }
        var stopped: Int32 = 0
        var error = xmlError()
        defer { xmlResetError(&error) }
        let parsed: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                inforce_htmlReadMemory(chars.baseAddress, Int32(chars.count), encoding, HTMLDocument.options, &stopped, &error)
            }
        }
        let message = error.message.map { String(String(cString: $0).trimmingWhitespace()) }
        guard let parsed else {
            throw PageError(reason: message ?? HTMLDocument.lastErrorMessage() ?? "libxml2 could not parse the page")
        }
        guard stopped == 0 else {
            xmlFreeDoc(parsed)
            throw PageError(reason: "libxml2 stopped reading the page at line \(error.line): \(message ?? "an unknown error")")
        }
        document = parsed
    }

    /// libxml2's options: recover from broken markup, report nothing on the terminal, never
    /// touch the network (no entity substitution, no DTD loading: external entities are never
    /// fetched), and no hard-coded limits — old pages nest hundreds of unclosed `<font>` tags,
    /// past the 256 levels libxml2 otherwise stops at (the text below them would be lost).
    /// Pages are at most 32 MB and the tree is walked without recursion, so depth costs only memory.
    static let options = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue)

    deinit { xmlFreeDoc(document) }


    /// The encoding libxml2 read the page in (from `<meta charset>` or its own detection), if known.
    public var encoding: String? {
        guard let name = document.pointee.encoding else { return nil }
        return String(cString: name)
    }

    /// The `<title>` text, trimmed.
    public var title: String? {
        strings(matching: "(//title)[1]").first.map { String($0.trimmingWhitespace()) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The text of the page's body as a reader sees it: block elements and `<br>` start new
    /// lines, table cells are separated by ` | `, runs of spaces collapse; scripts and styles are
    /// left out.
    public var text: String { render().text }

    /// The page for extraction: its text, the label/value pairs of its tables (发文字号, 成文日期 …)
    /// and its `<title>`.
    public func pageText() -> PageText {
        let rendered = render()
        return PageText(text: rendered.text, metadata: rendered.metadata, pageTitle: title, links: links())
    }

    /// Every `<a href>`: its target and its text.
    public func links() -> [PageText.Link] {
        guard let context = xmlXPathNewContext(document) else { return [] }
        defer { xmlXPathFreeContext(context) }
        guard let result = xmlXPathEvalExpression("//a[@href]", context) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard let nodes = result.pointee.nodesetval, nodes.pointee.nodeNr > 0 else { return [] }
        var links: [PageText.Link] = []
        for index in 0..<Int(min(nodes.pointee.nodeNr, 10_000)) {
            guard let node = nodes.pointee.nodeTab[index], let href = xmlGetProp(node, "href") else { continue }
            let target = String(cString: href)
            inforce_xmlFree(href)
            var text = ""
            if let content = xmlNodeGetContent(node) {
                text = String(String(cString: content).trimmingWhitespace())
                inforce_xmlFree(content)
            }
            links.append(PageText.Link(target: target, text: text))
        }
        return links
    }

    /// Page text built as UTF-8 bytes straight from libxml2's strings, spaces collapsed as a
    /// browser would.
    private struct Rendering {
        var bytes: [UInt8] = []
        var metadata: [PageText.Field] = []
        var pendingSpace = false

        var text: String { String(decoding: bytes, as: UTF8.self) }

        /// A cell's text written again (a colspan, a rowspan carried down).
        mutating func appendString(_ text: String) {
            var copy = text
            copy.withUTF8 { buffer in
                var bytes = Array(buffer)
                bytes.append(0)
                bytes.withUnsafeBufferPointer { append($0.baseAddress!) }
            }
        }

        mutating func append(_ content: UnsafePointer<xmlChar>) {
            var pointer = content
            while pointer.pointee != 0 {
                let byte = pointer.pointee
                if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
                    pendingSpace = true
                } else if byte == 0xC2 && pointer[1] == 0xA0 {
                    pendingSpace = true
                    pointer += 1
                } else {
                    if pendingSpace, let last = bytes.last, last != 0x0A, last != 0x20 { bytes.append(0x20) }
                    pendingSpace = false
                    bytes.append(byte)
                }
                pointer += 1
            }
        }

        mutating func trimTrailingSpaces() {
            pendingSpace = false
            while bytes.last == 0x20 { bytes.removeLast() }
        }

        mutating func breakLine() {
            trimTrailingSpaces()
            if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
        }

        mutating func separateCell() {
            trimTrailingSpaces()
            guard let last = bytes.last, last != 0x0A else { return }
            if bytes.count >= 3, bytes[bytes.count - 3] == 0x20, bytes[bytes.count - 2] == 0x7C { return }
            bytes += [0x20, 0x7C, 0x20]
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

    /// Where the walk is: the next child of an open node to render, and what closing it means.
    private struct Frame {
        enum Kind {
            /// An element whose children are content; a block ends its line when it closes.
            case content(block: Bool)
            /// A table row: its children are cells, one line, ` | ` between them.
            case row
            /// A table cell, rendered from `start`, its separator from `separator`; how many
            /// columns and rows it spans.
            case cell(separator: Int, start: Int, columns: Int, rows: Int)
            /// A table: cells spanning rows below are carried in its state.
            case table
        }

        var next: xmlNodePtr?
        let kind: Kind
    }

    /// Renders the text below `node`: block elements and `<br>` start new lines, table rows go
    /// on one line with ` | ` between cells (and give up their label/value pairs). The tree is
    /// walked with a stack of its own, not by recursion: a page may nest elements thousands
    /// deep. Cells render straight into the page's buffer: a page whose body sits in a table
    /// cell is not copied once per level of nesting.
    private func appendText(of node: xmlNodePtr, to output: inout Rendering) {
        var frames = [Frame(next: node.pointee.children, kind: .content(block: false))]
        var rows: [[String]] = []
        // Per open table: cells that span into rows below (column → text, rows left); per open
        // row: the column the next cell starts at.
        var carried: [[Int: (text: String, rows: Int)]] = []
        var columns: [Int] = []
        /// Writes the cells carried down from rows above that stand at the row's next column.
        func flushCarried(upTo limit: Int?) {
            guard !carried.isEmpty, !columns.isEmpty else { return }
            while let cell = carried[carried.count - 1][columns[columns.count - 1]], limit.map({ columns[columns.count - 1] < $0 }) ?? true {
                let column = columns[columns.count - 1]
                output.separateCell()
                output.appendString(cell.text)
                rows[rows.count - 1].append(cell.text)
                carried[carried.count - 1][column] = cell.rows > 1 ? (cell.text, cell.rows - 1) : nil
                columns[columns.count - 1] += 1
            }
        }
        while let frame = frames.last {
            guard let current = frame.next else {
                frames.removeLast()
                switch frame.kind {
                case .content(let block):
                    if block { output.breakLine() }
                case .row:
                    // Cells spanning down from above that stand after this row's last cell.
                    if let last = carried.last?.keys.max() { flushCarried(upTo: last + 1) }
                    output.breakLine()
                    appendFields(of: rows.removeLast(), to: &output)
                    if !columns.isEmpty { columns.removeLast() }
                case .table:
                    output.breakLine()
                    carried.removeLast()
                case .cell(let separator, let start, let spanColumns, let spanRows):
                    output.trimTrailingSpaces()
                    var text = ""
                    if output.bytes.count <= start {
                        // An empty cell: take back its separator (trimming may already have eaten its space).
                        output.bytes.removeSubrange(min(separator, output.bytes.count)...)
                    } else if output.bytes.count - start <= 300 {
                        text = String(decoding: output.bytes[start...], as: UTF8.self).trimmingSpaces().description
                    }
                    rows[rows.count - 1].append(text)
                    // colspan: the text again in each column it covers; rowspan: carried to the rows below.
                    let short = text.utf8.count <= 300 ? text : ""
                    for _ in 1..<max(1, spanColumns) {
                        output.separateCell()
                        output.appendString(short)
                        rows[rows.count - 1].append(short)
                    }
                    if !columns.isEmpty {
                        if spanRows > 1, !carried.isEmpty {
                            for offset in 0..<max(1, spanColumns) { carried[carried.count - 1][columns[columns.count - 1] + offset] = (short, spanRows - 1) }
                        }
                        columns[columns.count - 1] += max(1, spanColumns)
                    }
                }
                continue
            }
            frames[frames.count - 1].next = current.pointee.next
            let type = current.pointee.type
            if case .row = frame.kind {
                guard type == XML_ELEMENT_NODE else { continue }
                let name = current.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                guard name == "td" || name == "th" else { continue }
                flushCarried(upTo: nil)
                let separator = output.bytes.count
                output.separateCell()
                let spanColumns = HTMLDocument.span(current, "colspan")
                let spanRows = HTMLDocument.span(current, "rowspan")
                frames.append(Frame(next: current.pointee.children, kind: .cell(separator: separator, start: output.bytes.count, columns: spanColumns, rows: spanRows)))
                continue
            }
            switch type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { output.append(content) }
            case XML_ELEMENT_NODE:
                let name = current.pointee.name.map { String(cString: $0).lowercased() } ?? ""
                if HTMLDocument.skipped.contains(name) { break }
                if name == "tr" {
                    output.breakLine()
                    rows.append([])
                    columns.append(0)
                    if carried.isEmpty { carried.append([:]) }
                    frames.append(Frame(next: current.pointee.children, kind: .row))
                    break
                }
                if name == "table" {
                    output.breakLine()
                    carried.append([:])
                    frames.append(Frame(next: current.pointee.children, kind: .table))
                    break
                }
                let block = HTMLDocument.blocks.contains(name)
                if block { output.breakLine() }
                frames.append(Frame(next: current.pointee.children, kind: .content(block: block)))
            default:
                break
            }
        }
    }

    /// A cell's colspan or rowspan: 1 when absent or malformed, at most 100 (a hostile page
    /// cannot make one cell fill a million rows).
    private static func span(_ node: xmlNodePtr, _ attribute: String) -> Int {
        guard let value = xmlGetProp(node, attribute) else { return 1 }
        defer { inforce_xmlFree(value) }
        return min(100, max(1, Int(String(cString: value).trimmingWhitespace()) ?? 1))
    }

    /// The label/value pairs of a table row's cells (发文字号 | 国发〔2014〕40号).
    private func appendFields(of cells: [String], to output: inout Rendering) {
        var index = 0
        while index + 1 < cells.count {
            // A label is a few characters (发文字号：); a long cell is a value, not worth normalising.
            guard cells[index].unicodeScalars.count <= 24 else {
                index += 1
                continue
            }
            let label = PageText.label(cells[index])
            if label.count <= 8, PageText.knownLabels.contains(label) {
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


extension StringProtocol {
    func trimmingWhitespace() -> SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[start..<end]
    }
}
