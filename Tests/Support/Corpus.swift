public import Foundation

/// The real government texts and answer keys in `../shared/corpus`, beside the checkout.
///
/// Tests that read them are enabled with `.enabled(if: Corpus.isEnabled)`:
/// where the folder is missing they skip with that reason, unless `INFORCE_REQUIRE_CORPUS=1`
/// (set by `.ci/run`), in which case they run and fail on the missing folder.
public enum Corpus {
    /// The package root, found from this file's path.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["INFORCE_CORPUS"] {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }()

    public static var exists: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("truth").path)
    }

    public static var isRequired: Bool { ProcessInfo.processInfo.environment["INFORCE_REQUIRE_CORPUS"] == "1" }

    /// Run corpus tests when the corpus is there, or when CI requires it (so they fail loudly).
    public static var isEnabled: Bool {
        if !exists && !isRequired {
            print("note: skipping corpus tests: \(root.path) is missing (set INFORCE_REQUIRE_CORPUS=1 to fail instead)")
        }
        return exists || isRequired
    }

    /// Answer keys, `truth/NN-slug.json`, decoded as plain JSON objects.
    public static func answerKeys() throws -> [(name: String, key: [String: Any])] {
        let folder = root.appendingPathComponent("truth")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: name])
            }
            return (name, object)
        }
    }

    /// The text of a raw file named by an answer key's `file` field (`raw/NN-slug.txt`).
    public static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }
}

/// The national and provincial law texts in `../shared/lawrefbook`, beside the corpus. Tests read
/// a few of them by name (never the whole folder), enabled as the corpus tests are.
public enum LawRefBook {
    public static let root: URL = Corpus.root.deletingLastPathComponent().appendingPathComponent("lawrefbook")

    /// The text of `path` inside the folder (`宪法相关法/立法法(2015-03-15).md`).
    public static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }
}

