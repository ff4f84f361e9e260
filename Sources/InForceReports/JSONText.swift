/// JSON text for InForce's documented outputs: the same bytes as Foundation's `JSONEncoder`
/// with `.sortedKeys` and `.withoutEscapingSlashes` (and `.prettyPrinted` when asked). A test
/// holds the two to the same bytes; `inforce-bench json` measures both on the same values.
///
/// The value is first encoded into a small tree (objects keep their keys in the order they were
/// encoded), then written with every object's keys sorted. What makes it cheap: one allocation
/// per object or array and none per scalar, a key encoded twice settled when the object is
/// written instead of looked up on every key, and the coding path built only when asked for.
public enum JSONText {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        var output: [UInt8] = []
        try encode(value, pretty: pretty, depth: 0, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the JSON of `value` as it appears nested `depth` levels deep in a pretty document
    /// (its first line unindented: the caller has placed it).
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true, depth: Int, into output: inout [UInt8]) throws {
        write(try Self.value(value, parent: nil, key: nil), pretty: pretty, depth: depth, into: &output)
    }

    enum Value {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array(ArrayBox)
        case object(ObjectBox)
        /// What an encoder handed out by `superEncoder()` writes, once it has.
        case pending(Slot)
    }

    final class ArrayBox {
        var values: [Value] = []
    }

    /// Keys and values in the order encoded; the same key again replaces the earlier value
    /// (as in Foundation), which `sortedEntries()` settles.
    final class ObjectBox {
        var keys: [String] = []
        var values: [Value] = []

        func set(_ key: String, _ value: Value) {
            keys.append(key)
            values.append(value)
        }

        /// The object already under `key` (a nested container asked for twice is one object).
        func object(_ key: String) -> ObjectBox {
            if let position = keys.lastIndex(of: key), case .object(let existing) = values[position] { return existing }
            let box = ObjectBox()
            set(key, .object(box))
            return box
        }

        func array(_ key: String) -> ArrayBox {
            if let position = keys.lastIndex(of: key), case .array(let existing) = values[position] { return existing }
            let box = ArrayBox()
            set(key, .array(box))
            return box
        }

        /// Positions in key order (Foundation's: by UTF-8 bytes), the last of equal keys only;
        /// nil when the keys were encoded in that order already, each once.
        func sortedPositions() -> [Int]? {
            if keys.indices.dropFirst().allSatisfy({ JSONText.keyOrder(keys[$0 - 1], keys[$0]) }) { return nil }
            // Stable, so that among equal keys the last encoded comes last.
            let order = keys.indices.sorted { JSONText.keyOrder(keys[$0], keys[$1]) || (keys[$0] == keys[$1] && $0 < $1) }
            var kept: [Int] = []
            kept.reserveCapacity(order.count)
            for position in order {
                if let last = kept.last, keys[last] == keys[position] { kept[kept.count - 1] = position } else { kept.append(position) }
            }
            return kept
        }
    }

    final class Slot {
        var value: Value?
    }

    /// The coding path, kept as links to the parent and built into an array only when an
    /// `Encodable` asks for it (almost none do).
    final class Path {
        let parent: Path?
        let key: any CodingKey

        init(_ parent: Path?, _ key: any CodingKey) {
            self.parent = parent
            self.key = key
        }

        static func array(_ path: Path?) -> [any CodingKey] {
            var keys: [any CodingKey] = []
            var node = path
            while let current = node {
                keys.append(current.key)
                node = current.parent
            }
            return keys.reversed()
        }
    }

