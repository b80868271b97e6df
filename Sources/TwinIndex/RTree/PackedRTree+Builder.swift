extension PackedRTree {
    /// Collects boxes, then packs them into a ``PackedRTree`` in one go.
    ///
    /// ```swift
    /// var builder = try PackedRTree.Builder(capacity: cells.count)
    /// for cell in cells { _ = try builder.add(minX: cell.minX, minY: cell.minY, maxX: cell.maxX, maxY: cell.maxY) }
    /// let tree = try builder.finish()
    /// ```
    ///
    /// Each box is checked as it is added, so a bad one is reported with its item index
    /// at once; `finish()` can still be called afterwards and packs the good ones.
    public struct Builder: Sendable {
        /// The node size the finished tree will have.
        public let nodeSize: Int
        @usableFromInline var boxes: [Double]

        /// Creates an empty builder.
        ///
        /// - Parameters:
        ///   - capacity: how many items you expect; only reserves memory, more may be added.
        ///   - nodeSize: the maximum number of children per node, in `2...65535`
        ///     (default 16). Larger nodes build faster and use less memory; 8–32 query best.
        /// - Throws: ``RTreeError`` `.invalidNodeSize` when `nodeSize` is out of range,
        ///   `.tooManyItems` when `capacity` exceeds ``PackedRTree/maxItems``.
        public init(capacity: Int = 0, nodeSize: Int = PackedRTree.defaultNodeSize) throws {
            guard PackedRTree.validNodeSizes.contains(nodeSize) else {
                throw RTreeError(
                    .invalidNodeSize, item: nil,
                    message: "R-tree node size \(nodeSize) is outside \(PackedRTree.validNodeSizes.lowerBound)...\(PackedRTree.validNodeSizes.upperBound)")
            }
            guard capacity <= PackedRTree.maxItems else {
                throw RTreeError(
                    .tooManyItems, item: nil,
                    message: "R-tree capacity \(capacity) exceeds the maximum of \(PackedRTree.maxItems) items")
            }
            self.nodeSize = nodeSize
            self.boxes = []
            boxes.reserveCapacity(max(capacity, 0) * 4)
        }

        /// The number of items added so far; also the index the next item will get.
        @inlinable public var count: Int { boxes.count / 4 }

        /// Adds one box and returns its item index (0, 1, 2, … in the order of adding),
        /// the number that every query reports for it.
        ///
        /// - Throws: ``RTreeError`` naming the item index when a coordinate is NaN or
        ///   infinite (`.nonFiniteCoordinate`), when `minX > maxX` or `minY > maxY`
        ///   (`.invertedBox`), or when the tree is full (`.tooManyItems`). A refused box
        ///   is not added and does not use up an index.
        /// - Complexity: Amortized O(1).
        @inlinable
        @discardableResult
        public mutating func add(minX: Double, minY: Double, maxX: Double, maxY: Double) throws -> Int {
            let item = count
            if let problem = IndexBox.rtreeProblem(minX: minX, minY: minY, maxX: maxX, maxY: maxY) {
                throw RTreeError.badBox(problem, item: item, minX: minX, minY: minY, maxX: maxX, maxY: maxY)
            }
            guard item < PackedRTree.maxItems else {
                throw RTreeError(.tooManyItems, item: item, message: "R-tree item \(item): the tree is full (\(PackedRTree.maxItems) items)")
            }
            boxes.append(minX)
            boxes.append(minY)
            boxes.append(maxX)
            boxes.append(maxY)
            return item
        }

        /// Adds one box; see ``add(minX:minY:maxX:maxY:)``.
        @inlinable
        @discardableResult
        public mutating func add(_ box: IndexBox) throws -> Int {
            try add(minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY)
        }

        /// Packs the boxes added so far into a tree. The builder stays usable.
        ///
        /// - Returns: the tree; empty when nothing was added.
        /// - Throws: nothing today (every box was checked by `add`); declared `throws`
        ///   so that future checks (such as a memory limit) do not break callers.
        /// - Complexity: O(n) time: a radix sort of 32-bit Hilbert keys, then one pass
        ///   per level. Peak memory is about twice the finished tree.
        public func finish() throws -> PackedRTree {
            boxes.withUnsafeBufferPointer { PackedRTree.pack(boxes: $0, ids: nil, nodeSize: nodeSize) }
        }
    }
}
