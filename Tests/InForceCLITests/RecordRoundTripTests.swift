import Foundation
import InForce
import InForceRegistry
import InForceTestSupport
import Testing

/// A record with every field filled travels file → derived store → `show --format json` → file,
/// and comes back equal at each step: a field that any of the formats forgets fails it by name.
///
/// The record is not written out by hand. `FillingDecoder` asks the record's own JSON reading
/// (`Decodable`, synthesized from the properties) for a value of every field, each different, and
/// a walk by reflection (`Mirror`) over the result then checks that no field anywhere in it was
/// left empty, so a field added later is filled too, or named as the one that cannot be.
///
/// Checked by planting the bug, each restored after: with `toml.set("note", record.note)` removed
/// from `RecordFile.encode`, both runs failed at file → store with `record.note: written
/// Optional("「note」 …"), read back nil`, and then at the JSON (`record.note is null in the JSON`);
/// with `try container.encode(byTitle, forKey: .byTitle)` removed from `Fact.encode`, both failed
/// with `record.facts[0].byTitle is missing from the JSON` (and [1]), the read-back record differing
/// there, and the file written again differing from the first; with
/// `try coder.field(&version.decision)` removed from `RecordSnapshot.fields` (the binary form's one
/// description, which the store's writer and reader both walk), both failed at file → store with
/// `record.versions[0].decision: written Optional("「versions.0.decision」 …"), read back nil`.
@Suite("Record round trip")
struct RecordRoundTripTests {
    /// Each Bool once true and once false: `effectiveStated` is written only when false, and
    /// `planned` only when true.
    @Test("a record with every field filled survives file, store, JSON and file again", arguments: [false, true])
    func everyFieldSurvives(flags: Bool) throws {
        let filled = try FillingDecoder.record(flags: flags)
        let empty = RecordMirror.unfilled(filled, path: "record")
        #expect(empty.isEmpty, "fields the test could not fill: \(empty.joined(separator: ", ")) — the JSON reading (RecordJSON.swift, Decodable) never sets them, or FillingDecoder cannot make their type")
        guard empty.isEmpty else { return }

        // File: the TOML writer, into a registry folder where the layout puts it.
        let folder = try TemporaryFolder()
        let root = folder.url.appendingPathComponent("registry")
        let path = RegistryLayout.path(for: filled.key)
        let text = RecordFile.encode(filled)
        try folder.write(text, to: "registry/" + path)

        // Store: opened through the derived store, the record read back from its row.
        let view = try Registry(root: root).open()
        #expect(view.problems.isEmpty, "\(view.problems)")
        #expect(!(view.index.store is RecordArray), "the record must come from the derived store, not the files")
        let node = try #require(view.index.node(filled.key))
        let stored = view.index.record(node)
        #expect(!view.storeFailed, "the store's row did not decode")
        let storeDifferences = RecordMirror.differences(filled, stored, path: "record")
        #expect(storeDifferences.isEmpty, "file → store: \(storeDifferences.joined(separator: "; "))")
        #expect(stored == filled)

        // JSON: what `inforce show --format json` prints, every field present, and read back.
        let shown = try InforceProcess.run(["show", "--format", "json", "--registry", root.path, filled.key.description])
        #expect(shown.status == 0, "\(shown.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let missing = RecordMirror.missingFromJSON(filled, object["record"] as Any, path: "record")
        #expect(missing.isEmpty, "\(missing.joined(separator: "; "))")
        struct Shown: Decodable { let record: DocumentRecord }
        let read = try JSONDecoder().decode(Shown.self, from: Data(shown.stdout.utf8)).record
        let jsonDifferences = RecordMirror.differences(filled, read, path: "record")
        #expect(jsonDifferences.isEmpty, "store → JSON: \(jsonDifferences.joined(separator: "; "))")
        #expect(read == filled)

        // File again: the same bytes.
        #expect(RecordFile.encode(read) == text)
    }
}

/// Walks values by reflection, treating the record's scalar types as leaves.
enum RecordMirror {
    /// Whether a value is one field's whole value, compared by its text.
    static func isLeaf(_ value: Any) -> Bool {
        switch value {
        case is String, is Bool, is Int, is Day, is DocumentNumber, is ValidityPeriod, is any Vocabulary: true
        default: false
        }
    }

