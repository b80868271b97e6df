import CSQLite

/// One SQLite connection (`sqlite3 *`), owned: closed in `deinit`.
///
/// A small wrapper in the spirit of GRDB: every SQLite result code is checked and turned into a
/// ``StoreError`` carrying SQLite's message, the extended result code and the SQL that failed.
/// The connection is not `Sendable`: use it from one thread at a time (the dispatch server reads
/// a twin once into immutable indexes and never queries SQLite per event).
///
/// Related SQLite documentation: <https://sqlite.org/c3ref/open.html>,
/// <https://sqlite.org/lang_transaction.html>, <https://sqlite.org/lang_savepoint.html>.
public final class SQLiteDatabase {
    /// How to open a database file.
    public enum OpenMode: Sendable, Hashable {
        /// `SQLITE_OPEN_READONLY`: nothing is ever written to the file, and a missing file is an
        /// error, never created.
        case readOnly
        /// `SQLITE_OPEN_READWRITE` without `SQLITE_OPEN_CREATE`: the file must exist.
        case readWrite
        /// `SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE`: creates a missing file.
        case readWriteCreate
    }

    /// The connection. Valid until `deinit`.
    let handle: OpaquePointer
    /// The file this connection opened, as given (used in every error message).
    public let path: String
    /// The mode the file was opened in.
    public let mode: OpenMode
    /// The number of open ``withTransaction(_:)`` scopes, for savepoint names.
    private var transactionDepth = 0

    /// Opens the database file at `path`.
    ///
    /// Extended result codes are turned on, and a 5 s busy timeout makes a briefly locked file
    /// (another process committing) wait instead of failing at once.
    ///
    /// - Parameters:
    ///   - path: a file path. A path that starts with `file:` is opened as a plain file name
    ///     (prefixed with `./`), never as an SQLite URI with options.
    ///   - mode: see ``OpenMode``.
    /// - Throws: ``StoreError`` with SQLite's message when the file cannot be opened.
    public init(path: String, mode: OpenMode) throws {
        var flags: Int32
        switch mode {
        case .readOnly: flags = SQLITE_OPEN_READONLY
        case .readWrite: flags = SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        // Builds with SQLITE_USE_URI would read "file:…" as a URI (with ?mode=… options).
        let fileName = path.hasPrefix("file:") ? "./" + path : path
        var db: OpaquePointer?
        // sqlite3_open_v2 sets `db` even on failure (except out of memory) so that the error
        // message can be read; the handle must then still be closed.
        let rc = sqlite3_open_v2(fileName, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = StoreError.sqlite(rc, db: db, path: path, sql: nil, doing: "cannot open the database")
            sqlite3_close_v2(db)  // a harmless no-op for NULL
            throw error
        }
        self.handle = db
        self.path = path
        self.mode = mode
        // Both return SQLITE_OK unless the handle is invalid, which it is not.
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        // close_v2 defers the close until every statement (each holds a strong reference to
        // this object, so none is left by now) is finalized; it cannot fail here.
        sqlite3_close_v2(handle)
    }

    /// The error for result `code` of the last call on this connection, naming `sql`.
    func error(_ code: Int32, sql: String?, doing what: String? = nil) -> StoreError {
        StoreError.sqlite(code, db: handle, path: path, sql: sql, doing: what)
    }

    /// Compiles one SQL statement.
    ///
    /// - Throws: ``StoreError`` (SQLite's message and the SQL) for a syntax error, an unknown
    ///   table or column, or SQL that holds no statement or more than one.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        var trailing = false
        let rc = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(handle, text, -1, &statement, &tail)
            if rc == SQLITE_OK, let tail {
                // Anything but whitespace after the first statement would be silently ignored.
                var p = tail
                while p.pointee != 0 {
                    if !(p.pointee == 0x20 || p.pointee == 0x0A || p.pointee == 0x0D || p.pointee == 0x09 || p.pointee == 0x3B) {
                        trailing = true
                        break
                    }
                    p += 1
                }
            }
            return rc
        }
        guard rc == SQLITE_OK else { throw error(rc, sql: sql) }
        // SQLITE_OK with a NULL statement: the text was empty or only a comment.
        guard let statement else {
            throw StoreError(.argument, "no SQL statement to prepare", at: SourceLocation(file: path), sql: sql)
        }
        let owner = SQLiteStatement(statement, database: self, sql: sql)
        if trailing {
            throw StoreError(.argument, "prepare takes one SQL statement; use executeScript for several",
                             at: SourceLocation(file: path), sql: sql)
        }
        return owner
    }

    /// Runs one SQL statement with `arguments` bound to its parameters, discarding result rows.
    ///
    /// - Throws: ``StoreError`` with SQLite's message and the SQL.
    public func execute(_ sql: String, _ arguments: [SQLiteValue] = []) throws {
        try prepare(sql).execute(arguments)
    }

    /// Runs every statement of `script` (separated by `;`) in order, stopping at the first
    /// failure.
    ///
    /// - Throws: ``StoreError`` naming the statement that failed.
    public func executeScript(_ script: String) throws {
        try script.withCString { start in
            var next: UnsafePointer<CChar>? = start
            while let current = next, current.pointee != 0 {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let rc = sqlite3_prepare_v2(handle, current, -1, &statement, &tail)
                let length = tail.map { $0 - current } ?? strlenSafe(current)
                let text = String(decoding: UnsafeRawBufferPointer(start: current, count: length), as: UTF8.self)
                guard rc == SQLITE_OK else { throw error(rc, sql: text) }
                if let statement {
                    try SQLiteStatement(statement, database: self, sql: text).execute()
                }
                next = tail
            }
        }
    }

    /// Runs a query and returns every row, each value in column order.
    ///
    /// - Complexity: O(rows × columns); meant for small results (schema checks, counts).
    public func rows(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        try prepare(sql).rows(arguments)
    }

    /// The first column of the first row of a query, or `nil` when it returns no row.
    public func scalar(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> SQLiteValue? {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return statement.value(at: 0)
    }

    /// The rowid of the last row inserted on this connection (`sqlite3_last_insert_rowid`).
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// `true` while a transaction is open (SQLite is not in autocommit mode).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// The outermost call opens `BEGIN IMMEDIATE` (the write lock is taken at once, so a busy
    /// file fails before any work rather than at `COMMIT`); a nested call opens a `SAVEPOINT`,
    /// so an error inside it undoes only its own changes. When `COMMIT` fails (e.g. `SQLITE_BUSY`)
    /// the transaction is rolled back and the error thrown: nothing is ever left half-written.
    ///
    /// - Throws: the error `body` threw (after the rollback), or ``StoreError`` when SQLite cannot
    ///   begin or commit.
    public func withTransaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction {
            let name = "twin_savepoint_\(transactionDepth)"
            try execute("SAVEPOINT \(name)")
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            do {
                let result = try body()
                try execute("RELEASE \(name)")
                return result
            } catch {
                // Fails only when SQLite already rolled the whole transaction back (e.g. after
                // SQLITE_FULL); the original error is the one worth reporting.
                if isInTransaction {
                    try? execute("ROLLBACK TO \(name)")
                    try? execute("RELEASE \(name)")
                }
                throw error
            }
        }
        try execute("BEGIN IMMEDIATE")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        let result: T
        do {
            result = try body()
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
        return result
    }
}

/// `strlen` for a NUL-terminated C string, without importing Glibc here.
private func strlenSafe(_ p: UnsafePointer<CChar>) -> Int {
    var n = 0
    while p[n] != 0 { n += 1 }
    return n
}
