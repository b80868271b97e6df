#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// BD-09: Baidu Maps' further offset of GCJ-02. The one place in TwinGeo where its formulas live.
///
/// Forward (GCJ-02 → BD-09) is the published formula with x_pi = π·3000/180:
/// z = √(x² + y²) + 0.00002·sin(y·x_pi), θ = atan2(y, x) + 0.000003·cos(x·x_pi),
/// BD = (z·cos θ + 0.0065, z·sin θ + 0.006). The published inverse (the same with the signs
/// flipped) is only approximate (errors of ~1e-6° to 1e-5°), so ``toGCJ02(_:)`` refines it
/// iteratively; the WGS84 conversions go through ``GCJ02``.
public enum BD09 {
    /// π·3000/180, the angular factor of the BD-09 perturbation.
    static let xPi = Double.pi * 3000.0 / 180.0

    /// GCJ-02 lon/lat → BD-09 lon/lat (applied everywhere, as Baidu does; no China rectangle).
    public static func fromGCJ02(_ gcj: Coordinate) -> Coordinate {
        let x = gcj.x, y = gcj.y
        let z = sqrt(x * x + y * y) + 0.00002 * sin(y * xPi)
        let theta = atan2(y, x) + 0.000003 * cos(x * xPi)
        return Coordinate(z * cos(theta) + 0.0065, z * sin(theta) + 0.006)
    }

    /// BD-09 lon/lat → GCJ-02 lon/lat.
    ///
    /// Starts from the published closed-form inverse, then repeats g ← g − (fromGCJ02(g) − bd)
    /// until a step is below 1e-12°, at most ``GCJ02/maxIterations`` times; the round trip
    /// `fromGCJ02(toGCJ02(bd))` is then within ~1e-13° of `bd`.
    public static func toGCJ02(_ bd: Coordinate) -> Coordinate {
        if !bd.isFinite { return bd }
        let x = bd.x - 0.0065, y = bd.y - 0.006
        let z = sqrt(x * x + y * y) - 0.00002 * sin(y * xPi)
        let theta = atan2(y, x) - 0.000003 * cos(x * xPi)
        var g = Coordinate(z * cos(theta), z * sin(theta))
        var best = g
        var bestResidual = Double.infinity
        for _ in 0..<GCJ02.maxIterations {
            let f = fromGCJ02(g)
            let rx = f.x - bd.x, ry = f.y - bd.y
            let residual = max(abs(rx), abs(ry))
            if residual < bestResidual { bestResidual = residual; best = g }
            let next = Coordinate(g.x - rx, g.y - ry)
            if abs(next.x - g.x) < 1e-12 && abs(next.y - g.y) < 1e-12 { return next }
            g = next
        }
        return best
    }

    /// WGS84 lon/lat → BD-09 lon/lat (through GCJ-02).
    public static func fromWGS84(_ wgs: Coordinate) -> Coordinate {
        fromGCJ02(GCJ02.fromWGS84(wgs))
    }

    /// BD-09 lon/lat → WGS84 lon/lat (through GCJ-02, both inverses iterative).
    public static func toWGS84(_ bd: Coordinate) -> Coordinate {
        GCJ02.toWGS84(toGCJ02(bd))
    }
}
