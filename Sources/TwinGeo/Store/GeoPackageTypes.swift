/// The `data_type` of a table registered in `gpkg_contents`.
public enum GeoPackageDataType: String, Sendable, Hashable, CaseIterable {
    /// A feature table: rows with a geometry column (`gpkg_geometry_columns`).
    case features
    /// An attribute table: rows without geometry (GeoPackage 1.3 §2.4).
    case attributes
    /// A tile pyramid (not written by TwinGeo; listed when found).
    case tiles
}

/// The `geometry_type_name` of a feature table's geometry column (GeoPackage 1.3 Annex G, 2D
/// types). A column accepts values of its type; `GEOMETRY` accepts every type and
/// `GEOMETRYCOLLECTION` also the multi types (its subtypes).
public enum GeoPackageGeometryType: String, Sendable, Hashable, CaseIterable {
    /// Any geometry type.
    case geometry = "GEOMETRY"
    /// Points (cameras, sensors).
    case point = "POINT"
    /// Line strings (pipes).
    case lineString = "LINESTRING"
    /// Polygons (buildings).
    case polygon = "POLYGON"
    /// Multi-points.
    case multiPoint = "MULTIPOINT"
    /// Multi-line strings.
    case multiLineString = "MULTILINESTRING"
    /// Multi-polygons (grid cells: a cell may have several parts).
    case multiPolygon = "MULTIPOLYGON"
    /// Geometry collections, and the multi types.
    case geometryCollection = "GEOMETRYCOLLECTION"

    /// Whether a column of this type may hold `geometry` (the type or one of its subtypes).
    public func accepts(_ geometry: Geometry) -> Bool {
        switch self {
        case .geometry: return true
        case .geometryCollection:
            switch geometry {
            case .multiPoint, .multiLineString, .multiPolygon, .geometryCollection: return true
            default: return false
            }
        default: return geometry.typeName == rawValue
        }
    }
}

/// The declared SQL type of a user column, from the GeoPackage 1.3 data types (§1.1.1.1.1:
/// BOOLEAN, TINYINT, SMALLINT, MEDIUMINT, INTEGER, FLOAT, DOUBLE, TEXT, BLOB, DATE, DATETIME),
/// which GDAL and QGIS map to field types.
public struct GeoPackageColumnType: Hashable, Sendable, CustomStringConvertible {
    /// The text written after the column name in `CREATE TABLE`.
    public let declaration: String

    private init(_ declaration: String) { self.declaration = declaration }

    /// 0 or 1 in an integer (GDAL: boolean field).
    public static let boolean = GeoPackageColumnType("BOOLEAN")
    /// An 8-bit signed integer.
    public static let tinyInt = GeoPackageColumnType("TINYINT")
    /// A 16-bit signed integer.
    public static let smallInt = GeoPackageColumnType("SMALLINT")
    /// A 32-bit signed integer.
    public static let mediumInt = GeoPackageColumnType("MEDIUMINT")
    /// A 64-bit signed integer.
    public static let integer = GeoPackageColumnType("INTEGER")
    /// A 32-bit IEEE float (stored by SQLite as a double).
    public static let float = GeoPackageColumnType("FLOAT")
    /// A 64-bit IEEE double.
    public static let double = GeoPackageColumnType("DOUBLE")
    /// UTF-8 text of any length.
    public static let text = GeoPackageColumnType("TEXT")
    /// Bytes of any length.
    public static let blob = GeoPackageColumnType("BLOB")
    /// ISO-8601 date text (`YYYY-MM-DD`).
    public static let date = GeoPackageColumnType("DATE")
    /// ISO-8601 UTC date-time text (`YYYY-MM-DDTHH:MM:SS.SSSZ`).
    public static let dateTime = GeoPackageColumnType("DATETIME")

    /// `TEXT(n)`: text of at most `maxLength` characters (a hint readers use; SQLite does not
    /// enforce it).
    public static func text(maxLength: Int) -> GeoPackageColumnType { GeoPackageColumnType("TEXT(\(max(1, maxLength)))") }

    /// The declaration, e.g. `TEXT(15)`.
    public var description: String { declaration }
}

/// A user column of a feature or attribute table.
public struct GeoPackageColumn: Hashable, Sendable {
    /// The column name: ASCII letters, digits and `_`, not starting with a digit.
    public var name: String
    /// The declared type.
    public var type: GeoPackageColumnType
    /// Adds `NOT NULL`.
    public var notNull: Bool

    /// A column `name` of `type`, `NOT NULL` when `notNull`.
    public init(_ name: String, _ type: GeoPackageColumnType, notNull: Bool = false) {
        self.name = name
        self.type = type
        self.notNull = notNull
    }
}

/// One row read from a feature or attribute table.
public struct GeoPackageFeature: Hashable, Sendable {
    /// The integer primary key (`fid`).
    public var fid: Int64
    /// The decoded geometry; `nil` for SQL NULL and for attribute tables.
    public var geometry: Geometry?
    /// The requested columns' values, in the order requested.
    public var values: [SQLiteValue]

    /// A row with its primary key, geometry and values.
    public init(fid: Int64, geometry: Geometry?, values: [SQLiteValue]) {
        self.fid = fid
        self.geometry = geometry
        self.values = values
    }
}

/// A row of `gpkg_spatial_ref_sys`: a coordinate reference system a geometry column can use.
public struct GeoPackageSpatialReferenceSystem: Hashable, Sendable {
    /// `srs_name`: a human-readable name.
    public var name: String
    /// The `srs_id` (primary key) that geometry blobs and columns refer to.
    public var id: Int32
    /// The defining organization (`EPSG`, or `NONE` for the undefined systems).
    public var organization: String
    /// The organization's code for it (`organization_coordsys_id`).
    public var organizationID: Int32
    /// WKT (version 1) definition, or `undefined`.
    public var definition: String
    /// A free-text description.
    public var description: String?

    /// A row of `gpkg_spatial_ref_sys`.
    public init(name: String, id: Int32, organization: String, organizationID: Int32, definition: String,
                description: String? = nil) {
        self.name = name
        self.id = id
        self.organization = organization
        self.organizationID = organizationID
        self.definition = definition
        self.description = description
    }
}
