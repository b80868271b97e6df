import Foundation
import Testing
@testable import TwinGeo

/// Seeded sample assets around Putuo (121.40°E, 31.24°N) and brute-force references computed
/// independently of the catalog (own projection calls, plain loops, simple formulas).
struct AssetFixture {
    static let lon0 = 121.40, lat0 = 31.24
    static let metresPerDegreeLon = 111_320.0 * cos(lat0 * .pi / 180)
    static let metresPerDegreeLat = 110_574.0

    var buildings: [BuildingAsset] = []
    var pipes: [PipeAsset] = []
    var cameras: [CameraAsset] = []
    var sensors: [SensorAsset] = []
    /// Walls shared by two buildings: the west and east building and a point on the wall.
    var sharedWalls: [(west: String, east: String, point: Coordinate)] = []

    static let sensorTypes = ["smoke", "door", "gas", "electrical_fire", "manhole_cover", "water_level", "noise", "parking"]

    /// A position `east`, `north` metres from the centre (approximately; only for making data).
    static func at(_ east: Double, _ north: Double) -> Coordinate {
        Coordinate(lon0 + east / metresPerDegreeLon, lat0 + north / metresPerDegreeLat)
    }

    /// `n` of each kind (buildings and pipes `n`, cameras `n`, sensors `2n`) in a square of `size` metres.
    init(seed: UInt64, count n: Int, size: Double = 2000) {
        var r = OracleRandom(seed: seed)
        // Buildings do not overlap: one (or a pair sharing a wall) per 50 m cell of a grid,
        // row by row; the pair's extent is at most 5 + 20 + 20 = 45 m.
        var b = 0
        let cellsPerRow = Int(size / 50)
        var cell = 0
        while buildings.count < n {
            let x = -size / 2 + Double(cell % cellsPerRow) * 50 + r.uniform(1, 5)
            let y = -size / 2 + Double(cell / cellsPerRow) * 50 + r.uniform(1, 5)
            cell += 1
            let w = r.uniform(10, 20), h = r.uniform(10, 40)
            let sw = Self.at(x, y), ne = Self.at(x + w, y + h)
            func rect(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) -> Geometry {
                .polygon(Polygon(exterior: [Coordinate(minX, minY), Coordinate(maxX, minY), Coordinate(maxX, maxY),
                                            Coordinate(minX, maxY), Coordinate(minX, minY)]))
            }
            let id = String(format: "B%06d", b)
            buildings.append(BuildingAsset(id: id, footprint: rect(sw.x, sw.y, ne.x, ne.y), road: "长寿路", lane: b % 300,
                                           number: b % 17 + 1, floors: r.int(1...30), heightMetres: r.uniform(3, 90), use: "住宅"))
            b += 1
            if b % 10 == 0 && buildings.count < n {
                // A neighbour sharing the east wall exactly (same lon/lat doubles).
                let east = Self.at(x + w + r.uniform(8, 20), y)  // ≤ 45 m from the cell's corner
                let eid = String(format: "B%06d", b)
                buildings.append(BuildingAsset(id: eid, footprint: rect(ne.x, sw.y, east.x, ne.y), road: "长寿路", use: "商业"))
                sharedWalls.append((id, eid, Coordinate(ne.x, (sw.y + ne.y) / 2)))
                b += 1
            }
        }
        for i in 0..<n {
            var pts = [Self.at(r.uniform(-size / 2, size / 2), r.uniform(-size / 2, size / 2))]
            for _ in 0..<r.int(1...3) {
                let last = pts.last!
                pts.append(Coordinate(last.x + r.uniform(-150, 150) / Self.metresPerDegreeLon,
                                      last.y + r.uniform(-150, 150) / Self.metresPerDegreeLat))
            }
            pipes.append(PipeAsset(id: String(format: "P%06d", i), path: .lineString(LineString(pts)),
                                   network: AssetPipeNetwork.allCases[i % 6], diameterMillimetres: 300, depthMetres: 1.5))
        }
        for i in 0..<n {
            var heading = r.uniform(0, 360), fov = r.uniform(30, 120), range = r.uniform(30, 200)
            if i % 20 == 0 { heading = 350; fov = 40 }        // crosses north
            if i % 25 == 0 { fov = 360 }                      // dome
            if i % 30 == 0 { range = 0 }                      // sees only its own point
            cameras.append(CameraAsset(id: String(format: "C%06d", i), location: Self.at(r.uniform(-size / 2, size / 2),
                                       r.uniform(-size / 2, size / 2)), heading: heading, fieldOfView: fov, rangeMetres: range))
        }
        for i in 0..<(2 * n) {
            sensors.append(SensorAsset(id: String(format: "S%07d", i), type: Self.sensorTypes[i % 8],
                                       location: Self.at(r.uniform(-size / 2, size / 2), r.uniform(-size / 2, size / 2))))
        }
    }

