// Queries over the packed tree and the side buffer together, skipping retired ids.
// Order: the packed tree's items in tree order, then the side buffer's in insertion
// order; nearest neighbours by distance, ties by ascending id, as for PackedRTree.

extension DynamicRTree {
    /// Calls `body` with the id of every live item whose box intersects `box` (touching
    /// counts) until `body` returns `false`. See ``PackedRTree/visit(intersecting:scratch:_:)``.
    ///
    /// - Returns: `false` if `body` stopped the search.
    @discardableResult
    public func visit(
        intersecting box: IndexBox, scratch: RTreeSearchScratch, _ body: (Int) throws -> Bool
    ) rethrows -> Bool {
        guard box.minX <= box.maxX, box.minY <= box.maxY else { return true }   // NaN or inverted: nothing
        return try withStoredRetired { retired in
            guard try packed.visitIntersecting(box, retired: retired, scratch: scratch, body) else { return false }
            return try addedBoxes.withUnsafeBufferPointer { bx in
                for (i, id) in addedIDs.enumerated() {
                    let p = i &* 4
                    if box.maxX < bx[p] || box.maxY < bx[p &+ 1] || box.minX > bx[p &+ 2] || box.minY > bx[p &+ 3] { continue }
                    if retired.count != 0 && PackedRTree.isRetired(id, retired) { continue }
                    if try !body(Int(id)) { return false }
                }
                return true
            }
        }
    }

    /// Replaces the contents of `results` with the id of every live item whose box
    /// intersects `box` (touching counts).
    public func search(_ box: IndexBox, into results: inout [Int], scratch: RTreeSearchScratch) {
        results.removeAll(keepingCapacity: true)
        visit(intersecting: box, scratch: scratch) {
            results.append($0)
            return true
        }
    }

    /// The id of every live item whose box intersects `box` (touching counts).
    public func search(_ box: IndexBox) -> [Int] {
        var results: [Int] = []
        search(box, into: &results, scratch: RTreeSearchScratch())
        return results
    }

    /// Replaces the contents of `results` with every live item within `distance` of the
    /// point. See ``PackedRTree/search(within:ofX:y:exactDistance:into:scratch:)``.
    public func search(
        within distance: Double, ofX x: Double, y: Double,
        exactDistance: ((Int) -> Double)? = nil,
        into results: inout [Int], scratch: RTreeSearchScratch
    ) {
        results.removeAll(keepingCapacity: true)
        guard distance >= 0, x.isFinite, y.isFinite else { return }
        let limit = distance * distance
        func accept(_ item: Int) {
            if let exactDistance, !(exactDistance(item) <= distance) { return }
            results.append(item)
        }
        withStoredRetired { retired in
            packed.visitWithin(distance, x: x, y: y, retired: retired, scratch: scratch) {
                accept($0)
                return true
            }
            addedBoxes.withUnsafeBufferPointer { bx in
                for (i, id) in addedIDs.enumerated() {
                    if PackedRTree.boxDistanceSquared(bx, i, x, y) > limit { continue }
                    if retired.count != 0 && PackedRTree.isRetired(id, retired) { continue }
                    accept(Int(id))
                }
            }
        }
    }

    /// Every live item within `distance` of the point.
    public func search(
        within distance: Double, ofX x: Double, y: Double, exactDistance: ((Int) -> Double)? = nil
    ) -> [Int] {
        var results: [Int] = []
        search(within: distance, ofX: x, y: y, exactDistance: exactDistance, into: &results, scratch: RTreeSearchScratch())
        return results
    }

    /// Replaces the contents of `results` with the `k` live items nearest to the point,
    /// nearest first, ties by ascending id. See
    /// ``PackedRTree/nearest(toX:y:k:maxDistance:exactDistance:into:scratch:)``.
    public func nearest(
        toX x: Double, y: Double, k: Int, maxDistance: Double = .infinity,
        exactDistance: ((Int) -> Double)? = nil,
        into results: inout [RTreeNeighbor], scratch: RTreeSearchScratch
    ) {
        withStoredRetired { retired in
            addedBoxes.withUnsafeBufferPointer { bx in
                addedIDs.withUnsafeBufferPointer { ids in
                    packed.nearestCore(
                        x: x, y: y, k: k, maxDistance: maxDistance, exactDistance: exactDistance,
                        retired: retired, extraBoxes: bx, extraIDs: ids, into: &results, scratch: scratch)
                }
            }
        }
    }

    /// The `k` live items nearest to the point, nearest first, ties by ascending id.
    public func nearest(
        toX x: Double, y: Double, k: Int, maxDistance: Double = .infinity, exactDistance: ((Int) -> Double)? = nil
    ) -> [RTreeNeighbor] {
        var results: [RTreeNeighbor] = []
        nearest(toX: x, y: y, k: k, maxDistance: maxDistance, exactDistance: exactDistance, into: &results, scratch: RTreeSearchScratch())
        return results
    }
}
