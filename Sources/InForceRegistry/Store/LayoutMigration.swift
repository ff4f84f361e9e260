import Foundation
public import InForce

/// One file moved (or to be moved) to where the layout puts its record.
public struct LayoutMove: Sendable, Encodable, Equatable {
    public let from: String
    public let to: String
    /// Set when the file was left where it is: the place is taken, or the move failed.
    public let problem: String?
}

/// What `migrateLayout` did.
public struct LayoutMigration: Sendable, Encodable {
    public let moves: [LayoutMove]
    /// Files that could not be read as records, so were not moved (`inforce lint` names the problems).
    public let unread: [String]
}

extension Registry {
    /// Moves every record file to where its number or title puts it (`RegistryLayout`): what a
    /// registry kept in the earlier layout (a folder per 代字 and year) needs once. Each move is
    /// a rename, under the registry's lock; a place already taken is left alone and said;
    /// folders emptied by the moves are removed. With `dryRun`, says what it would do.
    public func migrateLayout(dryRun: Bool = false) throws -> LayoutMigration {
        try whileLocked { () throws -> LayoutMigration in
            let snapshot = try load()
            var moves: [LayoutMove] = []
            var taken = Set(snapshot.records.map(\.path))
            var emptied: Set<String> = []
            for stored in snapshot.records {
                let name = Self.fileName(of: stored.path)
                let suffix = name.firstIndex(of: "@").map { String(name[name.index(after: $0)...].dropLast(RegistryLayout.recordExtension.count)) }
                let target = RegistryLayout.path(for: stored.record.key, issuerSuffix: suffix)
                guard stored.path != target else { continue }
                if taken.contains(target) || FileManager.default.fileExists(atPath: root.appendingPathComponent(target).path) {
                    moves.append(LayoutMove(from: stored.path, to: target, problem: "\(target) already holds a file; this one is left where it is"))
                    continue
                }
                if !dryRun {
                    do {
                        let destination = try fileURL(target)
                        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                        guard rename(try fileURL(stored.path).path, destination.path) == 0 else {
                            throw RegistryError(.io, String(cString: strerror(errno)))
                        }
                    } catch {
                        moves.append(LayoutMove(from: stored.path, to: target, problem: "not moved: \(error)"))
                        continue
                    }
                    emptied.insert(String(stored.path[..<(stored.path.lastIndex(of: "/") ?? stored.path.startIndex)]))
                }
                taken.remove(stored.path)
                taken.insert(target)
                moves.append(LayoutMove(from: stored.path, to: target, problem: nil))
            }
            // Folders left empty, deepest first; never `documents/` itself.
            for folder in emptied.sorted(by: { $0.count > $1.count }) {
                var current = folder
                while current.hasPrefix(RegistryLayout.documentsFolder + "/"),
                      let url = try? fileURL(current),
                      (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.isEmpty == true
                {
                    try? FileManager.default.removeItem(at: url)
                    current = String(current[..<(current.lastIndex(of: "/") ?? current.startIndex)])
                }
            }
            let read = Set(snapshot.records.map(\.path))
            let unread = Set(snapshot.problems.map(\.origin)).filter {
                !read.contains($0) && $0.hasPrefix(RegistryLayout.documentsFolder + "/")
            }
            return LayoutMigration(moves: moves, unread: unread.sorted())
        }
    }
}
