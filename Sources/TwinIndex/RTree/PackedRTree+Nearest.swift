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
    ///
    /// Pruning: a max-heap keeps the `k` smallest final item keys queued so far; once it
    /// is full, its top is a distance that `k` queued items do not exceed, so anything
    /// farther (strictly: equal keys may still win on item index) is never queued. This
    /// keeps the queue to a few dozen entries instead of every child of every expanded node.
    func nearestCore(
        x: Double, y: Double, k: Int, maxDistance: Double, exactDistance: ((Int) -> Double)?,
        retired: UnsafeBufferPointer<UInt64>,
        extraBoxes: UnsafeBufferPointer<Double>, extraIDs: UnsafeBufferPointer<UInt32>,
        into results: inout [RTreeNeighbor], scratch: RTreeSearchScratch
    ) {
        results.removeAll(keepingCapacity: true)
        guard k > 0, x.isFinite, y.isFinite, maxDistance >= 0 else { return }
        // No more than this many items can be reported, so the bound heap needs no more.
        let limit = Swift.min(k, count &+ extraIDs.count)
        guard limit > 0 else { return }
        let plain = exactDistance != nil
        let itemKind = plain ? PackedHeapEntry.pendingItemKind : PackedHeapEntry.finalItemKind

        @inline(__always) func key(_ d2: Double) -> Double { plain ? d2.squareRoot() : d2 }

        scratch.reserveBound(limit)
        let bound = scratch.bound
        var boundCount = 0
        var heap = scratch.heap
        var heapCapacity = scratch.heapCapacity
        var heapCount = 0
        // Nothing farther than this is queued: min(maxDistance, the k-th best final key).
        var cutoff = plain ? maxDistance : maxDistance * maxDistance

        @inline(__always) func push(_ key: Double, _ tag: UInt64) {
            if heapCount == heapCapacity {
                scratch.growHeap(keeping: heapCount)
                heap = scratch.heap
                heapCapacity = scratch.heapCapacity
            }
            PackedHeap.push(heap, &heapCount, PackedHeapEntry(key: key, tag: tag))
        }
        /// Queues an item whose key is within the cutoff.
        @inline(__always) func pushItem(_ key: Double, _ id: UInt32) {
            if !plain { cutoff = Swift.min(cutoff, PackedHeap.offer(bound, &boundCount, limit: limit, key)) }
            push(key, itemKind | UInt64(id))
        }

        for i in 0..<extraIDs.count {
            let id = extraIDs[i]
            if retired.count != 0 && PackedRTree.isRetired(id, retired) { continue }
            let kd = key(PackedRTree.boxDistanceSquared(extraBoxes, i, x, y))
            if kd <= cutoff { pushItem(kd, id) }
        }

        let nodeSize = self.nodeSize
        boxes.withUnsafeBufferPointer { bx in
            indices.withUnsafeBufferPointer { ix in
                levelEnds.withUnsafeBufferPointer { ends in
                    // Seed the bound: walk greedily to the nearest level-1 node and offer its
                    // items' keys, so the cutoff is finite from the first expansion on. They
                    // are only counted here; the node's real expansion queues them without
                    // offering them again (an item counted twice would shrink the bound
                    // below the truth). Exact distances are not known yet, so not then.
                    var seeded = -1
                    if !plain && count > 0 && k < nodeSize {
                        var node = ix.count &- 1
                        var level = ends.count &- 1
                        while level > 1 {
                            let first = Int(ix[node])
                            let end = Swift.min(first &+ nodeSize, ends[level &- 1])
                            var best = first
                            var bestKey = Double.infinity
                            for c in first..<end {
                                let kd = PackedRTree.boxDistanceSquared(bx, c, x, y)
                                if kd < bestKey { bestKey = kd; best = c }
                            }
                            node = best
                            level &-= 1
                        }
                        let first = Int(ix[node])
                        for c in first..<Swift.min(first &+ nodeSize, ends[0]) {
                            let kd = PackedRTree.boxDistanceSquared(bx, c, x, y)
                            if kd > cutoff { continue }
                            if retired.count != 0 && PackedRTree.isRetired(ix[c], retired) { continue }
                            cutoff = Swift.min(cutoff, PackedHeap.offer(bound, &boundCount, limit: limit, kd))
                        }
                        seeded = node
                    }
                    if count > 0 {
                        let root = ix.count &- 1
                        let k0 = key(PackedRTree.boxDistanceSquared(bx, root, x, y))
                        if k0 <= cutoff { push(k0, PackedHeapEntry.nodeKind | UInt64(ends.count &- 1) << 32 | UInt64(root)) }
                    }
                    while heapCount > 0 {
                        let entry = PackedHeap.pop(heap, &heapCount)
                        switch entry.tag & PackedHeapEntry.kindMask {
                        case PackedHeapEntry.nodeKind:
                            let node = Int(truncatingIfNeeded: entry.tag & 0xFFFF_FFFF)
                            let level = Int(truncatingIfNeeded: (entry.tag >> 32) & 0xFFFF)
                            let first = Int(ix[node])
                            let end = Swift.min(first &+ nodeSize, ends[level &- 1])
                            if level == 1 {
                                let offered = node == seeded
                                for c in first..<end {
                                    let kd = key(PackedRTree.boxDistanceSquared(bx, c, x, y))
                                    if kd > cutoff { continue }
                                    let id = ix[c]
                                    if retired.count != 0 && PackedRTree.isRetired(id, retired) { continue }
                                    if offered { push(kd, itemKind | UInt64(id)) } else { pushItem(kd, id) }
                                }
                            } else {
                                let childLevel = UInt64(level &- 1) << 32
                                for c in first..<end {
                                    let kd = key(PackedRTree.boxDistanceSquared(bx, c, x, y))
                                    if kd > cutoff { continue }
                                    push(kd, childLevel | UInt64(c))
                                }
                            }
                        case PackedHeapEntry.pendingItemKind:
                            let id = entry.tag & 0xFFFF_FFFF
                            let exact = exactDistance!(Int(id))
                            if exact.isNaN { continue }
                            // Never below the box distance: keeps the queue's order sound.
                            let d = Swift.max(exact, entry.key)
                            if d > cutoff { continue }
                            cutoff = Swift.min(cutoff, PackedHeap.offer(bound, &boundCount, limit: limit, d))
                            push(d, PackedHeapEntry.finalItemKind | id)
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
