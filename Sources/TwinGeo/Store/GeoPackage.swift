import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A GeoPackage 1.3 file (an SQLite database with the OGC GeoPackage schema): the container of
/// a twin. QGIS, GDAL and other readers open what this writes as it is.
///
/// * ``create(at:)`` makes a new file: `application_id` 'GPKG', `user_version` 10300, the core
///   tables (`gpkg_spatial_ref_sys` with EPSG:4326, -1, 0, 4490 and 4549; `gpkg_contents`;
///   `gpkg_geometry_columns`; `gpkg_extensions`).
/// * ``open(at:mode:)`` checks that a file is a GeoPackage before anything else, and in
///   ``AccessMode/readOnly`` never writes to it.
/// * Feature tables (``createFeatureTable(name:geometryColumn:geometryType:srsID:columns:identifier:description:)``)
///   get the `gpkg_rtree_index` R*Tree and triggers; attribute tables
///   (``createAttributeTable(name:columns:identifier:description:)``) hold rows without geometry.
/// * Writes go through prepared statements, in ``withTransaction(_:)``: an import that throws
///   leaves the file as it was.
///
/// Not `Sendable`: one connection, used from one thread at a time.
///
/// Related documentation: <https://www.geopackage.org/spec130/>.
public final class GeoPackage {
    /// How a GeoPackage is opened.
    public enum AccessMode: Sendable, Hashable {
        /// Nothing is written to the file: no journal-mode change, no schema upgrade.
        case readOnly
        /// Tables and rows can be added. The file gets SQLite's `quick_check` on open.
        case readWrite
    }

    /// The underlying connection, for SQL the GeoPackage API does not cover.
    public let database: SQLiteDatabase
    /// The mode the file was opened in.
    public let mode: AccessMode
    /// The file path, as given.
    public var path: String { database.path }

    /// Metadata of user tables, read once per table.
    var tableCache: [String: TableInfo] = [:]
    /// Insert statements per table, prepared once.
    var insertStatements: [String: SQLiteStatement] = [:]
    /// Extents of rows written in the open transaction, per table, not yet in `gpkg_contents`.
    var pendingExtents: [String: BoundingBox] = [:]
    /// Tables written in the open transaction, whose `last_change` must be updated.
    var pendingTouched: Set<String> = []

    private init(database: SQLiteDatabase, mode: AccessMode) throws {
        self.database = database
        self.mode = mode
        // Needed by the R*Tree triggers on every write; harmless (and useful in queries) on read.
        try GeoPackageSQLFunctions.register(on: database)
        if mode == .readWrite {
            // Up to 64 MiB of page cache (allocated as used) instead of SQLite's 2 MB: a large
            // import then rarely spills dirty pages to the file and journal before COMMIT
            // (measured: ~25% less CPU and fewer writes for 30,000 cells). A per-connection
            // setting; nothing is written to the file.
            try database.execute("PRAGMA cache_size = -65536")
        }
    }

    // MARK: Opening

    /// Opens an existing GeoPackage.
    ///
    /// Checks, in order, each with its own message naming the path: the path exists and is a
    /// regular file (a missing path is never created); it is not empty; it starts with the
    /// SQLite header; SQLite can read it; `application_id` is 'GPKG' (or, read-only, the 1.0/1.1
    /// ids 'GP10'/'GP11'); the required tables `gpkg_spatial_ref_sys` and `gpkg_contents` exist
    /// (and `gpkg_geometry_columns` when features are registered). In ``AccessMode/readWrite``
    /// SQLite's `PRAGMA quick_check` must also pass: a damaged file is refused before it is
    /// written to.
    ///
    /// - Throws: ``StoreError`` (`.io` for a missing or unreadable path, `.format` for a file
    ///   that is not a GeoPackage or is corrupt).
    /// - Complexity: O(1) read-only; `quick_check` is O(file size) in read-write mode.
    public static func open(at path: String, mode: AccessMode = .readOnly) throws -> GeoPackage {
        try checkSQLiteFile(at: path)
        let database: SQLiteDatabase
        do {
            database = try SQLiteDatabase(path: path, mode: mode == .readOnly ? .readOnly : .readWrite)
        } catch var error as StoreError {
            error.message = "cannot open the GeoPackage: " + error.message
            throw error
        }
        let package = try GeoPackage(database: database, mode: mode)
        try package.checkGeoPackage()
        return package
    }

