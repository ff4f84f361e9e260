public import Foundation
import ZIPFoundation

/// Small Office Open XML files written for the tests, from rows and paragraphs the tests give.
public enum OfficeFixtures {
    /// A zip of `parts` (path → bytes), deflated.
    public static func zip(_ parts: [(String, Data)], to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
    }

    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The content types of a package with no parts named: enough for InForce, not for Office.
    public static let contentTypes = Data("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>
        """.utf8)

    static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#

    /// The content types of a whole package, each main part named with its type, as Word and
    /// Excel write them: LibreOffice refuses a package without them ("source file could not be loaded").
    static func contentTypes(_ overrides: [(part: String, type: String)]) -> Data {
        let named = overrides.map { #"<Override PartName="/\#($0.part)" ContentType="application/vnd.openxmlformats-officedocument.\#($0.type)"/>"# }.joined()
        return Data((header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"# + named + "</Types>").utf8)
    }

    /// A relationships part: each (id, kind, target), kind the last word of the relationship type.
    static func relationships(_ links: [(id: String, kind: String, target: String)]) -> Data {
        let body = links.map { #"<Relationship Id="\#($0.id)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/\#($0.kind)" Target="\#($0.target)"/>"# }.joined()
        return Data((header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"# + body + "</Relationships>").utf8)
    }

    /// A sheet: its name, its rows, and merged ranges (A2:A3).
    public struct Sheet {
        public var name: String
        public var rows: [[String]]
        public var merges: [String] = []

        public init(name: String, rows: [[String]], merges: [String] = []) {
            self.name = name
            self.rows = rows
            self.merges = merges
        }
    }

    public static func column(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(Character(Unicode.Scalar(65 + remainder)!)) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// An .xlsx with shared strings (text cells) and numbers (digit-only cells).
    public static func xlsx(_ sheets: [Sheet], to url: URL) throws {
        var strings: [String] = []
        var index: [String: Int] = [:]
        func shared(_ text: String) -> Int {
            if let known = index[text] { return known }
            strings.append(text)
            index[text] = strings.count - 1
            return strings.count - 1
        }
        var types: [(part: String, type: String)] = [("xl/workbook.xml", "spreadsheetml.sheet.main+xml"), ("xl/sharedStrings.xml", "spreadsheetml.sharedStrings+xml")]
        var links: [(id: String, kind: String, target: String)] = []
        var parts: [(String, Data)] = [("_rels/.rels", relationships([("rId1", "officeDocument", "xl/workbook.xml")]))]
        var sheetList = ""
        for (number, sheet) in sheets.enumerated() {
            var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
            for (r, row) in sheet.rows.enumerated() {
                xml += #"<row r="\#(r + 1)">"#
                for (c, value) in row.enumerated() where !value.isEmpty {
                    let reference = column(c) + String(r + 1)
                    if value.allSatisfy(\.isASCII), Int(value) != nil {
                        xml += #"<c r="\#(reference)"><v>\#(value)</v></c>"#
                    } else {
                        xml += #"<c r="\#(reference)" t="s"><v>\#(shared(value))</v></c>"#
                    }
                }
                xml += "</row>"
            }
            xml += "</sheetData>"
            if !sheet.merges.isEmpty {
                xml += #"<mergeCells count="\#(sheet.merges.count)">"# + sheet.merges.map { #"<mergeCell ref="\#($0)"/>"# }.joined() + "</mergeCells>"
            }
            xml += "</worksheet>"
            parts.append(("xl/worksheets/sheet\(number + 1).xml", Data(xml.utf8)))
            sheetList += #"<sheet name="\#(escape(sheet.name))" sheetId="\#(number + 1)" r:id="rId\#(number + 1)"/>"#
            links.append(("rId\(number + 1)", "worksheet", "worksheets/sheet\(number + 1).xml"))
            types.append(("xl/worksheets/sheet\(number + 1).xml", "spreadsheetml.worksheet+xml"))
        }
        let workbook = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\#(sheetList)</sheets></workbook>"#
        parts.append(("xl/workbook.xml", Data(workbook.utf8)))
        links.append(("rId\(sheets.count + 1)", "sharedStrings", "sharedStrings.xml"))
        parts.append(("xl/_rels/workbook.xml.rels", relationships(links)))
        let sst = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\#(strings.count)">"#
            + strings.map { "<si><t>\(escape($0))</t></si>" }.joined() + "</sst>"
        parts.append(("xl/sharedStrings.xml", Data(sst.utf8)))
        try zip([("[Content_Types].xml", contentTypes(types))] + parts, to: url)
    }

    /// A .docx body: paragraphs (with an optional numbering id and level) and tables.
    public enum Block {
        case paragraph(String, numbering: (id: Int, level: Int)? = nil)
        /// Rows of cells; a cell "^" continues the vertical merge above, a cell starting "<" restarts one.
        case table([[String]])
    }

    /// The numbering a document's lists use: id 1 with levels 一、 （一） 1.
    public static let chineseNumbering = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
        <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
        </w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
        </w:numbering>
        """

    public static func docx(_ blocks: [Block], to url: URL, documentXML override: String? = nil) throws {
        func run(_ text: String) -> String { #"<w:r><w:t xml:space="preserve">\#(escape(text))</w:t></w:r>"# }
        var body = ""
        for block in blocks {
            switch block {
            case .paragraph(let text, let numbering):
                let properties = numbering.map { #"<w:pPr><w:numPr><w:ilvl w:val="\#($0.level)"/><w:numId w:val="\#($0.id)"/></w:numPr></w:pPr>"# } ?? ""
                body += "<w:p>\(properties)\(run(text))</w:p>"
            case .table(let rows):
                // Properties and a column grid, as Word writes them.
                let columns = rows.map(\.count).max() ?? 0
                body += #"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>"#
                    + String(repeating: #"<w:gridCol w:w="2000"/>"#, count: columns) + "</w:tblGrid>"
                for row in rows {
                    body += "<w:tr>"
                    for cell in row {
                        if cell == "^" {
                            body += #"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"#
                        } else if cell.hasPrefix("<") {
                            body += #"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p>\#(run(String(cell.dropFirst())))</w:p></w:tc>"#
                        } else {
                            body += "<w:tc><w:p>\(run(cell))</w:p></w:tc>"
                        }
                    }
                    body += "</w:tr>"
                }
                body += "</w:tbl>"
            }
        }
        // Word ends a body with a paragraph (never a table) and the section's properties; LibreOffice
        // 7.4 saves a body that ends in a table as a .doc whose table has become running text.
        if case .table = blocks.last { body += "<w:p/>" }
        let document = override ?? #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\#(body)<w:sectPr/></w:body></w:document>"#
        try zip([
            ("[Content_Types].xml", contentTypes([("word/document.xml", "wordprocessingml.document.main+xml"), ("word/numbering.xml", "wordprocessingml.numbering+xml")])),
            ("_rels/.rels", relationships([("rId1", "officeDocument", "word/document.xml")])),
            ("word/document.xml", Data(document.utf8)),
            ("word/_rels/document.xml.rels", relationships([("rId1", "numbering", "numbering.xml")])),
            ("word/numbering.xml", Data(chineseNumbering.utf8)),
        ], to: url)
    }

    /// A one-page PDF whose text layer holds `lines` (any Unicode, through a ToUnicode map; no
    /// font is embedded: pdftotext needs none), each line's cells at the x positions given.
    public static func pdf(_ lines: [[(x: Int, text: String)]], to url: URL) throws {
        var codes: [Unicode.Scalar: Int] = [:]
        var order: [Unicode.Scalar] = []
        for line in lines { for cell in line { for scalar in cell.text.unicodeScalars where codes[scalar] == nil {
            order.append(scalar)
            codes[scalar] = order.count
        } } }
        func hex(_ value: Int) -> String { String(format: "%04X", value) }
        var content = "BT\n/F1 10 Tf\n"
        for (number, line) in lines.enumerated() {
            for cell in line {
                let glyphs = cell.text.unicodeScalars.map { hex(codes[$0]!) }.joined()
                content += "1 0 0 1 \(cell.x) \(780 - number * 16) Tm <\(glyphs)> Tj\n"
            }
        }
        content += "ET\n"
        var cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        for chunk in stride(from: 0, to: order.count, by: 100) {
            let slice = order[chunk..<min(order.count, chunk + 100)]
            cmap += "\(slice.count) beginbfchar\n"
            for scalar in slice { cmap += "<\(hex(codes[scalar]!))> <\(hex(Int(scalar.value)))>\n" }
            cmap += "endbfchar\n"
        }
        cmap += "endcmap CMapName currentdict /CMap defineresource pop end end\n"
        let widths = "[1 [" + Array(repeating: "1000", count: order.count).joined(separator: " ") + "]]"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream",
            "<< /Type /Font /Subtype /Type0 /BaseFont /InForceTest /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /InForceTest /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /W \(widths) >>",
            "<< /Length \(cmap.utf8.count) >>\nstream\n\(cmap)endstream",
            "<< /Type /FontDescriptor /FontName /InForceTest /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n" + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        try Data(pdf.utf8).write(to: url)
    }
}
