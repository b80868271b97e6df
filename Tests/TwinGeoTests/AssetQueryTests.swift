import Foundation
import Testing
import TwinIndex
@testable import TwinGeo

/// Every catalog query equals a brute-force scan of the same seeded data.
@Suite struct AssetQueryTests {
    static let fixture = AssetFixture(seed: 2025, count: 1500)
    static let shared = Result { try fixture.catalog() }
    let f = AssetQueryTests.fixture
    var catalog: AssetCatalog { get throws { try AssetQueryTests.shared.get() } }

    @Test func countsAndLookups() throws {
        let c = try catalog
        #expect(c.count(.building) == f.buildings.count)
        #expect(c.count(.pipe) == f.pipes.count)
        #expect(c.count(.camera) == f.cameras.count)
        #expect(c.count(.sensor) == f.sensors.count)
        #expect(c.camera(id: f.cameras[7].id) == f.cameras[7])
        #expect(c.building(id: "nope") == nil)
    }

    @Test func buildingContainingPointEqualsBruteForce() throws {
        let c = try catalog, bf = try AssetBruteForce()
        let rings = try f.buildings.map { try bf.ring($0) }
        var hits = 0
        // Points inside buildings (centres) and random points.
        let centres = f.buildings.prefix(300).map { b -> Coordinate in
            guard case .polygon(let p) = b.footprint else { return Coordinate(0, 0) }
            return Coordinate((p.exterior[0].x + p.exterior[2].x) / 2, (p.exterior[0].y + p.exterior[2].y) / 2)
        }
        for q in centres + AssetFixture.queryPoints(seed: 1, count: 300) {
            let m = try bf.p(q)
            let want = rings.indices.first { bf.inside(m, rings[$0]) }.map { f.buildings[$0].id }
            #expect(try c.building(containing: q) == want, "at \(q)")
            if want != nil { hits += 1 }
        }
        #expect(hits >= 300)
    }

    @Test func pointOnSharedWallBelongsToExactlyOneBuilding() throws {
        let c = try catalog
        #expect(f.sharedWalls.count > 50)
        var exactlyOnWall = 0
        for wall in f.sharedWalls {
            let west = c.buildings.shapes[c.buildings.slotByID[wall.west]!].rings[0]
            let east = c.buildings.shapes[c.buildings.slotByID[wall.east]!].rings[0]
            // The shared wall in metres: the west footprint's east edge (vertices 1 → 2), which is
            // the east footprint's west edge (vertices 0 and 3) bit for bit.
            let (ax, ay, bx, by) = (west[2], west[3], west[4], west[5])
            #expect(ax == east[0] && ay == east[1] && bx == east[6] && by == east[7])
            // Probe points exactly on the wall: its ends, and midpoints that happen to be exactly collinear.
            var probes = [(ax, ay), (bx, by)]
            for t in stride(from: 0.1, to: 0.95, by: 0.1) {
                let x = ax + t * (bx - ax), y = ay + t * (by - ay)
                if LocatorPredicates.orient2d(ax, ay, bx, by, x, y) == 0 && LocatorPredicates.isOnSegment(x, y, ax, ay, bx, by) {
                    probes.append((x, y))
                }
            }
            for (x, y) in probes {
                let slot = c.buildingSlot(containingX: x, y: y, scratch: RTreeSearchScratch())
                let id = c.id(.building, slot: slot)
                #expect(id == wall.west || id == wall.east, "wall \(wall.west)|\(wall.east) at (\(x), \(y)): \(id ?? "none")")
                if (x, y) != (ax, ay) && (x, y) != (bx, by) {
                    // Inside the wall (not a corner): exactly one of the two by the half-open rule,
                    // and it is the one west of the wall.
                    exactlyOnWall += 1
                    let inWest = MetricGeometry.halfOpenContains([west], x, y), inEast = MetricGeometry.halfOpenContains([east], x, y)
                    #expect(inWest != inEast)
                    #expect(id == wall.west)
                }
            }
            // The lon/lat midpoint lands within rounding of the wall: in one of the two.
            let mid = try c.building(containing: wall.point)
            #expect(mid == wall.west || mid == wall.east)
        }
        #expect(exactlyOnWall > 20)
        // A wall of one building only (its south-west corner) still belongs to it.
        let lone = f.buildings[1]
        guard case .polygon(let p) = lone.footprint else { return }
        #expect(try c.building(containing: p.exterior[0]) == lone.id)
    }

