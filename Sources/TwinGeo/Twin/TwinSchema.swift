/// The tables of a twin file, on top of the GeoPackage 1.3 core (see ``GeoPackage``).
///
/// | table | kind | columns (after `fid`) |
/// |---|---|---|
/// | `twin_meta` | attributes | `key`, `value`: `format` = `twingeo-twin`, `format_version`, `twingeo_version`, `created_at`, `merged_through` |
/// | `twin_layers` | attributes | `layer_name`, `kind`, `table_name`, `version`, `valid_from`, `valid_to`, `parent_layer`, `source_file`, `imported_at`, `cell_count` |
/// | `layer_<n>` | features, MULTIPOLYGON | `code`, `name`, `parent_code`: one table per layer *version* |
/// | `twin_epochs` | attributes | `epoch_id`, `valid_from`, `valid_to`, `layer_versions` |
/// | `twin_merged_cells` | features, MULTIPOLYGON | `epoch_id`, `cell_index`, `area_m2` |
/// | `twin_merged_cell_layers` | attributes | `merged_fid`, `layer_name`, `layer_version`, `cell_fid`, `cell_code` |
/// | `twin_dispatch_rules` | attributes | `category`, `layer_name` |
///
/// * Layer tables have ASCII names (`layer_1`, `layer_2`, … in import order, never reused within
///   a file's history); the human layer name (警务, 居村, …) is in `twin_layers.layer_name` and
///   in the table's `gpkg_contents.identifier`. A cell's index in a layer version is its row's
///   position in `fid` order.
/// * Dates are ISO-8601 UTC text with milliseconds (`2025-03-01T00:00:00.000Z`), NULL for an
///   open end. A version is in force over `[valid_from, valid_to)`; where several versions of a
///   layer are, the highest version number wins.
/// * `twin_epochs.layer_versions` is a JSON object `{"layer name": version, …}` of the versions
///   in force; epochs are maximal intervals over which that set is constant, ordered by time.
/// * A merged cell's layers are rows of `twin_merged_cell_layers` (one per layer in force, none
///   for a layer without a cell there): `cell_fid` is the `fid` in that version's layer table,
///   exact even if a layer had duplicate codes; `cell_code` is for people and other readers.
/// * `twin_meta.merged_through` is the highest `twin_layers.fid` the stored merge includes: a
///   reader refuses a twin whose layers changed since its last merge.
enum TwinSchema {
    static let format = "twingeo-twin"
    /// Bumped on any change readers of older files would misread.
    static let formatVersion = 1

    static let meta = "twin_meta"
    static let layers = "twin_layers"
    static let epochs = "twin_epochs"
    static let mergedCells = "twin_merged_cells"
    static let mergedCellLayers = "twin_merged_cell_layers"
    static let dispatchRules = "twin_dispatch_rules"
    static let layerTablePrefix = "layer_"

    static let metaColumns = [GeoPackageColumn("key", .text, notNull: true), GeoPackageColumn("value", .text)]
    static let layerColumns = [
        GeoPackageColumn("layer_name", .text, notNull: true), GeoPackageColumn("kind", .text, notNull: true),
        GeoPackageColumn("table_name", .text, notNull: true), GeoPackageColumn("version", .integer, notNull: true),
        GeoPackageColumn("valid_from", .dateTime), GeoPackageColumn("valid_to", .dateTime),
        GeoPackageColumn("parent_layer", .text), GeoPackageColumn("source_file", .text),
        GeoPackageColumn("imported_at", .dateTime, notNull: true), GeoPackageColumn("cell_count", .integer, notNull: true),
    ]
    static let cellColumns = [
        GeoPackageColumn("code", .text, notNull: true), GeoPackageColumn("name", .text), GeoPackageColumn("parent_code", .text),
    ]
    static let epochColumns = [
        GeoPackageColumn("epoch_id", .integer, notNull: true), GeoPackageColumn("valid_from", .dateTime),
        GeoPackageColumn("valid_to", .dateTime), GeoPackageColumn("layer_versions", .text, notNull: true),
    ]
    static let mergedCellColumns = [
        GeoPackageColumn("epoch_id", .integer, notNull: true), GeoPackageColumn("cell_index", .integer, notNull: true),
        GeoPackageColumn("area_m2", .double, notNull: true),
    ]
    static let mergedCellLayerColumns = [
        GeoPackageColumn("merged_fid", .integer, notNull: true), GeoPackageColumn("layer_name", .text, notNull: true),
        GeoPackageColumn("layer_version", .integer, notNull: true), GeoPackageColumn("cell_fid", .integer, notNull: true),
        GeoPackageColumn("cell_code", .text, notNull: true),
    ]
    static let dispatchColumns = [
        GeoPackageColumn("category", .text, notNull: true), GeoPackageColumn("layer_name", .text, notNull: true),
    ]

