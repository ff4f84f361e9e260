import ArgumentParser
import Foundation
import InForceRegistry

/// `inforce watch`: keeps the derived store fresh from inotify events, so queries of the
/// registry need not `stat` every file; runs until SIGINT or SIGTERM.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Keep the registry's store fresh as files change, so every query answers without checking each file.",
        discussion: """
            Watches every folder of the registry (inotify), brings the store up to date, then applies each change \
            as it is made. A query that finds this watcher asks it to apply every change made before the query \
            began, and then answers from the store without a `stat` of each file; without a live watcher a query \
            checks every file, as always, so an answer is never stale. One line per change applied goes to \
            standard output. Stop it with Ctrl-C or SIGTERM (exit 0). Exit codes: 0 stopped by a signal; 4 no \
            registry; 5 another watcher already keeps this registry; 6 file-system error; 7 the system's limit \
            of inotify watches (fs.inotify.max_user_watches) is too low for the registry's folders.
            """
    )

    @OptionGroup var registry: RegistryOptions

    static let watchLimit = ExitStatus(code: 7, label: "watch limit")

    func run() throws {
        // First, before any other thread starts: the stop signals are blocked and waited for.
        let watcher = try RegistryWatcher(registry: registry.store)
        do {
            try watcher.start(Self.say)
            let signal = try watcher.run(Self.say)
            Self.say("Stopped (\(signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)")); queries of \(registry.registry) check every file again.")
        } catch let error as WatchLimitReached {
            FileHandle.standardError.write(Data("inforce: \(Self.watchLimit.label): \(error)\n".utf8))
            throw Self.watchLimit
        }
    }

    private static func say(_ event: RegistryWatcher.Event) {
        switch event {
        case .ready(let folders, let documents, let seconds):
            say("Watching \(folders) folders; the store holds \(documents) documents and is fresh (\(milliseconds(seconds)) ms).")
            say("Ready: queries of this registry now answer without checking every file. Stop with Ctrl-C.")
        case .applied(let changed, let removed, let seconds):
            say("Applied: \(changed) file\(changed == 1 ? "" : "s") read again, \(removed) removed (\(milliseconds(seconds)) ms).")
        case .overflowed:
            FileHandle.standardError.write(Data("inforce: watch: events were lost (the inotify queue overflowed); checking every file before the next answer\n".utf8))
        case .storeReplaced:
            FileHandle.standardError.write(Data("inforce: watch: the store file was removed or rebuilt; opening it again and checking every file\n".utf8))
        case .failed(let message):
            FileHandle.standardError.write(Data("inforce: watch: \(message); queries check every file until the store can be refreshed\n".utf8))
        }
    }

    /// A line on standard output at once, even into a pipe.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private static func milliseconds(_ seconds: Double) -> String {
        String(Int((seconds * 1000).rounded()))
    }
}
