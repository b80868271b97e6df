// Asset catalog benchmarks: nearest-10 cameras, cameras that see a point, and the excavation
// check of a 100 m × 20 m pit, each against a GEOS STRtree over the same data in this binary.
import CGEOS
import Glibc
import TwinGeo
import TwinIndex

/// Putuo-sized data (55 km², 21,000 cameras, 20,000 pipe segments), seeded.
func runAssetBenchmarks() {
    var r = SeededRandom(seed: 2026)
    func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * Double(r.next() >> 11) * 0x1p-53 }
    let lon0 = 121.40, lat0 = 31.24, size = 7400.0
    let mLon = 111_320.0 * 0.8549, mLat = 110_574.0
    func at(_ e: Double, _ n: Double) -> Coordinate { Coordinate(lon0 + e / mLon, lat0 + n / mLat) }
    let cameras = (0..<21_000).map { i in
        CameraAsset(id: "C\(i)", location: at(uniform(-size / 2, size / 2), uniform(-size / 2, size / 2)),
                    heading: uniform(0, 360), fieldOfView: i % 10 == 0 ? 360 : uniform(30, 120), rangeMetres: uniform(30, 150))
    }
    let networks = AssetPipeNetwork.allCases
    let pipes = (0..<20_000).map { i -> PipeAsset in
        let e = uniform(-size / 2, size / 2), n = uniform(-size / 2, size / 2)
        let horizontal = i % 2 == 0, length = uniform(40, 200)
        let end = horizontal ? at(e + length, n) : at(e, n + length)
        return PipeAsset(id: "P\(i)", path: .lineString(LineString([at(e, n), end])), network: networks[i % networks.count])
    }
    let catalog: AssetCatalog
    do {
        var built: AssetCatalog?
        let t = bestTime(repeats: 1) { built = try? AssetCatalog(pipes: pipes, cameras: cameras) }
        guard let b = built else { print("assets: catalog build failed"); return }
        catalog = b
        print("assets: catalog of \(cameras.count) cameras + \(pipes.count) pipes built in \(fmt(t * 1000)) ms (projection included)")
    }

    // Query points, projected once (the metric forms are what a batch caller runs per point).
    let n = 200_000
    let queries = (0..<n).map { _ in at(uniform(-size / 2, size / 2), uniform(-size / 2, size / 2)) }
    var xs = queries.map(\.x), ys = queries.map(\.y)
    guard (try? CoordinateTransform(from: .wgs84, to: .epsg(4549)).transform(xs: &xs, ys: &ys)) != nil else { return }

    // Same camera positions and sector boxes for GEOS.
    var cx = cameras.map(\.location.x), cy = cameras.map(\.location.y)
    guard (try? CoordinateTransform(from: .wgs84, to: .epsg(4549)).transform(xs: &cx, ys: &cy)) != nil else { return }
    var pointBoxes: [Double] = []
    for i in 0..<cameras.count { pointBoxes += [cx[i], cy[i], cx[i], cy[i]] }
    let pointTree = RTreeGEOSBaseline(boxes: pointBoxes)
    pointTree.build()

    // 1. Nearest 10 cameras.
    let scratch = RTreeSearchScratch()
    var found: [RTreeNeighbor] = []
    found.reserveCapacity(10)
    var checksum = 0
    let ours = bestTime {
        for i in 0..<n {
            catalog.nearestCameras(x: xs[i], y: ys[i], k: 10, into: &found, scratch: scratch)
            checksum &+= found[0].item
        }
    }
    let baseN = n / 10
    var candidates = [Int](repeating: 0, count: cameras.count)
    let geos = bestTime {
        // GEOS's C API has no k-nearest: query a growing envelope until 10 candidates, then sort.
        for i in 0..<baseN {
            var radius = 50.0
            while true {
                let g = pointTree.rectangle(RTreeGEOSBox(minX: xs[i] - radius, minY: ys[i] - radius, maxX: xs[i] + radius, maxY: ys[i] + radius))
                let count = pointTree.query(g, into: &candidates)
                pointTree.destroy(g)
                if count >= 10 || radius > size {
                    var d = (0..<count).map { j -> Double in
                        let c = candidates[j]; return (cx[c] - xs[i]) * (cx[c] - xs[i]) + (cy[c] - ys[i]) * (cy[c] - ys[i])
                    }
                    d.sort()
                    // Only a candidate within `radius` is certainly among the 10 nearest.
                    if count >= 10 && d[9] <= radius * radius { checksum &+= count; break }
                }
                radius *= 2
            }
        }
    }
    report("assets nearest-10 cameras (21k)", count: n, ours: ours, baseline: geos * Double(n) / Double(baseN),
           baselineName: "GEOS STRtree envelope+sort")

    // 2. Cameras that can see a point.
    var seeing: [RTreeNeighbor] = []
    var seen = 0
    let oursSee = bestTime {
        for i in 0..<n {
            catalog.camerasSeeing(x: xs[i], y: ys[i], into: &seeing, scratch: scratch)
            seen &+= seeing.count
        }
    }
    // GEOS: an STRtree of range envelopes, then the same exact sector test per candidate.
    var rangeBoxes: [Double] = []
    for i in 0..<cameras.count {
        let rr = cameras[i].rangeMetres
        rangeBoxes += [cx[i] - rr, cy[i] - rr, cx[i] + rr, cy[i] + rr]
    }
    let rangeTree = RTreeGEOSBaseline(boxes: rangeBoxes)
    rangeTree.build()
    let gridHeadings = cameras.map(\.heading)  // convergence ignored: the baseline's cost is the same
    let geosSee = bestTime {
        for i in 0..<n {
            let g = rangeTree.point(x: xs[i], y: ys[i])
            let count = rangeTree.query(g, into: &candidates)
            rangeTree.destroy(g)
            for j in 0..<count {
                let c = candidates[j]
                let dx = xs[i] - cx[c], dy = ys[i] - cy[c]
                let d2 = dx * dx + dy * dy
                let range = cameras[c].rangeMetres
                if d2 > range * range { continue }
                var b = atan2(dx, dy) * 180 / .pi
                if b < 0 { b += 360 }
                var delta = abs(b - gridHeadings[c]).truncatingRemainder(dividingBy: 360)
                if delta > 180 { delta = 360 - delta }
                if delta <= cameras[c].fieldOfView / 2 { seen &+= 1 }
            }
        }
    }
    report("assets cameras seeing a point (21k)", count: n, ours: oursSee, baseline: geosSee, baselineName: "GEOS STRtree+sector test")

    // 3. Excavation check: 100 m × 20 m pit, 2 m clearance, GEOS intersection per pipe within it.
    let pits = 2_000
    let back = try? CoordinateTransform(from: .epsg(4549), to: .wgs84)
    let pitPolygons: [Geometry] = (0..<pits).compactMap { i in
        let x = xs[i], y = ys[i]
        let ring = [(0.0, 0.0), (100, 0), (100, 20), (0, 20), (0, 0)].compactMap { try? back?.transform(Coordinate(x + $0.0, y + $0.1)) }
        return .polygon(Polygon(exterior: ring))
    }
    var totalLength = 0.0
    let oursExc = bestTime {
        for pit in pitPolygons {
            if let report = try? catalog.excavationCheck(pit, clearanceMetres: 2) { totalLength += report.totalLengthMetres }
        }
    }
    // GEOS: prebuilt metric pipe geometries in an STRtree; buffer the pit, query, intersect, measure.
    var px = pipes.flatMap { p -> [Double] in if case .lineString(let l) = p.path { l.coordinates.map(\.x) } else { [] } }
    var py = pipes.flatMap { p -> [Double] in if case .lineString(let l) = p.path { l.coordinates.map(\.y) } else { [] } }
    guard (try? CoordinateTransform(from: .wgs84, to: .epsg(4549)).transform(xs: &px, ys: &py)) != nil else { return }
    var pipeBoxes: [Double] = []
    for i in 0..<pipes.count {
        let x0 = px[2 * i], x1 = px[2 * i + 1], y0 = py[2 * i], y1 = py[2 * i + 1]
        pipeBoxes += [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]
    }
    let pipeTree = RTreeGEOSBaseline(boxes: pipeBoxes)
    pipeTree.build()
    let ctx = pipeTree.context
    let pipeGeoms: [OpaquePointer] = (0..<pipes.count).map { i in
        let seq = GEOSCoordSeq_create_r(ctx, 2, 2)!
        GEOSCoordSeq_setXY_r(ctx, seq, 0, px[2 * i], py[2 * i])
        GEOSCoordSeq_setXY_r(ctx, seq, 1, px[2 * i + 1], py[2 * i + 1])
        return GEOSGeom_createLineString_r(ctx, seq)!
    }
    var geosLength = 0.0
    let geosExc = bestTime {
        for i in 0..<pits {
            let x = xs[i], y = ys[i]
            let seq = GEOSCoordSeq_create_r(ctx, 5, 2)!
            for (k, c) in [(0.0, 0.0), (100, 0), (100, 20), (0, 20), (0, 0)].enumerated() {
                GEOSCoordSeq_setXY_r(ctx, seq, UInt32(k), x + c.0, y + c.1)
            }
            let shell = GEOSGeom_createLinearRing_r(ctx, seq)!
            let pit = GEOSGeom_createPolygon_r(ctx, shell, nil, 0)!
            let zone = GEOSBuffer_r(ctx, pit, 2, 16)!
            let count = pipeTree.query(zone, into: &candidates)
            for j in 0..<count {
                if GEOSIntersects_r(ctx, zone, pipeGeoms[candidates[j]]) == 1,  // 1 true, 0 false, 2 exception
                   let inside = GEOSIntersection_r(ctx, zone, pipeGeoms[candidates[j]]) {
                    var length = 0.0
                    if GEOSLength_r(ctx, inside, &length) == 1 { geosLength += length }  // 1 on success
                    GEOSGeom_destroy_r(ctx, inside)
                }
            }
            GEOSGeom_destroy_r(ctx, zone)
            GEOSGeom_destroy_r(ctx, pit)
        }
    }
    for g in pipeGeoms { GEOSGeom_destroy_r(ctx, g) }
    report("assets excavation check 100x20 m (20k pipes)", count: pits, ours: oursExc, baseline: geosExc,
           baselineName: "GEOS STRtree+intersection")
    print("assets: checksums \(checksum) \(seen) \(fmt(totalLength)) m vs GEOS \(fmt(geosLength)) m")
}