    /// Creates a new, empty GeoPackage 1.3 at `path`.
    ///
    /// An existing file is refused unless it is an empty GeoPackage (no table registered in
    /// `gpkg_contents` and no other user table), which is then completed and reused: creating a
    /// twin twice is harmless, overwriting data never happens. A new file is made with
    /// `O_CREAT | O_EXCL`, so two processes cannot both create it; if initialising it fails,
    /// it is removed again.
    ///
    /// - Throws: ``StoreError``: `.io` when the file cannot be created (missing folder, no
    ///   permission), `.argument` when an existing file is refused, with the reason.
    public static func create(at path: String) throws -> GeoPackage {
        if fileExists(path) {
            let package: GeoPackage
            do {
                package = try open(at: path, mode: .readWrite)
            } catch let error as StoreError {
                throw StoreError(.argument, "refusing to overwrite the existing file: \(error.message)",
                                 at: SourceLocation(file: path))
            }
            let userTables = try package.userTableNames()
            guard userTables.isEmpty else {
                let list = userTables.prefix(5).joined(separator: ", ") + (userTables.count > 5 ? ", …" : "")
                throw StoreError(.argument, "refusing to overwrite the existing GeoPackage: it holds \(userTables.count) user table(s) (\(list))",
                                 at: SourceLocation(file: path))
            }
            try package.database.withTransaction { try package.writeCoreSchema() }
            return package
        }

        // O_EXCL: fail rather than take over a file created since the check above.
        let fd = posixOpen(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw StoreError(.io, "cannot create the GeoPackage: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
        posixClose(fd)
        do {
            let database = try SQLiteDatabase(path: path, mode: .readWrite)
            let package = try GeoPackage(database: database, mode: .readWrite)
            try database.withTransaction { try package.writeCoreSchema() }
            return package
        } catch {
            // Nothing of value is in a half-initialised file; leave no file behind.
            unlink(path)
            unlink(path + "-journal")
            throw error
        }
    }

    // MARK: Checks

    /// Whether something exists at `path` (a broken symlink counts).
    static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The file-level checks of ``open(at:mode:)``, before SQLite sees the file (SQLite would
    /// happily treat a missing or empty path as a new database).
    static func checkSQLiteFile(at path: String) throws {
        let at = SourceLocation(file: path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT {
                throw StoreError(.io, "no such file (opening a GeoPackage never creates it)", at: at)
            }
            throw StoreError(.io, "cannot access the file: \(String(cString: strerror(errno)))", at: at)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw StoreError(.io, "is a directory, not a GeoPackage file", at: at)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw StoreError(.io, "is not a regular file", at: at)
        }
        if info.st_size == 0 {
            throw StoreError(.format, "the file is empty (0 bytes), not a GeoPackage", at: at)
        }
        let fd = posixOpen(path, O_RDONLY, 0)
        guard fd >= 0 else {
            throw StoreError(.io, "cannot open the file: \(String(cString: strerror(errno)))", at: at)
        }
        defer { posixClose(fd) }
        var head = [UInt8](repeating: 0, count: 16)
        let count = head.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, 16) }
        guard count >= 0 else {
            throw StoreError(.io, "cannot read the file: \(String(cString: strerror(errno)))", at: at)
        }
        let expected = Array("SQLite format 3\0".utf8)
        guard count == 16, head == expected else {
            let shown = head.prefix(max(0, count)).map { b -> String in
                (0x20..<0x7F).contains(b) ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16, uppercase: true)
            }.joined()
            throw StoreError(.format, "not an SQLite database, so not a GeoPackage (the file starts with \"\(shown)\", "
                             + "a GeoPackage with \"SQLite format 3\\0\")", at: at)
        }
    }

