// Building a PackedRTree: refused input, the packed layout's invariants, memory, the
// Hilbert curve, determinism, and allocation-free queries with a warmed-up scratch.
import Testing
@testable import TwinIndex

@Test("a non-finite coordinate is refused with the item index", arguments: [
    (0, Double.nan), (1, Double.infinity), (2, -Double.infinity), (3, Double.nan),
])
func rtreeRefusesNonFinite(field: Int, value: Double) throws {
    var builder = try PackedRTree.Builder(capacity: 4)
    for i in 0..<3 { try builder.add(minX: Double(i), minY: 0, maxX: Double(i) + 1, maxY: 1) }
    var c = [0.0, 0, 1, 1]
    c[field] = value
    let error = #expect(throws: RTreeError.self) {
        try builder.add(minX: c[0], minY: c[1], maxX: c[2], maxY: c[3])
    }
    #expect(error?.kind == .nonFiniteCoordinate)
    #expect(error?.item == 3)
    #expect(error?.description.contains("item 3") == true)
    #expect(error?.description.contains("finite") == true)
    // The refused box used up no index; the builder still works.
    #expect(builder.count == 3)
    #expect(try builder.add(minX: 5, minY: 5, maxX: 6, maxY: 6) == 3)
    #expect(try builder.finish().count == 4)
}

@Test("min greater than max is refused with the item index")
func rtreeRefusesInvertedBox() throws {
    var builder = try PackedRTree.Builder()
    try builder.add(minX: 0, minY: 0, maxX: 0, maxY: 0)
    let ex = #expect(throws: RTreeError.self) { try builder.add(minX: 2, minY: 0, maxX: 1, maxY: 1) }
    #expect(ex?.kind == .invertedBox)
    #expect(ex?.item == 1)
    #expect(ex?.description.contains("item 1") == true)
    #expect(ex?.description.contains("minX=2.0") == true)
    let ey = #expect(throws: RTreeError.self) { try builder.add(minX: 0, minY: 3, maxX: 1, maxY: -3) }
    #expect(ey?.kind == .invertedBox)
    #expect(ey?.item == 1)
}

@Test("node sizes outside 2...65535 are refused", arguments: [-1, 0, 1, 65536, Int.max])
func rtreeRefusesBadNodeSize(nodeSize: Int) {
    let error = #expect(throws: RTreeError.self) { try PackedRTree.Builder(capacity: 10, nodeSize: nodeSize) }
    #expect(error?.kind == .invalidNodeSize)
    #expect(error?.description.contains("\(nodeSize)") == true)
    #expect(throws: RTreeError.self) { try DynamicRTree(nodeSize: nodeSize) }
}

@Test("the extreme valid node sizes build and query", arguments: [2, 65535])
func rtreeExtremeNodeSizes(nodeSize: Int) throws {
    let boxes = rtreeTestBoxes(count: 300, seed: 1)
    let tree = try rtreeBuild(boxes, nodeSize: nodeSize)
    let q = IndexBox(minX: 20, minY: 20, maxX: 60, maxY: 60)
    #expect(tree.search(q).sorted() == bruteIntersecting(boxes.enumerated().map { ($0.offset, $0.element) }, q))
}

@Test("capacity beyond the 32-bit layout is refused")
func rtreeRefusesHugeCapacity() {
    let error = #expect(throws: RTreeError.self) { try PackedRTree.Builder(capacity: PackedRTree.maxItems + 1) }
    #expect(error?.kind == .tooManyItems)
}

