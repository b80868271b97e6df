// k nearest neighbours: best-first search over a queue of nodes, with a k-best heap of items.

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
    /// Best-first search: nodes wait in a priority queue ordered by their box distance,
    /// which is a lower bound of any distance inside, while the k best items found so far
    /// set a cutoff beyond which nothing is queued. With `exactDistance`, an item first
    /// waits in the queue by its box distance and competes by its exact distance once it
    /// comes out, so the order is by exact distance even for items (such as long
    /// segments) whose boxes are poor approximations, and the callback is only called for
    /// items whose box is close enough to matter.
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
    /// Two heaps: a min-heap of nodes still to expand (and, with a callback, of items
    /// whose box distance is known but whose exact distance is not yet computed), and a
    /// max-heap of the k best items found so far by (distance, item). Once k are found,
    /// the worst of them is the cutoff: nothing farther is queued, and the search ends
    /// when the nearest queued entry is farther. Equal keys are never cut, since an item
    /// at the same distance with a smaller index still wins the tie.
    ///
    /// Keys are squared distances without a callback (no square root per entry) and plain
    /// distances with one (the callback speaks plain distances). Either way a node's key
    /// is never more than the key of anything below it, which is what makes the cut sound.
    ///
    /// Before the search, a greedy walk to the nearest leaf node fills the k-best heap, so
    /// the cutoff is finite from the first expansion and far subtrees are never queued;
    /// that leaf node is then skipped by the search (its items are in already).
    func nearestCore(
        x: Double, y: Double, k: Int, maxDistance: Double, exactDistance: ((Int) -> Double)?,
        retired: UnsafeBufferPointer<UInt64>,
        extraBoxes: UnsafeBufferPointer<Double>, extraIDs: UnsafeBufferPointer<UInt32>,
        into results: inout [RTreeNeighbor], scratch: RTreeSearchScratch
    ) {
        results.removeAll(keepingCapacity: true)
        guard k > 0, x.isFinite, y.isFinite, maxDistance >= 0 else { return }
        // No more than this many items can be reported, so the k-best heap needs no more.
        let limit = Swift.min(k, count &+ extraIDs.count)
        guard limit > 0 else { return }
        let plain = exactDistance != nil

        @inline(__always) func key(_ d2: Double) -> Double { plain ? d2.squareRoot() : d2 }

        scratch.reserveBound(limit)
        let best = scratch.bound
        var bestCount = 0
        var heap = scratch.heap
        var heapCapacity = scratch.heapCapacity
        var heapCount = 0
        // Nothing farther than this can be reported: min(maxDistance, worst of the k best).
        var cutoff = plain ? maxDistance : maxDistance * maxDistance

        @inline(__always) func push(_ key: Double, _ tag: UInt64) {
            if heapCount == heapCapacity {
                scratch.growHeap(keeping: heapCount)
                heap = scratch.heap
                heapCapacity = scratch.heapCapacity
            }
            PackedHeap.push(heap, &heapCount, PackedHeapEntry(key: key, tag: tag))
        }
        /// An item with its final key (within the cutoff) competes for the k best.
        @inline(__always) func offer(_ key: Double, _ id: UInt32) {
            cutoff = Swift.min(cutoff, PackedHeap.offer(best, &bestCount, limit: limit, PackedHeapEntry(key: key, tag: UInt64(id))))
        }
        /// An item with its box key: final without a callback, else queued until its exact
        /// distance is needed.
        @inline(__always) func consider(_ boxKey: Double, _ id: UInt32) {
            if plain { push(boxKey, PackedHeapEntry.pendingItemKind | UInt64(id)) } else { offer(boxKey, id) }
        }
        @inline(__always) func exactKey(_ id: UInt32, boxKey: Double) -> Double? {
            let exact = exactDistance!(Int(id))
            if exact.isNaN { return nil }
            // Never below the box distance: keeps the cut sound for a sloppy callback.
            return Swift.max(exact, boxKey)
        }

        for i in 0..<extraIDs.count {
            let id = extraIDs[i]
            if retired.count != 0 && PackedRTree.isRetired(id, retired) { continue }
            let kd = key(PackedRTree.boxDistanceSquared(extraBoxes, i, x, y))
            if kd <= cutoff { consider(kd, id) }
        }

        let nodeSize = self.nodeSize
        boxes.withUnsafeBufferPointer { bx in
            indices.withUnsafeBufferPointer { ix in
                levelEnds.withUnsafeBufferPointer { ends in
                    guard count > 0 else { return }
                    // The greedy walk: nearest child at each level down to a leaf node.
                    var seeded = ix.count &- 1
                    var level = ends.count &- 1
                    while level > 1 {
                        let first = Int(ix[seeded])
                        let end = Swift.min(first &+ nodeSize, ends[level &- 1])
                        var nearest = first
                        var nearestKey = Double.infinity
                        for c in first..<end {
                            let kd = PackedRTree.boxDistanceSquared(bx, c, x, y)
                            if kd < nearestKey { nearestKey = kd; nearest = c }
                        }
                        seeded = nearest
                        level &-= 1
                    }
                    let seedFirst = Int(ix[seeded])
                    for c in seedFirst..<Swift.min(seedFirst &+ nodeSize, ends[0]) {
                        let kd = key(PackedRTree.boxDistanceSquared(bx, c, x, y))
                        if kd > cutoff { continue }
                        let id = ix[c]
                        if retired.count != 0 && PackedRTree.isRetired(id, retired) { continue }
                        if plain {
                            if let d = exactKey(id, boxKey: kd), d <= cutoff { offer(d, id) }
                        } else {
                            offer(kd, id)
                        }
                    }

                    let root = ix.count &- 1
                    let rootKey = key(PackedRTree.boxDistanceSquared(bx, root, x, y))
                    if rootKey <= cutoff { push(rootKey, PackedHeapEntry.nodeKind | UInt64(ends.count &- 1) << 32 | UInt64(root)) }
                    while heapCount > 0 {
                        let entry = PackedHeap.pop(heap, &heapCount)
                        // Everything still queued is at least this far: nothing can make the cut.
                        if entry.key > cutoff { break }
                        if entry.tag & PackedHeapEntry.kindMask == PackedHeapEntry.nodeKind {
                            let node = Int(truncatingIfNeeded: entry.tag & 0xFFFF_FFFF)
                            let level = Int(truncatingIfNeeded: (entry.tag >> 32) & 0xFFFF)
                            let first = Int(ix[node])
                            let end = Swift.min(first &+ nodeSize, ends[level &- 1])
                            if level == 1 {
                                if node == seeded { continue }
                                for c in first..<end {
                                    let kd = key(PackedRTree.boxDistanceSquared(bx, c, x, y))
                                    if kd > cutoff { continue }
                                    let id = ix[c]
                                    if retired.count != 0 && PackedRTree.isRetired(id, retired) { continue }
                                    consider(kd, id)
                                }
                            } else {
                                let childLevel = UInt64(level &- 1) << 32
                                for c in first..<end {
                                    let kd = key(PackedRTree.boxDistanceSquared(bx, c, x, y))
                                    if kd > cutoff { continue }
                                    push(kd, childLevel | UInt64(c))
                                }
                            }
                        } else {
                            // An item waiting for its exact distance.
                            let id = UInt32(truncatingIfNeeded: entry.tag & 0xFFFF_FFFF)
                            if let d = exactKey(id, boxKey: entry.key), d <= cutoff { offer(d, id) }
                        }
                    }
                }
            }
        }

        // The k best, nearest first: empty the max-heap from the back of the results.
        results.append(contentsOf: repeatElement(RTreeNeighbor(item: -1, distance: 0), count: bestCount))
        results.withUnsafeMutableBufferPointer { out in
            var n = bestCount
            while n > 0 {
                let top = best[0]
                n &-= 1
                if n > 0 { PackedHeap.siftDownMax(best, n, best[n]) }
                out[n] = RTreeNeighbor(item: Int(truncatingIfNeeded: top.tag & 0xFFFF_FFFF), distance: plain ? top.key : top.key.squareRoot())
            }
        }
    }
}
