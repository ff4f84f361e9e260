import ArgumentParser
import Foundation
import InForce
import InForceRegistry

/// `inforce generate`: a synthetic registry with the real shape, to try InForce at scale.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic registry (issuers, regions, documents, cleanup notices) with the real shape, deterministic from the seed."
    )

    @Option(help: "How many documents.") var documents: Int = 10_000
    @Option(help: "Seed; the same seed writes the same registry.") var seed: UInt64 = 1
    @Argument(help: "An empty folder for the new registry.") var folder: String

    func validate() throws {
        guard (1...5_000_000).contains(documents) else { throw ValidationError("--documents must be between 1 and 5,000,000") }
    }

    func run() throws {
        var generator = SyntheticRegistry(documents: documents, seed: seed)
        let registry = Registry(root: URL(fileURLWithPath: folder))
        let progress = Progress(total: documents, enabled: documents >= 10_000)
        let written = try registry.writeNew(issuers: generator.issuers, regions: generator.regions) { sink in
            var count = 0
            try generator.generate(documents) { record in
                try sink(record)
                count += 1
                if count % 5_000 == 0 { progress.show(count, "documents") }
            }
        }
        progress.finish(written)
        print("wrote \(written) documents, \(generator.issuers.issuers.count) issuers and \(generator.regions.regions.count) regions to \(folder)")
    }
}
