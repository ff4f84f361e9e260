import Foundation
public import InForce

extension Registry {
    /// Writes a new registry in one pass: the tables, then every record the producer hands over.
    /// For generated or imported bodies of documents; refuses a folder that already holds
    /// documents. Files are written whole (temporary file and rename) but not flushed one by one.
    public func writeNew(
        issuers: IssuerTable, regions: RegionTable, records produce: ((DocumentRecord) throws -> Void) throws -> Void
    ) throws -> Int {
        let documents = root.appendingPathComponent(RegistryLayout.documentsFolder)
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: documents.path), !existing.isEmpty {
            throw RegistryError(.invalidInput, "\(root.path) already holds documents; generate into an empty folder")
        }
        try writeTables(issuers: issuers, regions: regions)
        var count = 0
        var folders: Set<String> = []
        try produce { record in
            var path = RegistryLayout.path(for: record.key)
            var url = try fileURL(path)
            if FileManager.default.fileExists(atPath: url.path), let issuer = record.issuer {
                path = RegistryLayout.path(for: record.key, issuerSuffix: issuer)
                url = try fileURL(path)
            }
            let folder = url.deletingLastPathComponent()
            if folders.insert(folder.path).inserted {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            try Data(RecordFile.encode(record).utf8).write(to: url, options: .atomic)
            count += 1
        }
        return count
    }
}
