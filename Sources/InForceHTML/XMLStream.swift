import CLibXML2

/// libxml2 set up once for the process, before any parse of HTML or XML (documents are parsed
/// on both cores, and initialising it twice at once is a race).
enum LibXML {
    static let initialised: Void = { xmlInitParser() }()
}

/// An XML part of an Office file (word/document.xml, xl/worksheets/sheet1.xml) read as a stream
/// of elements and text by libxml2's reader, so a sheet of a million rows is never one tree.
///
/// Office parts never declare a document type. A part that does is refused before libxml2
/// sees it (an external entity there is how an XXE attack reads files or reaches the network),
/// and the parse itself runs with no network, no entity substitution and no DTD loading.
public final class XMLStream {
    /// What the reader is on.
    public enum Node: Equatable, Sendable {
        /// An element opens: its local name (w:p → p), attributes by local name, and whether it is empty (<w:tab/>).
        case start(name: String, attributes: [String: String], empty: Bool)
        case end(name: String)
        /// Character data, CDATA and significant whitespace.
        case text(String)
    }

    private let reader: xmlTextReaderPtr
    private let bytes: [UInt8]
    private let name: String

    /// Opens a part. `name` names it in errors (report.docx: word/document.xml).
    public init(bytes: [UInt8], name: String) throws(PageError) {
        LibXML.initialised
        guard bytes.count < Int(Int32.max) else { throw PageError(reason: "\(name) is too large to parse") }
        if XMLStream.declaresDocumentType(bytes) {
            throw PageError(reason: "\(name) declares a document type (<!DOCTYPE or <!ENTITY); Office files never do, and an external entity could read local files: refused")
        }
        self.bytes = bytes
        self.name = name
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_HUGE.rawValue)
        let made: xmlTextReaderPtr? = self.bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlReaderForMemory(chars.baseAddress, Int32(chars.count), nil, "UTF-8", options)
            }
        }
        guard let made else { throw PageError(reason: "libxml2 could not open \(name)") }
        reader = made
    }

    deinit { xmlFreeTextReader(reader) }

    /// The next node, nil at the end; throws when the XML is broken.
    public func next() throws(PageError) -> Node? {
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { return nil }
            guard status == 1 else { throw PageError(reason: "\(name) is not well-formed XML (damaged or cut short)") }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let local = XMLStream.string(xmlTextReaderConstLocalName(reader))
                let empty = xmlTextReaderIsEmptyElement(reader) == 1
                var attributes: [String: String] = [:]
                if xmlTextReaderHasAttributes(reader) == 1, xmlTextReaderMoveToFirstAttribute(reader) == 1 {
                    repeat {
                        attributes[XMLStream.string(xmlTextReaderConstLocalName(reader))] = XMLStream.string(xmlTextReaderConstValue(reader))
                    } while xmlTextReaderMoveToNextAttribute(reader) == 1
                    xmlTextReaderMoveToElement(reader)
                }
                return .start(name: local, attributes: attributes, empty: empty)
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                return .end(name: XMLStream.string(xmlTextReaderConstLocalName(reader)))
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                return .text(XMLStream.string(xmlTextReaderConstValue(reader)))
            default:
                continue
            }
        }
    }

    private static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    /// Whether the bytes before the first element hold <!DOCTYPE or <!ENTITY.
    static func declaresDocumentType(_ bytes: [UInt8]) -> Bool {
        let markers = [Array("<!DOCTYPE".utf8), Array("<!ENTITY".utf8), Array("<!doctype".utf8)]
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "<") {
                let next = bytes[index + 1]
                if next == UInt8(ascii: "!") {
                    if markers.contains(where: { marker in index + marker.count <= bytes.count && bytes[index..<(index + marker.count)].elementsEqual(marker) }) {
                        return true
                    }
                } else if next != UInt8(ascii: "?") {
                    return false
                }
            }
            index += 1
        }
        return false
    }
}
