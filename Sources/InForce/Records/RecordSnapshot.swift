/// A compact binary form of records, for caches derived from the registry: strings are
/// length-prefixed UTF-8, days are ordinals, numbers are stored as their components so reading
/// them back parses nothing. Never the truth; any damage is detected and reported as an error.
public enum RecordSnapshot {
    /// Thrown for bytes that are not a snapshot written by this version.
    public struct Damaged: Error, Sendable {
        public let reason: String
    }

    // MARK: Writing

    public struct Writer {
        public private(set) var bytes: [UInt8] = []

        public init() {}

        /// A zigzag LEB128 varint: small numbers (lengths, counts, flags) take one byte.
        /// Bytes as they are, no length before them.
        public mutating func append(raw: some Sequence<UInt8>) { bytes.append(contentsOf: raw) }

        public mutating func int(_ value: Int64) {
            var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
            while rest >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
                rest >>= 7
            }
            bytes.append(UInt8(rest))
        }

        public mutating func count(_ value: Int) { int(Int64(value)) }

        public mutating func string(_ value: String?) {
            guard let value else {
                int(-1)
                return
            }
            let utf8 = Array(value.utf8)
            int(Int64(utf8.count))
            bytes.append(contentsOf: utf8)
        }

        mutating func day(_ value: Day?) {
            guard let value else {
                bytes.append(0)
                return
            }
            bytes.append(1)
            int(Int64(value.ordinal))
        }

        /// 1 发文字号, 2 decree, 3 decree numbered by year, 4 announcement, 5 announcement numbered by year.
        static func tag(of number: DocumentNumber) -> UInt8 {
            switch (number.kind, number.yearInIdentity) {
            case (.dispatch, _): 1
            case (.decree, false): 2
            case (.decree, true): 3
            case (.announcement, false): 4
            case (.announcement, true): 5
            }
        }

        mutating func number(_ value: DocumentNumber?) {
            guard let value else {
                bytes.append(0)
                return
            }
            bytes.append(Self.tag(of: value))
            string(value.agency)
            int(Int64(value.year ?? -1))
            int(Int64(value.sequence))
            string(value.raw == value.canonical ? nil : value.raw)
        }

        mutating func word<V: Vocabulary>(_ value: V?) { string(value?.rawValue) }

        mutating func flag(_ value: Bool?) { bytes.append(value.map { $0 ? 1 : 0 } ?? 2) }

