// Batch k nearest: many query points in one call, answered in Hilbert order of the points
// so that consecutive queries walk the same nodes while they are still in cache.

extension PackedRTree {
    /// Finds the `k` nearest items of every point in a batch, writing row `i` of the
    /// outputs for point `i`.
    ///
    /// The answers are exactly those of ``nearest(toX:y:k:maxDistance:exactDistance:into:scratch:)``
    /// (nearest first, ties by ascending item index); only the order in which the points
    /// are processed differs: along the Hilbert curve, which on a large tree and a large
    /// batch of scattered points saves most of the cache misses of random order.
    ///
    /// - Parameters:
    ///   - xs: the points' x coordinates.
    ///   - ys: the points' y coordinates, as many as `xs`. A point with a non-finite
    ///     coordinate gets an empty row.
    ///   - k: neighbours per point; `k <= 0` writes nothing.
    ///   - maxDistance: only items at most this far (inclusive).
    ///   - items: `xs.count × k` slots; row `i` (slots `i*k ..< i*k+k`) receives point
    ///     `i`'s item indices, nearest first, then `-1` in the slots left over.
    ///   - distances: `nil`, or `xs.count × k` slots receiving the matching distances,
    ///     `.infinity` in the slots left over.
    ///   - scratch: per-thread working memory.
    /// - Throws: ``RTreeError`` `.bufferMismatch` when `ys` or an output buffer has the
    ///   wrong size; nothing is written then.
    /// - Complexity: O(m) to order the m points (a radix sort), then m queries.
    public func nearest(
        xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>, k: Int, maxDistance: Double = .infinity,
        items: UnsafeMutableBufferPointer<Int>, distances: UnsafeMutableBufferPointer<Double>? = nil,
        scratch: RTreeSearchScratch
    ) throws {
        let m = xs.count
        guard ys.count == m else {
            throw RTreeError(.bufferMismatch, item: nil, message: "R-tree batch: \(m) xs but \(ys.count) ys")
        }
        guard k > 0 else { return }
        let (slots, overflow) = m.multipliedReportingOverflow(by: k)
        guard !overflow, items.count == slots, distances.map({ $0.count == slots }) ?? true else {
            throw RTreeError(
                .bufferMismatch, item: nil,
                message: "R-tree batch: \(m) points × k \(k) need \(overflow ? "more than Int.max" : "\(slots)") slots, items has \(items.count)\(distances.map { ", distances has \($0.count)" } ?? "")")
        }
        var row: [RTreeNeighbor] = []
        row.reserveCapacity(Swift.min(k, count))
        for i in PackedRTree.hilbertOrder(xs: xs, ys: ys, within: bounds) {
            nearest(toX: xs[i], y: ys[i], k: k, maxDistance: maxDistance, into: &row, scratch: scratch)
            let base = i &* k
            for j in 0..<k {
                if j < row.count {
                    items[base &+ j] = row[j].item
                    distances?[base &+ j] = row[j].distance
                } else {
                    items[base &+ j] = -1
                    distances?[base &+ j] = .infinity
                }
            }
        }
    }

    /// The positions `0..<xs.count` sorted by the Hilbert value of their point on a grid
    /// over `extent` (points outside are clamped to its edge; non-finite ones go first).
    static func hilbertOrder(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>, within extent: IndexBox?) -> [Int] {
        let m = xs.count
        // The position must fit the key's low 32 bits; beyond that, keep the given order.
        guard m > 1, m <= Int(UInt32.max), let e = extent else { return Array(0..<m) }
        let grid = Double(PackedHilbert.gridMax)
        let width = e.maxX * 0.5 - e.minX * 0.5, height = e.maxY * 0.5 - e.minY * 0.5
        let sx = width > 0 ? grid / width : 0, sy = height > 0 ? grid / height : 0
        var keys = [UInt64](repeating: 0, count: m)
        for i in 0..<m {
            let h = PackedHilbert.index(
                x: PackedHilbert.cell((xs[i] * 0.5 - e.minX * 0.5) * sx),
                y: PackedHilbert.cell((ys[i] * 0.5 - e.minY * 0.5) * sy))
            keys[i] = UInt64(h) << 32 | UInt64(UInt32(truncatingIfNeeded: i))
        }
        return PackedKeySort.sortedByHighHalf(keys).map { Int(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
    }
}
