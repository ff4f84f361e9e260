public import InForce

/// A citation graph laid out in layers and drawn as SVG, or written as DOT for Graphviz.
///
/// The layout: each document's layer is its longest citation distance from a document nothing
/// in the picture cites (citing documents above, what they rest on below); within a layer,
/// documents are ordered by the mean position of their neighbours in the layer above
/// (barycentre, two sweeps). Each document gets its own slot in a grid of fixed-size boxes, so
/// boxes never overlap.
public struct GraphPicture {
    public let graph: Subgraph
    /// Layer and slot of each node.
    let layer: [Int]
    let slot: [Int]

    static let boxWidth = 230
    static let boxHeight = 58
    static let gapX = 30
    static let gapY = 56
    static let margin = 20

    public init(_ graph: Subgraph) {
        self.graph = graph
        let count = graph.nodes.count
        var layer = [Int](repeating: 0, count: count)
        // Longest path from the citing side, with a cap so cycles cannot loop.
        for _ in 0..<max(1, count) {
            var changed = false
            for edge in graph.edges where layer[edge.to] < layer[edge.from] + 1 && layer[edge.from] + 1 < count {
                layer[edge.to] = layer[edge.from] + 1
                changed = true
            }
            if !changed { break }
        }
        var slot = [Int](repeating: 0, count: count)
        let layers = (layer.max() ?? 0) + 1
        var members: [[Int]] = Array(repeating: [], count: layers)
        for node in 0..<count { members[layer[node]].append(node) }
        for (index, nodes) in members.enumerated() { for (position, node) in nodes.enumerated() { slot[node] = position }; _ = index }
        for _ in 0..<2 {
            for level in 1..<max(1, layers) {
                let order = members[level].map { node -> (Double, Int) in
                    let above = graph.edges.filter { $0.to == node && layer[$0.from] < level }.map { Double(slot[$0.from]) }
                    return (above.isEmpty ? Double(slot[node]) : above.reduce(0, +) / Double(above.count), node)
                }.sorted { $0 < $1 }
                members[level] = order.map(\.1)
                for (position, node) in members[level].enumerated() { slot[node] = position }
            }
        }
        self.layer = layer
        self.slot = slot
    }

    static func colour(_ status: Status) -> (fill: String, stroke: String) {
        switch status {
        case .inForce: ("#e6f4ea", "#2e7d32")
        case .notIssued, .notYetInForce: ("#e3f2fd", "#1565c0")
        case .partiallyInvalid: ("#fff8e1", "#f9a825")
        case .expired: ("#fff3e0", "#ef6c00")
        case .repealed: ("#ffebee", "#c62828")
        case .invalidated: ("#f3e5f5", "#6a1b9a")
        case .unknown: ("#f5f5f5", "#757575")
        }
    }

    static func dash(_ relation: Relation) -> (dash: String, colour: String) {
        switch relation {
        case .basis: ("", "#37474f")
        case .implements: ("6,3", "#37474f")
        case .reference: ("2,3", "#90a4ae")
        case .repeals: ("", "#c62828")
        case .amends: ("6,3", "#1565c0")
        case .reviews: ("2,3", "#6a1b9a")
        }
    }

    /// A self-contained SVG: no fonts or scripts from outside, every text escaped.
    public func svg() -> String {
        let columns = (slot.max() ?? 0) + 1
        let rows = (layer.max() ?? 0) + 1
        let width = GraphPicture.margin * 2 + columns * GraphPicture.boxWidth + (columns - 1) * GraphPicture.gapX
        let height = GraphPicture.margin * 2 + rows * GraphPicture.boxHeight + (rows - 1) * GraphPicture.gapY + 24
        func origin(_ node: Int) -> (x: Int, y: Int) {
            (GraphPicture.margin + slot[node] * (GraphPicture.boxWidth + GraphPicture.gapX),
             GraphPicture.margin + layer[node] * (GraphPicture.boxHeight + GraphPicture.gapY))
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#607d8b\"/></marker></defs>\n"
        for edge in graph.edges {
            let from = origin(edge.from)
            let to = origin(edge.to)
            let style = GraphPicture.dash(edge.relation)
            let x1 = from.x + GraphPicture.boxWidth / 2
            let y1 = from.y + (layer[edge.to] > layer[edge.from] ? GraphPicture.boxHeight : 0)
            let x2 = to.x + GraphPicture.boxWidth / 2
            let y2 = to.y + (layer[edge.to] > layer[edge.from] ? 0 : GraphPicture.boxHeight)
            out += "<line x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke=\"\(style.colour)\" stroke-width=\"1.5\""
            if !style.dash.isEmpty { out += " stroke-dasharray=\"\(style.dash)\"" }
            out += " marker-end=\"url(#arrow)\"><title>\(Escape.html(edge.relation.rawValue))</title></line>\n"
            out += "<text x=\"\((x1 + x2) / 2 + 4)\" y=\"\((y1 + y2) / 2)\" fill=\"\(style.colour)\" font-size=\"10\">\(Escape.html(edge.relation.rawValue))</text>\n"
        }
        for (index, node) in graph.nodes.enumerated() {
            let (x, y) = origin(index)
            let colour = GraphPicture.colour(node.status)
            out += "<g><title>\(Escape.html(node.key + " " + node.title))</title>"
            out += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(GraphPicture.boxWidth)\" height=\"\(GraphPicture.boxHeight)\" rx=\"6\" fill=\"\(colour.fill)\" stroke=\"\(colour.stroke)\" stroke-width=\"\(node.flagged ? 3 : 1.5)\"/>"
            out += "<text x=\"\(x + 8)\" y=\"\(y + 18)\" font-weight=\"bold\">\(Escape.html(GraphPicture.clip(node.key, 24)))</text>"
            out += "<text x=\"\(x + 8)\" y=\"\(y + 34)\">\(Escape.html(GraphPicture.clip(node.title, 16)))</text>"
            out += "<text x=\"\(x + 8)\" y=\"\(y + 50)\" fill=\"\(colour.stroke)\">\(Escape.html(node.status.chinese))</text></g>\n"
        }
        let legend = "框色: 现行有效 绿, 尚未生效 蓝, 失效 橙, 已废止 红, 宣布失效 紫, 不明 灰; 线: basis 实线, implements/amends 虚线, reference 点线, repeals 红线"
        out += "<text x=\"\(GraphPicture.margin)\" y=\"\(height - 8)\" font-size=\"10\" fill=\"#555\">\(Escape.html(legend))</text>\n"
        return out + "</svg>\n"
    }

    /// The graph as DOT for Graphviz: `dot -Tsvg`.
    public func dot() -> String {
        var out = "digraph citations {\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"sans-serif\"];\n"
        for (index, node) in graph.nodes.enumerated() {
            let colour = GraphPicture.colour(node.status)
            out += "  n\(index) [label=\"\(Escape.dot(node.key))\\n\(Escape.dot(GraphPicture.clip(node.title, 20)))\\n\(Escape.dot(node.status.chinese))\", fillcolor=\"\(colour.fill)\", color=\"\(colour.stroke)\"\(node.flagged ? ", penwidth=3" : "")];\n"
        }
        for edge in graph.edges {
            let style = GraphPicture.dash(edge.relation)
            let line = edge.relation == .basis || edge.relation == .repeals ? "solid" : (edge.relation == .reference || edge.relation == .reviews ? "dotted" : "dashed")
            out += "  n\(edge.from) -> n\(edge.to) [label=\"\(edge.relation.rawValue)\", style=\(line), color=\"\(style.colour)\"];\n"
        }
        return out + "}\n"
    }

    static func clip(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
