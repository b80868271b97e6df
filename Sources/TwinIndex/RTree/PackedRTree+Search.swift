// Box and within-distance queries: depth-first over the packed levels.

extension PackedRTree {
    /// Calls `body` with the index of every item whose box intersects `box` (closed boxes:
    /// touching counts), in tree order, until `body` returns `false`.
    ///
    /// - Parameters:
    ///   - box: the query box. A box with NaN or `min > max` finds nothing.
    ///   - scratch: per-thread working memory; with it the query allocates nothing.
    ///   - body: receives each item index; return `false` to stop the search.
    /// - Returns: `false` if `body` stopped the search, `true` if it ran to the end.
    /// - Complexity: O(log n + k·nodeSize) for k hits on well-spread data.
    @discardableResult
    public func visit(
        intersecting box: IndexBox, scratch: RTreeSearchScratch, _ body: (Int) throws -> Bool
    ) rethrows -> Bool {
        try visitIntersecting(box, retired: UnsafeBufferPointer(start: nil, count: 0), scratch: scratch, body)
    }

    /// ``visit(intersecting:scratch:_:)`` with a scratch made for this call.
    @discardableResult
    public func visit(intersecting box: IndexBox, _ body: (Int) throws -> Bool) rethrows -> Bool {
        try visit(intersecting: box, scratch: RTreeSearchScratch(), body)
    }

    /// Replaces the contents of `results` with the index of every item whose box
    /// intersects `box` (touching counts), in tree order.
    ///
    /// - Parameters:
    ///   - box: the query box. A box with NaN or `min > max` finds nothing.
    ///   - results: emptied (keeping its capacity), then filled.
    ///   - scratch: per-thread working memory; with it and a `results` array of enough
    ///     capacity the query allocates nothing.
    public func search(_ box: IndexBox, into results: inout [Int], scratch: RTreeSearchScratch) {
        results.removeAll(keepingCapacity: true)
        visitIntersecting(box, retired: UnsafeBufferPointer(start: nil, count: 0), scratch: scratch) {
            results.append($0)
            return true
        }
    }

    /// The index of every item whose box intersects `box` (touching counts), in tree order.
    public func search(_ box: IndexBox) -> [Int] {
        var results: [Int] = []
        search(box, into: &results, scratch: RTreeSearchScratch())
        return results
    }

    /// Replaces the contents of `results` with every item within `distance` of the point,
    /// in tree order.
    ///
    /// An item qualifies when the Euclidean distance from the point to its box is at most
    /// `distance` and, if `exactDistance` is given, when `exactDistance(item)` is at most
    /// `distance` too (the box test runs first, so the callback is only called for
    /// candidates). Distances are in the units of the coordinates: on lon/lat data they
    /// are degrees, so project first when metres matter.
    ///
    /// - Parameters:
    ///   - distance: the radius, inclusive. Negative or NaN finds nothing; `.infinity`
    ///     finds every item.
    ///   - x: the point's x; a non-finite point finds nothing.
    ///   - y: the point's y.
    ///   - exactDistance: the distance from the point to the item itself, for items that
    ///     are not their box (segments, polygons); it must not be less than the box
    ///     distance. A NaN result excludes the item.
    ///   - results: emptied (keeping its capacity), then filled.
    ///   - scratch: per-thread working memory.
    public func search(
        within distance: Double, ofX x: Double, y: Double,
        exactDistance: ((Int) -> Double)? = nil,
        into results: inout [Int], scratch: RTreeSearchScratch
    ) {
        results.removeAll(keepingCapacity: true)
        visitWithin(distance, x: x, y: y, retired: UnsafeBufferPointer(start: nil, count: 0), scratch: scratch) { item in
            if let exactDistance {
                let d = exactDistance(item)
                if !(d <= distance) { return true }
            }
            results.append(item)
            return true
        }
    }

    /// ``search(within:ofX:y:exactDistance:into:scratch:)`` returning a new array.
    public func search(
        within distance: Double, ofX x: Double, y: Double, exactDistance: ((Int) -> Double)? = nil
    ) -> [Int] {
        var results: [Int] = []
        search(within: distance, ofX: x, y: y, exactDistance: exactDistance, into: &results, scratch: RTreeSearchScratch())
        return results
    }

    // MARK: Cores (shared with DynamicRTree, which passes its retired-item bit set)

    /// Whether bit `id` is set in a bit set of 64-bit words (false past its end).
    @inline(__always)
    static func isRetired(_ id: UInt32, _ retired: UnsafeBufferPointer<UInt64>) -> Bool {
        let word = Int(id >> 6)
        return word < retired.count && retired[word] & (1 << UInt64(id & 63)) != 0
    }

