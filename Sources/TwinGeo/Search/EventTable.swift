// The events table of the twin file: a GeoPackage feature table (POINT, WGS84, srs_id 4326,
// gpkg_geometry_columns row and R*Tree index like every other geometry table, so QGIS and GDAL
// open it), plus an FTS5 index for keyword search.
//
// | table | columns (after fid, geom) |
// |---|---|
// | events | event_id (unique), time (as written), unix_seconds, category, source, address, description, crs, cells (JSON object layer → cell code) |
// | events_fts | FTS5 (tokenize='trigram'): address_key, description, category; rowid = events.fid |
//
// `address_key` is the address with full-width ASCII folded to ASCII and spaces removed (the
// keyword is folded the same way), so a keyword matches `长寿路５８８弄` and `长寿路 588弄` alike;
// the address as written stays in `events`. One index on event_id (unique, for duplicates)
// and one on unix_seconds (time ranges); a category filter reads the time index's rows. The trigram tokenizer indexes every
// three-character window (case-insensitive), which suits Chinese text without a word list:
// any substring of three or more characters is a match. SQLite ≥ 3.34 has it.
enum EventTable {
    static let name = "events"
    static let fts = "events_fts"

    static let columns = [
        GeoPackageColumn("event_id", .text, notNull: true), GeoPackageColumn("time", .text, notNull: true),
        GeoPackageColumn("unix_seconds", .integer, notNull: true), GeoPackageColumn("category", .text),
        GeoPackageColumn("source", .text), GeoPackageColumn("address", .text), GeoPackageColumn("description", .text),
        GeoPackageColumn("crs", .text), GeoPackageColumn("cells", .text),
    ]

    /// Whether the twin has an events table.
    static func exists(in package: GeoPackage) throws -> Bool {
        try package.tableNames().contains(name)
    }

    /// Creates the table, its indexes and the FTS5 index when missing (inside the caller's transaction).
    static func ensure(in package: GeoPackage) throws {
        if try exists(in: package) { return }
        try package.createFeatureTable(name: name, geometryType: .point, srsID: 4326, columns: columns, identifier: name,
                                       description: "TwinGeo events (time, category, source, address, cells)")
        try package.database.executeScript("""
            CREATE UNIQUE INDEX "events_event_id" ON "events" (event_id);
            CREATE INDEX "events_time" ON "events" (unix_seconds);
            CREATE VIRTUAL TABLE "events_fts" USING fts5(address_key, description, category, tokenize = 'trigram');
            """)
    }

    /// The address as the FTS `address_key` column and keyword search see it: full-width ASCII
    /// (U+FF01…U+FF5E) and the ideographic space folded to ASCII, then every space removed.
    static func searchKey(_ text: String) -> String {
        String(searchKeyKeepingSpaces(text).unicodeScalars.filter { $0 != " " })
    }

    /// Full-width ASCII and the ideographic space folded to ASCII; tabs become spaces.
    static func searchKeyKeepingSpaces(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            var v = c.value
            if (0xFF01 ... 0xFF5E).contains(v) { v -= 0xFEE0 } else if v == 0x3000 || v == 0x09 { v = 0x20 }
            out.append(Unicode.Scalar(v)!)
        }
        return String(out)
    }
}
