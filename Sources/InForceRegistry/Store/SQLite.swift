import CSQLite
import Foundation

/// SQLite's C API, wrapped once: a connection, prepared statements, and errors that say what
/// failed. Nothing outside this file sees a pointer.
final class SQLiteDatabase: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let code: Int32
        let message: String
        var description: String { message }
        /// The file is not a database, or its pages are damaged or cut short.
        var isDamage: Bool { [SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_FORMAT].contains(code & 0xFF) }
    }

    private let handle: OpaquePointer
    let path: String

    /// Opens (or, unless `readOnly`, creates) the database at `path`. Waits up to `busySeconds`
    /// for another process's write to finish before a statement gives up.
    init(path: String, readOnly: Bool = false, busySeconds: Double = 10) throws(Failure) {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let handle { sqlite3_close_v2(handle) }
            throw Failure(code: code, message: "cannot open \(path): \(message)")
        }
        self.handle = handle
        self.path = path
        sqlite3_busy_timeout(handle, Int32(busySeconds * 1000))
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit { sqlite3_close_v2(handle) }

    private func failure(_ code: Int32, _ doing: String) -> Failure {
        Failure(code: code, message: "\(path): \(doing): \(String(cString: sqlite3_errmsg(handle)))")
    }

    /// Runs statements that return no rows.
    func execute(_ sql: String) throws(Failure) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw failure(code, "running \(sql.prefix(60))") }
    }

    func prepare(_ sql: String) throws(Failure) -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code, "preparing \(sql.prefix(60))") }
        return SQLiteStatement(statement, database: self)
    }

    /// The value of `PRAGMA user_version`: the store's format.
    var userVersion: Int {
        get throws(Failure) {
            let statement = try prepare("PRAGMA user_version")
            guard try statement.step() else { return 0 }
            return statement.int(0)
        }
    }

    /// The rowid of the last row inserted through this connection.
    var lastInsertedRow: Int64 { sqlite3_last_insert_rowid(handle) }

    fileprivate func check(_ code: Int32, _ doing: @autoclosure () -> String) throws(Failure) {
        guard code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE else { throw failure(code, doing()) }
    }
}

/// One prepared statement: bind, step through the rows, reset to run again.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let database: SQLiteDatabase

    fileprivate init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Clears the previous run and binds `values` to the parameters in order.
    @discardableResult
    func bind(_ values: SQLiteValue...) throws(SQLiteDatabase.Failure) -> SQLiteStatement {
        try bind(values)
    }

    @discardableResult
    func bind(_ values: [SQLiteValue]) throws(SQLiteDatabase.Failure) -> SQLiteStatement {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, index)
            case .int(let number): code = sqlite3_bind_int64(handle, index, number)
            case .text(let text):
                code = text.utf8.withContiguousStorageIfAvailable { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { inforce_sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count)) }
                } ?? inforce_sqlite3_bind_text(handle, index, text, -1)
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { inforce_sqlite3_bind_blob(handle, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count)) }
            }
            try database.check(code, "binding parameter \(index)")
        }
        return self
    }

    /// The next row: true while there is one.
    func step() throws(SQLiteDatabase.Failure) -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        sqlite3_reset(handle)
        try database.check(code, "reading \(String(cString: sqlite3_sql(handle)).prefix(60))")
        return false
    }

    /// Runs a statement that returns no rows.
    func run() throws(SQLiteDatabase.Failure) {
        while try step() {}
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// A text or blob column's bytes, copied.
    func bytes(_ column: Int32) -> [UInt8] { withBlob(column) { Array($0) } }

    /// A blob column's bytes, valid only until the next step: `body` reads them in place.
    func withBlob<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let pointer = sqlite3_column_blob(handle, column) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: count))
    }
}

/// A value bound to a statement's parameter.
enum SQLiteValue {
    case null
    case int(Int64)
    case text(String)
    case blob([UInt8])

    static func optional(_ text: String?) -> SQLiteValue { text.map { .text($0) } ?? .null }
    static func optional(_ number: Int?) -> SQLiteValue { number.map { .int(Int64($0)) } ?? .null }
}

extension SQLiteValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    init(stringLiteral value: String) { self = .text(value) }
    init(integerLiteral value: Int64) { self = .int(value) }
}
