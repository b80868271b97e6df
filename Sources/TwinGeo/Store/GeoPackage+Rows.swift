/// Writing and reading rows.
extension GeoPackage {
    // MARK: Transactions

    /// Runs `body` in one transaction: everything it writes is committed together when it
    /// returns, and nothing of it remains when it throws (the file's tables and rows are as
    /// before the call).
    ///
    /// Use one per import: besides atomicity, one transaction makes bulk inserts fast (one
    /// journal sync instead of one per row). Nested calls become savepoints. The
    /// `gpkg_contents` extent and `last_change` of the tables written are updated once, just
    /// before the outermost commit.
    ///
    /// - Throws: the error `body` threw (after rolling back), or ``StoreError`` when SQLite cannot
    ///   begin or commit (e.g. the file is locked by another writer for over 5 s).
    public func withTransaction<T>(_ body: () throws -> T) throws -> T {
        try requireWritable("write")
        let outermost = !database.isInTransaction
        let savedExtents = pendingExtents
        let savedTouched = pendingTouched
        do {
            return try database.withTransaction {
                let result = try body()
                if outermost { try flushPendingContents() }
                return result
            }
        } catch {
            // The rows these extents describe were rolled back with the transaction, and so
            // may be tables created in it: forget what was cached about any of them.
            pendingExtents = savedExtents
            pendingTouched = savedTouched
            tableCache = [:]
            insertStatements = [:]
            throw error
        }
    }

    /// Writes the pending extents and `last_change` times to `gpkg_contents`.
    private func flushPendingContents() throws {
        guard !pendingTouched.isEmpty else { return }
        // min()/max() with several arguments are SQLite's scalar functions; coalesce keeps a
        // NULL (no extent yet) from swallowing the new bound.
        let update = try database.prepare("""
            UPDATE gpkg_contents SET
              min_x = min(coalesce(min_x, ?1), ?1), min_y = min(coalesce(min_y, ?2), ?2),
              max_x = max(coalesce(max_x, ?3), ?3), max_y = max(coalesce(max_y, ?4), ?4),
              last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            WHERE table_name = ?5
            """)
        let touch = try database.prepare("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE table_name = ?")
        for table in pendingTouched.sorted() {
            if let box = pendingExtents[table] {
                try update.execute([.real(box.minX), .real(box.minY), .real(box.maxX), .real(box.maxY), .text(table)])
            } else {
                try touch.execute([.text(table)])
            }
        }
        pendingExtents = [:]
        pendingTouched = []
    }

    // MARK: Writing

    /// Inserts one row into a feature table and returns its `fid`.
    ///
    /// The geometry is stored as GeoPackage binary (header with the column's `srs_id` and the
    /// envelope, then little-endian WKB); the R*Tree trigger indexes it when it is not empty.
    /// Outside ``withTransaction(_:)`` the row is committed at once (slow for many rows).
    ///
    /// - Parameters:
    ///   - table: a feature table.
    ///   - geometry: the geometry, of the column's type; `nil` stores SQL NULL.
    ///   - values: one value per user column, in ``columnNames(table:)`` order.
    /// - Returns: the new row's `fid`.
    /// - Throws: ``StoreError`` (`.notFound` table, `.argument` wrong table kind, value count or
    ///   geometry type, SQLite's constraint errors); `GeometryError` for a geometry WKB cannot
    ///   hold (non-finite coordinate, unclosed ring), naming the table.
    /// - Complexity: O(n) in the geometry's positions, plus SQLite's O(log rows) insert.
    @discardableResult
    public func insertFeature(into table: String, geometry: Geometry?, values: [SQLiteValue] = []) throws -> Int64 {
        try requireWritable("insert into \(table)")
        let info = try tableInfo(table)
        guard let column = info.geometryColumn, let srsID = info.srsID else {
            throw StoreError(.argument, "table \(table) is an \(info.dataType) table: use insertRow(into:values:)",
                             at: SourceLocation(file: path))
        }
        var blob: SQLiteValue = .null
        if let geometry {
            if let type = info.geometryType, !type.accepts(geometry) {
                throw StoreError(.argument, "table \(table): column \(column) holds \(type.rawValue), not \(geometry.typeName)",
                                 at: SourceLocation(file: path, field: column))
            }
            do {
                blob = .blob(try GeoPackageBinary.encode(geometry, srsID: srsID))
            } catch let error as GeometryError {
                var location = (error.location ?? SourceLocation()).inFile(path)
                location.field = column + (location.field.map { ".\($0)" } ?? "")
                throw GeometryError("table \(table): \(error.message)", at: location)
            }
        }
        let fid = try insert(info, [blob] + values)
        if let box = geometry?.boundingBox {
            pendingExtents[table] = (pendingExtents[table] ?? .empty).union(box)
        }
        return fid
    }

    /// Inserts one row into an attribute table and returns its `fid`.
    ///
    /// - Parameter values: one value per column, in ``columnNames(table:)`` order.
    /// - Throws: ``StoreError`` as ``insertFeature(into:geometry:values:)``.
    @discardableResult
    public func insertRow(into table: String, values: [SQLiteValue]) throws -> Int64 {
        try requireWritable("insert into \(table)")
        let info = try tableInfo(table)
        guard info.geometryColumn == nil else {
            throw StoreError(.argument, "table \(table) is a feature table: use insertFeature(into:geometry:values:)",
                             at: SourceLocation(file: path))
        }
        return try insert(info, values)
    }

