/// The one key a title is known by, whichever way a text cites it.
///
/// 《中华人民共和国劳动合同法》, 劳动合同法, 《劳动合同法》（2012年修正）, 《勞動合同法》 are one
/// document; so are 最高人民法院关于适用《公司法》若干问题的规定（五） and the same title with
/// 《中华人民共和国公司法》 inside, and joint issuers joined by 、 or by a space. What stays in the
/// key tells documents apart: the place (浙江省…条例 is not 杭州市…条例), 暂行 and 试行, a
/// numbered part （五）.
public enum TitleIdentity {
    /// The key of `title`: traditional characters simplified, 《》 around it and a trailing version
    /// note dropped, inner title marks written 〈〉, brackets full-width, 中华人民共和国 dropped
    /// where it starts a title (outer or inner), and the spaces between joint issuers written 、.
    public static func key(_ title: String) -> String {
        var text = Substring(title.simplifiedCharacters).trimmingSpaces()
        if text.hasPrefix("《"), text.hasSuffix("》"), text.count >= 2 { text = text.dropFirst().dropLast().trimmingSpaces() }
        var scalars: [Unicode.Scalar] = []
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if NumberCharacters.isSpace(scalar.value) || scalar == "\n" || scalar == "\r" {
                pendingSpace = true
                continue
            }
            if pendingSpace {
                // 最高人民法院 最高人民检察院关于…: a space between two names is a 、.
                if let last = scalars.last, NumberCharacters.isCJK(last.value), NumberCharacters.isCJK(scalar.value), last != "、", scalar != "、" {
                    scalars.append("、")
                }
                pendingSpace = false
            }
            switch scalar {
            case "《", "<", "＜", "〈": scalars.append("〈")
            case "》", ">", "＞", "〉": scalars.append("〉")
            case "(": scalars.append("（")
            case ")": scalars.append("）")
            default: scalars.append(scalar)
            }
        }
        var key = String(String.UnicodeScalarView(scalars))
        while let stripped = withoutVersionNote(key) { key = stripped }
        // 《劳动合同法》（2012年修正）: the marks around the title came before its note.
        if key.hasPrefix("〈"), key.hasSuffix("〉"), key.firstIndex(of: "〉") == key.index(before: key.endIndex) {
            key = String(key.dropFirst().dropLast())
        }
        key = withoutCountryName(key)
        return key.isEmpty ? String(text) : key
    }

    /// The title without a trailing note of its version: （2019年修正）, （2018修订）, （2009年修正本）,
    /// （2020年12月29日修订）; nil when it ends with none. （试行）, （五）, （草案） are the title's own.
    static func withoutVersionNote(_ title: String) -> String? {
        guard title.hasSuffix("）"), let open = title.lastIndex(of: "（"), open != title.startIndex else { return nil }
        let note = title[title.index(after: open)..<title.index(before: title.endIndex)]
        let hasYear = note.unicodeScalars.contains { ("0"..."9").contains($0) }
        let says = ["修正", "修订", "修改"].contains { note.contains($0) }
        guard hasYear && says && note.count <= 16 else { return nil }
        return String(title[..<open].trimmingSpaces())
    }

    /// The title without 中华人民共和国 where it starts the title or a title inside it; kept where
    /// nothing would be left of that title (中华人民共和国 alone, 〈中华人民共和国〉).
    static func withoutCountryName(_ title: String) -> String {
        let country = "中华人民共和国"
        var result = ""
        var rest = Substring(title)
        var atStart = true
        while !rest.isEmpty {
            if atStart, rest.hasPrefix(country), rest.count > country.count, rest.dropFirst(country.count).first != "〉" {
                rest = rest.dropFirst(country.count)
            }
            let character = rest.removeFirst()
            result.append(character)
            atStart = character == "〈"
        }
        return result
    }
}
