/// Finds the line of a field in a TOML file written in the registry's layout, so problems can
/// be reported as `file:line` the way editors jump to them.
enum LineLocator {
    /// The 1-based line of `field` (`effective`, `citations[1].relation`, `notice.dispositions[0]`),
    /// or of the nearest enclosing table header, or nil when neither can be found.
    static func line(of field: String, in text: String) -> Int? {
        // Split `citations[1].relation` into the table path, its index and the key.
        var tablePath = ""
        var index = 0
        var key = field
        if let close = field.lastIndex(of: "]"), let open = field[..<close].lastIndex(of: "[") {
            tablePath = String(field[..<open])
            index = Int(field[field.index(after: open)..<close]) ?? 0
            key = String(field[field.index(after: close)...].drop(while: { $0 == "." }))
        } else if let dot = field.lastIndex(of: ".") {
            tablePath = String(field[..<dot])
            key = String(field[field.index(after: dot)...])
            index = -1
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var inTarget = tablePath.isEmpty
        var headerLine: Int?
        var seen = -1
        for (offset, raw) in lines.enumerated() {
            let line = raw.trimmingSpaces()
            if line.hasPrefix("[") {
                let name = line.trimmingCharacters(in: "[]")
                if tablePath.isEmpty {
                    inTarget = false
                } else if name == tablePath {
                    seen += 1
                    inTarget = index < 0 || seen == index
                    if inTarget { headerLine = offset + 1 }
                } else if inTarget, !name.hasPrefix(tablePath + ".") {
                    inTarget = false
                }
                continue
            }
            if inTarget, !key.isEmpty, line.hasPrefix(key) {
                let rest = line.dropFirst(key.count).trimmingSpaces()
                if rest.hasPrefix("=") { return offset + 1 }
            }
        }
        return headerLine
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return result
    }
}
