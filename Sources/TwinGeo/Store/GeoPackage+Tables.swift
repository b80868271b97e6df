/// Creating and describing user tables.
extension GeoPackage {
    /// What the store needs to know about a user table, read once from `gpkg_contents`,
    /// `gpkg_geometry_columns` and `PRAGMA table_info`.
    struct TableInfo {
        var name: String
        var dataType: String
        /// The integer primary key column (`fid` in tables TwinGeo creates).
        var primaryKey: String
        /// The geometry column of a feature table.
        var geometryColumn: String?
        var geometryType: GeoPackageGeometryType?
        /// The raw `geometry_type_name` (kept for types TwinGeo does not write, e.g. curves).
        var geometryTypeName: String?
        var srsID: Int32?
        /// Every other column, in table order.
        var columns: [String]
    }

    // MARK: Creating tables

    /// Creates a feature table, registers it, and gives it an R*Tree spatial index.
    ///
    /// The table is `fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`, the geometry column of
    /// `geometryType`, then `columns`. It gets a `gpkg_contents` row (`data_type` 'features';
    /// the extent is kept up to date as rows are written), a `gpkg_geometry_columns` row
    /// (z = 0, m = 0), and the `gpkg_rtree_index` extension exactly as GeoPackage 1.3 Annex F.3
    /// defines it: the virtual table `rtree_<table>_<column>`, its six triggers, and a
    /// `gpkg_extensions` row (scope 'write-only'). All in one transaction.
    ///
    /// - Parameters:
    ///   - name: ASCII letters, digits and `_`, not starting with a digit, not starting with
    ///     `gpkg_`, `rtree_` or `sqlite_`, and not already used (SQLite names ignore case).
    ///   - geometryColumn: the geometry column's name (same rules).
    ///   - geometryType: the column's type; inserts of other types are refused.
    ///   - srsID: a `gpkg_spatial_ref_sys` id (4326 by default; 4490 and 4549 are built in).
    ///   - columns: the attribute columns.
    ///   - identifier: `gpkg_contents.identifier` (a human-readable name; default: `name`).
    ///   - description: `gpkg_contents.description`.
    /// - Throws: ``StoreError``: `.argument` for a bad or taken name, `.notFound` for an unknown
    ///   SRS, or SQLite's error.
    public func createFeatureTable(name: String, geometryColumn: String = "geom", geometryType: GeoPackageGeometryType,
                                   srsID: Int32 = 4326, columns: [GeoPackageColumn] = [], identifier: String? = nil,
                                   description: String = "") throws {
        try requireWritable("create table \(name)")
        try checkNewTable(name, columns: columns, geometryColumn: geometryColumn)
        let at = SourceLocation(file: path)
        try withTransaction {
            guard try database.scalar("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?", [.integer(Int64(srsID))]) != nil else {
                throw StoreError(.notFound, "cannot create table \(name): srs_id \(srsID) is not in gpkg_spatial_ref_sys", at: at)
            }
            // A foreign GeoPackage may lack the optional tables; add them (read-write only).
            try database.executeScript(GeoPackage.geometryColumnsTableSQL + GeoPackage.extensionsTableSQL)
            try database.execute(createTableSQL(name, geometry: (geometryColumn, geometryType), columns: columns))
            try database.execute("""
                INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
                VALUES (?, 'features', ?, ?, ?)
                """, [.text(name), .text(identifier ?? name), .text(description), .integer(Int64(srsID))])
            try database.execute("""
                INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m)
                VALUES (?, ?, ?, ?, 0, 0)
                """, [.text(name), .text(geometryColumn), .text(geometryType.rawValue), .integer(Int64(srsID))])
            try database.executeScript(GeoPackage.rtreeSQL(table: name, column: geometryColumn, primaryKey: "fid"))
            try database.execute("""
                INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
                VALUES (?, ?, 'gpkg_rtree_index', ?, 'write-only')
                """, [.text(name), .text(geometryColumn), .text(GeoPackage.rtreeExtensionDefinition)])
        }
        tableCache[name] = nil
    }

