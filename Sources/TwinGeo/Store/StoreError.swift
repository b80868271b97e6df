import CSQLite

/// A twin store (GeoPackage / SQLite) failure: a file that cannot be opened or written, a file
/// that is not a GeoPackage, a refused argument (unknown table, wrong geometry type), or an
/// SQLite error.
///
/// Like GRDB's `DatabaseError(resultCode:message:sql:)`, an error raised by SQLite keeps
/// SQLite's result code (``sqliteCode``, extended), SQLite's message, and the SQL that failed,
/// so a caller can branch on `SQLITE_CONSTRAINT` and a reader of the log sees what ran.
/// `location.file` names the database file; `location.field` the column when one is known.
///
/// Codes: `.io` for files that cannot be opened, read or written (and SQLite I/O, lock, full
/// disk errors); `.format` for a file that is not a (valid) GeoPackage or is corrupt;
/// `.argument` for a request the file cannot satisfy (a bad table name, a wrong value count);
/// `.notFound` for an unknown table or SRS.
public struct StoreError: TwinError, Equatable {
    /// The category (`.io`, `.format`, `.argument` or `.notFound`).
    public var code: TwinErrorCode
    /// What went wrong, in a sentence (SQLite's message included when it raised the error).
    public var message: String
    /// The file (`file`), and the column (`field`) when one is known.
    public var location: SourceLocation?
    /// SQLite's extended result code when SQLite raised the error
    /// (see <https://sqlite.org/rescode.html>), else `nil`.
    public var sqliteCode: Int32?
    /// The SQL statement that failed, when the error came from running SQL.
    public var sql: String?

    /// An error of `code` with `message` at `location`; `sqliteCode` and `sql` when SQLite raised it.
    public init(_ code: TwinErrorCode, _ message: String, at location: SourceLocation? = nil,
                sqliteCode: Int32? = nil, sql: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.sqliteCode = sqliteCode
        self.sql = sql
    }

    /// The primary SQLite result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, …): the low byte of
    /// ``sqliteCode``.
    public var sqlitePrimaryCode: Int32? { sqliteCode.map { $0 & 0xFF } }

    /// A sentence with the place, SQLite's message and the SQL.
    public var description: String {
        var text = message
        if let location, !location.description.isEmpty { text = "\(location): \(text)" }
        if let sql { text += " (SQL: \(sql.count > 300 ? String(sql.prefix(300)) + "…" : sql))" }
        return text
    }

    /// The error for SQLite result `code` on `db` (whose `sqlite3_errmsg` explains it), while
    /// running `sql` on the file `path`.
    ///
    /// `SQLITE_NOTADB` and `SQLITE_CORRUPT` become `.format` (the file is not a sound database);
    /// `SQLITE_CONSTRAINT`, `SQLITE_MISMATCH`, `SQLITE_RANGE` and `SQLITE_ERROR` (SQL errors:
    /// a missing table or column, a syntax error) become `.argument`; everything else
    /// (I/O, locks, full disk, read-only file, out of memory) becomes `.io`.
    static func sqlite(_ code: Int32, db: OpaquePointer?, path: String, sql: String?, doing what: String? = nil) -> StoreError {
        // sqlite3_errmsg is valid until the next call on this connection; copied at once.
        // With a NULL handle (open failed before allocating) only the code's text is known.
        let detail: String
        if let db, let text = sqlite3_errmsg(db) {
            detail = String(cString: text)
        } else {
            detail = String(cString: sqlite3_errstr(code))
        }
        let twinCode: TwinErrorCode
        switch code & 0xFF {
        case SQLITE_NOTADB, SQLITE_CORRUPT: twinCode = .format
        case SQLITE_CONSTRAINT, SQLITE_MISMATCH, SQLITE_RANGE, SQLITE_ERROR, SQLITE_TOOBIG: twinCode = .argument
        default: twinCode = .io
        }
        let prefix = what.map { "\($0): " } ?? ""
        return StoreError(twinCode, "\(prefix)SQLite error \(code): \(detail)", at: SourceLocation(file: path),
                          sqliteCode: code, sql: sql)
    }
}
