public import InForce

/// Reads a page's bytes — HTML or plain text, UTF-8, GB18030/GBK or Big5 — into the text that
/// extraction works on, refusing what is not a page.
public enum PageLoader {
    /// Pages larger than this are not single documents.
    public static let maximumSize = 32 << 20

    /// Whether bytes look like HTML: a markup tag near the start, or an HTML file name.
    public static func isHTML(_ bytes: [UInt8], name: String) -> Bool {
        let lowered = name.lowercased()
        if [".html", ".htm", ".shtml", ".jhtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp"].contains(where: { lowered.hasSuffix($0) }) {
            return true
        }
        if [".txt", ".md", ".text"].contains(where: { lowered.hasSuffix($0) }) { return false }
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<body") || head.contains("<!doctype html") || head.contains("<p>") || head.contains("<div")
    }

    /// The page in `bytes`, named `name` in messages.
    public static func load(_ bytes: [UInt8], name: String) throws(PageError) -> PageText {
        guard !bytes.isEmpty else { throw PageError(reason: "the file is empty") }
        guard bytes.count <= maximumSize else {
            throw PageError(reason: "the file is \(bytes.count >> 20) MB; a page is at most \(maximumSize >> 20) MB")
        }
        if bytes.prefix(8192).contains(0) {
            throw PageError(reason: "the file is binary or UTF-16 (it holds NUL bytes); give HTML or text in UTF-8, GB18030 or Big5")
        }
        if isHTML(bytes, name: name) {
            let (text, _) = try TextDecoding.decode(bytes, declared: TextDecoding.declaredEncoding(bytes))
            let document = try HTMLDocument(bytes: Array(text.utf8), encoding: "UTF-8")
            let page = document.pageText()
            guard !page.text.trimmingSpaces().isEmpty else { throw PageError(reason: "the page has no text") }
            return page
        }
        let (text, _) = try TextDecoding.decode(bytes)
        guard !text.trimmingSpaces().isEmpty else { throw PageError(reason: "the file holds no text") }
        return PageText(plainText: text)
    }
}
