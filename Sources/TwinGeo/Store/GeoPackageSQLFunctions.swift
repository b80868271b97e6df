import CSQLite

/// The SQL functions the GeoPackage R*Tree triggers call: `ST_IsEmpty`, `ST_MinX`, `ST_MaxX`,
/// `ST_MinY`, `ST_MaxY` (GeoPackage 1.3 Annex F.3, "GeoPackage SQLite Extension").
///
/// SQLite has none of them, so every connection that writes to an indexed feature table must
/// register them, or the triggers fail with "no such function: ST_IsEmpty". They read the
/// GeoPackage binary header (the envelope when present: O(1)) and return NULL for a NULL
/// argument; `ST_Min/MaxX/Y` return NULL for an empty geometry. A blob that is not a GeoPackage
/// geometry raises an SQL error with the decoder's message, so the INSERT/UPDATE that fired the
/// trigger fails and its transaction can be rolled back.
enum GeoPackageSQLFunctions {
    /// Registers the five functions on `database`.
    ///
    /// - Throws: ``StoreError`` if SQLite refuses a registration (out of memory).
    static func register(on database: SQLiteDatabase) throws {
        // Deterministic: same input, same output, so SQLite may use them in indexes and
        // constant-fold them. No per-function context: the callbacks capture nothing.
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC
        let functions: [(String, @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void)] = [
            ("ST_IsEmpty", { context, _, args in GeoPackageSQLFunctions.isEmpty(context, args) }),
            ("ST_MinX", { context, _, args in GeoPackageSQLFunctions.bound(context, args) { $0.minX } }),
            ("ST_MaxX", { context, _, args in GeoPackageSQLFunctions.bound(context, args) { $0.maxX } }),
            ("ST_MinY", { context, _, args in GeoPackageSQLFunctions.bound(context, args) { $0.minY } }),
            ("ST_MaxY", { context, _, args in GeoPackageSQLFunctions.bound(context, args) { $0.maxY } }),
        ]
        for (name, function) in functions {
            let rc = sqlite3_create_function_v2(database.handle, name, 1, flags, nil, function, nil, nil, nil)
            guard rc == SQLITE_OK else {
                throw database.error(rc, sql: nil, doing: "cannot register the SQL function \(name)")
            }
        }
    }

    /// The blob argument, or `nil` after setting the result for a NULL (NULL) or a non-blob
    /// (an error) argument.
    private static func blobArgument(_ context: OpaquePointer?, _ args: UnsafeMutablePointer<OpaquePointer?>?) -> UnsafeRawBufferPointer? {
        guard let value = args?[0] else { sqlite3_result_null(context); return nil }
        switch sqlite3_value_type(value) {
        case SQLITE_NULL:
            sqlite3_result_null(context)
            return nil
        case SQLITE_BLOB:
            let pointer = sqlite3_value_blob(value)
            let count = Int(sqlite3_value_bytes(value))
            return UnsafeRawBufferPointer(start: count == 0 ? nil : pointer, count: count)
        default:
            sqlite3_result_error(context, "GeoPackage geometry functions take a BLOB", -1)
            return nil
        }
    }

    fileprivate static func isEmpty(_ context: OpaquePointer?, _ args: UnsafeMutablePointer<OpaquePointer?>?) {
        guard let bytes = blobArgument(context, args) else { return }
        do {
            sqlite3_result_int(context, try GeoPackageBinary.extent(bytes) == nil ? 1 : 0)
        } catch {
            sqlite3_result_error(context, "\(error)", -1)
        }
    }

    fileprivate static func bound(_ context: OpaquePointer?, _ args: UnsafeMutablePointer<OpaquePointer?>?,
                              _ pick: (BoundingBox) -> Double) {
        guard let bytes = blobArgument(context, args) else { return }
        do {
            if let box = try GeoPackageBinary.extent(bytes) {
                sqlite3_result_double(context, pick(box))
            } else {
                sqlite3_result_null(context)
            }
        } catch {
            sqlite3_result_error(context, "\(error)", -1)
        }
    }
}
