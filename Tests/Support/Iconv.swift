public import Foundation

/// Converts text with the system's iconv, as a person preparing a test page would.
public enum Iconv {
    /// `text` in `encoding`; with `dropUnconvertible`, characters the encoding lacks are left out.
    public static func convert(_ data: Data, from: String = "UTF-8", to: String, dropUnconvertible: Bool = false) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = (dropUnconvertible ? ["-c"] : []) + ["-f", from, "-t", to]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let writer = Thread { input.fileHandleForWriting.write(data); try? input.fileHandleForWriting.close() }
        writer.start()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return result
    }
}
