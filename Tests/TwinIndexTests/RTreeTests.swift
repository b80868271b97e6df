// PackedRTree queries against brute force on seeded data with every degenerate box kind.
import Testing
import TwinIndex

private let nodeSizes = [2, 3, 4, 16, 50]
private let smallCounts = [0, 1, 2, 17, 1000]

private func indexed(_ boxes: [IndexBox]) -> [(id: Int, box: IndexBox)] {
    boxes.enumerated().map { ($0.offset, $0.element) }
}

@Test("box search equals brute force", arguments: nodeSizes)
func rtreeBoxSearchMatchesBruteForce(nodeSize: Int) throws {
    let scratch = RTreeSearchScratch()
    var results: [Int] = []
    for n in smallCounts {
        let boxes = rtreeTestBoxes(count: n, seed: UInt64(n * 31 + nodeSize))
        let tree = try rtreeBuild(boxes, nodeSize: nodeSize)
        #expect(tree.count == n)
        let all = indexed(boxes)
        var rng = RTreeTestRandom(seed: 7)
        for q in 0..<60 {
            // Every tenth query is a single point, to exercise touching and zero-area hits.
            var query = rtreeTestQueryBox(&rng)
            if q % 10 == 0 { query = IndexBox(x: query.minX, y: query.minY) }
            tree.search(query, into: &results, scratch: scratch)
            #expect(results.sorted() == bruteIntersecting(all, query), "n=\(n) nodeSize=\(nodeSize) query=\(query)")
        }
        // The whole extent finds every item exactly once.
        if let bounds = tree.bounds {
            #expect(tree.search(bounds).sorted() == Array(0..<n))
        } else {
            #expect(n == 0)
        }
    }
}

@Test("touching boxes and shared corners count as intersecting")
func rtreeTouchingCounts() throws {
    let boxes = [
        IndexBox(minX: 0, minY: 0, maxX: 1, maxY: 1),
        IndexBox(minX: 1, minY: 1, maxX: 2, maxY: 2),   // shares only the corner (1, 1)
        IndexBox(x: 3, y: 3),                          // a point
        IndexBox(minX: 0, minY: 5, maxX: 4, maxY: 5),   // a horizontal line
    ]
    let tree = try rtreeBuild(boxes, nodeSize: 2)
    #expect(tree.search(IndexBox(x: 1, y: 1)).sorted() == [0, 1])
    #expect(tree.search(IndexBox(minX: 3, minY: 0, maxX: 10, maxY: 3)).sorted() == [2])
    #expect(tree.search(IndexBox(minX: 2, minY: 5, maxX: 2, maxY: 9)).sorted() == [3])
    #expect(tree.search(IndexBox(minX: 2.0000001, minY: 2.0000001, maxX: 2.9, maxY: 2.9)).isEmpty)
    // Malformed query boxes find nothing rather than trapping.
    #expect(tree.search(IndexBox(minX: .nan, minY: 0, maxX: 10, maxY: 10)).isEmpty)
    #expect(tree.search(IndexBox(minX: 10, minY: 10, maxX: 0, maxY: 0)).isEmpty)
    // Even where an item spans the inverted box's edges.
    #expect(tree.search(IndexBox(minX: 3, minY: 5, maxX: 1, maxY: 5)).isEmpty)
    var dynamic = DynamicRTree(tree)
    try dynamic.insert(minX: -10, minY: -10, maxX: 10, maxY: 10)
    #expect(dynamic.search(IndexBox(minX: 3, minY: 3, maxX: 1, maxY: 1)).isEmpty)
    #expect(dynamic.search(IndexBox(minX: .nan, minY: 3, maxX: 1, maxY: 1)).isEmpty)
    #expect(dynamic.search(IndexBox(x: 1, y: 1)).sorted() == [0, 1, 4])
}

