import Foundation
import InForce
import InForceRegistry
import InForceTestSupport
import Testing

@Suite("Files that cannot be read, and the documents they hold")
struct UnreadableFilesTests {
    static let number = try! DocumentNumber("财社〔2019〕1号")

    @Test("a broken file is the document's when the layout puts the document there, or a record of it was partly read from it")
    func mappedToTheDocument() throws {
        let folder = try TemporaryFolder()
        try folder.write("number = \"财社〔2019〕1号\"\ntitle = \"关于…的通知\n", to: "documents/财社/2019-1@某省财政厅.toml")
        // In quotes, a day that does not exist is a bad field of a record otherwise read (as a TOML
        // date it makes the file not TOML, and nothing of it is read).
        try folder.write("number = \"财社〔2019〕2号\"\ntitle = \"关于…的通知\"\nissued = \"2019-02-30\"\n", to: "documents/财社/misplaced.toml")
        try folder.write("number = \"财社〔2019〕3号\"\ntitle = \"关于…的通知\"\n", to: "documents/财社/2019-3.toml")
        for view in [try Registry(root: folder.url).open().unreadable, try Registry(root: folder.url).load().unreadable] {
            #expect(view.files == ["documents/财社/2019-1@某省财政厅.toml", "documents/财社/misplaced.toml"])
            #expect(view.problems(about: .number(Self.number)).map(\.line) == [2])
            #expect(view.problems(about: .number(try DocumentNumber("财社〔2019〕2号"))).map(\.field) == ["issued"])
            #expect(view.problems(about: .number(try DocumentNumber("财社〔2019〕3号"))).isEmpty)
            #expect(throws: RegistryError.self) { try view.requireReadable(.number(Self.number)) }
            try view.requireReadable(.number(try DocumentNumber("财社〔2019〕3号")))
        }
    }

    @Test("what lint only warns about loses nothing and is not a problem of reading")
    func warningsAreNotUnreadable() throws {
        let folder = try TemporaryFolder()
        try folder.write("number = \"国发〔2014〕40号\"\ntitle = \"国务院关于…的意见\"\n", to: "documents/国发/elsewhere.toml")
        let registry = Registry(root: folder.url)
        #expect(try registry.lint().contains { $0.severity == .warning })
        #expect(try registry.open().unreadable.isEmpty)
    }
}