    /// The paths of fields that are nil, empty collections or empty strings.
    static func unfilled(_ value: Any, path: String) -> [String] {
        if let text = value as? String { return text.isEmpty ? [path] : [] }
        if isLeaf(value) { return [] }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first?.value else { return [path] }
            return unfilled(wrapped, path: path)
        case .collection:
            if mirror.children.isEmpty { return [path] }
            return mirror.children.enumerated().flatMap { unfilled($0.element.value, path: "\(path)[\($0.offset)]") }
        default:
            return mirror.children.flatMap { child in unfilled(child.value, path: "\(path).\(child.label ?? "?")") }
        }
    }

    /// Where two values differ, each path with both values.
    static func differences(_ expected: Any, _ actual: Any, path: String) -> [String] {
        if isLeaf(expected) || isLeaf(actual) {
            let (one, other) = (String(reflecting: expected), String(reflecting: actual))
            return one == other ? [] : ["\(path): written \(one), read back \(other)"]
        }
        let (one, other) = (Mirror(reflecting: expected), Mirror(reflecting: actual))
        switch (one.displayStyle, other.displayStyle) {
        case (.optional, .optional):
            switch (one.children.first?.value, other.children.first?.value) {
            case (nil, nil): return []
            case (let wrapped?, let read?): return differences(wrapped, read, path: path)
            case (let wrapped, let read): return ["\(path): written \(wrapped.map { String(reflecting: $0) } ?? "nil"), read back \(read.map { String(reflecting: $0) } ?? "nil")"]
            }
        case (.collection, .collection):
            let (ones, others) = (Array(one.children), Array(other.children))
            guard ones.count == others.count else { return ["\(path): written with \(ones.count) entries, read back with \(others.count)"] }
            return zip(ones, others).enumerated().flatMap { differences($0.element.0.value, $0.element.1.value, path: "\(path)[\($0.offset)]") }
        default:
            return zip(one.children, other.children).flatMap { differences($0.value, $1.value, path: "\(path).\($0.label ?? "?")") }
        }
    }

    /// Fields of `value` with no key, or a null, in its JSON `object`.
    static func missingFromJSON(_ value: Any, _ json: Any, path: String) -> [String] {
        if isLeaf(value) { return json is NSNull ? ["\(path) is null in the JSON"] : [] }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first?.value else { return [] }
            return missingFromJSON(wrapped, json, path: path)
        case .collection:
            guard let array = json as? [Any], array.count == mirror.children.count else { return ["\(path) is not an array of \(mirror.children.count) in the JSON"] }
            return zip(mirror.children, array).enumerated().flatMap { missingFromJSON($0.element.0.value, $0.element.1, path: "\(path)[\($0.offset)]") }
        default:
            guard let object = json as? [String: Any] else { return ["\(path) is not an object in the JSON"] }
            return mirror.children.flatMap { child -> [String] in
                let label = child.label ?? "?"
                guard let field = object[label] else { return ["\(path).\(label) is missing from the JSON"] }
                return missingFromJSON(child.value, field, path: "\(path).\(label)")
            }
        }
    }
}

/// A `Decoder` that answers every field a `Decodable` asks for with a value of its type, each
/// field a different one (a different day, number, word and text), and two entries in every list;
/// Bools all `flags`. A type it cannot make is an error naming the field.
final class FillingDecoder: Decoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    private let state: State

    final class State {
        let flags: Bool
        var counter = 0
        init(flags: Bool) { self.flags = flags }
    }

    init(path: [any CodingKey], state: State) {
        codingPath = path
        self.state = state
    }

    static func record(flags: Bool) throws -> DocumentRecord {
        try DocumentRecord(from: FillingDecoder(path: [], state: State(flags: flags)))
    }

    var pathText: String { codingPath.map(\.stringValue).joined(separator: ".") }

    /// A value of type `T` for the field at `path`.
    func fill<T: Decodable>(_ type: T.Type, at path: [any CodingKey]) throws -> T {
        state.counter += 1
        let n = state.counter
        let field = path.map(\.stringValue).joined(separator: ".")
        let value: Any
        switch type {
        // Quotes, a backslash, a newline and a tab: what every writer has to escape.
        case is String.Type: value = "「\(field)」 \"引号\" \\ 第\(n)\n\t号"
        case is Bool.Type: value = state.flags
        case is Int.Type: value = n
        case is Day.Type: value = Day(ordinal: try Day(iso: "2001-01-01").ordinal + 97 * n)
        case is DocumentNumber.Type: value = try DocumentNumber("国发〔2014〕\(n)号")
        case is ValidityPeriod.Type: value = try ValidityPeriod(years: n % 7, months: 1 + n % 11)
        case let vocabulary as any Vocabulary.Type: value = Self.word(vocabulary, n)
        default: return try T(from: FillingDecoder(path: path, state: state))
        }
        return value as! T
    }

    static func word<V: Vocabulary>(_ type: V.Type, _ n: Int) -> V {
        let all = Array(V.allCases)
        return all[n % all.count]
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed(decoder: self) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(
            Any.self, .init(codingPath: codingPath, debugDescription: "\(pathText): FillingDecoder cannot fill this type; teach it one of its values"))
    }

    struct Index: CodingKey {
        let intValue: Int?
        var stringValue: String { "\(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: FillingDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.fill(type, at: codingPath + [key]) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.fill(type, at: codingPath + [key]) }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            KeyedDecodingContainer(Keyed<NestedKey>(decoder: FillingDecoder(path: codingPath + [key], state: decoder.state)))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            Unkeyed(decoder: FillingDecoder(path: codingPath + [key], state: decoder.state))
        }
        func superDecoder() throws -> any Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> any Decoder { FillingDecoder(path: codingPath + [key], state: decoder.state) }
    }

    /// Two entries: one could hide a writer that keeps only the first or the last.
    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: FillingDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        var count: Int? { 2 }
        var currentIndex = 0
        var isAtEnd: Bool { currentIndex >= 2 }
        init(decoder: FillingDecoder) { self.decoder = decoder }
        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type) }
        mutating func decode(_ type: String.Type) throws -> String { try next(type) }
        mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) }
        mutating func decode(_ type: Int.Type) throws -> Int { try next(type) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) }
        mutating func decode(_ type: Double.Type) throws -> Double { try next(type) }
        mutating func decode(_ type: Float.Type) throws -> Float { try next(type) }
        private mutating func next<T: Decodable>(_ type: T.Type) throws -> T {
            defer { currentIndex += 1 }
            return try decoder.fill(type, at: codingPath + [Index(intValue: currentIndex)])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            defer { currentIndex += 1 }
            return KeyedDecodingContainer(Keyed<NestedKey>(decoder: FillingDecoder(path: codingPath + [Index(intValue: currentIndex)], state: decoder.state)))
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            defer { currentIndex += 1 }
            return Unkeyed(decoder: FillingDecoder(path: codingPath + [Index(intValue: currentIndex)], state: decoder.state))
        }
        mutating func superDecoder() throws -> any Decoder { decoder }
    }
}
