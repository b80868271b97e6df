import Foundation
import Testing
import TwinIndex
@testable import TwinGeo

/// The camera grid answers exactly what the catalog's coverage R-tree answers.
@Suite struct CameraCoverageGridTests {
    /// Random cameras around a point of the district: headings, fields of view (incl. 360°) and ranges (incl. 0).
    static func cameras(_ n: Int, seed: UInt64) -> [CameraAsset] {
        var rng = OracleRandom(seed: seed)
        return (0 ..< n).map { k in
            let lon = 121.40 + rng.uniform(0, 1) * 0.03, lat = 31.24 + rng.uniform(0, 1) * 0.03
            let fov = k % 7 == 0 ? 360 : 10 + rng.uniform(0, 1) * 170
            let range = k % 11 == 0 ? 0 : 5 + rng.uniform(0, 1) * 150
            return CameraAsset(id: "C\(k)", location: Coordinate(lon, lat), heading: rng.uniform(0, 1) * 360, fieldOfView: fov, rangeMetres: range)
        }
    }

    static func sorted(_ hits: [RTreeNeighbor]) -> [RTreeNeighbor] {
        hits.sorted { ($0.item, $0.distance) < ($1.item, $1.distance) }
    }

    /// Query points: random ones (inside and beyond the cameras' extent), every camera's own
    /// position, and points on sector edges and range circles.
    static func points(_ catalog: AssetCatalog, seed: UInt64) -> [(Double, Double)] {
        var rng = OracleRandom(seed: seed)
        var points: [(Double, Double)] = []
        for slot in catalog.cameras.shapes.indices {
            let c = catalog.cameras.shapes[slot]
            points.append((c.x, c.y))
            for side in [-1.0, 1.0] {
                let a = (c.gridHeading + side * c.halfFieldOfView) * Double.pi / 180
                points.append((c.x + c.range * sin(a), c.y + c.range * cos(a)))          // arc end
                points.append((c.x + c.range / 2 * sin(a), c.y + c.range / 2 * cos(a)))  // on the edge
            }
        }
        let xs = catalog.cameras.shapes.map(\.x), ys = catalog.cameras.shapes.map(\.y)
        let (x0, x1, y0, y1) = (xs.min()! - 300, xs.max()! + 300, ys.min()! - 300, ys.max()! + 300)
        for _ in 0 ..< 20_000 { points.append((x0 + rng.uniform(0, 1) * (x1 - x0), y0 + rng.uniform(0, 1) * (y1 - y0))) }
        return points
    }

    @Test func sameCamerasAndDistancesAsTheRTree() throws {
        let catalog = try AssetCatalog(cameras: Self.cameras(2_000, seed: 7))
        for cell in [64.0, 7, 1000] {
            let grid = CameraCoverageGrid(catalog, cellMetres: cell)
            #expect(grid.count == 2_000)
            var fromTree: [RTreeNeighbor] = [], fromGrid: [RTreeNeighbor] = []
            var seen = 0
            for (x, y) in Self.points(catalog, seed: 11) {
                catalog.camerasSeeing(x: x, y: y, into: &fromTree, scratch: RTreeSearchScratch())
                grid.camerasSeeing(x: x, y: y, into: &fromGrid)
                #expect(Self.sorted(fromGrid) == Self.sorted(fromTree), "(\(x), \(y)) cell \(cell)")
                seen += fromTree.count
            }
            #expect(seen > 10_000)   // the points do hit cameras
        }
    }

    @Test func retiredMovedAndAddedCamerasAsTheCatalogHasThem() throws {
        var catalog = try AssetCatalog(cameras: Self.cameras(500, seed: 3))
        for k in stride(from: 0, to: 500, by: 5) { try catalog.retire(.camera, id: "C\(k)") }
        for c in Self.cameras(50, seed: 99) { try catalog.add(.camera(CameraAsset(id: "N" + c.id, location: c.location, heading: c.heading,
                                                                             fieldOfView: c.fieldOfView, rangeMetres: c.rangeMetres))) }
        try catalog.move(.camera, id: "C1", to: Coordinate(121.415, 31.255))
        let grid = CameraCoverageGrid(catalog)
        #expect(grid.count == catalog.count(.camera))
        var fromTree: [RTreeNeighbor] = [], fromGrid: [RTreeNeighbor] = []
        for (x, y) in Self.points(catalog, seed: 5) {
            catalog.camerasSeeing(x: x, y: y, into: &fromTree, scratch: RTreeSearchScratch())
            grid.camerasSeeing(x: x, y: y, into: &fromGrid)
            #expect(Self.sorted(fromGrid) == Self.sorted(fromTree), "(\(x), \(y))")
        }
    }

    @Test func emptyCatalogAndBadPointsSeeNothing() throws {
        let grid = CameraCoverageGrid(try AssetCatalog())
        var hits: [RTreeNeighbor] = [RTreeNeighbor(item: 1, distance: 1)]
        grid.camerasSeeing(x: 0, y: 0, into: &hits)
        #expect(hits.isEmpty && grid.count == 0)
        let one = CameraCoverageGrid(try AssetCatalog(cameras: Self.cameras(1, seed: 1)))
        for (x, y) in [(Double.nan, 0.0), (0, .infinity), (-1e300, 1e300)] {
            one.camerasSeeing(x: x, y: y, into: &hits)
            #expect(hits.isEmpty)
        }
    }
}
