// Seeded data and brute-force oracles for the R-tree tests.
import TwinIndex

/// SplitMix64, so every run sees the same data.
struct RTreeTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A multiple of 0.5 in 0...limit: coarse on purpose, so boxes touch, coincide and tie
    /// in distance often.
    mutating func coarse(_ limit: Int) -> Double { Double(Int.random(in: 0...(limit * 2), using: &self)) / 2 }
}

/// Boxes of every degenerate kind: ordinary, points, horizontal and vertical lines, and
/// exact duplicates of earlier boxes.
func rtreeTestBoxes(count: Int, seed: UInt64) -> [IndexBox] {
    var rng = RTreeTestRandom(seed: seed)
    var boxes: [IndexBox] = []
    boxes.reserveCapacity(count)
    for _ in 0..<count {
        let x = rng.coarse(100), y = rng.coarse(100)
        let box: IndexBox
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1: box = IndexBox(x: x, y: y)                                              // point
        case 2: box = IndexBox(minX: x, minY: y, maxX: x + rng.coarse(5), maxY: y)         // horizontal line
        case 3: box = IndexBox(minX: x, minY: y, maxX: x, maxY: y + rng.coarse(5))         // vertical line
        case 4 where !boxes.isEmpty: box = boxes[Int.random(in: 0..<boxes.count, using: &rng)] // duplicate
        default: box = IndexBox(minX: x, minY: y, maxX: x + rng.coarse(6), maxY: y + rng.coarse(6))
        }
        boxes.append(box)
    }
    return boxes
}

func rtreeTestQueryBox(_ rng: inout RTreeTestRandom) -> IndexBox {
    let x = rng.coarse(110) - 5, y = rng.coarse(110) - 5
    return IndexBox(minX: x, minY: y, maxX: x + rng.coarse(15), maxY: y + rng.coarse(15))
}

func rtreeBuild(_ boxes: [IndexBox], nodeSize: Int) throws -> PackedRTree {
    var builder = try PackedRTree.Builder(capacity: boxes.count, nodeSize: nodeSize)
    for (i, box) in boxes.enumerated() {
        let item = try builder.add(box)
        precondition(item == i)
    }
    return try builder.finish()
}

/// Brute force: ids of boxes intersecting `q` (closed), ascending.
func bruteIntersecting(_ boxes: [(id: Int, box: IndexBox)], _ q: IndexBox) -> [Int] {
    boxes.filter { $0.box.intersects(q) }.map(\.id).sorted()
}

/// Brute force: ids within `d` of the point, ascending.
func bruteWithin(
    _ boxes: [(id: Int, box: IndexBox)], _ d: Double, _ x: Double, _ y: Double, exact: ((Int) -> Double)? = nil
) -> [Int] {
    boxes.filter { e in
        guard e.box.distanceSquared(toX: x, y: y) <= d * d else { return false }
        if let exact { return exact(e.id) <= d }
        return true
    }.map(\.id).sorted()
}

/// Brute force k nearest, with the tree's documented ordering: by (squared box distance,
/// id) without a callback; by (max(exact, box distance), id) with one.
func bruteNearest(
    _ boxes: [(id: Int, box: IndexBox)], _ x: Double, _ y: Double, k: Int,
    maxDistance: Double = .infinity, exact: ((Int) -> Double)? = nil
) -> [RTreeNeighbor] {
    var keyed: [(key: Double, id: Int)] = []
    for e in boxes {
        let d2 = e.box.distanceSquared(toX: x, y: y)
        if let exact {
            let d = max(exact(e.id), d2.squareRoot())
            if d <= maxDistance { keyed.append((d, e.id)) }
        } else if d2 <= maxDistance * maxDistance {
            keyed.append((d2, e.id))
        }
    }
    keyed.sort { $0.key < $1.key || ($0.key == $1.key && $0.id < $1.id) }
    return keyed.prefix(max(k, 0)).map { RTreeNeighbor(item: $0.id, distance: exact == nil ? $0.key.squareRoot() : $0.key) }
}

/// Euclidean distance from (px, py) to the segment a–b.
func rtreeSegmentDistance(_ px: Double, _ py: Double, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
    let dx = bx - ax, dy = by - ay
    let len2 = dx * dx + dy * dy
    var t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0
    t = min(max(t, 0), 1)
    let cx = ax + t * dx - px, cy = ay + t * dy - py
    return (cx * cx + cy * cy).squareRoot()
}