    struct Index: CodingKey {
        let intValue: Int?
        var stringValue: String { "Index \(intValue ?? 0)" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    // MARK: Writing

    private static func write(_ value: Value, pretty: Bool, depth: Int, into output: inout [UInt8]) {
        switch value {
        case .null: output += "null".utf8
        case .bool(let flag): output += (flag ? "true" : "false").utf8
        case .number(let text): output += text.utf8
        case .string(let text): quote(text, into: &output)
        case .pending(let slot): write(slot.value ?? .object(ObjectBox()), pretty: pretty, depth: depth, into: &output)
        case .array(let box):
            output.append(UInt8(ascii: "["))
            if box.values.isEmpty {
                if pretty { newline(depth, into: &output, blank: true) }
            } else {
                for (index, element) in box.values.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    if pretty { newline(depth + 1, into: &output) }
                    write(element, pretty: pretty, depth: depth + 1, into: &output)
                }
                if pretty { newline(depth, into: &output) }
            }
            output.append(UInt8(ascii: "]"))
        case .object(let box):
            output.append(UInt8(ascii: "{"))
            if box.keys.isEmpty {
                if pretty { newline(depth, into: &output, blank: true) }
            } else {
                let positions = box.sortedPositions()
                for index in positions?.indices ?? box.keys.indices {
                    let position = positions?[index] ?? index
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    if pretty { newline(depth + 1, into: &output) }
                    quote(box.keys[position], into: &output)
                    output += (pretty ? " : " : ":").utf8
                    write(box.values[position], pretty: pretty, depth: depth + 1, into: &output)
                }
                if pretty { newline(depth, into: &output) }
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Foundation sorts keys by their UTF-8 bytes.
    static func keyOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private static func newline(_ depth: Int, into output: inout [UInt8], blank: Bool = false) {
        output.append(UInt8(ascii: "\n"))
        if blank { output.append(UInt8(ascii: "\n")) }
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func quote(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Most text needs no escape: copy it whole.
            guard bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                output.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): output += "\\\"".utf8
                case UInt8(ascii: "\\"): output += "\\\\".utf8
                case UInt8(ascii: "\n"): output += "\\n".utf8
                case UInt8(ascii: "\r"): output += "\\r".utf8
                case UInt8(ascii: "\t"): output += "\\t".utf8
                case 0x08: output += "\\b".utf8
                case 0x0C: output += "\\f".utf8
                case 0..<0x20:
                    output += "\\u00".utf8
                    output.append(hex[Int(byte >> 4)])
                    output.append(hex[Int(byte & 0x0F)])
                default: output.append(byte)
                }
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    // MARK: Encoding

    /// The tree of `value`, with scalars taken directly and anything else encoded into a slot.
    private static func value<T: Encodable>(_ value: T, parent: Path?, key: (any CodingKey)?) throws -> Value {
        switch value {
        case let text as String: return .string(text)
        case let number as Int: return .number(String(number))
        case let flag as Bool: return .bool(flag)
        default:
            let slot = Slot()
            try value.encode(to: TreeEncoder(slot: slot, parent: parent, key: key))
            // Foundation writes an empty object for a value that encoded nothing.
            return slot.value ?? .object(ObjectBox())
        }
    }

    private static func number<N: BinaryInteger>(_ value: N) -> Value { .number(String(value)) }

    private static func number(_ value: Double) throws -> Value {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "JSON has no \(value)"))
        }
        if value == value.rounded(), abs(value) < 1e15 { return .number(String(Int64(value))) }
        return .number(String(value))
    }

    /// An encoder for one value, at `key` under `parent` (the root has neither).
    private struct TreeEncoder: Encoder {
        let slot: Slot
        let parent: Path?
        let key: (any CodingKey)?
        var codingPath: [any CodingKey] { Path.array(parent) + (key.map { [$0] } ?? []) }
        /// The path of a container this value opens: allocated once per object or array.
        private var path: Path? { key.map { Path(parent, $0) } ?? parent }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let box: ObjectBox
            if case .object(let existing)? = slot.value {
                box = existing
            } else {
                box = ObjectBox()
                slot.value = .object(box)
            }
            return KeyedEncodingContainer(Keyed<Key>(box: box, path: path))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let box: ArrayBox
            if case .array(let existing)? = slot.value {
                box = existing
            } else {
                box = ArrayBox()
                slot.value = .array(box)
            }
            return Unkeyed(box: box, path: path)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(slot: slot, parent: parent, key: key) }
    }

    private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: ObjectBox
        let path: Path?
        var codingPath: [any CodingKey] { Path.array(path) }