    /// Creates an attribute (non-spatial) table and registers it in `gpkg_contents` with
    /// `data_type` 'attributes'.
    ///
    /// The table is `fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL` then `columns`.
    ///
    /// - Parameters: as in ``createFeatureTable(name:geometryColumn:geometryType:srsID:columns:identifier:description:)``.
    /// - Throws: ``StoreError`` (`.argument` for a bad or taken name, or SQLite's error).
    public func createAttributeTable(name: String, columns: [GeoPackageColumn], identifier: String? = nil,
                                     description: String = "") throws {
        try requireWritable("create table \(name)")
        try checkNewTable(name, columns: columns, geometryColumn: nil)
        try withTransaction {
            try database.execute(createTableSQL(name, geometry: nil, columns: columns))
            try database.execute("""
                INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
                VALUES (?, 'attributes', ?, ?)
                """, [.text(name), .text(identifier ?? name), .text(description)])
        }
        tableCache[name] = nil
    }

    private func createTableSQL(_ name: String, geometry: (String, GeoPackageGeometryType)?, columns: [GeoPackageColumn]) -> String {
        var parts = ["\(GeoPackage.quoteIdentifier("fid")) INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"]
        if let (column, type) = geometry { parts.append("\(GeoPackage.quoteIdentifier(column)) \(type.rawValue)") }
        for column in columns {
            parts.append("\(GeoPackage.quoteIdentifier(column.name)) \(column.type.declaration)\(column.notNull ? " NOT NULL" : "")")
        }
        return "CREATE TABLE \(GeoPackage.quoteIdentifier(name)) (\(parts.joined(separator: ", ")))"
    }

    /// Checks the names of a table to be created.
    private func checkNewTable(_ name: String, columns: [GeoPackageColumn], geometryColumn: String?) throws {
        let at = SourceLocation(file: path)
        if let problem = GeoPackage.identifierProblem(name) {
            throw StoreError(.argument, "bad table name \"\(name)\": \(problem)", at: at)
        }
        let lower = name.lowercased()
        for reserved in ["gpkg_", "rtree_", "sqlite_"] where lower.hasPrefix(reserved) {
            throw StoreError(.argument, "bad table name \"\(name)\": names starting with \(reserved) are reserved", at: at)
        }
        var seen: Set<String> = ["fid"]
        var all = columns.map(\.name)
        if let geometryColumn { all.insert(geometryColumn, at: 0) }
        for column in all {
            if let problem = GeoPackage.identifierProblem(column) {
                throw StoreError(.argument, "table \(name): bad column name \"\(column)\": \(problem)", at: SourceLocation(file: path, field: column))
            }
            guard seen.insert(column.lowercased()).inserted else {
                throw StoreError(.argument, "table \(name): column \"\(column)\" is given twice (or is the fid column)",
                                 at: SourceLocation(file: path, field: column))
            }
        }
        let taken = try database.scalar("SELECT name FROM sqlite_master WHERE lower(name) = lower(?)", [.text(name)])
        let registered = try database.scalar("SELECT table_name FROM gpkg_contents WHERE lower(table_name) = lower(?)", [.text(name)])
        if let existing = (taken ?? registered)?.textValue {
            throw StoreError(.argument, "cannot create table \(name): a table named \(existing) already exists", at: at)
        }
    }

