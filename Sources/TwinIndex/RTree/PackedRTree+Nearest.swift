// k nearest neighbours: best-first search over a binary heap of nodes and items.

/// One nearest-neighbour result: the item index and its distance from the query point.
public struct RTreeNeighbor: Sendable, Hashable {
    /// The item index (or ``DynamicRTree`` id).
    public var item: Int
    /// The Euclidean distance from the query point: to the item's box, or the exact
    /// distance from the caller's callback when one was given.
    public var distance: Double

    /// Creates a result.
    public init(item: Int, distance: Double) {
        self.item = item
        self.distance = distance
    }
}

extension PackedRTree {
    /// Replaces the contents of `results` with the `k` items nearest to the point, nearest
    /// first; items at equal distance come in ascending item index.
    ///
    /// Best-first search: nodes and items wait in one priority queue ordered by their box
    /// distance, which is a lower bound of any distance inside. With `exactDistance`, an
    /// item taken from the queue is put back with its exact distance and reported only
    /// when it comes out again, so the order is by exact distance even for items (such as
    /// long segments) whose boxes are poor approximations.
    ///
    /// - Parameters:
    ///   - x: the point's x; a non-finite point finds nothing.
    ///   - y: the point's y.
    ///   - k: how many items at most; `k <= 0` finds nothing.
    ///   - maxDistance: only items at most this far (inclusive); default unlimited.
    ///     Negative or NaN finds nothing.
    ///   - exactDistance: the distance from the point to the item itself; it must be at
    ///     least the box distance (a smaller value is raised to the box distance so the
    ///     order stays consistent). A NaN result excludes the item.
    ///   - results: emptied (keeping its capacity), then filled with at most `k` results.
    ///   - scratch: per-thread working memory; with it and `results` of capacity `k` the
    ///     query allocates nothing once the scratch has warmed up.
    /// - Complexity: about O(log n · nodeSize + k log k) on well-spread data.
    public func nearest(
        toX x: Double, y: Double, k: Int, maxDistance: Double = .infinity,
        exactDistance: ((Int) -> Double)? = nil,
        into results: inout [RTreeNeighbor], scratch: RTreeSearchScratch
    ) {
        nearestCore(
            x: x, y: y, k: k, maxDistance: maxDistance, exactDistance: exactDistance,
            retired: UnsafeBufferPointer(start: nil, count: 0),
            extraBoxes: UnsafeBufferPointer(start: nil, count: 0), extraIDs: UnsafeBufferPointer(start: nil, count: 0),
            into: &results, scratch: scratch)
    }

    /// ``nearest(toX:y:k:maxDistance:exactDistance:into:scratch:)`` returning a new array.
    public func nearest(
        toX x: Double, y: Double, k: Int, maxDistance: Double = .infinity, exactDistance: ((Int) -> Double)? = nil
    ) -> [RTreeNeighbor] {
        var results: [RTreeNeighbor] = []
        nearest(toX: x, y: y, k: k, maxDistance: maxDistance, exactDistance: exactDistance, into: &results, scratch: RTreeSearchScratch())
        return results
    }

    /// The best-first search, also over `extraBoxes`/`extraIDs` (items outside the packed
    /// levels, for ``DynamicRTree``) and skipping the ids set in `retired`.
    ///
    /// Heap keys are squared distances when there is no callback (no square root per
    /// entry) and plain distances with one (the callback speaks plain distances). Either
    /// way a node's key is never more than the key of anything below it, which is what
    /// makes the first `k` items out of the queue the `k` nearest.
    func nearestCore(
        x: Double, y: Double, k: Int, maxDistance: Double, exactDistance: ((Int) -> Double)?,
        retired: UnsafeBufferPointer<UInt64>,
        extraBoxes: UnsafeBufferPointer<Double>, extraIDs: UnsafeBufferPointer<UInt32>,
        into results: inout [RTreeNeighbor], scratch: RTreeSearchScratch
    ) {
        results.removeAll(keepingCapacity: true)
        guard k > 0, x.isFinite, y.isFinite, maxDistance >= 0 else { return }
        let plain = exactDistance != nil
        let maxKey = plain ? maxDistance : maxDistance * maxDistance
        let itemKind = plain ? PackedHeapEntry.pendingItemKind : PackedHeapEntry.finalItemKind

        @inline(__always) func key(_ d2: Double) -> Double { plain ? d2.squareRoot() : d2 }

        scratch.heapReset()
        if count > 0 {
            let root = indices.count &- 1
            let k0 = boxes.withUnsafeBufferPointer { key(PackedRTree.boxDistanceSquared($0, root, x, y)) }
            if k0 <= maxKey {
                scratch.heapPush(key: k0, tag: PackedHeapEntry.nodeKind | UInt64(levelEnds.count &- 1) << 32 | UInt64(root))
            }
        }
        for i in 0..<extraIDs.count {
            let id = extraIDs[i]
            if retired.count != 0 && PackedRTree.isRetired(id, retired) { continue }
            let kd = key(PackedRTree.boxDistanceSquared(extraBoxes, i, x, y))
            if kd <= maxKey { scratch.heapPush(key: kd, tag: itemKind | UInt64(id)) }
        }

        let nodeSize = self.nodeSize
        boxes.withUnsafeBufferPointer { bx in
            indices.withUnsafeBufferPointer { ix in
                levelEnds.withUnsafeBufferPointer { ends in
                    while scratch.heapCount > 0 {
                        let entry = scratch.heapPop()
                        switch entry.tag & PackedHeapEntry.kindMask {
                        case PackedHeapEntry.nodeKind:
                            let node = Int(truncatingIfNeeded: entry.tag & 0xFFFF_FFFF)
                            let level = Int(truncatingIfNeeded: (entry.tag >> 32) & 0xFFFF)
                            let first = Int(ix[node])
                            let end = Swift.min(first &+ nodeSize, ends[level &- 1])
                            if level == 1 {
                                for c in first..<end {
                                    let kd = key(PackedRTree.boxDistanceSquared(bx, c, x, y))
                                    if kd > maxKey { continue }
                                    let id = ix[c]
                                    if retired.count != 0 && PackedRTree.isRetired(id, retired) { continue }
                                    scratch.heapPush(key: kd, tag: itemKind | UInt64(id))
                                }
                            } else {
                                let childLevel = UInt64(level &- 1) << 32
                                for c in first..<end {
                                    let kd = key(PackedRTree.boxDistanceSquared(bx, c, x, y))
                                    if kd > maxKey { continue }
                                    scratch.heapPush(key: kd, tag: childLevel | UInt64(c))
                                }
                            }
                        case PackedHeapEntry.pendingItemKind:
                            let id = entry.tag & 0xFFFF_FFFF
                            let exact = exactDistance!(Int(id))
                            if exact.isNaN { continue }
                            // Never below the box distance: keeps the queue's order sound.
                            let d = Swift.max(exact, entry.key)
                            if d <= maxKey { scratch.heapPush(key: d, tag: PackedHeapEntry.finalItemKind | id) }
                        default:
                            let id = Int(truncatingIfNeeded: entry.tag & 0xFFFF_FFFF)
                            results.append(RTreeNeighbor(item: id, distance: plain ? entry.key : entry.key.squareRoot()))
                            if results.count == k { return }
                        }
                    }
                }
            }
        }
    }
}
