// twin-bench locate: TwinIndex's PartitionLocator against GEOS prepared contains over an
// STRtree, on a ~3,000-cell Voronoi partition of part of Shanghai and 2,000,000 seeded points.
import Dispatch
import Glibc
import TwinIndex

func runLocateBenchmarks() {
    let box = (minX: 121.35, minY: 31.2, maxX: 121.45, maxY: 31.28)
    let partition = VoronoiPartition(columns: 60, rows: 50, box: box, seed: 20_240_601)
    let vertexCounts = partition.cells.map { $0.count / 2 }
    print("locate: \(partition.cells.count) Voronoi cells, \(vertexCounts.min()!)–\(vertexCounts.max()!) vertices "
        + "(\(vertexCounts.reduce(0, +)) in all), shared edges identical")

    var builder = PartitionLocator.Builder()
    var locator: PartitionLocator?
    let buildTime = bestTime(repeats: 1) {
        do {
            for cell in partition.cells { try builder.addCell(rings: [cell]) }
            locator = try builder.finish()
        } catch {
            fatalError("locate: building the partition failed: \(error)")
        }
    }
    guard let locator else { return }
    let s = locator.statistics
    print("locate: built in \(fmt(buildTime * 1e3)) ms: \(s.columns)×\(s.rows) tiles, \(s.pureTiles) pure "
        + "(\(fmt(100 * Double(s.pureTiles) / Double(s.columns * s.rows)))%), \(s.uniqueEdges) edges, \(s.entries) entries")

    let n = 2_000_000
    var rng = SeededRandom(seed: 7)
    func unit() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    var xs = [Double](), ys = [Double]()
    xs.reserveCapacity(n); ys.reserveCapacity(n)
    for _ in 0 ..< n {
        xs.append(box.minX + (box.maxX - box.minX) * unit())
        ys.append(box.minY + (box.maxY - box.minY) * unit())
    }
    var serial = [Int32](repeating: 0, count: n)
    var concurrent = [Int32](repeating: 0, count: n)

    func runSerial() {
        xs.withUnsafeBufferPointer { x in ys.withUnsafeBufferPointer { y in serial.withUnsafeMutableBufferPointer { o in
            try! locator.locate(xs: x, ys: y, into: o)
        } } }
    }
    let oneCoreCPU = bestThreadCPUTime(repeats: 5, runSerial)
    let oneCoreWall = bestTime(repeats: 5, runSerial)
    let allCoresWall = bestTime(repeats: 5) {
        xs.withUnsafeBufferPointer { x in ys.withUnsafeBufferPointer { y in concurrent.withUnsafeMutableBufferPointer { o in
            try! locator.locateConcurrently(xs: x, ys: y, into: o)
        } } }
    }
    let none = serial.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
    print("locate: serial and concurrent results \(serial == concurrent ? "identical" : "DIFFER"); \(none) points in no cell")

    // Grid resolution sweep (one core): the default is `PartitionLocator.Options().tilesPerEdge`.
    for tilesPerEdge in [1.0, 2, 4, 8, 16] {
        guard let tuned = try? builder.finish(options: .init(tilesPerEdge: tilesPerEdge)) else { continue }
        var out = [Int32](repeating: 0, count: n)
        let t = bestThreadCPUTime(repeats: 3) {
            xs.withUnsafeBufferPointer { x in ys.withUnsafeBufferPointer { y in out.withUnsafeMutableBufferPointer { o in
                try! tuned.locate(xs: x, ys: y, into: o)
            } } }
        }
        let st = tuned.statistics
        print("locate: tilesPerEdge \(fmt(tilesPerEdge)): \(fmt(t2ns(t, n))) ns/point (CPU), "
            + "\(fmt(100 * Double(st.pureTiles) / Double(st.columns * st.rows)))% pure of \(st.columns * st.rows) tiles"
            + (out == serial ? "" : " RESULTS DIFFER"))
    }

    // GEOS on a subset (it is ~100× slower); ratios are per point.
    let m = 200_000
    let geos = GEOSLocateBaseline(cells: partition.cells)
    var geosAnswers = [Int](repeating: -1, count: m)
    var geosWall = 0.0
    let geosCPU = bestThreadCPUTime(repeats: 1) {
        geosWall = bestTime(repeats: 1) {
            for i in 0 ..< m { geosAnswers[i] = geos.locate(x: xs[i], y: ys[i]) }
        }
    }
    // GEOS ran on m points; scale its time to n points so both sides are per point.
    let scale = Double(n) / Double(m)
    report("locate 1 core, CPU time (\(n) pts)", count: n, ours: oneCoreCPU, baseline: geosCPU * scale,
           baselineName: "GEOS prepared+STRtree")
    report("locate 1 core, wall time (\(n) pts)", count: n, ours: oneCoreWall, baseline: geosWall * scale,
           baselineName: "GEOS prepared+STRtree")
    report("locate all cores, wall time (\(n) pts)", count: n, ours: allCoresWall, baseline: geosWall * scale,
           baselineName: "GEOS prepared+STRtree (1 core)")
    print("locate: all-cores speed-up over one core (wall) \(fmt(oneCoreWall / allCoresWall))x")

    // Agreement: every point GEOS places strictly inside a cell must get that cell here.
    var interior = 0, disagreements = 0
    for i in 0 ..< m where geosAnswers[i] >= 0 {
        interior += 1
        if Int(serial[i]) != geosAnswers[i] { disagreements += 1 }
    }
    print("locate: agreement with GEOS on \(interior) strictly interior points of \(m): \(disagreements) disagreements")
}