@Test("within-distance search equals brute force", arguments: nodeSizes)
func rtreeWithinMatchesBruteForce(nodeSize: Int) throws {
    let scratch = RTreeSearchScratch()
    var results: [Int] = []
    for n in smallCounts {
        let boxes = rtreeTestBoxes(count: n, seed: UInt64(n * 17 + nodeSize))
        let tree = try rtreeBuild(boxes, nodeSize: nodeSize)
        let all = indexed(boxes)
        var rng = RTreeTestRandom(seed: 11)
        for _ in 0..<60 {
            let x = rng.coarse(110) - 5, y = rng.coarse(110) - 5, d = rng.coarse(8)
            tree.search(within: d, ofX: x, y: y, into: &results, scratch: scratch)
            #expect(results.sorted() == bruteWithin(all, d, x, y), "n=\(n) nodeSize=\(nodeSize) d=\(d) at \(x) \(y)")
        }
        #expect(tree.search(within: .infinity, ofX: 0, y: 0).count == n)
        #expect(tree.search(within: -1, ofX: 50, y: 50).isEmpty)
        #expect(tree.search(within: .nan, ofX: 50, y: 50).isEmpty)
        #expect(tree.search(within: 10, ofX: .nan, y: 50).isEmpty)
    }
}

@Test("k nearest equals brute force, ties by item index", arguments: nodeSizes)
func rtreeNearestMatchesBruteForce(nodeSize: Int) throws {
    let scratch = RTreeSearchScratch()
    var results: [RTreeNeighbor] = []
    for n in smallCounts {
        let boxes = rtreeTestBoxes(count: n, seed: UInt64(n * 13 + nodeSize))
        let tree = try rtreeBuild(boxes, nodeSize: nodeSize)
        let all = indexed(boxes)
        var rng = RTreeTestRandom(seed: 5)
        for q in 0..<60 {
            let x = rng.coarse(110) - 5, y = rng.coarse(110) - 5
            let k = [1, 3, 10, n + 2][q % 4]
            let maxDistance = q % 3 == 0 ? rng.coarse(10) : .infinity
            tree.nearest(toX: x, y: y, k: k, maxDistance: maxDistance, into: &results, scratch: scratch)
            let expected = bruteNearest(all, x, y, k: k, maxDistance: maxDistance)
            #expect(results == expected, "n=\(n) nodeSize=\(nodeSize) k=\(k) max=\(maxDistance) at \(x) \(y)")
        }
        #expect(tree.nearest(toX: 1, y: 1, k: 0).isEmpty)
        #expect(tree.nearest(toX: .infinity, y: 1, k: 3).isEmpty)
        #expect(tree.nearest(toX: 1, y: 1, k: 3, maxDistance: -1).isEmpty)
    }
}

@Test("20,000 items: every query kind equals brute force", arguments: [4, 16])
func rtreeLargeMatchesBruteForce(nodeSize: Int) throws {
    let n = 20_000
    let boxes = rtreeTestBoxes(count: n, seed: 20_000)
    let tree = try rtreeBuild(boxes, nodeSize: nodeSize)
    let all = indexed(boxes)
    let scratch = RTreeSearchScratch()
    var ids: [Int] = []
    var neighbors: [RTreeNeighbor] = []
    var rng = RTreeTestRandom(seed: 99)
    for _ in 0..<12 {
        let q = rtreeTestQueryBox(&rng)
        tree.search(q, into: &ids, scratch: scratch)
        #expect(ids.sorted() == bruteIntersecting(all, q))
        let x = rng.coarse(100), y = rng.coarse(100)
        tree.search(within: 1.5, ofX: x, y: y, into: &ids, scratch: scratch)
        #expect(ids.sorted() == bruteWithin(all, 1.5, x, y))
        tree.nearest(toX: x, y: y, k: 25, into: &neighbors, scratch: scratch)
        #expect(neighbors == bruteNearest(all, x, y, k: 25))
    }
}

