import Foundation
import Testing
import TwinGeo

/// `CoordinateTransform` without oracles: errors name the code or the position, identities are
/// exact, compositions agree with the formulas, round trips close.
@Suite struct TransformTests {
    @Test func unknownEPSGCodeIsACRSErrorNamingTheCode() {
        for (from, to) in [(CRS.wgs84, CRS.epsg(999999)), (.epsg(999999), .wgs84), (.gcj02, .epsg(999999))] {
            do {
                _ = try CoordinateTransform(from: from, to: to)
                Issue.record("\(from) → \(to) should fail")
            } catch let error as CRSError {
                #expect(error.message.contains("EPSG:999999"), "message: \(error.message)")
                #expect(error.code == .crs)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func anEPSGCodeThatIsNotACRSIsRefused() {
        // EPSG:7030 is the WGS 84 ellipsoid, not a coordinate reference system.
        #expect { try CoordinateTransform(from: .wgs84, to: .epsg(7030)) } throws: { error in
            (error as? CRSError)?.message.contains("EPSG:7030") == true
        }
    }

    @Test(arguments: [(5773, "vertical"), (4978, "geocentric")])
    func aCRSThatIsNotHorizontalIsRefused(code: Int, kind: String) {
        // EPSG:5773 is EGM96 height, EPSG:4978 WGS 84 geocentric: PROJ would "transform" to them.
        #expect { try CoordinateTransform(from: .wgs84, to: .epsg(code)) } throws: { error in
            guard let e = error as? CRSError else { return false }
            return e.message.contains("EPSG:\(code)") && e.message.contains(kind)
        }
    }

