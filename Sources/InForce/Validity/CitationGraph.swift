/// One document reached by walking citations, with the way it was reached.
public struct GraphStep: Sendable, Encodable {
    public let document: String
    public let title: String
    /// How the previous document on the path relates to this one (trace: it cites this one;
    /// impact: this one cites it).
    public let relation: Relation
    public let depth: Int
    public let status: Status
    /// From the document asked about to this one.
    public let path: [String]
    /// Whether the registry holds a record of it (false: known only from the citation).
    public let recorded: Bool
    /// The node in the index, for further questions (-1 when not recorded).
    let node: Int32

    enum CodingKeys: String, CodingKey { case document, title, relation, depth, status, path, recorded }
}

/// The result of a walk: what was reached and the cycles met on the way.
public struct GraphWalk: Sendable, Encodable {
    public let document: String
    public let asOf: Day
    public let steps: [GraphStep]
    /// Each cycle as the documents around it, first repeated at the end.
    public let cycles: [[String]]
}

extension ValidityIndex {
    /// What a document rests on, transitively (its provenance), each with its status on `day`.
    /// Cited documents the registry holds no record of are steps too, `unknown` and not followed.
    public func trace(_ node: Int32, on day: Day, relations: Set<Relation> = [.basis, .implements, .reference, .amends]) -> GraphWalk {
        var memo: [Int32: StatusAnswer] = [:]
        return trace(node, on: day, relations: relations, memo: &memo, unrecorded: true)
    }

    func trace(_ node: Int32, on day: Day, relations: Set<Relation>, memo: inout [Int32: StatusAnswer], unrecorded: Bool = false) -> GraphWalk {
        walk(from: node, on: day, relations: relations, memo: &memo, unrecorded: unrecorded) { citations(of: $0) }
    }

    /// Everything resting on a document, directly or through others, with the path.
    public func impact(_ node: Int32, on day: Day, relations: Set<Relation> = [.basis, .implements, .reference, .amends]) -> GraphWalk {
        var memo: [Int32: StatusAnswer] = [:]
        return walk(from: node, on: day, relations: relations, memo: &memo) { citers(of: $0) }
    }

    /// Breadth-first walk that never revisits a node; an edge back onto the current path is a cycle.
    func walk<S: Sequence<(Int32, Relation)>>(
        from start: Int32, on day: Day, relations: Set<Relation>, memo: inout [Int32: StatusAnswer], unrecorded: Bool = false,
        next: (Int32) -> S
    ) -> GraphWalk {
        var parent: [Int32: Int32] = [:]
        var depth: [Int32: Int] = [start: 0]
        var queue: [Int32] = [start]
        var head = 0
        var steps: [GraphStep] = []
        var cycles: [[String]] = []
        var seenCycles: Set<[Int32]> = []
        func path(to node: Int32) -> [Int32] {
            var nodes = [node]
            var current = node
            while let up = parent[current] {
                nodes.append(up)
                current = up
            }
            return nodes.reversed()
        }
        func name(_ node: Int32) -> String { record(node).key.description }
        while head < queue.count {
            let node = queue[head]
            head += 1
            for (other, relation) in next(node) where relations.contains(relation) {
                if depth[other] != nil {
                    // An edge to a node already on this node's own path closes a cycle.
                    let route = path(to: node)
                    if let index = route.firstIndex(of: other) {
                        let cycle = Array(route[index...]) + [other]
                        let canonical = cycle.dropLast().sorted()
                        if seenCycles.insert(canonical).inserted { cycles.append(cycle.map(name)) }
                    }
                    continue
                }
                depth[other] = depth[node]! + 1
                parent[other] = node
                queue.append(other)
                let status = self.status(other, on: day, memo: &memo).status
                steps.append(GraphStep(
                    document: name(other), title: record(other).title, relation: relation, depth: depth[other]!, status: status,
                    path: path(to: other).map(name), recorded: true, node: other))
            }
            guard unrecorded else { continue }
            // What it cites that the registry has no record of: said, not left out.
            var seen: Set<DocumentKey> = []
            for citation in record(node).citations where relations.contains(citation.relation) {
                guard let target = citation.target, self.node(target) == nil, seen.insert(target).inserted else { continue }
                steps.append(GraphStep(
                    document: target.description, title: citation.title ?? "", relation: citation.relation, depth: depth[node]! + 1,
                    status: .unknown, path: path(to: node).map(name) + [target.description], recorded: false, node: -1))
            }
        }
        return GraphWalk(document: name(start), asOf: day, steps: steps, cycles: cycles)
    }
}