    /// Runs the table's prepared INSERT with `values` (geometry first for feature tables).
    private func insert(_ info: TableInfo, _ values: [SQLiteValue]) throws -> Int64 {
        let userValues = info.geometryColumn == nil ? values.count : values.count - 1
        guard userValues == info.columns.count else {
            throw StoreError(.argument, "table \(info.name) has \(info.columns.count) columns (\(info.columns.joined(separator: ", "))), "
                             + "\(userValues) values given", at: SourceLocation(file: path))
        }
        let statement: SQLiteStatement
        if let cached = insertStatements[info.name] {
            statement = cached
        } else {
            let names = ([info.geometryColumn].compactMap { $0 } + info.columns).map(GeoPackage.quoteIdentifier)
            let sql = names.isEmpty
                ? "INSERT INTO \(GeoPackage.quoteIdentifier(info.name)) DEFAULT VALUES"
                : "INSERT INTO \(GeoPackage.quoteIdentifier(info.name)) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))"
            statement = try database.prepare(sql)
            insertStatements[info.name] = statement
        }
        if database.isInTransaction {
            try statement.execute(values)
            pendingTouched.insert(info.name)
            return database.lastInsertRowID
        }
        // Autocommit: one transaction so the row and its gpkg_contents update land together.
        return try withTransaction {
            try statement.execute(values)
            pendingTouched.insert(info.name)
            return database.lastInsertRowID
        }
    }

    // MARK: Reading

    /// Calls `body` with every row of a registered table, in `fid` order, geometry decoded.
    ///
    /// Each geometry blob is checked (``GeoPackageBinary/decode(_:options:)``) and its `srs_id`
    /// must be the column's.
    ///
    /// - Parameters:
    ///   - table: a feature or attribute table.
    ///   - columns: the user columns to read, in the order wanted; `nil` for all.
    ///   - options: WKB options (`dropZM: true` to read 3D/measured geometries as 2D).
    /// - Throws: ``StoreError`` (`.notFound` table or column); `FormatError` for a bad geometry,
    ///   naming table, `fid` (`feature`) and column (`field`) and the byte offset in the blob;
    ///   whatever `body` throws.
    public func forEachFeature(in table: String, columns: [String]? = nil, options: WKBReader.Options = WKBReader.Options(),
                               _ body: (GeoPackageFeature) throws -> Void) throws {
        let info = try tableInfo(table)
        let wanted = columns ?? info.columns
        for name in wanted where !info.columns.contains(name) {
            throw StoreError(.notFound, "table \(table) has no column \(name) (columns: \(info.columns.joined(separator: ", ")))",
                             at: SourceLocation(file: path, field: name))
        }
        let selected = [info.primaryKey, info.geometryColumn ?? "NULL"].map { $0 == "NULL" ? $0 : GeoPackage.quoteIdentifier($0) }
            + wanted.map(GeoPackage.quoteIdentifier)
        let statement = try database.prepare(
            "SELECT \(selected.joined(separator: ", ")) FROM \(GeoPackage.quoteIdentifier(info.name)) ORDER BY \(GeoPackage.quoteIdentifier(info.primaryKey))")
        try statement.bind([])
        while try statement.step() {
            let fid = statement.value(at: 0).integerValue ?? 0
            var geometry: Geometry?
            if let column = info.geometryColumn {
                geometry = try statement.withBlob(at: 1) { bytes in
                    try bytes.map {
                        try decodeGeometry($0, info: info, column: column, fid: fid,
                                           storageClass: statement.storageClassName(at: 1), options: options)
                    }
                }
            }
            let values = (0..<wanted.count).map { statement.value(at: 2 + $0) }
            try body(GeoPackageFeature(fid: fid, geometry: geometry, values: values))
        }
    }

    /// Every row of a registered table; see ``forEachFeature(in:columns:options:_:)``.
    ///
    /// - Complexity: O(rows); holds them all in memory.
    public func features(in table: String, columns: [String]? = nil,
                         options: WKBReader.Options = WKBReader.Options()) throws -> [GeoPackageFeature] {
        var rows: [GeoPackageFeature] = []
        try forEachFeature(in: table, columns: columns, options: options) { rows.append($0) }
        return rows
    }

    /// Decodes one geometry cell, with errors naming the file, table, fid and column.
    private func decodeGeometry(_ bytes: UnsafeRawBufferPointer, info: TableInfo, column: String, fid: Int64,
                                storageClass storage: String, options: WKBReader.Options) throws -> Geometry {
        let place = "table \(info.name), fid \(fid), column \(column)"
        func location(_ offset: Int?) -> SourceLocation {
            SourceLocation(file: path, byteOffset: offset, feature: Int(truncatingIfNeeded: fid), field: column)
        }
        guard storage == "BLOB" else {
            throw FormatError("\(place): the geometry is \(storage), not a GeoPackage geometry BLOB", at: location(nil))
        }
        let value: GeoPackageBinary.Value
        do {
            value = try GeoPackageBinary.decode(bytes, options: options)
        } catch let error as FormatError {
            throw FormatError("\(place): \(error.message)", at: location(error.location?.byteOffset))
        }
        if let srsID = info.srsID, value.header.srsID != srsID {
            throw FormatError("\(place): the geometry's srs_id \(value.header.srsID) differs from the column's \(srsID)",
                              at: location(4))
        }
        return value.geometry
    }
}