    @Test(arguments: [CRS.epsg(4549), .gcj02, .bd09, .wgs84])
    func nonFiniteInputIsAnErrorNamingTheIndex(_ target: CRS) throws {
        let t = try CoordinateTransform(from: .wgs84, to: target)
        var xs = [121.4, 121.5, .nan, 121.6], ys = [31.2, 31.3, 31.1, .infinity]
        let before = (xs, ys)
        #expect { try t.transform(xs: &xs, ys: &ys) } throws: { error in
            (error as? CRSError)?.message.contains("position 2") == true
        }
        #expect(xs[0...1] == before.0[0...1] && ys == before.1, "arrays are unchanged after an error")
        #expect(throws: CRSError.self) { try t.transform(Coordinate(121.4, .nan)) }
        let line = Geometry.lineString(LineString([Coordinate(121.4, 31.2), Coordinate(121.5, 31.2), Coordinate(-.infinity, 31.3)]))
        #expect { try t.transform(line) } throws: { error in
            (error as? CRSError)?.message.contains("position 2") == true
        }
    }

    @Test func aPositionPROJCannotTransformIsNamed() throws {
        let t = try CoordinateTransform(from: .wgs84, to: .epsg(4549))
        var xs = [121.4, 121.5, 121.6], ys = [31.2, 31.3, 95.0]  // latitude 95° does not exist
        #expect { try t.transform(xs: &xs, ys: &ys) } throws: { error in
            guard let e = error as? CRSError else { return false }
            return e.message.contains("position 2") && e.message.contains("EPSG:4549")
        }
        // The same transform still works for good points afterwards (the error was reset).
        let ok = try t.transform(Coordinate(121.4, 31.2))
        #expect(ok.x.isFinite && ok.y.isFinite)
    }

    @Test func mismatchedBatchLengthsAreAnError() throws {
        var xs = [121.4, 121.5], ys = [31.2]
        #expect(throws: CRSError.self) { try CoordinateTransform(from: .wgs84, to: .gcj02).transform(xs: &xs, ys: &ys) }
    }

    @Test func wgs84AndCGCS2000AreTheSame() throws {
        let c = Coordinate(121.123456789, 31.987654321)
        for (a, b) in [(CRS.wgs84, CRS.cgcs2000), (.cgcs2000, .wgs84), (.gcj02, .gcj02), (.epsg(4549), .epsg(4549))] {
            let t = try CoordinateTransform(from: a, to: b)
            #expect(t.isIdentity)
            #expect(try t.transform(c) == c)
        }
        // Through PROJ, CGCS2000 GK and WGS84 GK agree (PROJ's ballpark: an identity datum shift).
        let viaWGS = try CoordinateTransform(from: .wgs84, to: .epsg(4549)).transform(c)
        let viaCGCS = try CoordinateTransform(from: .cgcs2000, to: .epsg(4549)).transform(c)
        #expect(abs(viaWGS.x - viaCGCS.x) < 1e-6 && abs(viaWGS.y - viaCGCS.y) < 1e-6)
    }

    @Test func gaussKrugerRoundTripIsExact() throws {
        let there = try CoordinateTransform(from: .wgs84, to: .epsg(4549))
        let back = try CoordinateTransform(from: .epsg(4549), to: .wgs84)
        var xs: [Double] = [], ys: [Double] = []
        for i in 0..<100 { xs.append(120.9 + Double(i) * 0.013); ys.append(30.7 + Double(i) * 0.0117) }
        var px = xs, py = ys
        try there.transform(xs: &px, ys: &py)
        #expect(px.allSatisfy { $0 > 480_000 && $0 < 720_000 } && py.allSatisfy { $0 > 3_300_000 && $0 < 3_600_000 },
                "GK CM 120E eastings/northings, x = easting (axis order normalized)")
        try back.transform(xs: &px, ys: &py)
        for i in xs.indices { #expect(abs(px[i] - xs[i]) < 1e-9 && abs(py[i] - ys[i]) < 1e-9) }
    }

    @Test func compositionsAgreeWithTheFormulas() throws {
        let w = Coordinate(121.4737, 31.2304)
        let g = GCJ02.fromWGS84(w)
        #expect(try CoordinateTransform(from: .wgs84, to: .gcj02).transform(w) == g)
        #expect(try CoordinateTransform(from: .gcj02, to: .bd09).transform(g) == BD09.fromGCJ02(g))
        #expect(try CoordinateTransform(from: .bd09, to: .gcj02).transform(BD09.fromGCJ02(g)) == BD09.toGCJ02(BD09.fromGCJ02(g)))
        let b = try CoordinateTransform(from: .wgs84, to: .bd09).transform(w)
        let back = try CoordinateTransform(from: .bd09, to: .wgs84).transform(b)
        #expect(abs(back.x - w.x) < 1e-9 && abs(back.y - w.y) < 1e-9)
        // GCJ-02 → UTM 51N is GCJ-02 → WGS84 (Swift) then WGS84 → UTM (PROJ).
        let direct = try CoordinateTransform(from: .gcj02, to: .epsg(32651)).transform(g)
        let twoSteps = try CoordinateTransform(from: .wgs84, to: .epsg(32651)).transform(GCJ02.toWGS84(g))
        #expect(direct == twoSteps)
        // UTM → GCJ-02 ends in Swift.
        let fromUTM = try CoordinateTransform(from: .epsg(32651), to: .gcj02).transform(direct)
        #expect(abs(fromUTM.x - g.x) < 1e-9 && abs(fromUTM.y - g.y) < 1e-9)
    }

    @Test func geometriesAreTransformedPositionByPosition() throws {
        let ring = [Coordinate(121.40, 31.20), Coordinate(121.41, 31.20), Coordinate(121.41, 31.21), Coordinate(121.40, 31.20)]
        let g = Geometry.multiPolygon(MultiPolygon([Polygon(exterior: ring), .empty]))
        let t = try CoordinateTransform(from: .wgs84, to: .gcj02)
        #expect(try t.transform(g) == g.mapCoordinates(GCJ02.fromWGS84))
        let empty = Geometry.point(.empty)
        #expect(try t.transform(empty) == empty)
        var none: [Double] = [], none2: [Double] = []
        try t.transform(xs: &none, ys: &none2)
    }

    @Test func bufferPointerBatchMatchesArrays() throws {
        let t = try CoordinateTransform(from: .bd09, to: .epsg(3857))
        var xs = (0..<64).map { 121.0 + Double($0) * 0.01 }, ys = (0..<64).map { 31.0 + Double($0) * 0.01 }
        var bx = xs, by = ys
        try t.transform(xs: &xs, ys: &ys)
        try bx.withUnsafeMutableBufferPointer { px in
            try by.withUnsafeMutableBufferPointer { py in try t.transform(xs: px, ys: py) }
        }
        #expect(xs == bx && ys == by)
    }
}
