// DynamicRTree: inserts, retirements and rebuilds against a brute-force model.
import Testing
import TwinIndex

/// The model: the live items, by id.
private struct Model {
    var live: [Int: IndexBox] = [:]
    var all: [(id: Int, box: IndexBox)] { live.map { ($0.key, $0.value) }.sorted { $0.id < $1.id } }
}

private func checkAgainstModel(_ tree: DynamicRTree, _ model: Model, _ rng: inout RTreeTestRandom, _ note: String) {
    let all = model.all
    #expect(tree.count == all.count, "\(note)")
    let scratch = RTreeSearchScratch()
    var ids: [Int] = []
    var near: [RTreeNeighbor] = []
    for q in 0..<25 {
        let box = rtreeTestQueryBox(&rng)
        tree.search(box, into: &ids, scratch: scratch)
        #expect(ids.sorted() == bruteIntersecting(all, box), "\(note): box \(box)")
        let x = rng.coarse(100), y = rng.coarse(100)
        tree.search(within: 2, ofX: x, y: y, into: &ids, scratch: scratch)
        #expect(ids.sorted() == bruteWithin(all, 2, x, y), "\(note): within at \(x) \(y)")
        let k = [1, 10, 40][q % 3]
        tree.nearest(toX: x, y: y, k: k, into: &near, scratch: scratch)
        #expect(near == bruteNearest(all, x, y, k: k), "\(note): \(k)-NN at \(x) \(y)")
    }
}

@Test("inserts, retirements and rebuilds match brute force; ids stay stable", arguments: [2, 16])
func rtreeDynamicMatchesModel(nodeSize: Int) throws {
    let initial = rtreeTestBoxes(count: 800, seed: 31)
    var tree = DynamicRTree(try rtreeBuild(initial, nodeSize: nodeSize))
    var model = Model()
    for (i, b) in initial.enumerated() { model.live[i] = b }
    var rng = RTreeTestRandom(seed: 32)
    checkAgainstModel(tree, model, &rng, "initial")

    let extra = rtreeTestBoxes(count: 600, seed: 33)
    var next = 0
    for round in 0..<3 {
        for _ in 0..<150 {
            let id = try tree.insert(extra[next])
            #expect(id == initial.count + next, "ids are handed out in order")
            model.live[id] = extra[next]
            next += 1
        }
        // Retire a mix of packed and side-buffer items.
        for _ in 0..<120 {
            let id = Int.random(in: 0..<tree.nextID, using: &rng)
            let wasLive = model.live.removeValue(forKey: id) != nil
            #expect(try tree.retire(id) == wasLive)
            #expect(!tree.isLive(id))
        }
        checkAgainstModel(tree, model, &rng, "round \(round) before rebuild")
        #expect(tree.pendingCount > 0)

        let rebuilt = tree.rebuilt()
        #expect(rebuilt.pendingCount == 0)
        #expect(rebuilt.packed.count == model.live.count)
        #expect(rebuilt.packed.nodeSize == nodeSize)
        checkAgainstModel(rebuilt, model, &rng, "round \(round) after rebuild")
        // The original value is untouched by the rebuild.
        checkAgainstModel(tree, model, &rng, "round \(round) original")
        tree = rebuilt
    }
    // Retired ids stay retired after rebuilds, and are never handed out again.
    let retiredID = (0..<tree.nextID).first { model.live[$0] == nil }!
    #expect(try tree.retire(retiredID) == false)
    let fresh = try tree.insert(IndexBox(x: 1, y: 1))
    #expect(fresh == initial.count + next)
}

@Test("an inserted item is found by the very next query, including k nearest")
func rtreeDynamicInsertFoundAtOnce() throws {
    var tree = DynamicRTree(try rtreeBuild(rtreeTestBoxes(count: 500, seed: 40), nodeSize: 16))
    let id = try tree.insert(minX: 200, minY: 200, maxX: 201, maxY: 201)
    #expect(tree.search(IndexBox(x: 200.5, y: 200.5)) == [id])
    #expect(tree.nearest(toX: 300, y: 300, k: 1).map(\.item) == [id])
    #expect(tree.search(within: 1, ofX: 202, y: 201).contains(id))
    try tree.retire(id)
    #expect(tree.search(IndexBox(x: 200.5, y: 200.5)).isEmpty)
    #expect(tree.nearest(toX: 300, y: 300, k: 1).map(\.item) != [id])
}