    func catalog() throws -> AssetCatalog {
        try AssetCatalog(buildings: buildings, pipes: pipes, cameras: cameras, sensors: sensors)
    }

    /// Random query points over the square plus a margin.
    static func queryPoints(seed: UInt64, count: Int, size: Double = 2200) -> [Coordinate] {
        var r = OracleRandom(seed: seed)
        return (0..<count).map { _ in at(r.uniform(-size / 2, size / 2), r.uniform(-size / 2, size / 2)) }
    }
}

/// The reference: projects with its own transform and measures with plain formulas.
struct AssetBruteForce {
    let t: CoordinateTransform

    init() throws { t = try CoordinateTransform(from: .wgs84, to: .epsg(4549)) }

    func p(_ c: Coordinate) throws -> Coordinate { try t.transform(c) }

    func segmentDistance(_ p: Coordinate, _ a: Coordinate, _ b: Coordinate) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        let t = len2 == 0 ? 0 : max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2))
        return hypot(a.x + t * dx - p.x, a.y + t * dy - p.y)
    }

    func lineDistance(_ p: Coordinate, _ line: [Coordinate]) -> Double {
        zip(line, line.dropFirst()).map { segmentDistance(p, $0, $1) }.min() ?? .infinity
    }

    /// Even-odd ray test (not exact on edges: use with points off the boundary).
    func inside(_ p: Coordinate, _ ring: [Coordinate]) -> Bool {
        var c = false
        for (a, b) in zip(ring, ring.dropFirst()) where (a.y > p.y) != (b.y > p.y) {
            if p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y) { c.toggle() }
        }
        return c
    }

    func ring(_ b: BuildingAsset) throws -> [Coordinate] {
        guard case .polygon(let poly) = b.footprint else { return [] }
        return try poly.exterior.map(p)
    }

    func path(_ pipe: PipeAsset) throws -> [Coordinate] {
        guard case .lineString(let l) = pipe.path else { return [] }
        return try l.coordinates.map(p)
    }

    func buildingDistance(_ q: Coordinate, _ b: BuildingAsset) throws -> Double {
        let r = try ring(b)
        return inside(q, r) ? 0 : lineDistance(q, r)
    }

    /// Whether the camera sees `q` (metric): range, then the true azimuth from the grid bearing
    /// corrected by the bearing of a step north.
    func sees(_ c: CameraAsset, _ q: Coordinate) throws -> Bool {
        let o = try p(c.location)
        let d = hypot(q.x - o.x, q.y - o.y)
        if d > c.rangeMetres { return false }
        if d == 0 || c.fieldOfView >= 360 { return true }
        let n = try p(Coordinate(c.location.x, c.location.y + 1e-5))
        let north = atan2(n.x - o.x, n.y - o.y) * 180 / .pi
        var azimuth = atan2(q.x - o.x, q.y - o.y) * 180 / .pi - north
        azimuth = (azimuth.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360)
        var delta = abs(azimuth - c.heading).truncatingRemainder(dividingBy: 360)
        if delta > 180 { delta = 360 - delta }
        return delta <= c.fieldOfView / 2
    }
}

/// Hits as `id distance` with distances rounded to 1e-6 m, for set comparisons.
func assetKeys(_ hits: [AssetHit]) -> [String] {
    hits.map { "\($0.id) \(($0.distanceMetres * 1e6).rounded() / 1e6)" }.sorted()
}

/// A temporary directory removed when the test ends.
func assetTemporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twingeo-assets-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Expects the same ids with distances equal to 1e-6 m.
func expectSameHits(_ got: [AssetHit], _ want: [(id: String, distance: Double)], _ what: String,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let g = got.sorted { $0.id < $1.id }, w = want.sorted { $0.id < $1.id }
    #expect(g.map(\.id) == w.map(\.id), "\(what): ids differ", sourceLocation: sourceLocation)
    guard g.count == w.count else { return }
    for (a, b) in zip(g, w) where abs(a.distanceMetres - b.distance) > 1e-6 {
        Issue.record("\(what): \(a.id) at \(a.distanceMetres) m, reference \(b.distance) m", sourceLocation: sourceLocation)
    }
}
