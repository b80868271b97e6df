/// The byte order of a WKB value: the first byte of every (sub)geometry, 0 = big-endian
/// (XDR), 1 = little-endian (NDR).
public enum WKBByteOrder: UInt8, Sendable, Hashable {
    case bigEndian = 0
    case littleEndian = 1
}

/// WKB geometry type codes shared by reader and writer.
enum WKBTypeCode {
    static let point: UInt32 = 1
    static let lineString: UInt32 = 2
    static let polygon: UInt32 = 3
    static let multiPoint: UInt32 = 4
    static let multiLineString: UInt32 = 5
    static let multiPolygon: UInt32 = 6
    static let geometryCollection: UInt32 = 7

    /// EWKB (PostGIS) flag bits in the type word.
    static let ewkbZ: UInt32 = 0x8000_0000
    static let ewkbM: UInt32 = 0x4000_0000
    static let ewkbSRID: UInt32 = 0x2000_0000

    /// The NaN that GEOS and ISO writers use for the empty point's ordinates.
    static let emptyPointNaNBits: UInt64 = 0x7FF8_0000_0000_0000

    static func name(_ base: UInt32) -> String {
        switch base {
        case point: "Point"
        case lineString: "LineString"
        case polygon: "Polygon"
        case multiPoint: "MultiPoint"
        case multiLineString: "MultiLineString"
        case multiPolygon: "MultiPolygon"
        default: "GeometryCollection"
        }
    }
}
