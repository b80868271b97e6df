import Foundation
import Testing
@testable import TwinGeo

/// Excavation checks (智慧工地): a hand-computed case, and the seeded network against shapely.
@Suite struct AssetExcavationTests {
    static let back = Result { try CoordinateTransform(from: .epsg(4549), to: .wgs84) }
    static let forward = Result { try CoordinateTransform(from: .wgs84, to: .epsg(4549)) }

    /// A lon/lat geometry from metric positions relative to the projected fixture centre.
    static func lonLat(_ points: [(Double, Double)]) throws -> [Coordinate] {
        let o = try forward.get().transform(AssetFixture.at(0, 0))
        return try points.map { try back.get().transform(Coordinate(o.x + $0.0, o.y + $0.1)) }
    }

    @Test func pipeAcrossA100By20PitIsMeasuredInMetres() throws {
        // Pit 100 m (east) × 20 m (north); a gas pipe crossing it north–south through the middle,
        // a water pipe 3 m north of it running east–west, a drainage pipe 30 m away.
        let pit = Geometry.polygon(Polygon(exterior: try Self.lonLat([(0, 0), (100, 0), (100, 20), (0, 20), (0, 0)])))
        let pipes = [
            PipeAsset(id: "gas", path: .lineString(LineString(try Self.lonLat([(50, -40), (50, 60)]))), network: .gas),
            PipeAsset(id: "water", path: .lineString(LineString(try Self.lonLat([(-50, 23), (150, 23)]))), network: .waterSupply),
            PipeAsset(id: "drain", path: .lineString(LineString(try Self.lonLat([(-50, 50), (150, 50)]))), network: .drainage),
        ]
        let c = try AssetCatalog(pipes: pipes)
        let plain = try c.excavationCheck(pit)
        #expect(plain.pipes.map(\.id) == ["gas"])
        #expect(abs(plain.pipes[0].lengthInsideMetres - 20) < 1e-6)
        let margin = try c.excavationCheck(pit, clearanceMetres: 5)
        #expect(margin.pipes.map(\.id) == ["gas", "water"])
        // Inside the 5 m buffer: the gas pipe 20 + 2·5 m; the water pipe along the flat side 100 m
        // plus its runs through the rounded corners (2·√(5² − 3²) = 8 m on the true circle).
        #expect(abs(margin.pipes[0].lengthInsideMetres - 30) < 1e-6)
        #expect(abs(margin.pipes[1].distanceMetres - 3) < 1e-6)
        #expect(abs(margin.pipes[1].lengthInsideMetres - 108) < 0.05)
        #expect(margin.lengthByNetwork[.gas]! == margin.pipes[0].lengthInsideMetres)
        #expect(margin.lengthByNetwork[.drainage] == nil)
        #expect(abs(margin.totalLengthMetres - margin.pipes.map(\.lengthInsideMetres).reduce(0, +)) < 1e-9)
        #expect(throws: AssetError.self) { try c.excavationCheck(.point(Point(AssetFixture.at(0, 0)))) }
        #expect(throws: AssetError.self) { try c.excavationCheck(pit, clearanceMetres: -1) }
    }

    @Test func seededNetworkEqualsShapely() throws {
        let f = AssetFixture(seed: 99, count: 1500)
        let c = try f.catalog()
        let t = try Self.forward.get()
        var r = OracleRandom(seed: 5)
        var requests: [String] = []
        var reports: [ExcavationReport] = []
        let pipeWKT = try f.pipes.map { p -> String in
            guard case .lineString(let l) = p.path else { return "" }
            return "LINESTRING(" + (try l.coordinates.map { let m = try t.transform($0); return "\(m.x) \(m.y)" }).joined(separator: ",") + ")"
        }
        for i in 0..<12 {
            let x = r.uniform(-700, 600), y = r.uniform(-700, 600), angle = r.uniform(0, .pi)
            let (ca, sa) = (cos(angle), sin(angle))
            let corners = [(0.0, 0.0), (100, 0), (100, 20), (0, 20), (0, 0)].map { (x + $0.0 * ca - $0.1 * sa, y + $0.0 * sa + $0.1 * ca) }
            let clearance = [0.0, 2, 5][i % 3]
            let pit = Geometry.polygon(Polygon(exterior: try Self.lonLat(corners)))
            reports.append(try c.excavationCheck(pit, clearanceMetres: clearance))
            let o = try t.transform(AssetFixture.at(0, 0))
            let polygon = "POLYGON((" + corners.map { "\(o.x + $0.0) \(o.y + $0.1)" }.joined(separator: ",") + "))"
            requests.append("exc \(clearance) 16 \(polygon)|" + pipeWKT.joined(separator: "|"))
        }
        let lines = try Oracle.run("asset_oracle.py", input: requests.joined(separator: "\n")).split(separator: "\n")
        try #require(lines.count == requests.count)
        var found = 0
        for (i, line) in lines.enumerated() {
            let v = try line.split(separator: " ").map { try Oracle.double($0, line: i) }
            let clearance = reports[i].clearanceMetres
            let got = Dictionary(uniqueKeysWithValues: reports[i].pipes.map { ($0.id, $0) })
            for (j, pipe) in f.pipes.enumerated() {
                let distance = v[2 * j], length = v[2 * j + 1]
                if abs(distance - clearance) < 1e-6 { continue }  // too close to the threshold to call
                #expect((got[pipe.id] != nil) == (distance <= clearance), "pit \(i) pipe \(pipe.id) at \(distance) m")
                if let hit = got[pipe.id] {
                    #expect(abs(hit.distanceMetres - distance) < 1e-6)
                    #expect(abs(hit.lengthInsideMetres - length) < 1e-3, "pit \(i) pipe \(pipe.id): \(hit.lengthInsideMetres) vs \(length)")
                    found += 1
                }
            }
        }
        #expect(found > 5)
    }
}