    /// Why `name` is not an identifier TwinGeo writes, or `nil`: 1–64 ASCII letters, digits or
    /// `_`, not starting with a digit. Such names need no escaping anywhere (SQL, GDAL layer
    /// names, the R*Tree names built from them) and survive every reader.
    static func identifierProblem(_ name: String) -> String? {
        guard let first = name.utf8.first else { return "the name is empty" }
        if name.utf8.count > 64 { return "longer than 64 characters" }
        if (0x30...0x39).contains(first) { return "starts with a digit" }
        for b in name.utf8 where !((0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F) {
            return "only ASCII letters, digits and _ are allowed"
        }
        return nil
    }

    // MARK: Describing tables

    /// The tables registered in `gpkg_contents`, sorted by name.
    ///
    /// - Parameter dataType: only tables of this type; `nil` for all.
    public func tableNames(dataType: GeoPackageDataType? = nil) throws -> [String] {
        if let dataType {
            return try database.rows("SELECT table_name FROM gpkg_contents WHERE data_type = ? ORDER BY table_name",
                                     [.text(dataType.rawValue)]).compactMap { $0.first?.textValue }
        }
        return try database.rows("SELECT table_name FROM gpkg_contents ORDER BY table_name").compactMap { $0.first?.textValue }
    }

    /// The number of rows of a registered table.
    ///
    /// - Throws: ``StoreError`` (`.notFound`) for a table not in `gpkg_contents`.
    public func rowCount(table: String) throws -> Int {
        let info = try tableInfo(table)
        return Int(try database.scalar("SELECT count(*) FROM \(GeoPackage.quoteIdentifier(info.name))")?.integerValue ?? 0)
    }

    /// The extent recorded in `gpkg_contents` for a table (`nil` while it has no non-empty
    /// geometry, and for attribute tables).
    public func extent(of table: String) throws -> BoundingBox? {
        _ = try tableInfo(table)
        // Pending extents reach gpkg_contents at commit; include them so callers see their writes.
        let row = try database.rows("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", [.text(table)]).first
        var box = BoundingBox.empty
        if let row, let minX = row[0].doubleValue, let minY = row[1].doubleValue,
           let maxX = row[2].doubleValue, let maxY = row[3].doubleValue {
            box = BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
        }
        if let pending = pendingExtents[table] { box = box.union(pending) }
        return box.isEmpty ? nil : box
    }

    /// The user columns of a registered table (all but the primary key and geometry column).
    public func columnNames(table: String) throws -> [String] { try tableInfo(table).columns }

    /// The metadata of a registered table, cached.
    ///
    /// - Throws: ``StoreError`` `.notFound` for a table not in `gpkg_contents`, `.format` for a
    ///   registration the file does not honour (no table, no integer primary key, a feature
    ///   table without its `gpkg_geometry_columns` row).
    func tableInfo(_ name: String) throws -> TableInfo {
        if let cached = tableCache[name] { return cached }
        let at = SourceLocation(file: path)
        guard let dataType = try database.scalar("SELECT data_type FROM gpkg_contents WHERE table_name = ?", [.text(name)])?.textValue else {
            throw StoreError(.notFound, "no table \(name) in gpkg_contents", at: at)
        }
        // PRAGMA table_info: cid, name, type, notnull, dflt_value, pk. No rows: no such table.
        let columns = try database.rows("PRAGMA table_info(\(GeoPackage.quoteIdentifier(name)))")
        guard !columns.isEmpty else {
            throw StoreError(.format, "table \(name) is registered in gpkg_contents but does not exist", at: at)
        }
        let keys = columns.filter { ($0[5].integerValue ?? 0) > 0 }
        guard keys.count == 1, let key = keys[0][1].textValue, keys[0][2].textValue?.uppercased() == "INTEGER" else {
            throw StoreError(.format, "table \(name) has no INTEGER PRIMARY KEY column (GeoPackage 1.3 requirement 29)", at: at)
        }
        var info = TableInfo(name: name, dataType: dataType, primaryKey: key, columns: [])
        if dataType == GeoPackageDataType.features.rawValue {
            guard let row = try database.rows("SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                                              [.text(name)]).first,
                  let column = row[0].textValue, let typeName = row[1].textValue, let srs = row[2].integerValue else {
                throw StoreError(.format, "feature table \(name) has no row in gpkg_geometry_columns", at: at)
            }
            info.geometryColumn = column
            info.geometryTypeName = typeName
            info.geometryType = GeoPackageGeometryType(rawValue: typeName.uppercased())
            info.srsID = Int32(truncatingIfNeeded: srs)
        }
        info.columns = columns.compactMap { $0[1].textValue }.filter {
            $0 != key && $0.lowercased() != info.geometryColumn?.lowercased()
        }
        tableCache[name] = info
        return info
    }
}