        public mutating func record(_ record: DocumentRecord) {
            var record = record
            // The writer never fails: its fields only read the values they are given.
            try! RecordSnapshot.fields(of: &record, &self)
        }
    }

    // MARK: Reading

    public struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        /// Keeps the memory of `bytes` alive (an array's storage, or a mapped file).
        private let owner: AnyObject
        private var offset = 0

        /// Reads `bytes` from `start` on (a header before it is the caller's).
        public init(_ bytes: [UInt8], start: Int = 0) {
            let storage = ByteStorage(bytes)
            self.init(storage.bytes, owner: storage, start: start)
        }

        /// Reads memory that `owner` keeps alive, from `start` on.
        public init(_ bytes: UnsafeBufferPointer<UInt8>, owner: AnyObject, start: Int = 0) {
            self.bytes = bytes
            self.owner = owner
            offset = min(max(0, start), bytes.count)
        }

        public var atEnd: Bool { offset == bytes.count }

        public mutating func int() throws(Damaged) -> Int64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard offset < bytes.count else { throw Damaged(reason: "it ends early") }
                let byte = bytes[offset]
                offset += 1
                guard shift < 64 else { throw Damaged(reason: "a number is too long") }
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
        }

        public mutating func count() throws(Damaged) -> Int {
            let value = try int()
            guard value >= 0, value <= Int64(bytes.count) else { throw Damaged(reason: "a count is out of range") }
            return Int(value)
        }

        public mutating func string() throws(Damaged) -> String? {
            let length = try int()
            if length == -1 { return nil }
            guard length >= 0, offset + Int(length) <= bytes.count else { throw Damaged(reason: "a string runs past the end") }
            defer { offset += Int(length) }
            guard let text = String(validating: bytes[offset..<(offset + Int(length))], as: UTF8.self) else {
                throw Damaged(reason: "a string is not UTF-8")
            }
            return text
        }

        mutating func required() throws(Damaged) -> String {
            guard let value = try string() else { throw Damaged(reason: "a required string is missing") }
            return value
        }

        mutating func byte() throws(Damaged) -> UInt8 {
            guard offset < bytes.count else { throw Damaged(reason: "it ends early") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func day() throws(Damaged) -> Day? {
            switch try byte() {
            case 0: return nil
            case 1: break
            default: throw Damaged(reason: "a day's tag is not 0 or 1")
            }
            let value = try int()
            guard abs(value) < 3_000_000 else { throw Damaged(reason: "a day is out of range") }
            return Day(ordinal: Int(value))
        }

        mutating func documentNumber() throws(Damaged) -> DocumentNumber? {
            let tag = try byte()
            guard tag != 0 else { return nil }
            guard (1...5).contains(tag) else { throw Damaged(reason: "a number has an unknown kind") }
            let agency = try required()
            let year = try int()
            let sequence = try int()
            let raw = try string()
            let kind: DocumentNumber.Kind = switch tag {
            case 1: .dispatch
            case 2, 3: .decree
            default: .announcement
            }
            let yearInIdentity = tag == 1 || tag == 3 || tag == 5
            guard sequence > 0, sequence < Int64(Int32.max), !yearInIdentity || (1000...9999).contains(year) else {
                throw Damaged(reason: "a number's components are out of range")
            }
            let lint = kind == .decree ? NumberScanner.seriesLint(agency) : []
            var number = DocumentNumber(
                kind: kind, agency: agency, year: year < 0 ? nil : Int(year), sequence: Int(sequence), raw: "", lint: lint,
                yearInIdentity: yearInIdentity)
            number.raw = raw ?? number.canonical
            return number
        }

        mutating func word<V: Vocabulary>() throws(Damaged) -> V? {
            guard let text = try string() else { return nil }
            guard let value = V(rawValue: text) else { throw Damaged(reason: "'\(text)' is not a known word") }
            return value
        }

        mutating func requiredWord<V: Vocabulary>() throws(Damaged) -> V {
            guard let value: V = try word() else { throw Damaged(reason: "a required word is missing") }
            return value
        }

        mutating func flag() throws(Damaged) -> Bool? {
            switch try byte() {
            case 0: false
            case 1: true
            case 2: nil
            default: throw Damaged(reason: "a flag is not 0, 1 or 2")
            }
        }

        public mutating func record() throws(Damaged) -> DocumentRecord {
            var record = DocumentRecord(title: "")
            try RecordSnapshot.fields(of: &record, &self)
            return record
        }
    }

    // MARK: The fields

    /// A record's fields in the order of the binary form, each once: the writer writes each
    /// value where this walk names it, and the reader reads it back into the same place.
    @inline(__always)
    static func fields<Coder: SnapshotCoder>(of record: inout DocumentRecord, _ coder: inout Coder) throws(Damaged) {
        try coder.field(&record.number)
        try coder.field(&record.rawNumber)
        try coder.field(&record.title)
        try coder.field(&record.issuer)
        try coder.field(&record.level)
        try coder.field(&record.rank)
        try coder.field(&record.issued)
        try coder.field(&record.published)
        try coder.field(&record.effective)
        try coder.field(&record.expires)
        try coder.field(&record.validity)
        try coder.list(&record.sources, empty: "") { (source, coder) throws(Damaged) in try coder.field(&source) }
        try coder.field(&record.note)
        try coder.list(&record.citations, empty: Citation(relation: .reference)) { (citation, coder) throws(Damaged) in
            try coder.field(&citation.number)
            try coder.field(&citation.rawNumber)
            try coder.field(&citation.title)
            try coder.field(&citation.relation)
            try coder.field(&citation.evidence)
        }
        try coder.list(&record.facts, empty: Fact(event: .statusNote, quote: "")) { (fact, coder) throws(Damaged) in
            try coder.field(&fact.event)
            try coder.field(&fact.outcome)
            try coder.field(&fact.by)
            try coder.field(&fact.byTitle)
            try coder.field(&fact.site)
            try coder.field(&fact.date)
            try coder.field(&fact.until)
            try coder.field(&fact.quote)
            try coder.field(&fact.source)
        }
        try coder.list(&record.versions, empty: DocumentVersion(date: Day(ordinal: 0))) { (version, coder) throws(Damaged) in
            try coder.field(&version.date)
            try coder.field(&version.effective)
            try coder.field(&version.effectiveStated)
            try coder.field(&version.decision)
            try coder.field(&version.source)
        }
        try coder.optional(&record.notice, empty: CleanupNotice()) { (notice, coder) throws(Damaged) in
            try coder.list(&notice.scopeIssuers, empty: "") { (issuer, coder) throws(Damaged) in try coder.field(&issuer) }
            try coder.field(&notice.issuedBefore)
            try coder.field(&notice.closedList)
            try coder.field(&notice.closedListQuote)
            try coder.field(&notice.effective)
            try coder.list(&notice.dispositions, empty: Disposition(outcome: .continued, quote: "")) { (disposition, coder) throws(Damaged) in
                try coder.field(&disposition.number)
                try coder.field(&disposition.rawNumber)
                try coder.field(&disposition.title)
                try coder.field(&disposition.outcome)
                try coder.field(&disposition.planned)
                try coder.field(&disposition.effective)
                try coder.field(&disposition.quote)
            }
        }
    }
}