    @Test(arguments: [AssetKind.building, .pipe, .camera, .sensor])
    func withinDistanceEqualsBruteForce(kind: AssetKind) throws {
        let c = try catalog, bf = try AssetBruteForce()
        for (i, q) in AssetFixture.queryPoints(seed: 2, count: 40).enumerated() {
            let m = try bf.p(q)
            let d = [0.0, 15, 60, 150][i % 4]
            var want: [(String, Double)] = []
            switch kind {
            case .building: for b in f.buildings { let x = try bf.buildingDistance(m, b); if x <= d { want.append((b.id, x)) } }
            case .pipe: for p in f.pipes { let x = bf.lineDistance(m, try bf.path(p)); if x <= d { want.append((p.id, x)) } }
            case .camera: for o in f.cameras { let x = hypot(try bf.p(o.location).x - m.x, try bf.p(o.location).y - m.y); if x <= d { want.append((o.id, x)) } }
            case .sensor: for s in f.sensors { let x = hypot(try bf.p(s.location).x - m.x, try bf.p(s.location).y - m.y); if x <= d { want.append((s.id, x)) } }
            }
            let got = try c.assets(kind, within: d, of: q)
            expectSameHits(got, want.map { (id: $0.0, distance: $0.1) }, "\(kind) within \(d) m of \(q)")
            #expect(got.map(\.distanceMetres) == got.map(\.distanceMetres).sorted())
        }
    }

    @Test func sensorsOfATypeWithinDistance() throws {
        let c = try catalog, bf = try AssetBruteForce()
        for q in AssetFixture.queryPoints(seed: 3, count: 30) {
            let m = try bf.p(q)
            let want = try f.sensors.filter { $0.type == "manhole_cover" }.compactMap { s -> (id: String, distance: Double)? in
                let p = try bf.p(s.location)
                let d = hypot(p.x - m.x, p.y - m.y)
                return d <= 200 ? (s.id, d) : nil
            }
            expectSameHits(try c.sensors(within: 200, of: q, type: "manhole_cover"), want, "manhole covers near \(q)")
        }
    }

