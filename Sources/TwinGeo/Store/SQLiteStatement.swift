import CSQLite

/// One compiled SQL statement (`sqlite3_stmt *`), owned: finalized in `deinit`.
///
/// Made by ``SQLiteDatabase/prepare(_:)``; keeps its database alive. Reuse one statement for many
/// rows (``execute(_:)`` resets and rebinds it): that is what makes bulk inserts fast.
///
/// Related SQLite documentation: <https://sqlite.org/c3ref/stmt.html>.
public final class SQLiteStatement {
    let handle: OpaquePointer
    /// The connection this statement belongs to.
    public let database: SQLiteDatabase
    /// The SQL text, for error messages.
    public let sql: String

    init(_ handle: OpaquePointer, database: SQLiteDatabase, sql: String) {
        self.handle = handle
        self.database = database
        self.sql = sql
    }

    deinit {
        // Returns the last step's error, already reported by step(); nothing to do with it.
        sqlite3_finalize(handle)
    }

    /// The number of `?` parameters.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// The number of result columns (0 for statements that return no rows).
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of result column `index` (0-based).
    public func columnName(_ index: Int) -> String {
        // NULL only on out-of-memory or a bad index.
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    /// Resets the statement and binds `values` to its parameters, in order.
    ///
    /// - Throws: ``StoreError`` (`.argument`) when the count differs from the statement's
    ///   parameters, or SQLite's error for a value it refuses (e.g. a blob over its size limit).
    public func bind(_ values: [SQLiteValue]) throws {
        // The result of reset repeats the previous step's error, which was already thrown.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard values.count == parameterCount else {
            throw StoreError(.argument, "the statement takes \(parameterCount) values, \(values.count) given",
                             at: SourceLocation(file: database.path), sql: sql)
        }
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null:
                rc = sqlite3_bind_null(handle, index)
            case .integer(let v):
                rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v):
                rc = sqlite3_bind_double(handle, index, v)
            case .text(var s):
                // SQLITE_TRANSIENT: SQLite copies the bytes before returning. An explicit length
                // keeps embedded NULs; an empty string needs a non-NULL pointer (NULL binds NULL).
                rc = s.withUTF8 { utf8 in
                    guard let base = utf8.baseAddress, !utf8.isEmpty else {
                        return sqlite3_bind_text(handle, index, "", 0, twin_sqlite_transient())
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                        sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(utf8.count), twin_sqlite_transient(),
                                            UInt8(SQLITE_UTF8))
                    }
                }
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { raw in
                    // A NULL pointer would bind SQL NULL: an empty blob is a zero-length zeroblob.
                    guard let base = raw.baseAddress, !raw.isEmpty else { return sqlite3_bind_zeroblob(handle, index, 0) }
                    return sqlite3_bind_blob64(handle, index, base, sqlite3_uint64(raw.count), twin_sqlite_transient())
                }
            }
            guard rc == SQLITE_OK else {
                throw database.error(rc, sql: sql, doing: "cannot bind value \(i + 1) (\(value.storageClass))")
            }
        }
    }

    /// Advances to the next row.
    ///
    /// - Returns: `true` when a row is ready (read it with ``value(at:)``), `false` when done.
    /// - Throws: ``StoreError`` with SQLite's message (a constraint violation, I/O error, busy
    ///   file, or an error raised by an SQL function).
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(rc, sql: sql)
        }
    }

    /// The value of result column `index` (0-based) of the current row.
    public func value(at index: Int) -> SQLiteValue {
        let i = Int32(index)
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT:
            // Pointer first, then the byte count (the order sqlite3_column_bytes documents).
            guard let text = sqlite3_column_text(handle, i) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, i))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            guard let blob = sqlite3_column_blob(handle, i) else { return .blob([]) }
            let count = Int(sqlite3_column_bytes(handle, i))
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }

    /// The storage class of result column `index` of the current row (`NULL`, `INTEGER`,
    /// `REAL`, `TEXT`, `BLOB`), without reading the value.
    public func storageClassName(at index: Int) -> String {
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_INTEGER: "INTEGER"
        case SQLITE_FLOAT: "REAL"
        case SQLITE_TEXT: "TEXT"
        case SQLITE_BLOB: "BLOB"
        default: "NULL"
        }
    }

    /// Calls `body` with the bytes of blob column `index` of the current row, without copying;
    /// `nil` when the value is NULL. Text and numbers are given as their blob conversion.
    ///
    /// The buffer is valid only inside `body`.
    public func withBlob<R>(at index: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        let i = Int32(index)
        if sqlite3_column_type(handle, i) == SQLITE_NULL { return try body(nil) }
        let blob = sqlite3_column_blob(handle, i)
        let count = Int(sqlite3_column_bytes(handle, i))
        return try body(UnsafeRawBufferPointer(start: count == 0 ? nil : blob, count: count))
    }

    /// Binds `values`, runs the statement to completion and discards any rows.
    ///
    /// - Throws: ``StoreError`` with SQLite's message and the SQL.
    public func execute(_ values: [SQLiteValue] = []) throws {
        try bind(values)
        while try step() {}
    }

    /// Binds `values` and returns every row, each value in column order.
    public func rows(_ values: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        try bind(values)
        var result: [[SQLiteValue]] = []
        let n = columnCount
        while try step() {
            result.append((0..<n).map { value(at: $0) })
        }
        return result
    }
}
