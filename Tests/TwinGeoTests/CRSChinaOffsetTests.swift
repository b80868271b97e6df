import Testing
import TwinGeo

/// GCJ-02 and BD-09 in Swift, without any oracle: the China rectangle, inverse accuracy over
/// the whole country, and the size of the offset in Shanghai.
@Suite struct CRSChinaOffsetTests {
    @Test(arguments: [
        Coordinate(0, 0), Coordinate(-74.006, 40.7128), Coordinate(139.6917, 35.6895),  // New York, Tokyo
        Coordinate(72.0039, 30), Coordinate(137.8348, 40), Coordinate(100, 0.8292), Coordinate(100, 55.8272),
        Coordinate(180, 90), Coordinate(-180, -90),
    ])
    func gcj02IsTheIdentityOutsideChina(_ c: Coordinate) throws {
        #expect(GCJ02.isOutsideChina(c))
        let f = GCJ02.fromWGS84(c), i = GCJ02.toWGS84(c)
        #expect(f.x.bitPattern == c.x.bitPattern && f.y.bitPattern == c.y.bitPattern)
        #expect(i.x.bitPattern == c.x.bitPattern && i.y.bitPattern == c.y.bitPattern)
        #expect(try CoordinateTransform(from: .wgs84, to: .gcj02).transform(c) == c)
        #expect(try CoordinateTransform(from: .gcj02, to: .wgs84).transform(c) == c)
    }

    @Test func theRectangleEdgesAreInside() {
        for c in [Coordinate(72.004, 30), Coordinate(137.8347, 30), Coordinate(100, 0.8293), Coordinate(100, 55.8271)] {
            #expect(!GCJ02.isOutsideChina(c))
            #expect(GCJ02.fromWGS84(c) != c)
        }
    }

    @Test func gcj02OffsetInShanghaiIsAboutHalfAKilometre() {
        // People's Square. The published offset here is about +0.0045° lon, −0.0020° lat (~500 m).
        let w = Coordinate(121.4737, 31.2304)
        let g = GCJ02.fromWGS84(w)
        #expect(g.x - w.x > 0.0040 && g.x - w.x < 0.0050, "lon offset \(g.x - w.x)")
        #expect(g.y - w.y > -0.0026 && g.y - w.y < -0.0015, "lat offset \(g.y - w.y)")
    }

    /// Over a 0.25° grid of China (away from the rectangle's edge, where the offset jumps),
    /// the iterative inverse recovers WGS84 to < 1e-9° both ways.
    @Test func gcj02InverseIsAccurateOverChina() {
        var worstResidual = 0.0, worstRecovery = 0.0, n = 0
        for i in 0...248 {
            for j in 0...208 {
                let w = Coordinate(74.0 + Double(i) * 0.25, 2.0 + Double(j) * 0.25)
                let g = GCJ02.fromWGS84(w)
                let back = GCJ02.toWGS84(g)
                let again = GCJ02.fromWGS84(back)
                worstResidual = max(worstResidual, abs(again.x - g.x), abs(again.y - g.y))
                worstRecovery = max(worstRecovery, abs(back.x - w.x), abs(back.y - w.y))
                n += 1
            }
        }
        #expect(n == 249 * 209)
        #expect(worstResidual < 1e-9, "forward(inverse(g)) off by \(worstResidual)°")
        #expect(worstRecovery < 1e-9, "inverse(forward(w)) off by \(worstRecovery)°")
    }

    /// Why the inverse iterates: the one-step inverse (subtract the offset computed at the GCJ
    /// point) is metres off in Shanghai, far from the 1e-9° required.
    @Test func oneStepInverseWouldNotBeGoodEnough() {
        var worstOneStep = 0.0, worstIterative = 0.0
        for i in 0...20 {
            for j in 0...20 {
                let w = Coordinate(120.85 + Double(i) * 0.0675, 30.67 + Double(j) * 0.0605)
                let g = GCJ02.fromWGS84(w)
                let f = GCJ02.fromWGS84(g)
                let oneStep = Coordinate(2 * g.x - f.x, 2 * g.y - f.y)
                worstOneStep = max(worstOneStep, abs(oneStep.x - w.x), abs(oneStep.y - w.y))
                let it = GCJ02.toWGS84(g)
                worstIterative = max(worstIterative, abs(it.x - w.x), abs(it.y - w.y))
            }
        }
        #expect(worstOneStep > 1e-6, "one-step inverse error \(worstOneStep)°")
        #expect(worstIterative < 1e-9 && worstIterative * 1000 < worstOneStep)
    }

    @Test func bd09RoundTripsOverChina() {
        var worstGCJ = 0.0, worstWGS = 0.0
        for i in 0...62 {
            for j in 0...52 {
                let w = Coordinate(74.0 + Double(i), 2.0 + Double(j))
                let g = GCJ02.fromWGS84(w)
                let b = BD09.fromGCJ02(g)
                let g2 = BD09.toGCJ02(b)
                worstGCJ = max(worstGCJ, abs(g2.x - g.x), abs(g2.y - g.y))
                let w2 = BD09.toWGS84(BD09.fromWGS84(w))
                worstWGS = max(worstWGS, abs(w2.x - w.x), abs(w2.y - w.y))
            }
        }
        #expect(worstGCJ < 1e-9, "BD-09 → GCJ-02 round trip off by \(worstGCJ)°")
        #expect(worstWGS < 1e-9, "BD-09 → WGS84 round trip off by \(worstWGS)°")
    }

    @Test func bd09OffsetInShanghaiIsAboutOneKilometreFromWGS84() {
        let w = Coordinate(121.4737, 31.2304)
        let b = BD09.fromWGS84(w)
        let g = GCJ02.fromWGS84(w)
        #expect(abs(b.x - g.x - 0.0065) < 0.001 && abs(b.y - g.y - 0.006) < 0.001, "BD − GCJ = (\(b.x - g.x), \(b.y - g.y))")
    }

    @Test func nonFiniteInputIsReturnedUnchangedByTheFormulas() {
        let nan = Coordinate(.nan, 31)
        #expect(GCJ02.fromWGS84(nan).x.isNaN && GCJ02.toWGS84(nan).x.isNaN && BD09.toGCJ02(nan).x.isNaN)
    }
}
