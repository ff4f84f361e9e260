/// The validity graph as bytes, for a cache file beside the derived store: written once a big
/// question has built the graph from the store's tables (about a second at 100,000 documents),
/// read back by the next big question in milliseconds. Never the truth: the bytes carry a
/// checksum, and every index in them is checked against the arrays it points into, so a damaged
/// file is refused (and the graph built again), never trusted and never a crash.
public enum GraphSnapshot {
    public struct Damaged: Error, Sendable {
        public let reason: String
    }

    /// The first bytes of a snapshot, with its format's version in the last byte.
    static let magic: [UInt8] = Array("INFORCE-GRAPH-v1".utf8)

    /// The bytes of `graph`, with `extra` (the caller's own arrays, such as store ids) after it.
    public static func bytes(of graph: ValidityGraph, extra: [Int32]) -> [UInt8] {
        var out = Output()
        out.int(graph.nodeCount)
        out.bytes(graph.keyBytes)
        out.int32s(graph.keyStart)
        out.int32s(graph.keyNode)
        out.int32s(graph.citedStart)
        out.int32s(graph.cited)
        out.relations(graph.citedRelation)
        out.int32s(graph.citingStart)
        out.int32s(graph.citing)
        out.relations(graph.citingRelation)
        out.int32s(graph.listedStart)
        out.int32s(graph.listedNotice)
        out.int32s(graph.listedEntry)
        out.lists(graph.closedByIssuer)
        out.lists(graph.scopedByIssuer)
        out.bytes(graph.unresolvedBytes)
        out.int32s(graph.unresolvedStart)
        out.int32s(graph.unresolvedCiter)
        out.strings(graph.issuerNameList)
        out.int32s(graph.issuerOfNode)
        out.int32s(graph.region)
        out.int32s(extra)
        return magic + Output.word(UInt64(out.buffer.count)) + Output.word(out.buffer.withUnsafeBytes { checksum($0) }) + out.buffer
    }

