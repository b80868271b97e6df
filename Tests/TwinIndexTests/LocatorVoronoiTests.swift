// The fast locator against the exhaustive reference and an independent plain test, on a
// ~300-cell Voronoi partition whose shared edges are bit-for-bit identical.
import Testing
@testable import TwinIndex

private let box = (0.0, 0.0, 1.0, 0.8)
private let voronoiCells = voronoiPartition(columns: 20, rows: 15, box: box, seed: 42)

@Test func voronoiFixtureIsConsistent() throws {
    #expect(voronoiCells.count == 300)
    // Each directed shared edge must appear reversed in exactly one neighbour: the fixture's
    // premise (identical shared edges), checked independently of the locator.
    var directed: [String: Int] = [:]
    for cell in voronoiCells {
        let ring = cell[0]
        #expect(ring.count >= 12 && ring.count <= 70)
        for i in ring.indices {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            directed["\(a.x.bitPattern),\(a.y.bitPattern),\(b.x.bitPattern),\(b.y.bitPattern)", default: 0] += 1
        }
    }
    var unmatchedInterior = 0
    for (key, _) in directed {
        let p = key.split(separator: ",").map { Double(bitPattern: UInt64($0)!) }
        let onBox = (p[1] == box.1 && p[3] == box.1) || (p[1] == box.3 && p[3] == box.3)
            || (p[0] == box.0 && p[2] == box.0) || (p[0] == box.2 && p[2] == box.2)
        let reversed = "\(p[2].bitPattern),\(p[3].bitPattern),\(p[0].bitPattern),\(p[1].bitPattern)"
        if !onBox && directed[reversed] != 1 { unmatchedInterior += 1 }
    }
    #expect(unmatchedInterior == 0)
}

/// Cells whose bounding box contains the point, found by the plain test: the independent owner.
private func plainOwners(_ x: Double, _ y: Double) -> [Int] {
    voronoiCells.indices.filter { c in
        let b = voronoiBoxes[c]
        return x >= b.0 && x <= b.2 && y >= b.1 && y <= b.3 && plainContains(voronoiCells[c], x, y)
    }
}

private let voronoiBoxes: [(Double, Double, Double, Double)] = voronoiCells.map { cell in
    let ring = cell[0]
    return (ring.map(\.x).min()!, ring.map(\.y).min()!, ring.map(\.x).max()!, ring.map(\.y).max()!)
}

@Test func voronoiVerticesAndMidpointsMatchReferenceAndRule() throws {
    let locator = try makeLocator(voronoiCells)
    var checked = 0, ruleChecked = 0
    for cell in voronoiCells {
        let ring = cell[0]
        for i in ring.indices {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            let mid = ((a.x + b.x) / 2, (a.y + b.y) / 2)
            for (x, y) in [(a.x, a.y), mid] {
                let fast = locator.locate(x: x, y: y)
                #expect(fast == locator.locateExhaustively(x: x, y: y), "(\(x), \(y))")
                // Every point of the closed box is in the union, so it gets a cell.
                #expect(fast >= 0)
                checked += 1
                // The rule, for points exactly on the boundary (vertices; midpoints that did not
                // round off the edge): the cell containing P + (−δ, +δ·10⁻⁶), found by the plain
                // test, wherever that probe is inside the box (else the boundary rule applies).
                let onEdge = (x == a.x && y == a.y) || LocatorPredicates.isOnSegment(x, y, a.x, a.y, b.x, b.y)
                let px = x - 1e-7, py = y + 1e-13
                if onEdge && px > box.0 && py < box.3 {
                    let owners = plainOwners(px, py)
                    #expect(owners == [fast], "(\(x), \(y)): probe in \(owners), located \(fast)")
                    ruleChecked += 1
                }
            }
        }
    }
    #expect(checked > 20_000)
    #expect(ruleChecked > 12_000)
}

@Test func voronoiRandomPointsMatchReferenceAndAreInExactlyOneCell() throws {
    let locator = try makeLocator(voronoiCells)
    var rng = LocatorTestRandom(seed: 99)
    for _ in 0 ..< 3_000 {
        // A margin around the box exercises the outside.
        let x = -0.05 + 1.1 * rng.unit(), y = -0.05 + 0.9 * rng.unit()
        let fast = locator.locate(x: x, y: y)
        #expect(fast == locator.locateExhaustively(x: x, y: y))
        let inUnion = x >= box.0 && x <= box.2 && y >= box.1 && y <= box.3
        if inUnion {
            let owners = plainOwners(x, y)
            #expect(owners == [fast], "(\(x), \(y)): plain \(owners), located \(fast)")
        } else {
            #expect(fast == -1)
        }
    }
}