    /// Creates the twin tables in a fresh GeoPackage and writes `twin_meta`, in one transaction.
    static func create(in package: GeoPackage, createdAt: Int64) throws {
        try package.withTransaction {
            try package.createAttributeTable(name: meta, columns: metaColumns, description: "TwinGeo twin file metadata")
            try package.createAttributeTable(name: layers, columns: layerColumns,
                                             description: "TwinGeo layer versions: one row per imported layer version")
            try package.createAttributeTable(name: epochs, columns: epochColumns,
                                             description: "TwinGeo epochs: intervals with a constant set of layer versions")
            try package.createFeatureTable(name: mergedCells, geometryType: .multiPolygon, columns: mergedCellColumns,
                                           description: "TwinGeo merged grid (多格合一): atomic cells per epoch")
            try package.createAttributeTable(name: mergedCellLayers, columns: mergedCellLayerColumns,
                                             description: "TwinGeo merged cells: each layer's cell per atomic cell")
            try package.createAttributeTable(name: dispatchRules, columns: dispatchColumns,
                                             description: "TwinGeo dispatch rules: event category → responsible layer")
            // Look-ups a reader and the builder make by these columns.
            try package.database.execute("CREATE UNIQUE INDEX twin_meta_key ON twin_meta (key)")
            try package.database.execute("CREATE UNIQUE INDEX twin_layers_name_version ON twin_layers (layer_name, version)")
            try package.database.execute("CREATE INDEX twin_merged_cell_layers_fid ON twin_merged_cell_layers (merged_fid)")
            try package.database.execute("CREATE UNIQUE INDEX twin_dispatch_rules_category ON twin_dispatch_rules (category)")
            for (key, value) in [("format", format), ("format_version", String(formatVersion)),
                                 ("twingeo_version", TwinGeoVersion.string), ("created_at", TwinTime.format(createdAt)),
                                 ("merged_through", "0")] {
                try package.insertRow(into: meta, values: [.text(key), .text(value)])
            }
        }
    }

    /// Checks that `package` is a twin this version reads: `twin_meta` says `format` =
    /// `twingeo-twin` with a supported `format_version`, and every twin table is registered.
    ///
    /// - Throws: ``FormatError`` naming the file and what is missing or unsupported.
    static func check(_ package: GeoPackage) throws {
        let at = SourceLocation(file: package.path)
        let registered = Set(try package.tableNames())
        guard registered.contains(meta) else {
            throw FormatError("a GeoPackage but not a TwinGeo twin: it has no \(meta) table (create twins with TwinBuilder.create or twin-tool init)",
                              at: at)
        }
        let values = try metaValues(package)
        guard values["format"] == format else {
            throw FormatError("not a TwinGeo twin: \(meta).format is \(values["format"].map { "\"\($0)\"" } ?? "missing"), expected \"\(format)\"",
                              at: at)
        }
        guard let text = values["format_version"], let version = Int(text), version >= 1 else {
            throw FormatError("\(meta).format_version is \(values["format_version"].map { "\"\($0)\"" } ?? "missing"), expected an integer",
                              at: SourceLocation(file: package.path, field: "format_version"))
        }
        guard version <= formatVersion else {
            throw FormatError("the twin has format version \(version), written by TwinGeo \(values["twingeo_version"] ?? "?"); "
                              + "this TwinGeo (\(TwinGeoVersion.string)) reads up to version \(formatVersion)", at: at)
        }
        for table in [layers, epochs, mergedCells, mergedCellLayers, dispatchRules] where !registered.contains(table) {
            throw FormatError("the twin is incomplete: the table \(table) is missing", at: at)
        }
    }

    /// Every `twin_meta` key and value.
    static func metaValues(_ package: GeoPackage) throws -> [String: String] {
        var values: [String: String] = [:]
        for row in try package.database.rows("SELECT key, value FROM twin_meta") {
            if let key = row[0].textValue { values[key] = row[1].textValue }
        }
        return values
    }

    /// Sets a `twin_meta` value (inside the caller's transaction).
    static func setMeta(_ package: GeoPackage, _ key: String, _ value: String) throws {
        try package.database.execute("UPDATE twin_meta SET value = ? WHERE key = ?", [.text(value), .text(key)])
        if try package.database.scalar("SELECT changes()")?.integerValue == 0 {
            try package.insertRow(into: meta, values: [.text(key), .text(value)])
        }
    }
}
