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

/// A step of a walk before its documents are described: one the registry holds, or one only cited.
private enum Reached {
    case recorded(Int32, Relation)
    case unrecorded(DocumentKey, title: String, Relation, from: Int32)
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
    ///
    /// First the shape (who is reached, from where, at what depth), from the graph alone; then
    /// each reached document's name, title and status — on every core when many are reached,
    /// issuer by issuer, so that the notices one issuer's documents share are read once.
    func walk<S: Sequence<(Int32, Relation)>>(
        from start: Int32, on day: Day, relations: Set<Relation>, memo: inout [Int32: StatusAnswer], unrecorded: Bool = false,
        next: (Int32) -> S
    ) -> GraphWalk {
        var parent: [Int32: Int32] = [:]
        var depth: [Int32: Int] = [start: 0]
        var queue: [Int32] = [start]
        var head = 0
        var reached: [Reached] = []
        var cycles: [[Int32]] = []
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
        // How many the first step reaches tells the graph how much the walk will ask of it.
        let fromStart = Array(next(start))
        graph.expectQuestions(fromStart.count)
        while head < queue.count {
            let node = queue[head]
            head += 1
            for (other, relation) in head == 1 ? fromStart : Array(next(node)) where relations.contains(relation) {
                if depth[other] != nil {
                    // An edge to a node already on this node's own path closes a cycle.
                    let route = path(to: node)
                    if let index = route.firstIndex(of: other) {
                        let cycle = Array(route[index...]) + [other]
                        if seenCycles.insert(cycle.dropLast().sorted()).inserted { cycles.append(cycle) }
                    }
                    continue
                }
                depth[other] = depth[node]! + 1
                parent[other] = node
                queue.append(other)
                reached.append(.recorded(other, relation))
            }
            guard unrecorded else { continue }
            // What it cites that the registry has no record of: said, not left out.
            var seen: Set<DocumentKey> = []
            for citation in record(node).citations where relations.contains(citation.relation) {
                guard let target = citation.target, self.node(target) == nil, seen.insert(target).inserted else { continue }
                reached.append(.unrecorded(target, title: citation.title ?? "", citation.relation, from: node))
            }
        }

        let described = describe(queue, on: day, memo: &memo)
        func name(_ node: Int32) -> String { described[node]?.name ?? record(node).key.description }
        let steps = reached.map { step -> GraphStep in
            switch step {
            case .recorded(let node, let relation):
                let about = described[node]!
                return GraphStep(
                    document: about.name, title: about.title, relation: relation, depth: depth[node]!, status: about.status,
                    path: path(to: node).map(name), recorded: true, node: node)
            case .unrecorded(let target, let title, let relation, let from):
                return GraphStep(
                    document: target.description, title: title, relation: relation, depth: depth[from]! + 1, status: .unknown,
                    path: path(to: from).map(name) + [target.description], recorded: false, node: -1)
            }
        }
        return GraphWalk(document: name(start), asOf: day, steps: steps, cycles: cycles.map { $0.map(name) })
    }

    /// The name, title and status of each node. Many nodes are shared out among the cores in
    /// their issuers' order (documents of one issuer share their cleanup notices).
    private func describe(_ nodes: [Int32], on day: Day, memo: inout [Int32: StatusAnswer]) -> [Int32: (name: String, title: String, status: Status)] {
        var described: [Int32: (name: String, title: String, status: Status)] = [:]
        described.reserveCapacity(nodes.count)
        guard nodes.count > 256 else {
            for node in nodes {
                let record = record(node)
                described[node] = (record.key.description, record.title, status(node, on: day, memo: &memo, record: record).status)
            }
            return described
        }
        let issuers = nodes.map { issuerName(of: $0) ?? "" }
        let order = nodes.indices.sorted { (issuers[$0], $0) < (issuers[$1], $1) }.map { nodes[$0] }
        let known = memo
        let parts = inParallel(order.count, chunks: 32) { range in
            var memo = known
            let run = forRun()
            return range.map { index -> (Int32, String, String, Status) in
                let node = order[index]
                let record = run.store.recordOnce(node)
                return (node, record.key.description, record.title, run.status(node, on: day, memo: &memo, record: record).status)
            }
        }
        // The answers are not kept in `memo`: a walk this big would hold every evidence quote.
        for part in parts {
            for (node, name, title, answer) in part { described[node] = (name, title, answer) }
        }
        return described
    }
}