@Test("the visitor stops early across the packed part and the side buffer")
func rtreeDynamicVisitorStops() throws {
    var tree = try DynamicRTree(nodeSize: 4)
    for i in 0..<10 { try tree.insert(IndexBox(x: Double(i), y: 0)) }
    var seen: [Int] = []
    let finished = tree.visit(intersecting: IndexBox(minX: 0, minY: 0, maxX: 9, maxY: 0), scratch: RTreeSearchScratch()) {
        seen.append($0)
        return seen.count < 3
    }
    #expect(!finished)
    #expect(seen == [0, 1, 2])
}

@Test("k nearest with exact distances merges the packed part and the side buffer")
func rtreeDynamicExactNearest() throws {
    // Segments, half packed, half inserted afterwards.
    var rng = RTreeTestRandom(seed: 50)
    var segments: [(Double, Double, Double, Double)] = []
    for _ in 0..<400 {
        let ax = rng.coarse(100), ay = rng.coarse(100)
        segments.append((ax, ay, ax + rng.coarse(16) - 8, ay + rng.coarse(16) - 8))
    }
    let boxes = segments.map { IndexBox(minX: min($0.0, $0.2), minY: min($0.1, $0.3), maxX: max($0.0, $0.2), maxY: max($0.1, $0.3)) }
    var tree = DynamicRTree(try rtreeBuild(Array(boxes[..<200]), nodeSize: 8))
    for b in boxes[200...] { try tree.insert(b) }
    for id in stride(from: 0, to: 400, by: 7) { try tree.retire(id) }
    let live = boxes.enumerated().filter { $0.offset % 7 != 0 }.map { (id: $0.offset, box: $0.element) }
    for _ in 0..<40 {
        let x = rng.coarse(100), y = rng.coarse(100)
        let exact: (Int) -> Double = { i in
            let s = segments[i]
            return rtreeSegmentDistance(x, y, s.0, s.1, s.2, s.3)
        }
        #expect(tree.nearest(toX: x, y: y, k: 8, exactDistance: exact) == bruteNearest(live, x, y, k: 8, exact: exact))
        #expect(tree.search(within: 4, ofX: x, y: y, exactDistance: exact).sorted() == bruteWithin(live, 4, x, y, exact: exact))
    }
}

@Test("bad inserts and unknown ids are refused with the id")
func rtreeDynamicRefusesBadInput() throws {
    var tree = try DynamicRTree()
    try tree.insert(IndexBox(x: 0, y: 0))
    let nan = #expect(throws: RTreeError.self) { try tree.insert(minX: .nan, minY: 0, maxX: 1, maxY: 1) }
    #expect(nan?.item == 1 && nan?.kind == .nonFiniteCoordinate)
    #expect(nan?.description.contains("item 1") == true)
    let inverted = #expect(throws: RTreeError.self) { try tree.insert(minX: 0, minY: 2, maxX: 1, maxY: 1) }
    #expect(inverted?.item == 1 && inverted?.kind == .invertedBox)
    let unknown = #expect(throws: RTreeError.self) { try tree.retire(5) }
    #expect(unknown?.kind == .unknownItem && unknown?.item == 5)
    #expect(unknown?.description.contains("5") == true)
    #expect(throws: RTreeError.self) { try tree.retire(-1) }
    #expect(tree.count == 1 && tree.nextID == 1)
}

@Test("a packed tree with gaps in its ids starts with the gaps retired")
func rtreeDynamicFromGappyTree() throws {
    var first = DynamicRTree(try rtreeBuild(rtreeTestBoxes(count: 100, seed: 70), nodeSize: 4))
    for id in [3, 50, 99] { try first.retire(id) }
    let packed = first.rebuilt().packed
    let second = DynamicRTree(packed)
    #expect(second.count == 97)
    #expect(second.nextID == 99, "the largest remaining id is 98")
    #expect(!second.isLive(3) && !second.isLive(50) && second.isLive(4) && second.isLive(98))
    var third = second
    #expect(try third.retire(50) == false, "already gone")
    #expect(try third.insert(IndexBox(x: 0, y: 0)) == 99, "the packed part alone cannot know 99 was used")
}
