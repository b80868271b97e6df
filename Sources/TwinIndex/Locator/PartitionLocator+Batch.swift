import Dispatch

extension PartitionLocator {
    /// Locates every point `(xs[i], ys[i])` into `results[i]` (cell index, or -1 for none or a
    /// non-finite point), on the calling thread, by the boundary rule of ``PartitionLocator``.
    ///
    /// - Parameters:
    ///   - xs: The points' x values.
    ///   - ys: The points' y values; as many as `xs`.
    ///   - results: Caller-owned output; as many slots as `xs`.
    /// - Throws: ``LocatorError/batchSizeMismatch(xs:ys:results:)`` when the three counts differ;
    ///   nothing is written then.
    /// - Complexity: O(n) expected; no allocation.
    public func locate(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                       into results: UnsafeMutableBufferPointer<Int32>) throws(LocatorError) {
        guard xs.count == ys.count, xs.count == results.count else {
            throw .batchSizeMismatch(xs: xs.count, ys: ys.count, results: results.count)
        }
        guard let x = xs.baseAddress, let y = ys.baseAddress, let out = results.baseAddress else { return }
        storage.locateRange(x, y, out, 0 ..< xs.count)
    }

    /// Locates every point `(xs[i], ys[i])`; see the buffer-pointer `locate(xs:ys:into:)`.
    ///
    /// - Returns: One cell index (or -1) per point.
    /// - Throws: ``LocatorError/batchSizeMismatch(xs:ys:results:)`` when `xs` and `ys` differ in length.
    public func locate(xs: [Double], ys: [Double]) throws(LocatorError) -> [Int32] {
        guard xs.count == ys.count else { throw .batchSizeMismatch(xs: xs.count, ys: ys.count, results: xs.count) }
        return [Int32](unsafeUninitializedCapacity: xs.count) { out, initialized in
            xs.withUnsafeBufferPointer { x in
                ys.withUnsafeBufferPointer { y in
                    if let xp = x.baseAddress, let yp = y.baseAddress, let op = out.baseAddress {
                        storage.locateRange(xp, yp, op, 0 ..< x.count)
                    }
                }
            }
            initialized = xs.count
        }
    }

    /// Like the buffer-pointer `locate(xs:ys:into:)`, split over all cores with
    /// `DispatchQueue.concurrentPerform`. The results are identical to the serial call.
    ///
    /// Small batches (under 16,384 points) run on the calling thread.
    ///
    /// - Throws: ``LocatorError/batchSizeMismatch(xs:ys:results:)`` when the three counts differ.
    public func locateConcurrently(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                                   into results: UnsafeMutableBufferPointer<Int32>) throws(LocatorError) {
        guard xs.count == ys.count, xs.count == results.count else {
            throw .batchSizeMismatch(xs: xs.count, ys: ys.count, results: results.count)
        }
        guard let x = xs.baseAddress, let y = ys.baseAddress, let out = results.baseAddress else { return }
        storage.locateConcurrently(x, y, out, count: xs.count)
    }

    /// Like ``locate(xs:ys:)``, split over all cores; see the buffer-pointer
    /// `locateConcurrently(xs:ys:into:)`.
    public func locateConcurrently(xs: [Double], ys: [Double]) throws(LocatorError) -> [Int32] {
        guard xs.count == ys.count else { throw .batchSizeMismatch(xs: xs.count, ys: ys.count, results: xs.count) }
        return [Int32](unsafeUninitializedCapacity: xs.count) { out, initialized in
            xs.withUnsafeBufferPointer { x in
                ys.withUnsafeBufferPointer { y in
                    if let xp = x.baseAddress, let yp = y.baseAddress, let op = out.baseAddress {
                        storage.locateConcurrently(xp, yp, op, count: x.count)
                    }
                }
            }
            initialized = xs.count
        }
    }
}

extension PartitionLocatorStorage {
    /// Points per work item of a concurrent batch: large enough to amortise dispatch, small
    /// enough that the cores finish together.
    static let concurrentChunk = 16_384

