import Foundation
import InForceTestSupport
import Testing

@Suite("The registry lock")
struct RegistryLockTests {
    /// Takes the registry's lock in this process, as another writer would, until `release`.
    /// (`O_CLOEXEC`: the `inforce` processes the tests start must not inherit the hold.)
    final class Holder {
        let descriptor: Int32

        init(_ registry: URL) throws {
            try FileManager.default.createDirectory(at: registry, withIntermediateDirectories: true)
            descriptor = open(registry.appendingPathComponent(".lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            try #require(descriptor >= 0)
            try #require(flock(descriptor, LOCK_EX) == 0)
        }

        func release() { close(descriptor) }
    }

    @Test("a writer that cannot get the lock gives up with exit code 5, names the holder and writes nothing")
    func busy() throws {
        let folder = try TemporaryFolder()
        let registry = try folder.copyOfShippedRegistry()
        let holder = try Holder(registry)
        defer { holder.release() }
        let result = try InforceProcess.run(
            ["add", "--registry", registry.path, "--number", "国发〔2014〕40号", "--note", "blocked"],
            environment: ["INFORCE_LOCK_TIMEOUT": "0.3"])
        #expect(result.status == 5, "\(result.stderr)")
        // This process holds the lock and never wrote its pid into the file: the kernel names it.
        #expect(result.stderr.contains("busy: \(registry.path)/.lock is held by another writer, pid \(getpid()) ("), "\(result.stderr)")
        #expect(result.stderr.contains("gave up after waiting 0.3 s"), "\(result.stderr)")
        let text = try String(contentsOf: registry.appendingPathComponent("documents/国发/2014/40.toml"), encoding: .utf8)
        #expect(!text.contains("blocked"))
    }
}