        mutating func encodeNil(forKey key: Key) throws { box.set(key.stringValue, .null) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { box.set(key.stringValue, .bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) throws { box.set(key.stringValue, .string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { box.set(key.stringValue, try JSONText.number(value)) }
        mutating func encode(_ value: Float, forKey key: Key) throws { box.set(key.stringValue, try JSONText.number(Double(value))) }
        mutating func encode(_ value: Int, forKey key: Key) throws { box.set(key.stringValue, JSONText.number(value)) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { box.set(key.stringValue, JSONText.number(value)) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { box.set(key.stringValue, JSONText.number(value)) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { box.set(key.stringValue, JSONText.number(value)) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { box.set(key.stringValue, JSONText.number(value)) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { box.set(key.stringValue, JSONText.number(value)) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { box.set(key.stringValue, JSONText.number(value)) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { box.set(key.stringValue, JSONText.number(value)) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { box.set(key.stringValue, JSONText.number(value)) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { box.set(key.stringValue, JSONText.number(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            box.set(key.stringValue, try JSONText.value(value, parent: path, key: key))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(box: box.object(key.stringValue), path: Path(path, key)))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            Unkeyed(box: box.array(key.stringValue), path: Path(path, key))
        }

        mutating func superEncoder() -> any Encoder {
            let slot = Slot()
            box.set("super", .pending(slot))
            return TreeEncoder(slot: slot, parent: path, key: nil)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let slot = Slot()
            box.set(key.stringValue, .pending(slot))
            return TreeEncoder(slot: slot, parent: path, key: key)
        }
    }

    private struct Unkeyed: UnkeyedEncodingContainer {
        let box: ArrayBox
        let path: Path?
        var codingPath: [any CodingKey] { Path.array(path) }
        var count: Int { box.values.count }

        private func append(_ value: Value) { box.values.append(value) }
        private var next: Path { Path(path, Index(box.values.count)) }

        mutating func encodeNil() throws { append(.null) }
        mutating func encode(_ value: Bool) throws { append(.bool(value)) }
        mutating func encode(_ value: String) throws { append(.string(value)) }
        mutating func encode(_ value: Double) throws { append(try JSONText.number(value)) }
        mutating func encode(_ value: Float) throws { append(try JSONText.number(Double(value))) }
        mutating func encode(_ value: Int) throws { append(JSONText.number(value)) }
        mutating func encode(_ value: Int8) throws { append(JSONText.number(value)) }
        mutating func encode(_ value: Int16) throws { append(JSONText.number(value)) }
        mutating func encode(_ value: Int32) throws { append(JSONText.number(value)) }
        mutating func encode(_ value: Int64) throws { append(JSONText.number(value)) }
        mutating func encode(_ value: UInt) throws { append(JSONText.number(value)) }
        mutating func encode(_ value: UInt8) throws { append(JSONText.number(value)) }
        mutating func encode(_ value: UInt16) throws { append(JSONText.number(value)) }
        mutating func encode(_ value: UInt32) throws { append(JSONText.number(value)) }
        mutating func encode(_ value: UInt64) throws { append(JSONText.number(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { append(try JSONText.value(value, parent: path, key: Index(count))) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = ObjectBox()
            let path = next
            append(.object(nested))
            return KeyedEncodingContainer(Keyed<NestedKey>(box: nested, path: path))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = ArrayBox()
            let path = next
            append(.array(nested))
            return Unkeyed(box: nested, path: path)
        }

        mutating func superEncoder() -> any Encoder {
            let slot = Slot()
            let key = Index(count)
            append(.pending(slot))
            return TreeEncoder(slot: slot, parent: path, key: key)
        }
    }

    private struct Single: SingleValueEncodingContainer {
        let slot: Slot
        let parent: Path?
        let key: (any CodingKey)?
        var codingPath: [any CodingKey] { Path.array(parent) + (key.map { [$0] } ?? []) }

        mutating func encodeNil() throws { slot.value = .null }
        mutating func encode(_ value: Bool) throws { slot.value = .bool(value) }
        mutating func encode(_ value: String) throws { slot.value = .string(value) }
        mutating func encode(_ value: Double) throws { slot.value = try JSONText.number(value) }
        mutating func encode(_ value: Float) throws { slot.value = try JSONText.number(Double(value)) }
        mutating func encode(_ value: Int) throws { slot.value = JSONText.number(value) }
        mutating func encode(_ value: Int8) throws { slot.value = JSONText.number(value) }
        mutating func encode(_ value: Int16) throws { slot.value = JSONText.number(value) }
        mutating func encode(_ value: Int32) throws { slot.value = JSONText.number(value) }
        mutating func encode(_ value: Int64) throws { slot.value = JSONText.number(value) }
        mutating func encode(_ value: UInt) throws { slot.value = JSONText.number(value) }
        mutating func encode(_ value: UInt8) throws { slot.value = JSONText.number(value) }
        mutating func encode(_ value: UInt16) throws { slot.value = JSONText.number(value) }
        mutating func encode(_ value: UInt32) throws { slot.value = JSONText.number(value) }
        mutating func encode(_ value: UInt64) throws { slot.value = JSONText.number(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { slot.value = try JSONText.value(value, parent: parent, key: key) }
    }
}
