import Foundation
@testable import InForce
@testable import InForceRegistry
import InForceTestSupport
import Testing

/// The graph read whole from the store is kept in `.inforce-cache/graph.bin` for the next big
/// question: read back only when it was written from the store's present state and is intact.
@Suite("The graph file")
struct GraphFileTests {
    static let day = try! Day(year: 2023, month: 6, day: 1)

    /// A generated registry with its store built, and the store's tables.
    func generated(_ folder: TemporaryFolder, documents: Int = 1_500) throws -> (root: URL, tables: (issuers: IssuerTable, regions: RegionTable)) {
        let root = folder.url.appendingPathComponent("generated")
        var generator = SyntheticRegistry(documents: documents, seed: 11)
        _ = try Registry(root: root).writeNew(issuers: generator.issuers, regions: generator.regions) { sink in
            try generator.generate(documents) { try sink($0) }
        }
        let registry = Registry(root: root)
        _ = try registry.load()
        let store = try #require(DerivedStore.open(root))
        let tables = try #require(try registry.storedTables(store.database))
        return (root, tables)
    }

    func view(_ root: URL, _ tables: (issuers: IssuerTable, regions: RegionTable), file: Bool = true) throws -> StoreGraph {
        let database = try SQLiteDatabase(path: root.appendingPathComponent(".inforce-cache/store.sqlite").path)
        return try StoreGraph(database, issuers: tables.issuers, regions: tables.regions, graphFile: file ? DerivedStore.graphURL(root) : nil, loadingAfter: 0)
    }

    /// Every list the walk and the statuses use, for every node: what a graph answers.
    func answers(_ graph: StoreGraph) -> [String] {
        graph.allNodes().map { node in
            "\(graph.citations(of: node).map { "\($0.0)\($0.1)" }) \(graph.citers(of: node).map { "\($0.0)\($0.1)" }) "
                + "\(graph.listings(of: node).map { "\($0.notice):\($0.entry)" }) \(graph.issuerName(of: node) ?? "-") \(graph.regionRow(of: node) ?? -1)"
        }
    }

