// `twin-bench rtree`: PackedRTree against a GEOS STRtree on the same 1 M seeded boxes in
// the same binary: bulk load, k nearest, box queries, and memory per box.
import Dispatch
import Glibc
import TwinIndex

private func rtreeNow() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Best of `repeats` timings of `make`, in wall and in CPU time; the result of the last
/// run is kept, and each previous result is released outside the timed region (so GEOS
/// teardown is not billed to its build).
private func rtreeBestBuild<T>(repeats: Int, _ make: () -> T) -> (seconds: Double, cpu: Double, value: T) {
    var best = Double.infinity, bestCPU = Double.infinity
    var kept: T? = nil
    for _ in 0..<repeats {
        kept = nil
        let start = rtreeNow(), startCPU = threadCPUNow()
        let value = make()
        best = min(best, Double(rtreeNow() - start) / 1e9)
        bestCPU = min(bestCPU, threadCPUNow() - startCPU)
        kept = value
    }
    return (best, bestCPU, kept!)
}

func runRTreeBenchmarks() {
    let n = 1_000_000
    let nodeSize = PackedRTree.defaultNodeSize
    var rng = SeededRandom(seed: 0x52_54_52_45_45)   // "RTREE"

    // Small boxes (up to ~20 m a side) spread over a Shanghai district-sized extent.
    var flat = [Double]()
    flat.reserveCapacity(n * 4)
    for _ in 0..<n {
        let x = 121.3 + 0.2 * Double.random(in: 0..<1, using: &rng)
        let y = 31.2 + 0.1 * Double.random(in: 0..<1, using: &rng)
        let w = 0.0002 * Double.random(in: 0..<1, using: &rng), h = 0.0002 * Double.random(in: 0..<1, using: &rng)
        flat += [x, y, x + w, y + h]
    }
    print("rtree: \(n) seeded boxes in lon 121.3–121.5, lat 31.2–31.3, each up to 0.0002° a side; TwinIndex node size \(nodeSize), GEOS STRtree node capacity 10")

    // MARK: Bulk load

    let (tLoad, cLoad, tree) = rtreeBestBuild(repeats: 3) { () -> PackedRTree in
        do {
            var builder = try PackedRTree.Builder(capacity: n, nodeSize: nodeSize)
            for i in 0..<n {
                try builder.add(minX: flat[i * 4], minY: flat[i * 4 + 1], maxX: flat[i * 4 + 2], maxY: flat[i * 4 + 3])
            }
            return try builder.finish()
        } catch {
            fatalError("rtree bench: \(error)")
        }
    }
    let (tGeosLoad, cGeosLoad, geos) = rtreeBestBuild(repeats: 2) { () -> RTreeGEOSBaseline in
        let g = RTreeGEOSBaseline(boxes: flat)
        g.build()
        return g
    }
    // GEOS takes envelopes as geometries: measure making and freeing the rectangles alone.
    let tRectangles = bestTime(repeats: 2) {
        for i in 0..<n {
            let g = geos.rectangle(RTreeGEOSBox(minX: flat[i * 4], minY: flat[i * 4 + 1], maxX: flat[i * 4 + 2], maxY: flat[i * 4 + 3]))
            geos.destroy(g)
        }
    }
    report("rtree bulk load (per box)", count: n, ours: tLoad, baseline: tGeosLoad, baselineName: "GEOS STRtree insert+build")
    report("rtree bulk load, GEOS rectangle making subtracted", count: n, ours: tLoad,
           baseline: max(tGeosLoad - tRectangles, 1e-9), baselineName: "GEOS STRtree")
    report("rtree bulk load (thread CPU time)", count: n, ours: cLoad, baseline: cGeosLoad, baselineName: "GEOS STRtree insert+build")
    print("rtree bulk load total: TwinIndex \(fmt(tLoad)) s wall, \(fmt(cLoad)) s CPU for \(n) boxes (target < 0.3 s); GEOS \(fmt(tGeosLoad)) s wall, \(fmt(cGeosLoad)) s CPU")
    let bytesPerBox = Double(tree.memoryFootprint) / Double(n)
    print("rtree memory: \(tree.memoryFootprint) B, \(fmt(bytesPerBox)) B/box (target ≤ 40), \(tree.nodeCount) nodes, height \(tree.height)")

    // MARK: Nearest neighbours

    let queries = 100_000
    var qx = [Double](), qy = [Double]()
    for _ in 0..<queries {
        qx.append(121.3 + 0.2 * Double.random(in: 0..<1, using: &rng))
        qy.append(31.2 + 0.1 * Double.random(in: 0..<1, using: &rng))
    }
    let scratch = RTreeSearchScratch()
    var neighbors: [RTreeNeighbor] = []
    neighbors.reserveCapacity(10)
    var ours1 = [Int](repeating: -1, count: queries)
    var checksum = 0
    func ours10() {
        for i in 0..<queries {
            tree.nearest(toX: qx[i], y: qy[i], k: 10, into: &neighbors, scratch: scratch)
            checksum &+= neighbors.count
        }
    }
    func ours1NN() {
        for i in 0..<queries {
            tree.nearest(toX: qx[i], y: qy[i], k: 1, into: &neighbors, scratch: scratch)
            ours1[i] = neighbors[0].item
        }
    }
    var batchItems = [Int](repeating: -1, count: queries * 10)
    func oursBatch10() {
        qx.withUnsafeBufferPointer { xs in
            qy.withUnsafeBufferPointer { ys in
                batchItems.withUnsafeMutableBufferPointer { items in
                    do { try tree.nearest(xs: xs, ys: ys, k: 10, items: items, scratch: scratch) } catch { fatalError("\(error)") }
                }
            }
        }
    }
    let points = (0..<queries).map { geos.point(x: qx[$0], y: qy[$0]) }
    var geos1 = [Int](repeating: -1, count: queries)
    func geos1NN() {
        for i in 0..<queries { geos1[i] = geos.nearest(x: qx[i], y: qy[i], envelope: points[i]) }
    }
    let t10 = bestTime(repeats: 3, ours10), t1 = bestTime(repeats: 3, ours1NN), tGeos1 = bestTime(repeats: 2, geos1NN)
    let tBatch = bestTime(repeats: 3, oursBatch10)
    let c10 = bestThreadCPUTime(repeats: 3, ours10), c1 = bestThreadCPUTime(repeats: 3, ours1NN)
    let cGeos1 = bestThreadCPUTime(repeats: 2, geos1NN), cBatch = bestThreadCPUTime(repeats: 3, oursBatch10)
    for p in points { geos.destroy(p) }
    // Both must find a nearest box at the same distance (ids may differ on exact ties).
    var agree = 0
    for i in 0..<queries {
        let a = IndexBox(minX: flat[ours1[i] * 4], minY: flat[ours1[i] * 4 + 1], maxX: flat[ours1[i] * 4 + 2], maxY: flat[ours1[i] * 4 + 3])
        let g = geos1[i]
        guard g >= 0 else { continue }
        let b = IndexBox(minX: flat[g * 4], minY: flat[g * 4 + 1], maxX: flat[g * 4 + 2], maxY: flat[g * 4 + 3])
        if a.distance(toX: qx[i], y: qy[i]) == b.distance(toX: qx[i], y: qy[i]) { agree += 1 }
    }
    report("rtree nearest-1", count: queries, ours: t1, baseline: tGeos1, baselineName: "GEOS STRtree nearest_generic")
    report("rtree nearest-1 (thread CPU time)", count: queries, ours: c1, baseline: cGeos1, baselineName: "GEOS nearest_generic")
    report("rtree 10-NN (GEOS has no kNN: its nearest-1 as the baseline)", count: queries, ours: t10,
           baseline: tGeos1, baselineName: "GEOS nearest-1")
    report("rtree 10-NN (thread CPU time)", count: queries, ours: c10, baseline: cGeos1, baselineName: "GEOS nearest-1")
    report("rtree 10-NN batch in Hilbert order (thread CPU time)", count: queries, ours: cBatch, baseline: cGeos1,
           baselineName: "GEOS nearest-1")
    print("rtree 10-NN: \(fmt(t2ns(t10, queries) / 1000)) µs/query wall, \(fmt(t2ns(c10, queries) / 1000)) µs CPU; batch \(fmt(t2ns(tBatch, queries) / 1000)) µs wall, \(fmt(t2ns(cBatch, queries) / 1000)) µs CPU (target < 2 µs)")
    print("rtree nearest-1 agrees with GEOS on \(agree)/\(queries) queries; checksum \(checksum)")

    // MARK: Box queries

    let boxQueries = 20_000
    let side = 0.001   // ~100 m × 110 m: a street block
    var qboxes: [IndexBox] = []
    for _ in 0..<boxQueries {
        let x = 121.3 + (0.2 - side) * Double.random(in: 0..<1, using: &rng)
        let y = 31.2 + (0.1 - side) * Double.random(in: 0..<1, using: &rng)
        qboxes.append(IndexBox(minX: x, minY: y, maxX: x + side, maxY: y + side))
    }
    var ids: [Int] = []
    ids.reserveCapacity(1024)
    var oursHits = 0
    func oursBoxes() {
        oursHits = 0
        for q in qboxes {
            tree.search(q, into: &ids, scratch: scratch)
            oursHits &+= ids.count
        }
    }
    let geosQueries = qboxes.map { geos.rectangle(RTreeGEOSBox(minX: $0.minX, minY: $0.minY, maxX: $0.maxX, maxY: $0.maxY)) }
    let sink = UnsafeMutablePointer<Int>.allocate(capacity: n)
    var geosHits = 0
    func geosBoxes() {
        geosHits = 0
        for g in geosQueries { geosHits &+= geos.query(g, into: sink) }
    }
    let tBox = bestTime(repeats: 3, oursBoxes), tGeosBox = bestTime(repeats: 2, geosBoxes)
    let cBox = bestThreadCPUTime(repeats: 3, oursBoxes), cGeosBox = bestThreadCPUTime(repeats: 2, geosBoxes)
    sink.deallocate()
    for g in geosQueries { geos.destroy(g) }
    report("rtree box query (\(oursHits / boxQueries) hits avg)", count: boxQueries, ours: tBox, baseline: tGeosBox,
           baselineName: "GEOS STRtree query")
    report("rtree box query (thread CPU time)", count: boxQueries, ours: cBox, baseline: cGeosBox, baselineName: "GEOS STRtree query")
    print("rtree box query: hits TwinIndex \(oursHits), GEOS \(geosHits)\(oursHits == geosHits ? " (equal)" : " (DIFFER)")")

    // MARK: Updates

    var dynamic = DynamicRTree(tree)
    for i in 0..<1000 {
        let x = qx[i], y = qy[i]
        _ = try? dynamic.insert(minX: x, minY: y, maxX: x + 0.0001, maxY: y + 0.0001)
        _ = try? dynamic.retire(i * 7)
    }
    let tDyn10 = bestThreadCPUTime(repeats: 3) {
        for i in 0..<queries {
            dynamic.nearest(toX: qx[i], y: qy[i], k: 10, into: &neighbors, scratch: scratch)
            checksum &+= neighbors.count
        }
    }
    let tRebuild = bestTime(repeats: 1) { checksum &+= dynamic.rebuilt().count }
    print("rtree DynamicRTree with 1000 pending inserts and 1000 retired: 10-NN \(fmt(t2ns(tDyn10, queries) / 1000)) µs/query CPU; rebuilt() \(fmt(tRebuild)) s")
}