    /// The graph and the extra arrays read back; `regionCount` is the number of rows of the
    /// region table the graph's regions point into.
    public static func graph(from bytes: UnsafeRawBufferPointer, regionCount: Int) throws(Damaged) -> (ValidityGraph, extra: [Int32]) {
        let header = magic.count + 16
        guard bytes.count >= header, bytes.prefix(magic.count).elementsEqual(magic) else { throw Damaged(reason: "it is not a graph snapshot of this version") }
        let length = bytes.loadUnaligned(fromByteOffset: magic.count, as: UInt64.self).littleEndian
        let sum = bytes.loadUnaligned(fromByteOffset: magic.count + 8, as: UInt64.self).littleEndian
        guard length == UInt64(bytes.count - header) else { throw Damaged(reason: "it is cut short or too long") }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[header...])
        guard checksum(payload) == sum else { throw Damaged(reason: "its checksum does not match") }
        var input = Input(data: payload)
        var graph = ValidityGraph(inputs: [], issuers: IssuerTable([]), regions: RegionTable([]))
        graph.nodeCount = try input.int()
        graph.keyBytes = try input.bytes()
        graph.keyStart = try input.int32s()
        graph.keyNode = try input.int32s()
        graph.citedStart = try input.int32s()
        graph.cited = try input.int32s()
        graph.citedRelation = try input.relations()
        graph.citingStart = try input.int32s()
        graph.citing = try input.int32s()
        graph.citingRelation = try input.relations()
        graph.listedStart = try input.int32s()
        graph.listedNotice = try input.int32s()
        graph.listedEntry = try input.int32s()
        graph.closedByIssuer = try input.lists()
        graph.scopedByIssuer = try input.lists()
        graph.unresolvedBytes = try input.bytes()
        graph.unresolvedStart = try input.int32s()
        graph.unresolvedCiter = try input.int32s()
        graph.issuerNameList = try input.strings()
        graph.issuerOfNode = try input.int32s()
        graph.region = try input.int32s()
        let extra = try input.int32s()
        guard input.atEnd else { throw Damaged(reason: "bytes are left after the graph") }
        try check(graph, regionCount: regionCount)
        return (graph, extra)
    }

    /// Every index within what it indexes, every row table rising from 0 to its end.
    static func check(_ graph: ValidityGraph, regionCount: Int) throws(Damaged) {
        let nodes = graph.nodeCount
        guard nodes >= 0, nodes < Int(Int32.max) else { throw Damaged(reason: "its node count is out of range") }
        func rows(_ start: [Int32], count: Int, over length: Int, _ what: String) throws(Damaged) {
            guard start.count == count + 1, start.first == 0, Int(start.last!) == length else { throw Damaged(reason: "the \(what) rows do not add up") }
            for index in 1..<start.count where start[index] < start[index - 1] { throw Damaged(reason: "the \(what) rows go backwards") }
        }
        func nodesIn(_ values: [Int32], _ what: String) throws(Damaged) {
            for value in values where value < 0 || Int(value) >= nodes { throw Damaged(reason: "\(what) names node \(value) of \(nodes)") }
        }
        try rows(graph.keyStart, count: graph.keyNode.count, over: graph.keyBytes.count, "key")
        try nodesIn(graph.keyNode, "a key")
        try rows(graph.citedStart, count: nodes, over: graph.cited.count, "citation")
        try nodesIn(graph.cited, "a citation")
        try rows(graph.citingStart, count: nodes, over: graph.citing.count, "citer")
        try nodesIn(graph.citing, "a citer")
        guard graph.citedRelation.count == graph.cited.count, graph.citingRelation.count == graph.citing.count else {
            throw Damaged(reason: "the relations and the citations differ in number")
        }
        try rows(graph.listedStart, count: nodes, over: graph.listedNotice.count, "listing")
        try nodesIn(graph.listedNotice, "a listing")
        guard graph.listedEntry.count == graph.listedNotice.count, graph.listedEntry.allSatisfy({ $0 >= 0 }) else {
            throw Damaged(reason: "the listings' entries are out of range")
        }
        for list in graph.closedByIssuer.values { try nodesIn(list, "a closed list") }
        for list in graph.scopedByIssuer.values { try nodesIn(list, "a cleanup's scope") }
        try rows(graph.unresolvedStart, count: graph.unresolvedCiter.count, over: graph.unresolvedBytes.count, "unresolved key")
        try nodesIn(graph.unresolvedCiter, "an unresolved citation")
        guard graph.issuerOfNode.count == nodes, graph.region.count == nodes else { throw Damaged(reason: "the issuer or region column has the wrong length") }
        for issuer in graph.issuerOfNode where issuer < -1 || Int(issuer) >= graph.issuerNameList.count {
            throw Damaged(reason: "a document names issuer \(issuer) of \(graph.issuerNameList.count)")
        }
        for row in graph.region where row < -1 || Int(row) >= regionCount { throw Damaged(reason: "a document names region row \(row) of \(regionCount)") }
    }

    /// FNV-1a over 64-bit words (and the bytes left over): enough to tell a damaged file.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        let words = bytes.count / 8
        for index in 0..<words {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self).littleEndian) &* 0x0000_0100_0000_01B3
        }
        var word: UInt64 = 0
        for (shift, byte) in bytes[(words * 8)...].enumerated() { word |= UInt64(byte) << (8 * UInt64(shift)) }
        return (hash ^ word ^ UInt64(bytes.count % 8)) &* 0x0000_0100_0000_01B3
    }

    private struct Output {
        var buffer: [UInt8] = []

        static func word(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

        mutating func int(_ value: Int) { buffer += Self.word(UInt64(bitPattern: Int64(value))) }

        mutating func bytes(_ values: [UInt8]) {
            int(values.count)
            buffer += values
        }

        mutating func int32s(_ values: [Int32]) {
            int(values.count)
            for value in values { withUnsafeBytes(of: value.littleEndian) { buffer += $0 } }
        }

        mutating func relations(_ values: [Relation]) {
            let all = Array(Relation.allCases)
            bytes(values.map { UInt8(all.firstIndex(of: $0)!) })
        }

        mutating func strings(_ values: [String]) {
            int(values.count)
            for value in values { bytes(Array(value.utf8)) }
        }

        /// Sorted by name, so the same graph gives the same bytes.
        mutating func lists(_ values: [String: [Int32]]) {
            int(values.count)
            for name in values.keys.sorted() {
                bytes(Array(name.utf8))
                int32s(values[name]!)
            }
        }
    }

    private struct Input {
        let data: UnsafeRawBufferPointer
        var offset = 0

        var atEnd: Bool { offset == data.count }

        mutating func int() throws(Damaged) -> Int {
            guard data.count - offset >= 8 else { throw Damaged(reason: "it ends early") }
            defer { offset += 8 }
            return Int(Int64(bitPattern: data.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian))
        }

        /// A count of items of `size` bytes that fit in what is left.
        mutating func count(of size: Int) throws(Damaged) -> Int {
            let count = try int()
            guard count >= 0, count <= (data.count - offset) / size else { throw Damaged(reason: "a count runs past the end") }
            return count
        }

        mutating func bytes() throws(Damaged) -> [UInt8] {
            let count = try count(of: 1)
            defer { offset += count }
            return Array(data[offset..<(offset + count)])
        }

        mutating func int32s() throws(Damaged) -> [Int32] {
            let count = try count(of: 4)
            defer { offset += 4 * count }
            let start = offset
            return [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count {
                    buffer[index] = Int32(littleEndian: data.loadUnaligned(fromByteOffset: start + 4 * index, as: Int32.self))
                }
                initialized = count
            }
        }

        mutating func relations() throws(Damaged) -> [Relation] {
            let all = Array(Relation.allCases)
            var relations: [Relation] = []
            for code in try bytes() {
                guard Int(code) < all.count else { throw Damaged(reason: "a relation has code \(code)") }
                relations.append(all[Int(code)])
            }
            return relations
        }

        mutating func string() throws(Damaged) -> String {
            guard let text = String(validating: try bytes(), as: UTF8.self) else { throw Damaged(reason: "a name is not UTF-8") }
            return text
        }

        mutating func strings() throws(Damaged) -> [String] {
            let count = try count(of: 8)
            var strings: [String] = []
            strings.reserveCapacity(count)
            for _ in 0..<count { strings.append(try string()) }
            return strings
        }

        mutating func lists() throws(Damaged) -> [String: [Int32]] {
            let count = try count(of: 16)
            var lists: [String: [Int32]] = [:]
            for _ in 0..<count {
                let name = try string()
                lists[name] = try int32s()
            }
            return lists
        }
    }
}
