// The events table of the twin file: a GeoPackage feature table (POINT, WGS84, srs_id 4326,
// gpkg_geometry_columns row and R*Tree index like every other geometry table, so QGIS and GDAL
// open it), plus an FTS5 index for keyword search.
//
// | table | columns (after fid, geom) |
// |---|---|
// | events | event_id (unique), time (as written), unix_seconds, category, source, address, description, crs, cells (JSON object layer → cell code) |
// | events_fts | FTS5 (tokenize='trigram'): address_key, description, category; rowid = events.fid |
//
// `address_key` is the address in the address normalizer's folded form (``addressKey(_:)``:
// full-width → ASCII, letters upper case, 號/衖… → 号/弄…, spaces and punctuation dropped,
// Chinese numerals before a unit → digits), and a keyword term is also tried in that form
// against it, so `长寿路５８８弄`, `长寿路 588弄` and `长寿路五百八十八弄` all find each other;
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

    /// An address (or a keyword term) as the address normalizer folds it before parsing
    /// (``AddressNormalizer``, steps 1–3: full-width → ASCII, ASCII letters upper case,
    /// traditional/variant forms → simplified, separators dropped, runs of Chinese numerals
    /// before 弄/号/楼/室… → digits): `长寿路五百八十八弄十二号` → `长寿路588弄12号`. Text the
    /// normalizer refuses (empty, only punctuation, longer than 512 characters) falls back to
    /// ``searchKey(_:)``.
    ///
    /// Indexed as the FTS `address_key` column; old twin files whose key was ``searchKey(_:)``
    /// still match every keyword they matched before (the raw term is searched too).
    static func addressKey(_ text: String) -> String {
        var folded: [UInt32] = []
        guard AddressNormalizer.fold(text, into: &folded) == nil else { return searchKey(text) }
        var out = String.UnicodeScalarView()
        for v in folded { if let u = Unicode.Scalar(v) { out.append(u) } }
        return String(out)
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