    /// The SQLite-level checks of ``open(at:mode:)``.
    private func checkGeoPackage() throws {
        let at = SourceLocation(file: path)
        let applicationID: Int32
        do {
            // The first read of the file: a damaged header fails here (SQLITE_NOTADB).
            applicationID = Int32(truncatingIfNeeded: try database.scalar("PRAGMA application_id")?.integerValue ?? 0)
        } catch var error as StoreError {
            error.message = "cannot read the GeoPackage (damaged or not a database): " + error.message
            throw error
        }
        if applicationID != GeoPackage.applicationID {
            if let legacy = GeoPackage.legacyApplicationIDs[applicationID] {
                if mode == .readWrite {
                    throw StoreError(.format, "a GeoPackage 1.0/1.1 file (application_id '\(legacy)') cannot be opened for writing; "
                                     + "open it read-only", at: at)
                }
            } else if applicationID == 0 {
                throw StoreError(.format, "an SQLite database but not a GeoPackage (application_id is 0, expected 0x47504B47 'GPKG')",
                                 at: at)
            } else {
                throw StoreError(.format, "not a GeoPackage: application_id is \(GeoPackage.describeApplicationID(applicationID)), "
                                 + "expected 0x47504B47 'GPKG'", at: at)
            }
        }
        if mode == .readWrite {
            // quick_check: O(file) page and b-tree structure checks without the index cross-checks
            // of integrity_check. Reports up to 10 problems, or the single row "ok".
            let report = try database.rows("PRAGMA quick_check(10)").compactMap { $0.first?.textValue }
            guard report == ["ok"] else {
                throw StoreError(.format, "the file is damaged (SQLite quick_check: \(report.joined(separator: "; ")))", at: at)
            }
        }
        let tables = Set(try database.rows("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            .compactMap { $0.first?.textValue })
        for required in ["gpkg_spatial_ref_sys", "gpkg_contents"] where !tables.contains(required) {
            throw StoreError(.format, "not a valid GeoPackage: the required table \(required) is missing", at: at)
        }
        if !tables.contains("gpkg_geometry_columns"),
           try database.scalar("SELECT count(*) FROM gpkg_contents WHERE data_type = 'features'")?.integerValue ?? 0 > 0 {
            throw StoreError(.format, "not a valid GeoPackage: feature tables are registered but gpkg_geometry_columns is missing", at: at)
        }
    }

    static func describeApplicationID(_ id: Int32) -> String {
        let bytes = withUnsafeBytes(of: UInt32(bitPattern: id).bigEndian) { Array($0) }
        let hex = "0x" + String(UInt32(bitPattern: id), radix: 16, uppercase: true)
        guard bytes.allSatisfy({ (0x20..<0x7F).contains($0) }) else { return hex }
        return "\(hex) '\(String(decoding: bytes, as: UTF8.self))'"
    }

    /// Tables and views that are not part of the GeoPackage, R*Tree or SQLite machinery, plus
    /// every table registered in `gpkg_contents`.
    func userTableNames() throws -> [String] {
        let names = try database.rows("""
            SELECT name FROM sqlite_master
            WHERE type IN ('table', 'view') AND name NOT LIKE 'gpkg\\_%' ESCAPE '\\'
              AND name NOT LIKE 'rtree\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
            UNION SELECT table_name FROM gpkg_contents
            ORDER BY 1
            """).compactMap { $0.first?.textValue }
        return names
    }

    /// Throws unless the file was opened for writing.
    func requireWritable(_ what: String) throws {
        guard mode == .readWrite else {
            throw StoreError(.argument, "cannot \(what): the GeoPackage was opened read-only", at: SourceLocation(file: path))
        }
    }
}

// File-scope wrappers: inside `GeoPackage`, `open` and `close` would name its own members.
private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func posixClose(_ fd: Int32) { _ = close(fd) }
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