    func inode(_ url: URL) -> UInt64? {
        var info = stat()
        return stat(url.path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    /// Planted once (2026-12-04): the generation left out of the comparison (a stale file read
    /// back) failed the stale case; the checksum left unchecked failed the flipped byte.
    @Test("it is written by the first big question, read back by the next, and read past when stale, damaged or cut short")
    func keptAndChecked() throws {
        let folder = try TemporaryFolder()
        let (root, tables) = try generated(folder)
        let file = DerivedStore.graphURL(root)
        let expected = answers(try view(root, tables, file: false))
        #expect(!FileManager.default.fileExists(atPath: file.path))

        // Written by the first.
        let first = try view(root, tables)
        #expect(answers(first) == expected)
        #expect(!first.failed)
        let written = try Data(contentsOf: file)
        let writtenInode = try #require(inode(file))

        // Read back, not written again, by the next.
        #expect(answers(try view(root, tables)) == expected)
        #expect(inode(file) == writtenInode, "the file was written again instead of read back")

        // Damaged or cut short: read past, the same answers, and written again whole.
        var damaged = written
        damaged[damaged.count / 2] ^= 0x5A
        for (what, bytes) in [("a flipped byte", damaged), ("cut short", written.prefix(written.count - 7)), ("empty", Data())] {
            try bytes.write(to: file)
            let before = inode(file)
            let graph = try view(root, tables)
            #expect(answers(graph) == expected, "\(what): the answers")
            #expect(!graph.failed, "\(what)")
            let again = try Data(contentsOf: file)
            #expect(inode(file) != before && again == written, "\(what): written again whole")
        }

        // The store changed since (another generation): read past and written again for it.
        let database = try SQLiteDatabase(path: root.appendingPathComponent(".inforce-cache/store.sqlite").path)
        try database.execute("UPDATE meta SET value = value + 1 WHERE name = 'generation'")
        let before = inode(file)
        #expect(answers(try view(root, tables)) == expected)
        #expect(inode(file) != before, "a stale graph file was read back")
        let rewritten = try Data(contentsOf: file)
        #expect(rewritten.prefix(8) != written.prefix(8) && rewritten.dropFirst(8) == written.dropFirst(8))
    }

    @Test("a refresh that changes the store numbers a new generation")
    func refreshMovesTheGeneration() throws {
        let folder = try TemporaryFolder()
        let (root, _) = try generated(folder, documents: 200)
        func generation() throws -> Int64 {
            let database = try SQLiteDatabase(path: root.appendingPathComponent(".inforce-cache/store.sqlite").path)
            let row = try database.prepare("SELECT value FROM meta WHERE name = 'generation'")
            _ = try row.step()
            return row.int64(0)
        }
        let before = try generation()
        _ = try Registry(root: root).load()
        #expect(try generation() == before, "nothing changed, yet the generation moved")
        let file = try #require(FileManager.default.enumerator(at: root.appendingPathComponent("documents"), includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.first { $0.pathExtension == "toml" })
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "title = \"", with: "title = \"改").write(to: file, atomically: true, encoding: .utf8)
        _ = try Registry(root: root).load()
        #expect(try generation() != before)
    }

    @Test("a snapshot reads back the graph it was made of; any index out of range is refused, never a crash")
    func snapshotChecks() throws {
        var generator = SyntheticRegistry(documents: 400, seed: 3)
        let records = generator.records(400)
        let graph = ValidityGraph(records: records, issuers: generator.issuers, regions: generator.regions)
        let ids = (0..<Int32(graph.nodeCount)).map { $0 * 2 + 1 }
        let bytes = GraphSnapshot.bytes(of: graph, extra: ids)
        let read = try bytes.withUnsafeBytes { try GraphSnapshot.graph(from: $0, regionCount: generator.regions.regions.count) }
        #expect(read.0 == graph && read.extra == ids)

        // Bytes whose checksum is right but whose indexes are not: each refused by the checks.
        var outOfRange: [(String, ValidityGraph)] = []
        var bad = graph
        bad.cited[0] = Int32(graph.nodeCount)
        outOfRange.append(("a citation", bad))
        bad = graph
        bad.citingStart[1] = Int32(graph.citing.count + 1)
        outOfRange.append(("the citer rows", bad))
        bad = graph
        bad.listedEntry[0] = -1
        outOfRange.append(("a listing's entry", bad))
        bad = graph
        bad.region[0] = Int32(generator.regions.regions.count)
        outOfRange.append(("a region row", bad))
        bad = graph
        bad.issuerOfNode[0] = Int32(graph.issuerNameList.count)
        outOfRange.append(("an issuer", bad))
        bad = graph
        bad.keyStart[bad.keyStart.count - 1] += 1
        outOfRange.append(("the key rows", bad))
        for (what, graph) in outOfRange {
            let bytes = GraphSnapshot.bytes(of: graph, extra: ids)
            #expect(throws: GraphSnapshot.Damaged.self, "\(what)") {
                try bytes.withUnsafeBytes { try GraphSnapshot.graph(from: $0, regionCount: generator.regions.regions.count) }
            }
        }
        // Every cut and a flipped byte at many places: refused.
        var random = SeededRandom(seed: 9)
        for _ in 0..<300 {
            var damaged = bytes
            if random.next(2) == 0 {
                damaged.removeLast(1 + random.next(damaged.count - 1))
            } else {
                damaged[random.next(damaged.count)] ^= UInt8(1 + random.next(255))
            }
            #expect(throws: GraphSnapshot.Damaged.self) {
                try damaged.withUnsafeBytes { try GraphSnapshot.graph(from: $0, regionCount: generator.regions.regions.count) }
            }
        }
    }
}
