import Testing
import TwinGeo

/// TwinGeo's transforms against pyproj and the reference GCJ-02/BD-09 formulas in Python
/// (Oracles/crs_oracle.py), over 2,000 seeded random points in Shanghai.
@Suite struct OracleCRSTests {
    /// One line of crs_oracle.py output.
    struct Row: Sendable {
        var lon, lat, e4549, n4549, lon4326, lat4326, e32651, n32651, x3857, y3857: Double
        var gcj: Coordinate
        var bd: Coordinate
    }

    static let count = 2_000

    /// The oracle runs once per test process; every test reads the same rows.
    static let cached = Result { try load() }

    static func rows() throws -> [Row] { try cached.get() }

    private static func load() throws -> [Row] {
        let text = try Oracle.run("crs_oracle.py", input: "\(count) 20261128\n")
        var rows: [Row] = []
        for (n, line) in text.split(separator: "\n").enumerated() {
            let f = try line.split(separator: " ").map { try Oracle.double($0, line: n + 1) }
            guard f.count == 14 else { throw OracleFailure("crs_oracle.py line \(n + 1): \(f.count) fields, expected 14") }
            rows.append(Row(lon: f[0], lat: f[1], e4549: f[2], n4549: f[3], lon4326: f[4], lat4326: f[5],
                            e32651: f[6], n32651: f[7], x3857: f[8], y3857: f[9],
                            gcj: Coordinate(f[10], f[11]), bd: Coordinate(f[12], f[13])))
        }
        guard rows.count == count else { throw OracleFailure("crs_oracle.py gave \(rows.count) rows, expected \(count)") }
        return rows
    }

    /// The largest |difference| between TwinGeo's batch transform of (xs, ys) and the expected values.
    static func maxError(_ from: CRS, _ to: CRS, _ xs: [Double], _ ys: [Double],
                         _ ex: [Double], _ ey: [Double]) throws -> Double {
        var x = xs, y = ys
        try CoordinateTransform(from: from, to: to).transform(xs: &x, ys: &y)
        var worst = 0.0
        for i in x.indices { worst = max(worst, abs(x[i] - ex[i]), abs(y[i] - ey[i])) }
        return worst
    }

    @Test func projectedTransformsAgreeWithPyprojToOneMillimetre() throws {
        let rows = try Self.rows()
        let lons = rows.map(\.lon), lats = rows.map(\.lat)
        let to4549 = try Self.maxError(.wgs84, .epsg(4549), lons, lats, rows.map(\.e4549), rows.map(\.n4549))
        let to32651 = try Self.maxError(.wgs84, .epsg(32651), lons, lats, rows.map(\.e32651), rows.map(\.n32651))
        let to3857 = try Self.maxError(.wgs84, .epsg(3857), lons, lats, rows.map(\.x3857), rows.map(\.y3857))
        #expect(to4549 < 1e-3, "EPSG:4326 → 4549 differs from pyproj by \(to4549) m")
        #expect(to32651 < 1e-3, "EPSG:4326 → 32651 differs from pyproj by \(to32651) m")
        #expect(to3857 < 1e-3, "EPSG:4326 → 3857 differs from pyproj by \(to3857) m")
        let from4549 = try Self.maxError(.epsg(4549), .wgs84, rows.map(\.e4549), rows.map(\.n4549),
                                         rows.map(\.lon4326), rows.map(\.lat4326))
        #expect(from4549 < 1e-8, "EPSG:4549 → 4326 differs from pyproj by \(from4549)°")
    }

    @Test func singlePointTransformMatchesBatch() throws {
        let rows = try Self.rows().prefix(50)
        let t = try CoordinateTransform(from: .wgs84, to: .epsg(4549))
        for row in rows {
            let p = try t.transform(Coordinate(row.lon, row.lat))
            #expect(abs(p.x - row.e4549) < 1e-3 && abs(p.y - row.n4549) < 1e-3)
        }
    }

    @Test func gcj02ForwardIsBitIdenticalToTheReferenceFormula() throws {
        var mismatches: [String] = []
        for row in try Self.rows() {
            let g = GCJ02.fromWGS84(Coordinate(row.lon, row.lat))
            if g.x.bitPattern != row.gcj.x.bitPattern || g.y.bitPattern != row.gcj.y.bitPattern {
                mismatches.append("(\(row.lon), \(row.lat)): TwinGeo \(g), Python \(row.gcj)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) GCJ-02 results differ, first: \(mismatches.first ?? "")")
    }

    @Test func gcj02InverseRoundTripsBelowOneNanodegree() throws {
        var worstForward = 0.0, worstRecovered = 0.0
        for row in try Self.rows() {
            let w = GCJ02.toWGS84(row.gcj)
            let again = GCJ02.fromWGS84(w)
            worstForward = max(worstForward, abs(again.x - row.gcj.x), abs(again.y - row.gcj.y))
            worstRecovered = max(worstRecovered, abs(w.x - row.lon), abs(w.y - row.lat))
        }
        #expect(worstForward < 1e-9, "forward(inverse(g)) is \(worstForward)° from g")
        #expect(worstRecovered < 1e-9, "inverse(forward(w)) is \(worstRecovered)° from w")
    }

    @Test func bd09AgreesWithTheReferenceFormulaAndRoundTrips() throws {
        var worstForward = 0.0, worstRoundTrip = 0.0, worstToWGS = 0.0
        for row in try Self.rows() {
            let bd = BD09.fromGCJ02(row.gcj)
            worstForward = max(worstForward, abs(bd.x - row.bd.x), abs(bd.y - row.bd.y))
            let gcj = BD09.toGCJ02(row.bd)
            worstRoundTrip = max(worstRoundTrip, abs(gcj.x - row.gcj.x), abs(gcj.y - row.gcj.y))
            let wgs = BD09.toWGS84(row.bd)
            worstToWGS = max(worstToWGS, abs(wgs.x - row.lon), abs(wgs.y - row.lat))
        }
        #expect(worstForward <= 1e-12, "BD-09 forward differs from Python by \(worstForward)°")
        #expect(worstRoundTrip < 1e-9, "BD-09 → GCJ-02 is \(worstRoundTrip)° from the GCJ-02 input")
        #expect(worstToWGS < 1e-9, "BD-09 → WGS84 is \(worstToWGS)° from the WGS84 input")
    }

    @Test func composedTransformsMatchTheFormulas() throws {
        let rows = try Self.rows().prefix(200)
        let xs = rows.map(\.gcj.x), ys = rows.map(\.gcj.y)
        // GCJ-02 → EPSG:4549 equals (GCJ-02 → WGS84 in Swift) then pyproj's 4326 → 4549.
        let err = try Self.maxError(.gcj02, .epsg(4549), xs, ys, rows.map(\.e4549), rows.map(\.n4549))
        #expect(err < 1e-3, "GCJ-02 → EPSG:4549 is \(err) m from pyproj of the original WGS84")
        let bd = try Self.maxError(.wgs84, .bd09, rows.map(\.lon), rows.map(\.lat), rows.map(\.bd.x), rows.map(\.bd.y))
        #expect(bd <= 1e-12, "WGS84 → BD-09 differs from the Python chain by \(bd)°")
    }
}