@Test("the visitor stops as soon as the body returns false")
func rtreeVisitorStopsEarly() throws {
    let boxes = rtreeTestBoxes(count: 1000, seed: 3)
    let tree = try rtreeBuild(boxes, nodeSize: 8)
    let query = IndexBox(minX: 0, minY: 0, maxX: 100, maxY: 100)
    let total = bruteIntersecting(indexed(boxes), query).count
    #expect(total > 100)

    var seen: [Int] = []
    let finished = tree.visit(intersecting: query) { item in
        seen.append(item)
        return seen.count < 5
    }
    #expect(finished == false)
    #expect(seen.count == 5)
    #expect(Set(seen).count == 5)

    var all = 0
    let ranToEnd = tree.visit(intersecting: query) { _ in
        all += 1
        return true
    }
    #expect(ranToEnd)
    #expect(all == total)
}

@Test("k nearest with exact distances to segments equals brute force", arguments: [2, 16])
func rtreeNearestExactSegments(nodeSize: Int) throws {
    // Long diagonal segments: their boxes are poor stand-ins, so ordering by box distance
    // alone would be wrong; the exact-distance path must re-rank them.
    var rng = RTreeTestRandom(seed: 42)
    var segments: [(Double, Double, Double, Double)] = []
    for _ in 0..<600 {
        let ax = rng.coarse(100), ay = rng.coarse(100)
        let bx = ax + rng.coarse(20) - 10, by = ay + rng.coarse(20) - 10
        segments.append((ax, ay, bx, by))
    }
    segments.append(segments[10])   // a duplicate: equal distances, tie by index
    let boxes = segments.map { IndexBox(minX: min($0.0, $0.2), minY: min($0.1, $0.3), maxX: max($0.0, $0.2), maxY: max($0.1, $0.3)) }
    let tree = try rtreeBuild(boxes, nodeSize: nodeSize)
    let all = indexed(boxes)
    let scratch = RTreeSearchScratch()
    var results: [RTreeNeighbor] = []
    var ids: [Int] = []
    var differsFromBoxOrder = false
    for q in 0..<80 {
        let x = rng.coarse(100), y = rng.coarse(100)
        let exact: (Int) -> Double = { i in
            let s = segments[i]
            return rtreeSegmentDistance(x, y, s.0, s.1, s.2, s.3)
        }
        let k = [1, 5, 10][q % 3]
        let maxDistance = q % 4 == 0 ? 6.0 : .infinity
        tree.nearest(toX: x, y: y, k: k, maxDistance: maxDistance, exactDistance: exact, into: &results, scratch: scratch)
        let expected = bruteNearest(all, x, y, k: k, maxDistance: maxDistance, exact: exact)
        #expect(results == expected, "k=\(k) at \(x) \(y)")
        if results.map(\.item) != bruteNearest(all, x, y, k: k, maxDistance: maxDistance).map(\.item) {
            differsFromBoxOrder = true
        }
        tree.search(within: 3, ofX: x, y: y, exactDistance: exact, into: &ids, scratch: scratch)
        #expect(ids.sorted() == bruteWithin(all, 3, x, y, exact: exact))
    }
    // Otherwise this test would not show that the exact path matters.
    #expect(differsFromBoxOrder)
}

@Test("a callback returning NaN excludes the item")
func rtreeNaNExactDistanceExcludes() throws {
    let tree = try rtreeBuild([IndexBox(x: 0, y: 0), IndexBox(x: 1, y: 0), IndexBox(x: 2, y: 0)], nodeSize: 2)
    let near = tree.nearest(toX: 0, y: 0, k: 3, exactDistance: { $0 == 1 ? .nan : Double($0) })
    #expect(near.map(\.item) == [0, 2])
    #expect(tree.search(within: 5, ofX: 0, y: 0, exactDistance: { $0 == 1 ? .nan : 0 }).sorted() == [0, 2])
}

