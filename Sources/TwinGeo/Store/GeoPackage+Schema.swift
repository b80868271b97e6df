/// The GeoPackage 1.3 core schema (Annex C, "Table Definition SQL") and the spatial reference
/// systems every TwinGeo GeoPackage holds.
extension GeoPackage {
    /// `PRAGMA application_id` of a GeoPackage 1.2+ file: `0x47504B47`, ASCII "GPKG".
    public static let applicationID: Int32 = 0x4750_4B47
    /// `application_id` of GeoPackage 1.0 ("GP10") and 1.1 ("GP11") files, accepted read-only.
    public static let legacyApplicationIDs: [Int32: String] = [0x4750_3130: "GP10", 0x4750_3131: "GP11"]
    /// `PRAGMA user_version` written: GeoPackage 1.3.0 (10300).
    public static let userVersion: Int32 = 10300

    /// The `definition` URL registered for the R*Tree extension (GeoPackage 1.2/1.3 Annex F.3).
    static let rtreeExtensionDefinition = "http://www.geopackage.org/spec120/#extension_rtree"

    /// The spatial reference systems written by ``create(at:)``: the three the spec requires
    /// (EPSG:4326, the undefined cartesian -1 and the undefined geographic 0) and the two the
    /// district uses: CGCS2000 geographic (EPSG:4490) and CGCS2000 3-degree Gauss-Krüger
    /// CM 120°E (EPSG:4549, Shanghai's metric CRS).
    ///
    /// Definitions are EPSG WKT1 as PROJ 9.1 exports it (`projinfo EPSG:n -o WKT1_GDAL`), fixed
    /// here so the file's bytes do not depend on the PROJ version installed.
    public static let builtInSpatialReferenceSystems: [GeoPackageSpatialReferenceSystem] = [
        GeoPackageSpatialReferenceSystem(
            name: "Undefined cartesian SRS", id: -1, organization: "NONE", organizationID: -1,
            definition: "undefined", description: "undefined cartesian coordinate reference system"),
        GeoPackageSpatialReferenceSystem(
            name: "Undefined geographic SRS", id: 0, organization: "NONE", organizationID: 0,
            definition: "undefined", description: "undefined geographic coordinate reference system"),
        GeoPackageSpatialReferenceSystem(
            name: "WGS 84 geodetic", id: 4326, organization: "EPSG", organizationID: 4326,
            definition: wkt4326,
            description: "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
        GeoPackageSpatialReferenceSystem(
            name: "China Geodetic Coordinate System 2000", id: 4490, organization: "EPSG", organizationID: 4490,
            definition: wkt4490,
            description: "CGCS2000 longitude/latitude coordinates in decimal degrees"),
        GeoPackageSpatialReferenceSystem(
            name: "CGCS2000 / 3-degree Gauss-Kruger CM 120E", id: 4549, organization: "EPSG", organizationID: 4549,
            definition: wkt4549,
            description: "CGCS2000 Gauss-Kruger easting/northing in metres, central meridian 120E (Shanghai)"),
    ]

    private static let cgcs2000GeogCS = #"GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]]"#
    static let wkt4326 = #"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]"#
    static let wkt4490 = cgcs2000GeogCS
    static let wkt4549 = #"PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 120E","# + cgcs2000GeogCS
        + #",PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",120],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","4549"]]"#

    /// The core tables, as in the spec's Annex C (`IF NOT EXISTS` so that initialising an
    /// existing empty GeoPackage is idempotent).
    static let coreTablesSQL = """
        CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
          srs_name TEXT NOT NULL,
          srs_id INTEGER PRIMARY KEY,
          organization TEXT NOT NULL,
          organization_coordsys_id INTEGER NOT NULL,
          definition  TEXT NOT NULL,
          description TEXT
        );
        CREATE TABLE IF NOT EXISTS gpkg_contents (
          table_name TEXT NOT NULL PRIMARY KEY,
          data_type TEXT NOT NULL,
          identifier TEXT UNIQUE,
          description TEXT DEFAULT '',
          last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE,
          min_y DOUBLE,
          max_x DOUBLE,
          max_y DOUBLE,
          srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
        );
        \(geometryColumnsTableSQL)
        \(extensionsTableSQL)
        """

    static let geometryColumnsTableSQL = """
        CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
          table_name TEXT NOT NULL,
          column_name TEXT NOT NULL,
          geometry_type_name TEXT NOT NULL,
          srs_id INTEGER NOT NULL,
          z TINYINT NOT NULL,
          m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
          CONSTRAINT uk_gc_table_name UNIQUE (table_name),
          CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
        );
        """

    static let extensionsTableSQL = """
        CREATE TABLE IF NOT EXISTS gpkg_extensions (
          table_name TEXT,
          column_name TEXT,
          extension_name TEXT NOT NULL,
          definition TEXT NOT NULL,
          scope TEXT NOT NULL,
          CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
        );
        """

    /// Creates the core tables and rows and sets the header fields. Runs inside the caller's
    /// transaction.
    func writeCoreSchema() throws {
        // Both pragmas write the database header (offsets 68 and 60) and join the transaction.
        try database.execute("PRAGMA application_id = \(GeoPackage.applicationID)")
        try database.execute("PRAGMA user_version = \(GeoPackage.userVersion)")
        try database.executeScript(GeoPackage.coreTablesSQL)
        let insert = try database.prepare("""
            INSERT OR IGNORE INTO gpkg_spatial_ref_sys
              (srs_name, srs_id, organization, organization_coordsys_id, definition, description)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        for srs in GeoPackage.builtInSpatialReferenceSystems {
            try insert.execute([.text(srs.name), .integer(Int64(srs.id)), .text(srs.organization),
                                .integer(Int64(srs.organizationID)), .text(srs.definition),
                                srs.description.map { .text($0) } ?? .null])
        }
    }

    /// The spec's R*Tree DDL (GeoPackage 1.3 Annex F.3): the virtual table and its six
    /// triggers, with `<t>`, `<c>`, `<i>` replaced by the (double-quoted) table, geometry column
    /// and primary key names.
    ///
    /// `update3` is `AFTER UPDATE ON <t>` as corrected in 1.2.1/1.3 (1.2.0 had `AFTER UPDATE OF
    /// <c>`, which missed a primary-key change alone and left a stale index row). GeoPackage 1.4
    /// later renamed it `update5` and split `update1` into `update6`/`update7` for UPSERT; readers
    /// of every version accept this set.
    static func rtreeSQL(table t: String, column c: String, primaryKey i: String) -> String {
        let rtree = quoteIdentifier("rtree_\(t)_\(c)")
        func trigger(_ suffix: String) -> String { quoteIdentifier("rtree_\(t)_\(c)_\(suffix)") }
        let qt = quoteIdentifier(t), qc = quoteIdentifier(c), qi = quoteIdentifier(i)
        return """
            CREATE VIRTUAL TABLE \(rtree) USING rtree(id, minx, maxx, miny, maxy);
            CREATE TRIGGER \(trigger("insert")) AFTER INSERT ON \(qt)
              WHEN (new.\(qc) NOT NULL AND NOT ST_IsEmpty(NEW.\(qc)))
            BEGIN
              INSERT OR REPLACE INTO \(rtree) VALUES (
                NEW.\(qi),
                ST_MinX(NEW.\(qc)), ST_MaxX(NEW.\(qc)),
                ST_MinY(NEW.\(qc)), ST_MaxY(NEW.\(qc))
              );
            END;
            CREATE TRIGGER \(trigger("update1")) AFTER UPDATE OF \(qc) ON \(qt)
              WHEN OLD.\(qi) = NEW.\(qi) AND
                   (NEW.\(qc) NOTNULL AND NOT ST_IsEmpty(NEW.\(qc)))
            BEGIN
              INSERT OR REPLACE INTO \(rtree) VALUES (
                NEW.\(qi),
                ST_MinX(NEW.\(qc)), ST_MaxX(NEW.\(qc)),
                ST_MinY(NEW.\(qc)), ST_MaxY(NEW.\(qc))
              );
            END;
            CREATE TRIGGER \(trigger("update2")) AFTER UPDATE OF \(qc) ON \(qt)
              WHEN OLD.\(qi) = NEW.\(qi) AND
                   (NEW.\(qc) ISNULL OR ST_IsEmpty(NEW.\(qc)))
            BEGIN
              DELETE FROM \(rtree) WHERE id = OLD.\(qi);
            END;
            CREATE TRIGGER \(trigger("update3")) AFTER UPDATE ON \(qt)
              WHEN OLD.\(qi) != NEW.\(qi) AND
                   (NEW.\(qc) NOTNULL AND NOT ST_IsEmpty(NEW.\(qc)))
            BEGIN
              DELETE FROM \(rtree) WHERE id = OLD.\(qi);
              INSERT OR REPLACE INTO \(rtree) VALUES (
                NEW.\(qi),
                ST_MinX(NEW.\(qc)), ST_MaxX(NEW.\(qc)),
                ST_MinY(NEW.\(qc)), ST_MaxY(NEW.\(qc))
              );
            END;
            CREATE TRIGGER \(trigger("update4")) AFTER UPDATE ON \(qt)
              WHEN OLD.\(qi) != NEW.\(qi) AND
                   (NEW.\(qc) ISNULL OR ST_IsEmpty(NEW.\(qc)))
            BEGIN
              DELETE FROM \(rtree) WHERE id IN (OLD.\(qi), NEW.\(qi));
            END;
            CREATE TRIGGER \(trigger("delete")) AFTER DELETE ON \(qt)
              WHEN old.\(qc) NOT NULL
            BEGIN
              DELETE FROM \(rtree) WHERE id = OLD.\(qi);
            END;
            """
    }

    /// `name` as an SQL identifier: double-quoted, inner quotes doubled.
    static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
