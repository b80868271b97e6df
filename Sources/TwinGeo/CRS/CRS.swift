/// A coordinate reference system that TwinGeo accepts on input.
///
/// Names (case-insensitive): `wgs84`, `cgcs2000`, `gcj02`, `bd09`, `EPSG:n`; also the
/// GeoJSON spellings `CRS84`, `urn:ogc:def:crs:OGC:1.3:CRS84`, `urn:ogc:def:crs:EPSG::n`,
/// `EPSG::n`. `EPSG:4326` is `.wgs84` and `EPSG:4490` is `.cgcs2000`.
public enum CRS: Hashable, Sendable, CustomStringConvertible {
    /// WGS84 lon/lat degrees (EPSG:4326, axis order lon, lat). TwinGeo's storage CRS.
    case wgs84
    /// CGCS2000 lon/lat degrees (EPSG:4490); equal to WGS84 to a few centimetres in Shanghai.
    case cgcs2000
    /// GCJ-02, the obfuscated lon/lat of Chinese web maps (AMap, Tencent).
    case gcj02
    /// BD-09, Baidu's further offset of GCJ-02.
    case bd09
    /// Any other EPSG code, through PROJ (e.g. 4549 CGCS2000 3-degree GK CM 120E, 32651 UTM 51N).
    case epsg(Int)

    /// Parses a CRS name; `nil` when the spelling is not one of the accepted forms.
    public init?(name: String) {
        let s = name.trimmingWhitespace().lowercased()
        switch s {
        case "wgs84", "wgs-84", "crs84", "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84":
            self = .wgs84; return
        case "cgcs2000": self = .cgcs2000; return
        case "gcj02", "gcj-02": self = .gcj02; return
        case "bd09", "bd-09": self = .bd09; return
        default: break
        }
        let prefixes = ["urn:ogc:def:crs:epsg::", "urn:ogc:def:crs:epsg:", "epsg::", "epsg:"]
        for prefix in prefixes where s.hasPrefix(prefix) {
            let digits = s.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let code = Int(digits), code > 0 else { return nil }
            self = CRS(epsg: code)
            return
        }
        return nil
    }

    /// The canonical form for an EPSG code (4326 → `.wgs84`, 4490 → `.cgcs2000`).
    public init(epsg code: Int) {
        switch code {
        case 4326: self = .wgs84
        case 4490: self = .cgcs2000
        default: self = .epsg(code)
        }
    }

    /// The name `init(name:)` parses back: `wgs84`, `cgcs2000`, `gcj02`, `bd09`, `EPSG:n`.
    public var description: String {
        switch self {
        case .wgs84: "wgs84"
        case .cgcs2000: "cgcs2000"
        case .gcj02: "gcj02"
        case .bd09: "bd09"
        case .epsg(let code): "EPSG:\(code)"
        }
    }

    /// True for the lon/lat-degree systems TwinGeo handles without PROJ.
    public var isGeographicDegrees: Bool {
        switch self {
        case .wgs84, .cgcs2000, .gcj02, .bd09: true
        case .epsg: false
        }
    }
}

extension String {
    /// The string without leading and trailing ASCII/Unicode whitespace (no Foundation needed).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
