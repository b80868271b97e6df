// Bulk loading: Hilbert keys, a radix sort, then the levels bottom-up (flatbush's method).

extension PackedRTree {
    /// The number of nodes on each level for `n` leaves, as one-past-the-end node numbers.
    /// A tree of one or more items always has at least one level above the leaves, so the
    /// root is an inner node (as in flatbush) and every query starts the same way.
    static func packedLevelEnds(itemCount n: Int, nodeSize: Int) -> [Int] {
        guard n > 0 else { return [] }
        var ends = [n]
        var nodes = n
        var total = n
        repeat {
            nodes = (nodes + nodeSize - 1) / nodeSize
            total += nodes
            ends.append(total)
        } while nodes != 1
        return ends
    }

    /// Packs `src` (4 doubles per item, already checked finite with min <= max) into a
    /// tree. The leaf of the item at position `p` of `src` gets `ids[p]`, or `p` when `ids`
    /// is nil.
    static func pack(boxes src: UnsafeBufferPointer<Double>, ids: UnsafeBufferPointer<UInt32>?, nodeSize: Int) -> PackedRTree {
        let n = src.count / 4
        let levelEnds = packedLevelEnds(itemCount: n, nodeSize: nodeSize)
        guard n > 0, let nodeCount = levelEnds.last else {
            return PackedRTree(count: 0, nodeSize: nodeSize, boxes: [], indices: [], levelEnds: [])
        }

        // The extent of the data sets the Hilbert grid.
        var minX = Double.infinity, minY = Double.infinity
        var maxX = -Double.infinity, maxY = -Double.infinity
        for i in 0..<n {
            let p = i &* 4
            minX = Swift.min(minX, src[p])
            minY = Swift.min(minY, src[p &+ 1])
            maxX = Swift.max(maxX, src[p &+ 2])
            maxY = Swift.max(maxY, src[p &+ 3])
        }

        // Key = 32-bit Hilbert value of the box centre << 32 | position. Sorting the keys
        // sorts by Hilbert value, ties by position, so the tree is the same every run.
        let keys = [UInt64](unsafeUninitializedCapacity: n) { keys, initialized in
            let grid = Double(PackedHilbert.gridMax)
            // Work in half coordinates: centre / 2 = a / 4 + b / 4 and width / 2 cannot
            // overflow even for coordinates near ±Double.greatestFiniteMagnitude.
            let width = maxX * 0.5 - minX * 0.5, height = maxY * 0.5 - minY * 0.5
            let sx = width > 0 ? grid / width : 0, sy = height > 0 ? grid / height : 0
            let halfMinX = minX * 0.5, halfMinY = minY * 0.5
            for i in 0..<n {
                let p = i &* 4
                let cx = (src[p] * 0.25 + src[p &+ 2] * 0.25 - halfMinX) * sx
                let cy = (src[p &+ 1] * 0.25 + src[p &+ 3] * 0.25 - halfMinY) * sy
                let h = PackedHilbert.index(x: PackedHilbert.cell(cx), y: PackedHilbert.cell(cy))
                keys[i] = UInt64(h) << 32 | UInt64(UInt32(truncatingIfNeeded: i))
            }
            initialized = n
        }
        let sorted = PackedKeySort.sortedByHighHalf(keys)

        var outIndices = [UInt32](repeating: 0, count: nodeCount)
        let outBoxes = [Double](unsafeUninitializedCapacity: nodeCount &* 4) { out, initialized in
            outIndices.withUnsafeMutableBufferPointer { idx in
                sorted.withUnsafeBufferPointer { sorted in
                    // Leaves, in Hilbert order.
                    for i in 0..<n {
                        let pos = Int(truncatingIfNeeded: sorted[i] & 0xFFFF_FFFF)
                        let s = pos &* 4, d = i &* 4
                        out[d] = src[s]
                        out[d &+ 1] = src[s &+ 1]
                        out[d &+ 2] = src[s &+ 2]
                        out[d &+ 3] = src[s &+ 3]
                        idx[i] = ids.map { $0[pos] } ?? UInt32(truncatingIfNeeded: pos)
                    }
                }
                // Each level up: one node per run of `nodeSize` nodes of the level below.
                var childStart = 0
                var write = n
                for level in 1..<levelEnds.count {
                    let childEnd = levelEnds[level &- 1]
                    var child = childStart
                    while child < childEnd {
                        let end = Swift.min(child &+ nodeSize, childEnd)
                        var bx0 = Double.infinity, by0 = Double.infinity
                        var bx1 = -Double.infinity, by1 = -Double.infinity
                        for c in child..<end {
                            let p = c &* 4
                            bx0 = Swift.min(bx0, out[p])
                            by0 = Swift.min(by0, out[p &+ 1])
                            bx1 = Swift.max(bx1, out[p &+ 2])
                            by1 = Swift.max(by1, out[p &+ 3])
                        }
                        let d = write &* 4
                        out[d] = bx0
                        out[d &+ 1] = by0
                        out[d &+ 2] = bx1
                        out[d &+ 3] = by1
                        idx[write] = UInt32(truncatingIfNeeded: child)
                        write &+= 1
                        child = end
                    }
                    childStart = childEnd
                }
            }
            initialized = nodeCount &* 4
        }
        return PackedRTree(count: n, nodeSize: nodeSize, boxes: outBoxes, indices: outIndices, levelEnds: levelEnds)
    }
}

