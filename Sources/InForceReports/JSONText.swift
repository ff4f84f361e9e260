/// JSON text for InForce's documented outputs: the same bytes as Foundation's `JSONEncoder`
/// with `.sortedKeys` and `.withoutEscapingSlashes` (and `.prettyPrinted` when asked), written
/// several times faster: Foundation's encoder was most of the time of a 100,000-document audit
/// (280 MB of JSON). A test holds the two to the same bytes.
public enum JSONText {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        var output: [UInt8] = []
        try encode(value, pretty: pretty, depth: 0, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the JSON of `value` as it appears nested `depth` levels deep in a pretty document
    /// (its first line unindented: the caller has placed it).
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true, depth: Int, into output: inout [UInt8]) throws {
        let root = Slot()
        try value.encode(to: TreeEncoder(slot: root, codingPath: []))
        write(root.value ?? .null, pretty: pretty, depth: depth, into: &output)
    }

    indirect enum Value {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array(ArrayBox)
        case object(ObjectBox)
    }

    final class ArrayBox {
        var slots: [Slot] = []
    }

    final class ObjectBox {
        var slots: [(key: String, slot: Slot)] = []
        var positions: [String: Int] = [:]

        func slot(_ key: String) -> Slot {
            if let position = positions[key] { return slots[position].slot }
            let slot = Slot()
            positions[key] = slots.count
            slots.append((key, slot))
            return slot
        }
    }

    final class Slot {
        var value: Value?
    }

    // MARK: Writing

    private static func write(_ value: Value, pretty: Bool, depth: Int, into output: inout [UInt8]) {
        switch value {
        case .null: output += "null".utf8
        case .bool(let flag): output += (flag ? "true" : "false").utf8
        case .number(let text): output += text.utf8
        case .string(let text): quote(text, into: &output)
        case .array(let box):
            output.append(UInt8(ascii: "["))
            if box.slots.isEmpty {
                if pretty { newline(depth, into: &output, blank: true) }
            } else {
                for (index, slot) in box.slots.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    if pretty { newline(depth + 1, into: &output) }
                    write(slot.value ?? .null, pretty: pretty, depth: depth + 1, into: &output)
                }
                if pretty { newline(depth, into: &output) }
            }
            output.append(UInt8(ascii: "]"))
        case .object(let box):
            output.append(UInt8(ascii: "{"))
            if box.slots.isEmpty {
                if pretty { newline(depth, into: &output, blank: true) }
            } else {
                let sorted = box.slots.sorted { Self.keyOrder($0.key, $1.key) }
                for (index, entry) in sorted.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    if pretty { newline(depth + 1, into: &output) }
                    quote(entry.key, into: &output)
                    output += (pretty ? " : " : ":").utf8
                    write(entry.slot.value ?? .null, pretty: pretty, depth: depth + 1, into: &output)
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
        for byte in text.utf8 {
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
        output.append(UInt8(ascii: "\""))
    }

    // MARK: Encoding

    private struct TreeEncoder: Encoder {
        let slot: Slot
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let box: ObjectBox
            if case .object(let existing)? = slot.value {
                box = existing
            } else {
                box = ObjectBox()
                slot.value = .object(box)
            }
            return KeyedEncodingContainer(Keyed<Key>(box: box, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let box: ArrayBox
            if case .array(let existing)? = slot.value {
                box = existing
            } else {
                box = ArrayBox()
                slot.value = .array(box)
            }
            return Unkeyed(box: box, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(slot: slot, codingPath: codingPath) }
    }

    private static func value<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> Value {
        switch value {
        case let text as String: return .string(text)
        case let number as Int: return .number(String(number))
        case let flag as Bool: return .bool(flag)
        default:
            let slot = Slot()
            try value.encode(to: TreeEncoder(slot: slot, codingPath: codingPath))
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

    private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: ObjectBox
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { box.slot(key.stringValue).value = .null }
        mutating func encode(_ value: Bool, forKey key: Key) throws { box.slot(key.stringValue).value = .bool(value) }
        mutating func encode(_ value: String, forKey key: Key) throws { box.slot(key.stringValue).value = .string(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { box.slot(key.stringValue).value = try JSONText.number(value) }
        mutating func encode(_ value: Float, forKey key: Key) throws { box.slot(key.stringValue).value = try JSONText.number(Double(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { box.slot(key.stringValue).value = JSONText.number(value) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { box.slot(key.stringValue).value = JSONText.number(value) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { box.slot(key.stringValue).value = JSONText.number(value) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { box.slot(key.stringValue).value = JSONText.number(value) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { box.slot(key.stringValue).value = JSONText.number(value) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { box.slot(key.stringValue).value = JSONText.number(value) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { box.slot(key.stringValue).value = JSONText.number(value) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { box.slot(key.stringValue).value = JSONText.number(value) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { box.slot(key.stringValue).value = JSONText.number(value) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { box.slot(key.stringValue).value = JSONText.number(value) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            box.slot(key.stringValue).value = try JSONText.value(value, codingPath: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            TreeEncoder(slot: box.slot(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            TreeEncoder(slot: box.slot(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { TreeEncoder(slot: box.slot("super"), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(slot: box.slot(key.stringValue), codingPath: codingPath + [key]) }
    }

    private struct Unkeyed: UnkeyedEncodingContainer {
        let box: ArrayBox
        let codingPath: [any CodingKey]
        var count: Int { box.slots.count }

        private func append(_ value: Value) {
            let slot = Slot()
            slot.value = value
            box.slots.append(slot)
        }

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
        mutating func encode<T: Encodable>(_ value: T) throws { append(try JSONText.value(value, codingPath: codingPath)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let slot = Slot()
            box.slots.append(slot)
            return TreeEncoder(slot: slot, codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let slot = Slot()
            box.slots.append(slot)
            return TreeEncoder(slot: slot, codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            let slot = Slot()
            box.slots.append(slot)
            return TreeEncoder(slot: slot, codingPath: codingPath)
        }
    }

    private struct Single: SingleValueEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]

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
        mutating func encode<T: Encodable>(_ value: T) throws { slot.value = try JSONText.value(value, codingPath: codingPath) }
    }
}
