/// What "did you mean" offers: the names a registry holds nearest to one it does not.
///
/// ```swift
/// Suggestions.nearest(to: "绍兴", among: ["全国", "浙江省", "浙江省绍兴市"]) // ["浙江省绍兴市"]
/// ```
public enum Suggestions {
    /// Names near `wanted`, nearest first, each once, at most `limit`: first the names that
    /// contain it or that it contains (绍兴 → 浙江省绍兴市), closest in length first; then names
    /// within an edit distance of half its length that keep at least one of its characters,
    /// nearest first. Ties keep the order given.
    public static func nearest(to wanted: String, among names: some Sequence<String>, limit: Int = 5) -> [String] {
        let target = Array(wanted.unicodeScalars.map(\.value))
        guard !target.isEmpty else { return [] }
        let cutoff = max(1, target.count / 2)
        var distance = EditDistance()
        var seen: Set<String> = [wanted]
        // (tier, closeness, position): tier 0 for containment, 1 for an edit distance.
        var found: [(rank: (Int, Int, Int), name: String)] = []
        for (position, name) in names.enumerated() where seen.insert(name).inserted {
            let scalars = Array(name.unicodeScalars.map(\.value))
            if name.contains(wanted) || (scalars.count > 1 && wanted.contains(name)) {
                found.append(((0, abs(scalars.count - target.count), position), name))
            } else if let edits = distance.distance(target, scalars, limit: cutoff), edits < max(target.count, scalars.count) {
                found.append(((1, edits, position), name))
            }
        }
        return found.sorted { $0.rank < $1.rank }.prefix(limit).map(\.name)
    }

    /// The names as a reader says them: "A", "A or B", "A, B or C".
    public static func either(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
    }
}

/// A document, issuer or region the registry does not hold, with the nearest ones it does.
public struct UnknownName: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A number or title: not found (exit 2 in the CLI).
        case document
        /// An issuer or region given to scope a question: invalid input (exit 3 in the CLI).
        case issuer
        case region
    }

    public let kind: Kind
    /// What was asked for, as the registry spells it (a canonical number, 《title》, a name).
    public let name: String
    /// The nearest names the registry holds, nearest first.
    public let nearest: [String]
    /// Where it was looked for, as the reader knows it: "the registry", "the registry ./registry".
    public let place: String
    /// For a title: whether several documents bear it, or only titles holding it were found.
    public let titleMatch: TitleMatch?

    public enum TitleMatch: String, Sendable {
        /// Several numbered documents bear exactly this title: `nearest` lists them.
        case several
        /// No document bears it, but these titles hold it.
        case partial
    }

    public init(_ kind: Kind, _ name: String, nearest: [String], place: String = "the registry", titleMatch: TitleMatch? = nil) {
        self.kind = kind
        self.name = name
        self.nearest = nearest
        self.place = place
        self.titleMatch = titleMatch
    }

    /// `绍正办发〔2016〕11号 is not in the registry; did you mean 绍政办发〔2016〕11号?`
    public var description: String {
        switch titleMatch {
        case .several: return "\(name) is the title of several documents in \(place): \(nearest.joined(separator: ", ")); give the number"
        case .partial: return "no document in \(place) is titled \(name); titles that hold it: \(nearest.joined(separator: ", "))"
        case nil: break
        }
        let subject = kind == .document ? name : "the \(kind.rawValue) \(name)"
        let known = kind == .document ? "" : (kind == .issuer ? " (no issuer, 代字 or record names it)" : " (no region or issuer names it)")
        let hint = nearest.isEmpty ? "" : "; did you mean \(Suggestions.either(nearest))?"
        return "\(subject) is not in \(place)\(known)\(hint)"
    }
}
