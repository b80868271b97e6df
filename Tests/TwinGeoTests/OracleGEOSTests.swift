import Foundation
import Testing
import TwinGeo

/// TwinGeo's GEOS bridge against shapely (Oracles/geos_oracle.py) on seeded random polygons:
/// valid star polygons (some with a hole), self-intersecting bow-ties, and polygons whose hole
/// lies outside the shell. The WKT is written here (not by TwinGeo's IO module) so this test
/// checks only the bridge.
@Suite struct OracleGEOSTests {
    /// Shortest round-trip decimal text of each double: Python reads back the same values.
    static func wkt(_ p: Polygon) -> String {
        func ring(_ r: [Coordinate]) -> String {
            "(" + r.map { "\($0.x) \($0.y)" }.joined(separator: ", ") + ")"
        }
        return "POLYGON (" + p.rings.map(ring).joined(separator: ", ") + ")"
    }

    static func regular(_ c: Coordinate, radius: Double, sides: Int, clockwise: Bool) -> [Coordinate] {
        var r = (0..<sides).map { k -> Coordinate in
            let a = 2 * Double.pi * Double(k) / Double(sides) * (clockwise ? -1 : 1)
            return Coordinate(c.x + radius * cos(a), c.y + radius * sin(a))
        }
        r.append(r[0])
        return r
    }

    /// A random polygon of one of four kinds, around a random centre in [0, 100)².
    static func randomPolygon(_ rng: inout OracleRandom, kind: Int) -> Polygon {
        let c = Coordinate(rng.uniform(20, 80), rng.uniform(20, 80))
        switch kind {
        case 0, 1:  // star: alternating radii at jittered angles; kind 1 has a hole in its kernel
            let n = rng.int(5...12)
            let rMin = rng.uniform(5, 15)
            var ring: [Coordinate] = []
            for k in 0..<n {
                let a = (Double(k) + rng.uniform(-0.3, 0.3)) * 2 * Double.pi / Double(n)
                let r = k % 2 == 0 ? rMin : rMin + rng.uniform(3, 20)
                ring.append(Coordinate(c.x + r * cos(a), c.y + r * sin(a)))
            }
            ring.append(ring[0])
            let holes = kind == 1 ? [regular(c, radius: rMin * 0.3, sides: rng.int(3...8), clockwise: true)] : []
            return Polygon(exterior: ring, holes: holes)
        case 2:  // bow-tie: the exterior crosses itself once
            let w = rng.uniform(4, 30), h = rng.uniform(4, 30)
            return Polygon(exterior: [Coordinate(c.x, c.y), Coordinate(c.x + w, c.y + h), Coordinate(c.x + w, c.y),
                                      Coordinate(c.x, c.y + h), Coordinate(c.x, c.y)])
        default:  // a square with a hole outside it
            let s = rng.uniform(5, 20)
            let shell = [Coordinate(c.x, c.y), Coordinate(c.x + s, c.y), Coordinate(c.x + s, c.y + s),
                         Coordinate(c.x, c.y + s), Coordinate(c.x, c.y)]
            return Polygon(exterior: shell, holes: [regular(Coordinate(c.x + 2 * s, c.y), radius: s / 4, sides: 4, clockwise: true)])
        }
    }

    static func relativeError(_ a: Double, _ b: Double) -> Double {
        abs(a - b) / max(abs(a), abs(b), 1e-300)
    }

    @Test func validityAreasAndOverlaysAgreeWithShapely() throws {
        var rng = OracleRandom(seed: 0x7E0_5EED)
        var cases: [(Polygon, Polygon)] = []
        for i in 0..<120 {
            // Mostly valid pairs (to exercise overlays), one invalid kind in every few cases.
            let kindA = i % 6 == 5 ? 2 : (i % 10 == 9 ? 3 : i % 2)
            let kindB = i % 7 == 6 ? 2 : rng.int(0...1)
            cases.append((Self.randomPolygon(&rng, kind: kindA), Self.randomPolygon(&rng, kind: kindB)))
        }
        let input = cases.enumerated().map { "\($0.offset)\t\(Self.wkt($0.element.0))\t\(Self.wkt($0.element.1))" }
            .joined(separator: "\n") + "\n"
        let lines = try Oracle.run("geos_oracle.py", input: input).split(separator: "\n")
        try #require(lines.count == cases.count, "geos_oracle.py returned \(lines.count) lines for \(cases.count) cases")

        var overlays = 0, invalid = 0
        for (n, line) in lines.enumerated() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(f.count == 12 && Int(f[0]) == n, "geos_oracle.py line \(n + 1) is malformed: \(line)")
            let (a, b) = cases[n]
            for (g, offset) in [(a, 1), (b, 5)] {
                let geometry = Geometry.polygon(g)
                let v = try geometry.validity()
                let expectedValid = f[offset] == "1"
                #expect(v.isValid == expectedValid, "case \(n): TwinGeo valid=\(v.isValid), shapely \(expectedValid): \(Self.wkt(g))")
                let word = v.reason.map { String($0.split(whereSeparator: { $0 == " " || $0 == "[" }).first ?? "") } ?? "Valid"
                #expect(word == String(f[offset + 1]), "case \(n): reason \(v.reason ?? "nil") vs shapely \(f[offset + 1])")
                if !v.isValid {
                    invalid += 1
                    #expect(v.location != nil, "case \(n): an invalid geometry has a location")
                }
                let area = try geometry.planarArea()
                #expect(Self.relativeError(area, try Oracle.double(f[offset + 2], line: n + 1)) <= 1e-9, "case \(n): area")
                let repaired = try geometry.makeValid()
                #expect(try repaired.validity().isValid, "case \(n): makeValid result is valid")
                #expect(Self.relativeError(try repaired.planarArea(), try Oracle.double(f[offset + 3], line: n + 1)) <= 1e-9,
                        "case \(n): area after makeValid")
            }
            guard f[9] != "-" else { continue }
            overlays += 1
            let ga = Geometry.polygon(a), gb = Geometry.polygon(b)
            let expected = try (9...11).map { try Oracle.double(f[$0], line: n + 1) }
            let got = [try ga.intersection(gb).planarArea(), try ga.union(gb).planarArea(), try ga.difference(gb).planarArea()]
            for (name, (x, e)) in zip(["intersection", "union", "difference"], zip(got, expected)) {
                // Disjoint pairs have an empty intersection: compare absolutely at zero.
                #expect(e == 0 ? abs(x) <= 1e-9 : Self.relativeError(x, e) <= 1e-9, "case \(n): \(name) area \(x) vs shapely \(e)")
            }
        }
        // The generator must really produce both kinds, or the test proves little.
        #expect(overlays >= 60 && invalid >= 20, "only \(overlays) overlay cases and \(invalid) invalid polygons")
    }
}