    /// Points per block of the batch loop (see ``locateRange(_:_:_:_:)``); the block's scratch
    /// (tile records of its mixed points) lives on the stack.
    static let batchBlock = 256

    /// Locates `xs[i], ys[i]` into `out[i]` for `i` in `range`; the same answers as
    /// ``locate(_:_:)`` point by point.
    ///
    /// Why blocks: on a large grid almost every query misses the cache, and a point-by-point loop
    /// waits for each miss in turn behind an unpredictable pure/mixed branch. Here a block is
    /// done in three passes whose loads do not depend on each other, so the core overlaps the
    /// misses of many points: (1) branch-free, every point's tile answer (outside the extent,
    /// NaN included, the answer is -1 without a tile); the mixed points are listed; (2) the
    /// tile records of the mixed points; (3) their edge scans.
    func locateRange(_ xs: UnsafePointer<Double>, _ ys: UnsafePointer<Double>,
                     _ out: UnsafeMutablePointer<Int32>, _ range: Range<Int>) {
        let block = Self.batchBlock
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: block) { pendingBuffer in
            withUnsafeTemporaryAllocation(of: PartitionTile.self, capacity: block) { recordBuffer in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: block) { sharedEndBuffer in
                    let pending = pendingBuffer.baseAddress!, records = recordBuffer.baseAddress!
                    let sharedEnds = sharedEndBuffer.baseAddress!
                    var start = range.lowerBound
                    while start < range.upperBound {
                        let end = min(range.upperBound, start &+ block)
                        var mixed = 0
                        for i in start ..< end {
                            let x = xs[i], y = ys[i]
                            let inside = x >= minX && x <= maxX && y >= minY && y <= maxY
                            let tile = tileIndex(inside ? x : minX, inside ? y : minY)
                            let answer = inside ? answers[tile] : -1
                            out[i] = answer
                            pending[mixed] = Int32(truncatingIfNeeded: i &- start)
                            mixed &+= answer == Self.mixedTile ? 1 : 0
                        }
                        for k in 0 ..< mixed {
                            let i = start &+ Int(pending[k])
                            let tile = tileIndex(xs[i], ys[i])
                            records[k] = tiles[tile]
                            sharedEnds[k] = tiles[tile &+ 1].sharedStart
                        }
                        for k in 0 ..< mixed {
                            let i = start &+ Int(pending[k])
                            out[i] = Int32(truncatingIfNeeded: locateMixed(xs[i], ys[i], record: records[k],
                                                                           sharedEnd: sharedEnds[k]))
                        }
                        start = end
                    }
                }
            }
        }
    }

    /// ``locate(_:_:tile:)`` for a mixed tile whose record (and the next tile's `sharedStart`)
    /// the caller already loaded.
    @inline(__always)
    func locateMixed(_ x: Double, _ y: Double, record: PartitionTile, sharedEnd: UInt32) -> Int {
        var code = record.code
        if record.sharedStart != sharedEnd {
            code ^= crossingCode(shared, x, y, Int(record.sharedStart), Int(sharedEnd))
        }
        if record.newStart != record.runEnd {
            code ^= crossingCode(runs, x, y, Int(record.newStart), Int(record.runEnd))
        }
        if code == 0 { return lowestCellWithBoundaryThrough(x, y, tile: tileIndex(x, y)) }
        if Int(code) > cellCount { return locateExhaustively(x, y) }
        return Int(code) &- 1
    }

    func locateConcurrently(_ xs: UnsafePointer<Double>, _ ys: UnsafePointer<Double>,
                            _ out: UnsafeMutablePointer<Int32>, count: Int) {
        let chunk = Self.concurrentChunk
        guard count > chunk else { return locateRange(xs, ys, out, 0 ..< count) }
        let chunks = (count + chunk - 1) / chunk
        // Each work item writes a disjoint slice of `out`; the index itself is read-only.
        nonisolated(unsafe) let (x, y, o) = (xs, ys, out)
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            let start = k * chunk
            self.locateRange(x, y, o, start ..< min(count, start + chunk))
        }
    }
}