    /// Depth-first box query. Each stack entry is a node to expand, `(level << 32) | node`;
    /// a node on level 1 has leaves as children, which are tested and reported.
    @discardableResult
    func visitIntersecting(
        _ q: IndexBox, retired: UnsafeBufferPointer<UInt64>, scratch: RTreeSearchScratch,
        _ body: (Int) throws -> Bool
    ) rethrows -> Bool {
        // `min <= max` also refuses NaN; an inverted box would otherwise match wide items.
        guard q.minX <= q.maxX, q.minY <= q.maxY, let root = bounds, q.intersects(root) else { return true }
        let levels = levelEnds.count
        // Each expansion pops one entry and pushes at most nodeSize, once per level.
        scratch.reserveStack(levels &* nodeSize &+ 1)
        let qx0 = q.minX, qy0 = q.minY, qx1 = q.maxX, qy1 = q.maxY
        let nodeSize = self.nodeSize
        return try boxes.withUnsafeBufferPointer { bx in
            try indices.withUnsafeBufferPointer { ix in
                try levelEnds.withUnsafeBufferPointer { ends in
                    let stack = scratch.stack
                    stack[0] = UInt64(levels &- 1) << 32 | UInt64(ix.count &- 1)
                    var top = 1
                    while top > 0 {
                        top &-= 1
                        let entry = stack[top]
                        let node = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
                        let level = Int(truncatingIfNeeded: entry >> 32)
                        let first = Int(ix[node])
                        let end = Swift.min(first &+ nodeSize, ends[level &- 1])
                        if level == 1 {
                            for c in first..<end {
                                let p = c &* 4
                                if qx1 < bx[p] || qy1 < bx[p &+ 1] || qx0 > bx[p &+ 2] || qy0 > bx[p &+ 3] { continue }
                                let id = ix[c]
                                if retired.count != 0 && PackedRTree.isRetired(id, retired) { continue }
                                if try !body(Int(id)) { return false }
                            }
                        } else {
                            let childLevel = UInt64(level &- 1) << 32
                            for c in first..<end {
                                let p = c &* 4
                                if qx1 < bx[p] || qy1 < bx[p &+ 1] || qx0 > bx[p &+ 2] || qy0 > bx[p &+ 3] { continue }
                                stack[top] = childLevel | UInt64(c)
                                top &+= 1
                            }
                        }
                    }
                    return true
                }
            }
        }
    }

    /// Depth-first query of the boxes within `distance` of a point.
    @discardableResult
    func visitWithin(
        _ distance: Double, x: Double, y: Double, retired: UnsafeBufferPointer<UInt64>,
        scratch: RTreeSearchScratch, _ body: (Int) throws -> Bool
    ) rethrows -> Bool {
        guard let root = bounds, distance >= 0, x.isFinite, y.isFinite else { return true }
        let limit = distance * distance
        guard root.distanceSquared(toX: x, y: y) <= limit else { return true }
        let levels = levelEnds.count
        scratch.reserveStack(levels &* nodeSize &+ 1)
        let nodeSize = self.nodeSize
        return try boxes.withUnsafeBufferPointer { bx in
            try indices.withUnsafeBufferPointer { ix in
                try levelEnds.withUnsafeBufferPointer { ends in
                    let stack = scratch.stack
                    stack[0] = UInt64(levels &- 1) << 32 | UInt64(ix.count &- 1)
                    var top = 1
                    while top > 0 {
                        top &-= 1
                        let entry = stack[top]
                        let node = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
                        let level = Int(truncatingIfNeeded: entry >> 32)
                        let first = Int(ix[node])
                        let end = Swift.min(first &+ nodeSize, ends[level &- 1])
                        let childLevel = UInt64(level &- 1) << 32
                        for c in first..<end {
                            if PackedRTree.boxDistanceSquared(bx, c, x, y) > limit { continue }
                            if level == 1 {
                                let id = ix[c]
                                if retired.count != 0 && PackedRTree.isRetired(id, retired) { continue }
                                if try !body(Int(id)) { return false }
                            } else {
                                stack[top] = childLevel | UInt64(c)
                                top &+= 1
                            }
                        }
                    }
                    return true
                }
            }
        }
    }

    /// Squared distance from (x, y) to the box of node `node`.
    @inline(__always)
    static func boxDistanceSquared(_ bx: UnsafeBufferPointer<Double>, _ node: Int, _ x: Double, _ y: Double) -> Double {
        let p = node &* 4
        let x0 = bx[p], y0 = bx[p &+ 1], x1 = bx[p &+ 2], y1 = bx[p &+ 3]
        // Branch-free (max compiles to maxsd): child boxes lie on every side of the point,
        // so branches here would be mispredicted about half the time.
        let dx = Swift.max(Swift.max(x0 - x, x - x1), 0)
        let dy = Swift.max(Swift.max(y0 - y, y - y1), 0)
        return dx * dx + dy * dy
    }
}