@Test("a tree is shared by concurrent queries, each with its own scratch")
func rtreeConcurrentQueries() async throws {
    let boxes = rtreeTestBoxes(count: 5000, seed: 8)
    let tree = try rtreeBuild(boxes, nodeSize: 16)
    let all = indexed(boxes)
    let expected = (0..<8).map { t in bruteNearest(all, Double(t * 12), Double(t * 7), k: 10) }
    let answers = await withTaskGroup(of: (Int, [RTreeNeighbor]).self) { group in
        for t in 0..<8 {
            group.addTask {
                let scratch = RTreeSearchScratch()
                var out: [RTreeNeighbor] = []
                for _ in 0..<50 { tree.nearest(toX: Double(t * 12), y: Double(t * 7), k: 10, into: &out, scratch: scratch) }
                return (t, out)
            }
        }
        var answers = [[RTreeNeighbor]](repeating: [], count: 8)
        for await (t, out) in group { answers[t] = out }
        return answers
    }
    #expect(answers == expected)
}

@Test("batch k nearest equals one query per point, rows padded", arguments: [3, 16])
func rtreeBatchNearestMatchesSingle(nodeSize: Int) throws {
    let boxes = rtreeTestBoxes(count: 2000, seed: 61)
    let tree = try rtreeBuild(boxes, nodeSize: nodeSize)
    var rng = RTreeTestRandom(seed: 62)
    let m = 300, k = 7
    var xs = (0..<m).map { _ in rng.coarse(120) - 10 }
    let ys = (0..<m).map { _ in rng.coarse(120) - 10 }
    xs[5] = .nan   // a bad point gets an empty row, the others are unaffected
    var items = [Int](repeating: 99, count: m * k)
    var distances = [Double](repeating: 99, count: m * k)
    let scratch = RTreeSearchScratch()
    try xs.withUnsafeBufferPointer { xs in
        try ys.withUnsafeBufferPointer { ys in
            try items.withUnsafeMutableBufferPointer { items in
                try distances.withUnsafeMutableBufferPointer { distances in
                    try tree.nearest(xs: xs, ys: ys, k: k, maxDistance: 2.5, items: items, distances: distances, scratch: scratch)
                }
            }
        }
    }
    var padded = 0
    for i in 0..<m {
        let single = tree.nearest(toX: xs[i], y: ys[i], k: k, maxDistance: 2.5)
        for j in 0..<k {
            if j < single.count {
                #expect(items[i * k + j] == single[j].item && distances[i * k + j] == single[j].distance, "point \(i)")
            } else {
                #expect(items[i * k + j] == -1 && distances[i * k + j] == .infinity, "point \(i)")
                padded += 1
            }
        }
    }
    #expect(items[5 * k ..< 6 * k].allSatisfy { $0 == -1 })
    #expect(padded > k, "maxDistance left some rows short")
}

@Test("batch k nearest refuses buffers of the wrong size")
func rtreeBatchRefusesBadBuffers() throws {
    let tree = try rtreeBuild(rtreeTestBoxes(count: 50, seed: 63), nodeSize: 4)
    let xs = [1.0, 2, 3], ys = [1.0, 2]
    var items = [Int](repeating: 7, count: 6)
    let error = #expect(throws: RTreeError.self) {
        try xs.withUnsafeBufferPointer { xs in
            try ys.withUnsafeBufferPointer { ys in
                try items.withUnsafeMutableBufferPointer { try tree.nearest(xs: xs, ys: ys, k: 2, items: $0, scratch: RTreeSearchScratch()) }
            }
        }
    }
    #expect(error?.kind == .bufferMismatch)
    #expect(error?.description.contains("3 xs but 2 ys") == true)
    let short = #expect(throws: RTreeError.self) {
        try xs.withUnsafeBufferPointer { xs in
            try items.withUnsafeMutableBufferPointer { try tree.nearest(xs: xs, ys: xs, k: 3, items: $0, scratch: RTreeSearchScratch()) }
        }
    }
    #expect(short?.description.contains("need 9 slots, items has 6") == true)
    #expect(items.allSatisfy { $0 == 7 }, "nothing written on refusal")
}