/// What `RecordSnapshot.fields` walks with: the writer, which writes each value, and the reader,
/// which replaces each with what it reads. A field required in the record (a `String`, not a
/// `String?`) is required in the bytes.
protocol SnapshotCoder {
    mutating func field(_ value: inout String?) throws(RecordSnapshot.Damaged)
    mutating func field(_ value: inout String) throws(RecordSnapshot.Damaged)
    mutating func field(_ value: inout Day?) throws(RecordSnapshot.Damaged)
    mutating func field(_ value: inout Day) throws(RecordSnapshot.Damaged)
    mutating func field(_ value: inout DocumentNumber?) throws(RecordSnapshot.Damaged)
    mutating func field(_ value: inout ValidityPeriod?) throws(RecordSnapshot.Damaged)
    mutating func field(_ value: inout Bool?) throws(RecordSnapshot.Damaged)
    mutating func field(_ value: inout Bool) throws(RecordSnapshot.Damaged)
    mutating func field<V: Vocabulary>(_ value: inout V?) throws(RecordSnapshot.Damaged)
    mutating func field<V: Vocabulary>(_ value: inout V) throws(RecordSnapshot.Damaged)
    /// A count, then each element (read into a copy of `empty`).
    mutating func list<Element>(
        _ values: inout [Element], empty: Element, _ element: (inout Element, inout Self) throws(RecordSnapshot.Damaged) -> Void
    ) throws(RecordSnapshot.Damaged)
    /// A flag for whether the value is there, then its fields.
    mutating func optional<Value>(
        _ value: inout Value?, empty: Value, _ fields: (inout Value, inout Self) throws(RecordSnapshot.Damaged) -> Void
    ) throws(RecordSnapshot.Damaged)
}

extension RecordSnapshot.Writer: SnapshotCoder {
    mutating func field(_ value: inout String?) { string(value) }
    mutating func field(_ value: inout String) { string(value) }
    mutating func field(_ value: inout Day?) { day(value) }
    mutating func field(_ value: inout Day) { day(value) }
    mutating func field(_ value: inout DocumentNumber?) { number(value) }
    mutating func field(_ value: inout ValidityPeriod?) { string(value?.description) }
    mutating func field(_ value: inout Bool?) { flag(value) }
    mutating func field(_ value: inout Bool) { flag(value) }
    mutating func field<V: Vocabulary>(_ value: inout V?) { word(value) }
    mutating func field<V: Vocabulary>(_ value: inout V) { word(value) }