/// The Hilbert curve on a 65536 × 65536 grid, from flatbush (after
/// rawrunprotected.com's branch-free "Hilbert curves in O(log n)", public domain).
enum PackedHilbert {
    /// The largest grid coordinate.
    static let gridMax: UInt32 = 0xFFFF

    /// A scaled coordinate clamped to the grid; NaN (from a degenerate extent) goes to 0.
    @inline(__always)
    static func cell(_ v: Double) -> UInt32 {
        if !(v > 0) { return 0 }
        if v >= Double(gridMax) { return gridMax }
        return UInt32(v)
    }

    /// The distance along the curve of grid cell (x, y), both in `0...0xFFFF`.
    @inline(__always)
    static func index(x: UInt32, y: UInt32) -> UInt32 {
        var a = x ^ y
        var b = 0xFFFF ^ a
        var c = 0xFFFF ^ (x | y)
        var d = x & (y ^ 0xFFFF)

        var A = a | (b >> 1)
        var B = (a >> 1) ^ a
        var C = ((c >> 1) ^ (b & (d >> 1))) ^ c
        var D = ((a & (c >> 1)) ^ (d >> 1)) ^ d

        a = A; b = B; c = C; d = D
        A = (a & (a >> 2)) ^ (b & (b >> 2))
        B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2))
        C ^= (a & (c >> 2)) ^ (b & (d >> 2))
        D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2))

        a = A; b = B; c = C; d = D
        A = (a & (a >> 4)) ^ (b & (b >> 4))
        B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4))
        C ^= (a & (c >> 4)) ^ (b & (d >> 4))
        D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4))

        a = A; b = B; c = C; d = D
        C ^= (a & (c >> 8)) ^ (b & (d >> 8))
        D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8))

        a = C ^ (C >> 1)
        b = D ^ (D >> 1)

        var i0 = x ^ y
        var i1 = b | (0xFFFF ^ (i0 | a))

        i0 = (i0 | (i0 << 8)) & 0x00FF_00FF
        i0 = (i0 | (i0 << 4)) & 0x0F0F_0F0F
        i0 = (i0 | (i0 << 2)) & 0x3333_3333
        i0 = (i0 | (i0 << 1)) & 0x5555_5555

        i1 = (i1 | (i1 << 8)) & 0x00FF_00FF
        i1 = (i1 | (i1 << 4)) & 0x0F0F_0F0F
        i1 = (i1 | (i1 << 2)) & 0x3333_3333
        i1 = (i1 | (i1 << 1)) & 0x5555_5555

        return (i1 << 1) | i0
    }
}

/// Sorting of the 64-bit build keys by their high 32 bits, stably.
enum PackedKeySort {
    /// Below this many keys a comparison sort beats the radix sort's bucket setup.
    static let radixThreshold = 1 << 12

    /// The keys ordered by their high half; keys with equal high halves keep their order
    /// (the build makes the low half the position, so that is ascending position).
    static func sortedByHighHalf(_ keys: [UInt64]) -> [UInt64] {
        if keys.count < radixThreshold {
            // The low half is unique and ascending, so a full comparison equals stability.
            return keys.sorted()
        }
        // LSD radix sort, two 16-bit digits of the high half.
        var from = keys
        var to = [UInt64](repeating: 0, count: keys.count)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for shift: UInt64 in [32, 48] {
            counts.withUnsafeMutableBufferPointer { counts in
                for i in counts.indices { counts[i] = 0 }
                from.withUnsafeBufferPointer { src in
                    to.withUnsafeMutableBufferPointer { dst in
                        for k in src { counts[Int(truncatingIfNeeded: (k >> shift) & 0xFFFF)] &+= 1 }
                        var sum = 0
                        for i in counts.indices {
                            let c = counts[i]
                            counts[i] = sum
                            sum &+= c
                        }
                        for k in src {
                            let digit = Int(truncatingIfNeeded: (k >> shift) & 0xFFFF)
                            dst[counts[digit]] = k
                            counts[digit] &+= 1
                        }
                    }
                }
            }
            swap(&from, &to)
        }
        return from
    }
}
