import Testing
@testable import TwinGeo

/// Geometries that every reader/writer pair must round-trip exactly (shared by the WKT, WKB
/// and GeoJSON tests): every type, empty at every level, holes, nested collections, and
/// awkward doubles (negative zero, subnormals, extremes, non-terminating binary fractions).
enum WKTSamples {
    static func ring(_ pairs: [(Double, Double)]) -> [Coordinate] { pairs.map { Coordinate($0.0, $0.1) } }

    static let square = ring([(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)])
    static let hole = ring([(2, 2), (2, 4), (4, 4), (4, 2), (2, 2)])
    static let shanghai = ring([(121.4737, 31.2304), (121.4801, 31.2304), (121.4801, 31.2356), (121.4737, 31.2304)])
    static let polygonWithHoles = Polygon(exterior: square, holes: [hole, ring([(6, 6), (6, 8), (8, 8), (6, 6)])])

    static let all: [(String, Geometry)] = [
        ("point", .point(Point(121.4737, 31.2304))),
        ("point empty", .point(.empty)),
        ("negative zero", .point(Point(-0.0, 0.0))),
        ("subnormals", .point(Point(Double.leastNonzeroMagnitude, -2.2250738585072014e-308))),
        ("extremes", .point(Point(1.7976931348623157e308, -1e20))),
        ("fractions", .point(Point(0.1, 1.0 / 3.0))),
        ("projected", .point(Point(500000.123, 3456789.987))),
        ("small exponents", .point(Point(1e-05, -1.5e-7))),
        ("line", .lineString(LineString(ring([(1, 2), (3, 4), (-5.5, 6.25)])))),
        ("line empty", .lineString(.empty)),
        ("polygon", .polygon(Polygon(exterior: shanghai))),
        ("polygon with holes", .polygon(polygonWithHoles)),
        ("polygon empty", .polygon(.empty)),
        ("multipoint", .multiPoint(MultiPoint([Point(1, 2), Point(3, 4)]))),
        ("multipoint with empty member", .multiPoint(MultiPoint([.empty, Point(1, 2)]))),
        ("multipoint empty", .multiPoint(MultiPoint([]))),
        ("multilinestring", .multiLineString(MultiLineString([LineString(ring([(0, 0), (1, 1)])), .empty]))),
        ("multilinestring empty", .multiLineString(MultiLineString([]))),
        ("multipolygon", .multiPolygon(MultiPolygon([polygonWithHoles, Polygon(exterior: shanghai)]))),
        ("multipolygon with empty member", .multiPolygon(MultiPolygon([.empty, Polygon(exterior: square)]))),
        ("multipolygon empty", .multiPolygon(MultiPolygon([]))),
        ("collection", .geometryCollection(GeometryCollection([
            .point(Point(1, 2)), .polygon(polygonWithHoles),
            .geometryCollection(GeometryCollection([.multiPoint(MultiPoint([Point(5, 6)])), .lineString(.empty)])),
            .geometryCollection(GeometryCollection([])),
        ]))),
        ("collection empty", .geometryCollection(GeometryCollection([]))),
        ("collection of empty point", .geometryCollection(GeometryCollection([.point(.empty)]))),
    ]

    static var names: [String] { all.map(\.0) }
    static func named(_ name: String) -> Geometry { all.first { $0.0 == name }!.1 }

    /// The bit patterns of every coordinate, so `-0.0` and `0.0` compare unequal.
    static func bits(_ g: Geometry) -> [UInt64] {
        var out: [UInt64] = []
        g.forEachCoordinate { out.append($0.x.bitPattern); out.append($0.y.bitPattern) }
        return out
    }

    /// Equal structure and bit-identical coordinates.
    static func identical(_ a: Geometry, _ b: Geometry) -> Bool { a == b && bits(a) == bits(b) }

    /// A geometry nested `depth` collections deep.
    static func nested(_ depth: Int) -> Geometry {
        var g = Geometry.point(Point(1, 2))
        for _ in 0..<depth { g = .geometryCollection(GeometryCollection([g])) }
        return g
    }

    /// A deterministic pseudo-random generator (SplitMix64) for fuzz sweeps.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }
}

/// Runs `body` expecting a `FormatError`; returns it (or records a failure and returns nil).
func expectIOFormatError(_ body: () throws -> Void, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> FormatError? {
    do {
        try body()
        Issue.record("expected a FormatError, got success", sourceLocation: sourceLocation)
    } catch let e as FormatError {
        return e
    } catch {
        Issue.record("expected a FormatError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