    @inline(__always)
    mutating func list<Element>(
        _ values: inout [Element], empty: Element, _ element: (inout Element, inout Self) throws(RecordSnapshot.Damaged) -> Void
    ) throws(RecordSnapshot.Damaged) {
        count(values.count)
        // Each element copied, so that the array itself is never written to (and never copied).
        for value in values {
            var value = value
            try element(&value, &self)
        }
    }

    @inline(__always)
    mutating func optional<Value>(
        _ value: inout Value?, empty: Value, _ fields: (inout Value, inout Self) throws(RecordSnapshot.Damaged) -> Void
    ) throws(RecordSnapshot.Damaged) {
        flag(value != nil)
        if var present = value { try fields(&present, &self) }
    }
}

extension RecordSnapshot.Reader: SnapshotCoder {
    mutating func field(_ value: inout String?) throws(RecordSnapshot.Damaged) { value = try string() }
    mutating func field(_ value: inout String) throws(RecordSnapshot.Damaged) { value = try required() }
    mutating func field(_ value: inout Day?) throws(RecordSnapshot.Damaged) { value = try day() }

    mutating func field(_ value: inout Day) throws(RecordSnapshot.Damaged) {
        guard let day = try day() else { throw RecordSnapshot.Damaged(reason: "a required day is missing") }
        value = day
    }

    mutating func field(_ value: inout DocumentNumber?) throws(RecordSnapshot.Damaged) { value = try documentNumber() }

    mutating func field(_ value: inout ValidityPeriod?) throws(RecordSnapshot.Damaged) {
        guard let text = try string() else {
            value = nil
            return
        }
        do { value = try ValidityPeriod(iso: text) } catch { throw RecordSnapshot.Damaged(reason: "a validity period is malformed") }
    }

    mutating func field(_ value: inout Bool?) throws(RecordSnapshot.Damaged) { value = try flag() }

    mutating func field(_ value: inout Bool) throws(RecordSnapshot.Damaged) {
        guard let flag = try flag() else { throw RecordSnapshot.Damaged(reason: "a required flag is missing") }
        value = flag
    }

    mutating func field<V: Vocabulary>(_ value: inout V?) throws(RecordSnapshot.Damaged) { value = try word() }
    mutating func field<V: Vocabulary>(_ value: inout V) throws(RecordSnapshot.Damaged) { value = try requiredWord() }

    @inline(__always)
    mutating func list<Element>(
        _ values: inout [Element], empty: Element, _ element: (inout Element, inout Self) throws(RecordSnapshot.Damaged) -> Void
    ) throws(RecordSnapshot.Damaged) {
        let size = try count()
        values.removeAll()
        values.reserveCapacity(size)
        for _ in 0..<size {
            var value = empty
            try element(&value, &self)
            values.append(value)
        }
    }

    @inline(__always)
    mutating func optional<Value>(
        _ value: inout Value?, empty: Value, _ fields: (inout Value, inout Self) throws(RecordSnapshot.Damaged) -> Void
    ) throws(RecordSnapshot.Damaged) {
        guard let present = try flag() else { throw RecordSnapshot.Damaged(reason: "a presence flag is missing") }
        guard present else {
            value = nil
            return
        }
        var read = empty
        try fields(&read, &self)
        value = read
    }
}

/// Bytes copied once into memory that does not move, for readers that keep a pointer.
final class ByteStorage {
    private let memory: UnsafeMutableBufferPointer<UInt8>
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ array: [UInt8]) {
        memory = .allocate(capacity: max(1, array.count))
        _ = memory.initialize(from: array)
        bytes = UnsafeBufferPointer(rebasing: memory[..<array.count])
    }

    deinit { memory.deallocate() }
}
