/// A static, bulk-loaded, Hilbert-sorted R-tree packed into two flat arrays (the
/// layout of mourner/flatbush).
///
/// Build one with ``Builder``: add every box, then ``Builder/finish()``. The tree is an
/// immutable value, `Sendable`, and safe to query from many threads at once; each thread
/// keeps its own ``RTreeSearchScratch`` so that queries allocate nothing.
///
/// ## Layout
/// Every node, leaf or inner, is one box in `boxes` (4 `Double`s: minX, minY, maxX,
/// maxY) and one `UInt32` in `indices`. The leaves come first, sorted by the Hilbert
/// value of their centres; for a leaf, `indices` holds the item index. Then come the
/// levels above, each `nodeSize` times smaller, up to the single root, last; for an inner
/// node, `indices` holds the node number of its first child, and its children are the
/// next `nodeSize` nodes of the level below (fewer for the last node of a level).
/// `levelEnds[l]` is one past the last node of level `l` (level 0 = leaves).
///
/// Memory: `36 B × nodes`, and nodes ≈ `n × (1 + 1/(nodeSize − 1))`, so ~38.4 B per box
/// for the default node size of 16. ``memoryFootprint`` gives the exact figure.
///
/// ## Order of results
/// Box and distance queries report items in tree order: deterministic for a given
/// build (the same boxes added in the same order give the same tree), but neither
/// insertion order nor ascending index; sort the result if you need that. Nearest
/// neighbour queries report items by ascending distance, ties by ascending item index.
public struct PackedRTree: Sendable {
    /// The number of items indexed.
    public let count: Int
    /// The maximum number of children of a node.
    public let nodeSize: Int
    /// 4 doubles per node: leaves first, then each level up to the root.
    let boxes: [Double]
    /// Per node: item index (leaves) or first child's node number (inner nodes).
    let indices: [UInt32]
    /// One past the last node number of each level; level 0 holds the leaves.
    let levelEnds: [Int]

    /// The default node size: 16 children per node, flatbush's choice, a good balance of
    /// build time, query time and memory for points and small boxes.
    public static let defaultNodeSize = 16

    /// The node sizes that the layout supports.
    public static let validNodeSizes: ClosedRange<Int> = 2...65535

    /// The most items one tree holds: node numbers must fit in `UInt32`.
    public static let maxItems = Int(Int32.max) / 2

    init(count: Int, nodeSize: Int, boxes: [Double], indices: [UInt32], levelEnds: [Int]) {
        self.count = count
        self.nodeSize = nodeSize
        self.boxes = boxes
        self.indices = indices
        self.levelEnds = levelEnds
    }

    /// An empty tree: every query finds nothing.
    public init() {
        self.init(count: 0, nodeSize: PackedRTree.defaultNodeSize, boxes: [], indices: [], levelEnds: [])
    }

    /// Whether the tree has no items.
    @inlinable public var isEmpty: Bool { count == 0 }

    /// The box around every item, or `nil` for an empty tree.
    public var bounds: IndexBox? {
        guard count > 0 else { return nil }
        let root = (indices.count - 1) * 4
        return IndexBox(minX: boxes[root], minY: boxes[root + 1], maxX: boxes[root + 2], maxY: boxes[root + 3])
    }

    /// The number of nodes, leaves included.
    public var nodeCount: Int { indices.count }

    /// The number of levels, leaves included (0 for an empty tree).
    public var height: Int { levelEnds.count }

    /// Bytes held by the tree's arrays (their capacity, not just their count), so that
    /// `memoryFootprint / count` is the honest cost per indexed box.
    public var memoryFootprint: Int {
        boxes.capacity * MemoryLayout<Double>.stride
            + indices.capacity * MemoryLayout<UInt32>.stride
            + levelEnds.capacity * MemoryLayout<Int>.stride
            + MemoryLayout<PackedRTree>.size
    }

    /// The items in leaf order, each with its box: every `(item, box)` pair exactly once.
    ///
    /// - Complexity: O(n).
    public func forEachItem(_ body: (Int, IndexBox) throws -> Void) rethrows {
        for leaf in 0..<count {
            let p = leaf * 4
            try body(Int(indices[leaf]), IndexBox(minX: boxes[p], minY: boxes[p + 1], maxX: boxes[p + 2], maxY: boxes[p + 3]))
        }
    }
}
