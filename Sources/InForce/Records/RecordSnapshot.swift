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
            number(record.number)
            string(record.rawNumber)
            string(record.title)
            string(record.issuer)
            word(record.level)
            word(record.rank)
            day(record.issued)
            day(record.published)
            day(record.effective)
            day(record.expires)
            string(record.validity?.description)
            count(record.sources.count)
            for source in record.sources { string(source) }
            string(record.note)
            count(record.citations.count)
            for citation in record.citations {
                number(citation.number)
                string(citation.rawNumber)
                string(citation.title)
                word(citation.relation)
                string(citation.evidence)
            }
            count(record.facts.count)
            for fact in record.facts {
                word(fact.event)
                word(fact.outcome)
                number(fact.by)
                string(fact.byTitle)
                string(fact.site)
                day(fact.date)
                day(fact.until)
                string(fact.quote)
                string(fact.source)
            }
            count(record.versions.count)
            for version in record.versions {
                day(version.date)
                day(version.effective)
                flag(version.effectiveStated)
                string(version.decision)
                string(version.source)
            }
            flag(record.notice != nil)
            if let notice = record.notice {
                count(notice.scopeIssuers.count)
                for issuer in notice.scopeIssuers { string(issuer) }
                day(notice.issuedBefore)
                flag(notice.closedList)
                string(notice.closedListQuote)
                day(notice.effective)
                count(notice.dispositions.count)
                for disposition in notice.dispositions {
                    number(disposition.number)
                    string(disposition.rawNumber)
                    string(disposition.title)
                    word(disposition.outcome)
                    flag(disposition.planned)
                    day(disposition.effective)
                    string(disposition.quote)
                }
            }
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
            let number = try documentNumber()
            let rawNumber = try string()
            let title = try required()
            var record = DocumentRecord(number: number, rawNumber: rawNumber, title: title)
            record.issuer = try string()
            record.level = try word()
            record.rank = try word()
            record.issued = try day()
            record.published = try day()
            record.effective = try day()
            record.expires = try day()
            if let validity = try string() {
                do { record.validity = try ValidityPeriod(iso: validity) } catch { throw Damaged(reason: "a validity period is malformed") }
            }
            for _ in 0..<(try count()) { record.sources.append(try required()) }
            record.note = try string()
            for _ in 0..<(try count()) {
                let number = try documentNumber()
                let rawNumber = try string()
                let title = try string()
                let relation: Relation = try requiredWord()
                record.citations.append(Citation(number: number, rawNumber: rawNumber, title: title, relation: relation, evidence: try string()))
            }
            for _ in 0..<(try count()) {
                let event: FactEvent = try requiredWord()
                let outcome: DispositionOutcome? = try word()
                let by = try documentNumber()
                let byTitle = try string()
                let site = try string()
                let date = try day()
                let until = try day()
                let quote = try required()
                record.facts.append(Fact(event: event, outcome: outcome, by: by, byTitle: byTitle, site: site, date: date, until: until,
                                         quote: quote, source: try string()))
            }
            for _ in 0..<(try count()) {
                guard let date = try day() else { throw Damaged(reason: "a version has no date") }
                let effective = try day()
                guard let stated = try flag() else { throw Damaged(reason: "a version's flag is missing") }
                record.versions.append(DocumentVersion(date: date, effective: effective, effectiveStated: stated, decision: try string(), source: try string()))
            }
            if try flag() == true {
                var notice = CleanupNotice()
                for _ in 0..<(try count()) { notice.scopeIssuers.append(try required()) }
                notice.issuedBefore = try day()
                notice.closedList = try flag()
                notice.closedListQuote = try string()
                notice.effective = try day()
                for _ in 0..<(try count()) {
                    let number = try documentNumber()
                    let rawNumber = try string()
                    let title = try string()
                    let outcome: DispositionOutcome = try requiredWord()
                    let planned = try flag() ?? false
                    let effective = try day()
                    notice.dispositions.append(Disposition(number: number, rawNumber: rawNumber, title: title, outcome: outcome,
                                                           planned: planned, effective: effective, quote: try required()))
                }
                record.notice = notice
            }
            return record
        }
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
