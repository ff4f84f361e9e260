import Foundation
import InForceTestSupport
import Testing

@Suite("inforce extract")
struct ExtractCommandTests {
    @Test("bad files are named with their problem and skipped; the good ones are still read")
    func badFiles() throws {
        let folder = try TemporaryFolder()
        try folder.write("", to: "pages/empty.txt")
        try Data([0x00, 0x01, 0xFF, 0x00]).write(to: folder.url.appendingPathComponent("pages/binary.html"))
        try Data([0x81, 0x30, 0xFF, 0xFE, 0x80, 0xFF, 0xFF, 0xA0, 0x0A]).write(to: folder.url.appendingPathComponent("pages/unknown.txt"))
        try folder.write("<html><head><title>x</title></head></html>", to: "pages/no-body.html")
        try folder.write("国务院关于进一步做好为农民工服务工作的意见\n国发〔2014〕40号\n各省、自治区、直辖市人民政府：\n根据《国务院关于", to: "pages/truncated.txt")
        let huge = folder.url.appendingPathComponent("pages/huge.html")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 100 << 20)
        try handle.close()

        let result = try InforceProcess.run(["extract", "--format", "json", folder.url.appendingPathComponent("pages").path])
        #expect(result.status == 3)
        let errors = result.stderr.split(separator: "\n").map(String.init)
        for (name, words) in [("empty.txt", "empty"), ("binary.html", "binary"), ("unknown.txt", "encoding"), ("no-body.html", "no text"), ("huge.html", "MB")] {
            #expect(errors.contains { $0.contains(name) && $0.contains(words) }, "\(name): \(result.stderr)")
        }
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["number"] as? String == "国发〔2014〕40号")
        #expect(object["title"] as? String == "国务院关于进一步做好为农民工服务工作的意见")
    }
}