@Test("the packed layout: levels, child ranges and parent boxes", arguments: [2, 3, 16, 50])
func rtreeLayoutInvariants(nodeSize: Int) throws {
    for n in [1, 2, 17, 1000] {
        let boxes = rtreeTestBoxes(count: n, seed: UInt64(n))
        let tree = try rtreeBuild(boxes, nodeSize: nodeSize)
        let ends = tree.levelEnds
        #expect(ends.first == n)
        #expect(ends.last == tree.nodeCount)
        #expect(ends.count >= 2)
        #expect(ends[ends.count - 1] - ends[ends.count - 2] == 1, "one root")
        // Leaves: a permutation of the item indices carrying the items' own boxes.
        var leafItems: [Int] = []
        tree.forEachItem { item, box in
            leafItems.append(item)
            #expect(box == boxes[item])
        }
        #expect(leafItems.sorted() == Array(0..<n))
        // Inner nodes: their box is exactly the union of their children's.
        for level in 1..<ends.count {
            let start = ends[level - 1]
            let childStart = level >= 2 ? ends[level - 2] : 0
            for node in start..<ends[level] {
                let first = Int(tree.indices[node])
                let end = min(first + nodeSize, ends[level - 1])
                #expect(first >= childStart && first < end)
                var u = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
                for c in first..<end {
                    u.0 = min(u.0, tree.boxes[c * 4]); u.1 = min(u.1, tree.boxes[c * 4 + 1])
                    u.2 = max(u.2, tree.boxes[c * 4 + 2]); u.3 = max(u.3, tree.boxes[c * 4 + 3])
                }
                #expect(tree.boxes[node * 4] == u.0 && tree.boxes[node * 4 + 1] == u.1)
                #expect(tree.boxes[node * 4 + 2] == u.2 && tree.boxes[node * 4 + 3] == u.3)
            }
        }
    }
}

@Test("an empty tree answers every query with nothing")
func rtreeEmpty() throws {
    let tree = try PackedRTree.Builder(nodeSize: 4).finish()
    #expect(tree.isEmpty && tree.count == 0 && tree.bounds == nil && tree.height == 0)
    #expect(tree.search(IndexBox(minX: -1e300, minY: -1e300, maxX: 1e300, maxY: 1e300)).isEmpty)
    #expect(tree.search(within: .infinity, ofX: 0, y: 0).isEmpty)
    #expect(tree.nearest(toX: 0, y: 0, k: 5).isEmpty)
    #expect(PackedRTree().search(IndexBox(x: 0, y: 0)).isEmpty)
}

@Test("extreme but finite coordinates build and query")
func rtreeExtremeCoordinates() throws {
    let big = Double.greatestFiniteMagnitude
    let boxes = [
        IndexBox(minX: -big, minY: -big, maxX: -big, maxY: -big),
        IndexBox(minX: big, minY: big, maxX: big, maxY: big),
        IndexBox(minX: -big, minY: 0, maxX: big, maxY: 0),
        IndexBox(x: 0, y: 0), IndexBox(x: 0, y: 0),
    ]
    let tree = try rtreeBuild(boxes, nodeSize: 2)
    #expect(tree.search(IndexBox(x: 0, y: 0)).sorted() == [2, 3, 4])
    #expect(tree.search(IndexBox(x: big, y: big)) == [1])
    #expect(tree.nearest(toX: 1, y: 1, k: 3).map(\.item) == [2, 3, 4])   // the line is 1 away, the points √2
}

@Test("the same boxes give the same tree every time")
func rtreeDeterministic() throws {
    let boxes = rtreeTestBoxes(count: 5000, seed: 77)   // large enough for the radix sort
    let a = try rtreeBuild(boxes, nodeSize: 16), b = try rtreeBuild(boxes, nodeSize: 16)
    #expect(a.boxes == b.boxes)
    #expect(a.indices == b.indices)
    #expect(a.search(IndexBox(minX: 10, minY: 10, maxX: 30, maxY: 30)) == b.search(IndexBox(minX: 10, minY: 10, maxX: 30, maxY: 30)))
}

@Test("the radix sort and the comparison sort agree")
func rtreeKeySortAgrees() {
    var rng = RTreeTestRandom(seed: 9)
    // Few distinct Hilbert values, so ties (kept in position order) are everywhere.
    let keys = (0..<10_000).map { UInt64(UInt32.random(in: 0...300, using: &rng)) << 40 | UInt64($0) }
    #expect(PackedKeySort.sortedByHighHalf(keys) == keys.sorted())
}

