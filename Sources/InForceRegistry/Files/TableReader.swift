import InForce

/// Reads the fields of one TOML table into domain values, collecting a problem for each field
/// that is missing, of the wrong type, or not a valid value, and for keys nobody reads.
struct TableReader {
    let table: TOMLTableValue
    /// The field path of this table: `""`, `citations[2].`, `notice.`.
    let prefix: String
    let origin: String
    private(set) var problems: [RegistryProblem] = []
    private var read: [String] = []

    /// Parses a whole TOML file, or says why it is not TOML (with the line).
    static func parse(_ text: String, origin: String) -> Result<TableReader, RegistryProblem> {
        switch TOMLDocument.parse(text) {
        case .success(let table): .success(TableReader(table, origin: origin))
        case .failure(let error): .failure(RegistryProblem(.error, origin: origin, line: error.line, "not valid TOML: \(error.message)"))
        }
    }

    init(_ table: TOMLTableValue, prefix: String = "", origin: String) {
        self.table = table
        self.prefix = prefix
        self.origin = origin
    }

    mutating func fail(_ key: String?, _ message: String) {
        problems.append(RegistryProblem(.error, origin: origin, field: key.map { prefix + $0 } ?? String(prefix.dropLast()), message))
    }

    private mutating func value(_ key: String) -> TOMLValue? {
        if !read.contains(key) { read.append(key) }
        return table[key]
    }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = value(key) else {
            if required { fail(key, "\(prefix + key) is missing") }
            return nil
        }
        guard let string = value.string else {
            fail(key, "\(prefix + key) must be a string in quotes")
            return nil
        }
        return string
    }

    mutating func strings(_ key: String) -> [String] {
        guard let value = value(key) else { return [] }
        guard let array = value.array else {
            fail(key, "\(prefix + key) must be a list of strings: [\"…\"]")
            return []
        }
        var strings: [String] = []
        for element in array {
            guard let string = element.string else {
                fail(key, "\(prefix + key) must hold only strings")
                return strings
            }
            strings.append(string)
        }
        return strings
    }

    mutating func int(_ key: String) -> Int? {
        guard let value = value(key) else { return nil }
        guard let int = value.int else {
            fail(key, "\(prefix + key) must be a whole number")
            return nil
        }
        return int
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.bool else {
            fail(key, "\(prefix + key) must be true or false")
            return nil
        }
        return bool
    }

    /// A TOML date (2016-03-01) or a quoted one ("2016-03-01"), checked to be a real day.
    mutating func day(_ key: String, required: Bool = false) -> Day? {
        guard let value = value(key) else {
            if required { fail(key, "\(prefix + key) is missing") }
            return nil
        }
        do {
            if let date = value.date { return try Day(year: date.year, month: date.month, day: date.day) }
            if let text = value.string { return try Day(iso: text) }
        } catch {
            fail(key, "\(prefix + key): \(error.description)")
            return nil
        }
        fail(key, "\(prefix + key) must be a date, written 2016-03-01")
        return nil
    }

    mutating func number(_ key: String) -> DocumentNumber? {
        guard let text = string(key) else { return nil }
        do {
            return try DocumentNumber(text)
        } catch {
            fail(key, "\(prefix + key): \(error.description)")
            return nil
        }
    }

    mutating func period(_ key: String) -> ValidityPeriod? {
        guard let text = string(key) else { return nil }
        do {
            return try ValidityPeriod(iso: text)
        } catch {
            fail(key, "\(prefix + key): \(error.description)")
            return nil
        }
    }

    mutating func word<V: Vocabulary>(_ key: String, required: Bool = false) -> V? {
        guard let text = string(key, required: required) else { return nil }
        guard let word = V(rawValue: text) else {
            fail(key, "\(prefix + key) is '\(text)'; it must be one of \(V.choices)")
            return nil
        }
        return word
    }

    /// The tables of an array of tables (`[[citations]]`), each with a reader of its own.
    mutating func tables(_ key: String) -> [TableReader] {
        guard let value = value(key) else { return [] }
        guard let array = value.array else {
            fail(key, "\(prefix + key) must be an array of tables ([[\(prefix + key)]])")
            return []
        }
        var readers: [TableReader] = []
        for (index, element) in array.enumerated() {
            guard let table = element.table else {
                fail(key, "\(prefix + key) must hold only tables")
                return readers
            }
            readers.append(TableReader(table, prefix: "\(prefix + key)[\(index)].", origin: origin))
        }
        return readers
    }

    mutating func table(_ key: String) -> TableReader? {
        guard let value = value(key) else { return nil }
        guard let table = value.table else {
            fail(key, "\(prefix + key) must be a table ([\(prefix + key)])")
            return nil
        }
        return TableReader(table, prefix: "\(prefix + key).", origin: origin)
    }

    /// Absorbs a nested reader's problems.
    mutating func merge(_ other: TableReader) {
        problems += other.finished()
    }

    /// The problems, with one for each key that no field read (a typo would otherwise lose data).
    func finished() -> [RegistryProblem] {
        var all = problems
        for key in table.keys.sorted() where !read.contains(key) {
            all.append(RegistryProblem(.error, origin: origin, field: prefix + key, "unknown field \(prefix + key)"))
        }
        return all
    }
}
