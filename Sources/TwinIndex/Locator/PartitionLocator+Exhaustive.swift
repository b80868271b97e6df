/// The rings of every cell, flat: the reference evaluation reads them, the index is built from them.
struct PartitionRings: Sendable {
    /// Interleaved x, y of every vertex of every ring; a ring's closing vertex is not repeated.
    var points: [Double] = []
    /// Ring `r` is vertices `ringStart[r] ..< ringStart[r + 1]` (vertex indices, not value indices).
    var ringStart: [Int] = [0]
    /// Cell `c` is rings `cellRingStart[c] ..< cellRingStart[c + 1]`.
    var cellRingStart: [Int] = [0]
    /// Bounding box of cell `c`: `cellBoxes[4c ..< 4c + 4]` = min x, min y, max x, max y.
    var cellBoxes: [Double] = []

    var cellCount: Int { cellRingStart.count - 1 }

    /// Calls `body(ax, ay, bx, by)` for every edge of `cell`, including each ring's closing edge.
    @inline(__always)
    func forEachEdge(ofCell cell: Int, _ body: (Double, Double, Double, Double) -> Void) {
        for ring in cellRingStart[cell] ..< cellRingStart[cell + 1] {
            let first = ringStart[ring], end = ringStart[ring + 1]
            var prev = end - 1
            for v in first ..< end {
                body(points[2 * prev], points[2 * prev + 1], points[2 * v], points[2 * v + 1])
                prev = v
            }
        }
    }

    /// The half-open crossing rule for one cell: whether the ray from `(x, y)` toward +x crosses
    /// the cell's edges an odd number of times.
    func halfOpenContains(cell: Int, _ x: Double, _ y: Double) -> Bool {
        var inside = false
        forEachEdge(ofCell: cell) { ax, ay, bx, by in
            // Canonical order: lower y first. Horizontal edges never count.
            guard (ay > y) != (by > y) else { return }
            let (lx, ly, ux, uy) = ay < by ? (ax, ay, bx, by) : (bx, by, ax, ay)
            if LocatorPredicates.orient2d(lx, ly, ux, uy, x, y) >= 0 { inside.toggle() }
        }
        return inside
    }

    /// Whether `(x, y)` lies exactly on one of the cell's edges.
    func boundaryContains(cell: Int, _ x: Double, _ y: Double) -> Bool {
        var on = false
        forEachEdge(ofCell: cell) { ax, ay, bx, by in
            if !on && LocatorPredicates.isOnSegment(x, y, ax, ay, bx, by) { on = true }
        }
        return on
    }
}

extension PartitionRings {
    /// Whether `(x, y)` is in the closed bounding box of `cell`: outside it, the cell's crossing
    /// count is even and no edge passes through the point, so both tests may skip the cell.
    @inline(__always)
    func boxContains(cell: Int, _ x: Double, _ y: Double) -> Bool {
        x >= cellBoxes[4 * cell] && y >= cellBoxes[4 * cell + 1]
            && x <= cellBoxes[4 * cell + 2] && y <= cellBoxes[4 * cell + 3]
    }
}

extension PartitionLocatorStorage {
    func locateExhaustively(_ x: Double, _ y: Double) -> Int {
        guard x.isFinite, y.isFinite else { return -1 }
        for cell in 0 ..< cellCount
        where rings.boxContains(cell: cell, x, y) && rings.halfOpenContains(cell: cell, x, y) { return cell }
        for cell in 0 ..< cellCount
        where rings.boxContains(cell: cell, x, y) && rings.boundaryContains(cell: cell, x, y) { return cell }
        return -1
    }
}

extension PartitionLocator {
    /// The boundary rule evaluated by brute force over every cell: the reference that the fast
    /// ``locate(x:y:)`` agrees with on every non-overlapping partition.
    ///
    /// Returns the lowest-index cell whose half-open crossing count (see ``PartitionLocator``) is
    /// odd; failing that, the lowest-index cell with an edge passing exactly through the point;
    /// failing that, -1. Non-finite points give -1.
    ///
    /// - Complexity: O(total vertex count). For tests and diagnostics, not for production queries.
    public func locateExhaustively(x: Double, y: Double) -> Int {
        storage.locateExhaustively(x, y)
    }
}
