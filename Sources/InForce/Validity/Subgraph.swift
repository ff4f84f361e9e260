/// A piece of the citation graph around some documents, for pictures.
public struct Subgraph: Sendable {
    public struct Node: Sendable, Hashable {
        public let key: String
        public let title: String
        public let status: Status
        /// Whether the report flags this document.
        public let flagged: Bool
    }

    public struct Edge: Sendable, Hashable {
        /// Index into `nodes` of the citing document.
        public let from: Int
        /// Index into `nodes` of the cited document.
        public let to: Int
        public let relation: Relation
    }

    public let nodes: [Node]
    public let edges: [Edge]
}

extension ValidityIndex {
    /// The documents given, what they rest on (transitively) and what cites them directly,
    /// with the citations among them and each one's status on `day`.
    public func subgraph(around keys: [DocumentKey], on day: Day, includeCiters: Bool = true) -> Subgraph {
        var memo: [Int32: StatusAnswer] = [:]
        let flagged = Set(keys.compactMap { node($0) })
        var members: [Int32] = []
        var seen: Set<Int32> = []
        func add(_ node: Int32) { if seen.insert(node).inserted { members.append(node) } }
        for start in keys.compactMap({ node($0) }) {
            add(start)
            for step in trace(start, on: day).steps where step.recorded { add(step.node) }
            if includeCiters { for (citer, _) in citers(of: start) { add(citer) } }
        }
        let position = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
        let nodes = members.map { node in
            Subgraph.Node(key: record(node).key.description, title: record(node).title, status: status(node, on: day, memo: &memo).status,
                          flagged: flagged.contains(node))
        }
        var edges: [Subgraph.Edge] = []
        for member in members {
            for (target, relation) in citations(of: member) {
                if let to = position[target], let from = position[member], from != to { edges.append(.init(from: from, to: to, relation: relation)) }
            }
        }
        return Subgraph(nodes: nodes, edges: edges)
    }
}