@Test func manyRandomPointsOnSmallPartitionMatchReference() throws {
    // A small partition with an enclave, a gap, a multipolygon and sloped edges; 200k points,
    // including points snapped to a coarse lattice so many land exactly on edges and vertices.
    let cells: [LocatorTestCell] = [
        [square(0, 0, 4, 4), square(1, 1, 2, 2), square(2.5, 2.5, 3.5, 3.5)],   // 0: two holes
        [square(1, 1, 2, 2)],                                                  // 1: fills a hole
        [[(4, 0), (8, 0), (6, 2)], [(4, 4), (6, 2), (8, 4)]],                   // 2: two triangles
        [[(4, 0), (6, 2), (4, 4)]],                                            // 3: west triangle
        [[(8, 0), (8, 4), (6, 2)]],                                            // 4: east triangle
    ]
    for options in [PartitionLocator.Options(tilesPerEdge: 0.5), .init(tilesPerEdge: 16)] {
        let locator = try makeLocator(cells, options: options)
        var rng = LocatorTestRandom(seed: 5)
        let n = 100_000
        var xs = [Double](), ys = [Double]()
        for i in 0 ..< n {
            var x = -0.5 + 9 * rng.unit(), y = -0.5 + 5 * rng.unit()
            if i % 2 == 0 { x = (x * 4).rounded() / 4; y = (y * 4).rounded() / 4 }
            xs.append(x); ys.append(y)
        }
        let fast = try locator.locate(xs: xs, ys: ys)
        var mismatches = 0
        for i in 0 ..< n where Int(fast[i]) != locator.locateExhaustively(x: xs[i], y: ys[i]) { mismatches += 1 }
        #expect(mismatches == 0)
    }
}

@Test func tileBoundaryPointsMatchReference() throws {
    // Points exactly on tile boundaries (and one ulp either side), where a query's computed
    // tile index may round either way: the registration margin must make that harmless.
    let locator = try makeLocator(voronoiCells, options: .init(tilesPerEdge: 2))
    let stats = locator.statistics
    let (minX, minY, maxX, maxY) = locator.extent
    let w = (maxX - minX) / Double(stats.columns), h = (maxY - minY) / Double(stats.rows)
    var rng = LocatorTestRandom(seed: 3)
    for _ in 0 ..< 2_000 {
        let c = Int(rng.next() % UInt64(stats.columns + 1)), r = Int(rng.next() % UInt64(stats.rows + 1))
        let bx = minX + Double(c) * w, by = minY + Double(r) * h
        for (x, y) in [(bx, minY + rng.unit() * (maxY - minY)), (minX + rng.unit() * (maxX - minX), by),
                       (bx, by), (bx.nextUp, by.nextDown), (bx.nextDown, by.nextUp)] {
            #expect(locator.locate(x: x, y: y) == locator.locateExhaustively(x: x, y: y), "(\(x), \(y))")
        }
    }
}

@Test func concurrentBatchEqualsSerial() throws {
    let locator = try makeLocator(voronoiCells)
    var rng = LocatorTestRandom(seed: 11)
    let n = 120_000
    let xs = (0 ..< n).map { _ in -0.05 + 1.1 * rng.unit() }
    let ys = (0 ..< n).map { _ in -0.05 + 0.9 * rng.unit() }
    let serial = try locator.locate(xs: xs, ys: ys)
    let concurrent = try locator.locateConcurrently(xs: xs, ys: ys)
    #expect(serial == concurrent)
    var single = 0
    for i in stride(from: 0, to: n, by: 97) where Int(serial[i]) != locator.locate(x: xs[i], y: ys[i]) { single += 1 }
    #expect(single == 0)
    // The unsafe-buffer entry points write the same results into caller memory.
    var out = [Int32](repeating: 7, count: n)
    try xs.withUnsafeBufferPointer { x in
        try ys.withUnsafeBufferPointer { y in
            try out.withUnsafeMutableBufferPointer { o in try locator.locateConcurrently(xs: x, ys: y, into: o) }
        }
    }
    #expect(out == serial)
}