    @Test(arguments: [AssetKind.camera, .pipe, .building])
    func nearestEqualsBruteForce(kind: AssetKind) throws {
        let c = try catalog, bf = try AssetBruteForce()
        for q in AssetFixture.queryPoints(seed: 4, count: 30) {
            let m = try bf.p(q)
            var all: [Double] = []
            switch kind {
            case .camera: all = try f.cameras.map { let p = try bf.p($0.location); return hypot(p.x - m.x, p.y - m.y) }
            case .pipe: all = try f.pipes.map { bf.lineDistance(m, try bf.path($0)) }
            case .building: all = try f.buildings.map { try bf.buildingDistance(m, $0) }
            case .sensor: break
            }
            let want = Array(all.sorted().prefix(10))
            let got = try c.nearest(kind, to: q, k: 10).map(\.distanceMetres)
            #expect(got.count == 10)
            for (a, b) in zip(got, want) { #expect(abs(a - b) < 1e-6, "\(kind) nearest to \(q)") }
        }
        #expect(try c.nearestCameras(to: AssetFixture.at(0, 0), k: 0).isEmpty)
        #expect(throws: AssetError.self) { try c.nearestCameras(to: AssetFixture.at(0, 0), k: -1) }
    }

    @Test func camerasSeeingEqualsBruteForce() throws {
        let c = try catalog, bf = try AssetBruteForce()
        var seen = 0
        // Random points, plus every camera's own position (range 0 cameras see only that).
        for q in AssetFixture.queryPoints(seed: 5, count: 150) + f.cameras.prefix(100).map(\.location) {
            let m = try bf.p(q)
            let want = try f.cameras.filter { try bf.sees($0, m) }.map { o -> (id: String, distance: Double) in
                let p = try bf.p(o.location)
                return (o.id, hypot(p.x - m.x, p.y - m.y))
            }
            let got = try c.camerasSeeing(q)
            expectSameHits(got, want, "cameras seeing \(q)")
            seen += got.count
        }
        #expect(seen > 100)
    }

    @Test(arguments: [AssetKind.building, .pipe, .camera, .sensor])
    func polygonBoxAndCorridorEqualBruteForce(kind: AssetKind) throws {
        let c = try catalog, bf = try AssetBruteForce()
        let sw = AssetFixture.at(-300, -200), ne = AssetFixture.at(250, 300)
        let box = BoundingBox(minX: sw.x, minY: sw.y, maxX: ne.x, maxY: ne.y)
        let boxRing = try [sw, Coordinate(ne.x, sw.y), ne, Coordinate(sw.x, ne.y), sw].map(bf.p)
        let boxPolygonMetric = Geometry.polygon(Polygon(exterior: boxRing))
        // Box: exact reference through GEOS intersects on the metric geometries.
        var want: [(id: String, distance: Double)] = []
        switch kind {
        case .building:
            for b in f.buildings where try boxPolygonMetric.intersects(.polygon(Polygon(exterior: try bf.ring(b)))) { want.append((b.id, 0)) }
        case .pipe:
            for p in f.pipes where try boxPolygonMetric.intersects(.lineString(LineString(try bf.path(p)))) { want.append((p.id, 0)) }
        case .camera:
            for o in f.cameras where bf.inside(try bf.p(o.location), boxRing) { want.append((o.id, 0)) }
        case .sensor:
            for s in f.sensors where bf.inside(try bf.p(s.location), boxRing) { want.append((s.id, 0)) }
        }
        expectSameHits(try c.assets(kind, in: box), want, "\(kind) in box")
        #expect(!want.isEmpty)

        // Corridor: points and pipes against a bent line, distance ≤ 40 m.
        let line = [AssetFixture.at(-800, -700), AssetFixture.at(100, 50), AssetFixture.at(700, -100)]
        let lineMetric = try line.map(bf.p)
        var corridor: [(id: String, distance: Double)] = []
        switch kind {
        case .camera: for o in f.cameras { let d = bf.lineDistance(try bf.p(o.location), lineMetric); if d <= 40 { corridor.append((o.id, d)) } }
        case .sensor: for s in f.sensors { let d = bf.lineDistance(try bf.p(s.location), lineMetric); if d <= 40 { corridor.append((s.id, d)) } }
        case .pipe, .building:
            // Reference via GEOS: intersecting the line means distance 0; others by vertex-to-segment minima.
            let lineGeometry = Geometry.lineString(LineString(lineMetric))
            for (id, shape) in try kind == .pipe ? f.pipes.map { ($0.id, try bf.path($0)) } : f.buildings.map { ($0.id, try bf.ring($0)) } {
                let g: Geometry = kind == .pipe ? .lineString(LineString(shape)) : .polygon(Polygon(exterior: shape))
                var d = try g.intersects(lineGeometry) ? 0.0 : .infinity
                if d > 0 {
                    d = min(shape.map { bf.lineDistance($0, lineMetric) }.min()!, lineMetric.map { bf.lineDistance($0, shape) }.min()!)
                }
                if d <= 40 { corridor.append((id, d)) }
            }
        }
        expectSameHits(try c.assets(kind, alongCorridor: .lineString(LineString(line)), metres: 40), corridor, "\(kind) along corridor")
    }

    @Test func batchFormsEqualSingleQueries() throws {
        let c = try catalog
        let points = AssetFixture.queryPoints(seed: 6, count: 200)
        var lons = points.map(\.x), lats = points.map(\.y)
        lons[3] = .nan  // a bad point gets an empty row, the others are answered
        let k = 5
        var slots = [Int](repeating: 0, count: points.count * k)
        var distances = [Double](repeating: 0, count: points.count * k)
        var buildingSlots = [Int](repeating: 0, count: points.count)
        try lons.withUnsafeBufferPointer { lx in
            try lats.withUnsafeBufferPointer { ly in
                try slots.withUnsafeMutableBufferPointer { s in
                    try distances.withUnsafeMutableBufferPointer { d in
                        try c.nearestCameras(longitudes: lx, latitudes: ly, k: k, slots: s, distances: d)
                    }
                }
                try buildingSlots.withUnsafeMutableBufferPointer { s in
                    try c.buildings(containingLongitudes: lx, latitudes: ly, slots: s)
                }
            }
        }
        let seeing = try c.camerasSeeing(longitudes: lons, latitudes: lats)
        for i in points.indices {
            if i == 3 {
                #expect(slots[3 * k ..< 4 * k].allSatisfy { $0 == -1 } && buildingSlots[3] == -1 && seeing[3].isEmpty)
                continue
            }
            let single = try c.nearestCameras(to: points[i], k: k)
            #expect((0..<k).map { c.id(.camera, slot: slots[i * k + $0]) } == single.map(\.id))
            #expect((0..<k).map { distances[i * k + $0] } == single.map(\.distanceMetres))
            #expect(c.id(.building, slot: buildingSlots[i]) == (try c.building(containing: points[i])))
            #expect(seeing[i] == (try c.camerasSeeing(points[i])))
        }
        // Wrong buffer sizes are refused, naming the sizes.
        var short = [Int](repeating: 0, count: 3)
        #expect(throws: AssetError.self) {
            try lons.withUnsafeBufferPointer { lx in
                try lats.withUnsafeBufferPointer { ly in
                    try short.withUnsafeMutableBufferPointer { try c.nearestCameras(longitudes: lx, latitudes: ly, k: k, slots: $0) }
                }
            }
        }
    }

    @Test func queryCRSIsHonoured() throws {
        let c = try catalog
        let q = AssetFixture.at(120, -80)
        let gcj = GCJ02.fromWGS84(q)
        #expect(try c.nearestCameras(to: gcj, k: 5, crs: .gcj02).map(\.id) == (try c.nearestCameras(to: q, k: 5).map(\.id)))
        let gk = try CoordinateTransform(from: .wgs84, to: .epsg(4549)).transform(q)
        #expect(try c.building(containing: gk, crs: .epsg(4549)) == (try c.building(containing: q)))
        #expect(throws: CRSError.self) { try c.nearestCameras(to: Coordinate(.nan, 31), k: 1) }
    }
}