@Test("the Hilbert curve steps between neighbouring cells")
func rtreeHilbertIsContinuous() {
    // On a continuous curve the cells at distance h - 1 and h + 1 are 4-neighbours of
    // the cell at h; check that for random cells (the full 2^32 grid is too big).
    var rng = RTreeTestRandom(seed: 4)
    var seen = Set<UInt32>()
    for _ in 0..<2000 {
        let x = UInt32.random(in: 1...0xFFFE, using: &rng), y = UInt32.random(in: 1...0xFFFE, using: &rng)
        let h = PackedHilbert.index(x: x, y: y)
        let around = [
            PackedHilbert.index(x: x - 1, y: y), PackedHilbert.index(x: x + 1, y: y),
            PackedHilbert.index(x: x, y: y - 1), PackedHilbert.index(x: x, y: y + 1),
        ]
        #expect(around.contains(h &- 1) && around.contains(h &+ 1), "cell \(x) \(y) at \(h)")
        seen.insert(h)
    }
    #expect(seen.count > 1990, "distinct cells map to distinct curve positions")
    #expect(PackedHilbert.index(x: 0, y: 0) == 0)
    #expect(PackedHilbert.cell(.nan) == 0 && PackedHilbert.cell(-3) == 0 && PackedHilbert.cell(1e9) == 0xFFFF)
}

@Test("memory stays within 40 bytes per box at the default node size")
func rtreeMemoryPerBox() throws {
    let n = 100_000
    var builder = try PackedRTree.Builder(capacity: n)
    var rng = RTreeTestRandom(seed: 12)
    for _ in 0..<n {
        let x = Double.random(in: 0..<1000, using: &rng), y = Double.random(in: 0..<1000, using: &rng)
        try builder.add(minX: x, minY: y, maxX: x + 0.5, maxY: y + 0.5)
    }
    let tree = try builder.finish()
    let perBox = Double(tree.memoryFootprint) / Double(n)
    #expect(perBox <= 40, "\(perBox) B per box")
    #expect(perBox >= 36, "at least the leaves themselves")
}

@Test("a warmed-up scratch and result buffers are reused, not reallocated")
func rtreeScratchIsReused() throws {
    let boxes = rtreeTestBoxes(count: 3000, seed: 21)
    let tree = try rtreeBuild(boxes, nodeSize: 16)
    let scratch = RTreeSearchScratch()
    var ids: [Int] = []
    ids.reserveCapacity(3000)
    var neighbors: [RTreeNeighbor] = []
    neighbors.reserveCapacity(10)
    var rng = RTreeTestRandom(seed: 2)
    // Warm up on the same kinds of query.
    for _ in 0..<200 {
        tree.search(rtreeTestQueryBox(&rng), into: &ids, scratch: scratch)
        tree.nearest(toX: rng.coarse(100), y: rng.coarse(100), k: 10, into: &neighbors, scratch: scratch)
    }
    let capacities = scratch.capacities
    let idsBase = ids.withUnsafeBufferPointer { $0.baseAddress }
    let neighborsBase = neighbors.withUnsafeBufferPointer { $0.baseAddress }
    for _ in 0..<500 {
        tree.search(rtreeTestQueryBox(&rng), into: &ids, scratch: scratch)
        tree.search(within: 2, ofX: rng.coarse(100), y: rng.coarse(100), into: &ids, scratch: scratch)
        tree.nearest(toX: rng.coarse(100), y: rng.coarse(100), k: 10, into: &neighbors, scratch: scratch)
    }
    #expect(scratch.capacities == capacities)
    #expect(ids.withUnsafeBufferPointer { $0.baseAddress } == idsBase)
    #expect(neighbors.withUnsafeBufferPointer { $0.baseAddress } == neighborsBase)
    #expect(neighbors.count == 10)
}

@Test("the scratch heaps grow correctly past their initial capacity")
func rtreeScratchHeapGrows() throws {
    // k = n on 3000 items: the k-best heap must hold 3000 entries; with a callback every
    // item also waits in the queue for its exact distance, far past the initial 256.
    let boxes = rtreeTestBoxes(count: 3000, seed: 22)
    let tree = try rtreeBuild(boxes, nodeSize: 50)
    let all = boxes.enumerated().map { (id: $0.offset, box: $0.element) }
    let scratch = RTreeSearchScratch()
    var out: [RTreeNeighbor] = []
    tree.nearest(toX: 50, y: 50, k: 3000, into: &out, scratch: scratch)
    #expect(scratch.capacities.bound >= 3000)
    #expect(out == bruteNearest(all, 50, 50, k: 3000))
    let exact: (Int) -> Double = { boxes[$0].distance(toX: 50, y: 50) + 0.25 }
    tree.nearest(toX: 50, y: 50, k: 3000, exactDistance: exact, into: &out, scratch: scratch)
    #expect(scratch.capacities.heap > 256)
    #expect(out == bruteNearest(all, 50, 50, k: 3000, exact: exact))
}
