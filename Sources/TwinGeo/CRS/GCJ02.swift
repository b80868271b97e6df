#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GCJ-02 (国测局坐标, "Mars coordinates"): the obfuscated lon/lat of Chinese web maps
/// (AMap/Gaode, Tencent, Google China). The one place in TwinGeo where its formulas live.
///
/// The forward offset is the widely published formula: Krasovsky 1940 ellipsoid constants
/// a = 6378245.0 m and e² = 0.00669342162296594323, the `transformLat`/`transformLon`
/// polynomials around (105°E, 35°N), applied only inside the rectangle lon 72.004…137.8347,
/// lat 0.8293…55.8271 (outside it GCJ-02 equals WGS84). The operation order matches the
/// reference Python code in `Tests/TwinGeoTests/Oracles/crs_oracle.py` exactly, so both give
/// bit-identical results with the same libm.
///
/// The inverse has no closed form. The common one-step inverse (subtract the offset computed at
/// the GCJ point) is up to ~2 m off in Shanghai; ``toWGS84(_:)`` iterates instead to well
/// below 1e-9° (≈ 0.1 mm).
public enum GCJ02 {
    /// Semi-major axis of the Krasovsky 1940 ellipsoid, metres.
    static let a = 6378245.0
    /// First eccentricity squared of the Krasovsky 1940 ellipsoid.
    static let ee = 0.00669342162296594323

    /// Whether GCJ-02 leaves this lon/lat unchanged: outside the rectangle
    /// lon 72.004…137.8347, lat 0.8293…55.8271 (the rectangle's edges are inside).
    @inlinable
    public static func isOutsideChina(_ c: Coordinate) -> Bool {
        c.x < 72.004 || c.x > 137.8347 || c.y < 0.8293 || c.y > 55.8271
    }

    /// WGS84 lon/lat → GCJ-02 lon/lat.
    ///
    /// - Parameter wgs: WGS84 (or CGCS2000) degrees, x = lon, y = lat.
    /// - Returns: the GCJ-02 position; `wgs` itself outside China or when not finite
    ///   (callers that care check `isFinite` first, as ``CoordinateTransform`` does).
    public static func fromWGS84(_ wgs: Coordinate) -> Coordinate {
        if isOutsideChina(wgs) || !wgs.isFinite { return wgs }
        let lon = wgs.x, lat = wgs.y
        var dLat = transformLat(lon - 105.0, lat - 35.0)
        var dLon = transformLon(lon - 105.0, lat - 35.0)
        let radLat = lat / 180.0 * Double.pi
        var magic = sin(radLat)
        magic = 1 - ee * magic * magic
        let sqrtMagic = sqrt(magic)
        dLat = (dLat * 180.0) / ((a * (1 - ee)) / (magic * sqrtMagic) * Double.pi)
        dLon = (dLon * 180.0) / (a / sqrtMagic * cos(radLat) * Double.pi)
        return Coordinate(lon + dLon, lat + dLat)
    }

    /// GCJ-02 lon/lat → WGS84 lon/lat, by fixed-point iteration of the forward offset.
    ///
    /// Starting from w = g, repeats w ← w − (fromWGS84(w) − g) until a step moves less than
    /// 1e-12° in both ordinates, at most ``maxIterations`` times. Each step shrinks the error by
    /// the offset's derivative (below ~3e-3: the fastest term has period 1/3° and amplitude
    /// ~1.2e-4°), so four or five steps take the ~5e-3° offset below 1e-12°. Near the edge of the
    /// China rectangle, where the forward offset jumps to zero, the iteration may not settle;
    /// the iterate with the smallest residual is returned then.
    ///
    /// - Parameter gcj: GCJ-02 degrees, x = lon, y = lat.
    /// - Returns: w with |fromWGS84(w) − gcj| < 1e-9° everywhere away from the rectangle edge.
    public static func toWGS84(_ gcj: Coordinate) -> Coordinate {
        if !gcj.isFinite { return gcj }
        var w = gcj
        var best = gcj
        var bestResidual = Double.infinity
        for _ in 0..<maxIterations {
            let f = fromWGS84(w)
            let rx = f.x - gcj.x, ry = f.y - gcj.y
            let residual = max(abs(rx), abs(ry))
            if residual < bestResidual { bestResidual = residual; best = w }
            let next = Coordinate(w.x - rx, w.y - ry)
            if abs(next.x - w.x) < 1e-12 && abs(next.y - w.y) < 1e-12 { return next }
            w = next
        }
        return best
    }

    /// The bound on ``toWGS84(_:)`` iterations.
    public static let maxIterations = 30

    /// The latitude offset polynomial (before scaling to degrees); x, y relative to (105°, 35°).
    static func transformLat(_ x: Double, _ y: Double) -> Double {
        var ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
        ret += (20.0 * sin(6.0 * x * Double.pi) + 20.0 * sin(2.0 * x * Double.pi)) * 2.0 / 3.0
        ret += (20.0 * sin(y * Double.pi) + 40.0 * sin(y / 3.0 * Double.pi)) * 2.0 / 3.0
        ret += (160.0 * sin(y / 12.0 * Double.pi) + 320 * sin(y * Double.pi / 30.0)) * 2.0 / 3.0
        return ret
    }

    /// The longitude offset polynomial (before scaling to degrees); x, y relative to (105°, 35°).
    static func transformLon(_ x: Double, _ y: Double) -> Double {
        var ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
        ret += (20.0 * sin(6.0 * x * Double.pi) + 20.0 * sin(2.0 * x * Double.pi)) * 2.0 / 3.0
        ret += (20.0 * sin(x * Double.pi) + 40.0 * sin(x / 3.0 * Double.pi)) * 2.0 / 3.0
        ret += (150.0 * sin(x / 12.0 * Double.pi) + 300.0 * sin(x / 30.0 * Double.pi)) * 2.0 / 3.0
        return ret
    }
}
