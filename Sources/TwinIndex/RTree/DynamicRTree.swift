/// A ``PackedRTree`` that takes updates: items added since the last pack wait in a small
/// side buffer, retired items are masked out, and ``rebuilt()`` packs everything again.
///
/// Every query consults the packed tree and the side buffer together, so an inserted item
/// is found by the very next query and a retired one is never found again; the nearest
/// neighbour search puts the side buffer's items in the same priority queue as the tree's
/// nodes, so its order is exact.
///
/// Ids: the items of the tree you start from keep their item indices as ids, and each
/// ``insert(minX:minY:maxX:maxY:)`` hands out the next unused id. Ids are never reused and
/// stay the same across ``rebuilt()``, so the caller can key its own records by them.
///
/// It is a value: mutating a copy leaves the original as it was, so a writer can prepare
/// the next version while readers keep querying the current one (arrays are shared until
/// written). Queries scan the side buffer linearly (a few nanoseconds per pending item
/// per query: 1,000 pending items roughly triple the cost of a 10-NN query on 1 M boxes)
/// and test a bit per retired item: call ``rebuilt()`` when ``pendingCount`` passes a few
/// hundred on a hot query path, or when many items are retired.
public struct DynamicRTree: Sendable {
    /// The packed part. Its leaves carry ids, not positions.
    public private(set) var packed: PackedRTree
    /// Side buffer: 4 doubles per item added since the last pack, and its id.
    var addedBoxes: [Double] = []
    var addedIDs: [UInt32] = []
    /// Bit `id` is set once `id` is retired; kept forever, so an id is never live again.
    var dead: [UInt64] = []
    /// Retired items still stored (in `packed` or the side buffer), which queries must skip.
    var retiredInStorage = 0
    /// The id the next insert gets.
    public private(set) var nextID: Int
    /// The number of live items.
    public private(set) var count: Int

    /// Starts from a packed tree; its item indices become the ids.
    ///
    /// For a tree from ``PackedRTree/Builder`` the ids are `0..<tree.count`. A tree whose
    /// ids have gaps (such as the ``packed`` part of another `DynamicRTree`) is taken as it
    /// is: the missing ids count as retired, and new ids start past the largest. (The tree
    /// does not know ids retired above its largest, so those may be handed out again:
    /// keep the `DynamicRTree` itself, rather than its packed part, to keep ids unique.)
    ///
    /// - Complexity: O(n).
    public init(_ tree: PackedRTree) {
        packed = tree
        var maxID = -1
        tree.forEachItem { id, _ in maxID = Swift.max(maxID, id) }
        nextID = maxID + 1
        count = tree.count
        if nextID != tree.count {
            // Gaps: start with every id dead, then revive the ids the tree holds.
            var dead = [UInt64](repeating: ~0, count: (nextID + 63) >> 6)
            tree.forEachItem { id, _ in dead[id >> 6] &= ~(UInt64(1) << UInt64(id & 63)) }
            self.dead = dead
        }
    }

    /// An empty tree whose packs use `nodeSize`.
    ///
    /// - Throws: ``RTreeError`` `.invalidNodeSize` when `nodeSize` is outside `2...65535`.
    public init(nodeSize: Int = PackedRTree.defaultNodeSize) throws {
        self.init(try PackedRTree.Builder(capacity: 0, nodeSize: nodeSize).finish())
    }

    /// The number of items in the side buffer, retired ones included: the linear part of
    /// every query.
    public var pendingCount: Int { addedIDs.count }

    /// Whether `id` was handed out and not retired.
    public func isLive(_ id: Int) -> Bool {
        id >= 0 && id < nextID && dead.withUnsafeBufferPointer { !PackedRTree.isRetired(UInt32(id), $0) }
    }

    /// Adds a box to the side buffer and returns its new id; queries find it at once.
    ///
    /// - Throws: ``RTreeError`` naming the id it would have had when a coordinate is NaN or
    ///   infinite, when `min > max`, or when ids are exhausted. Nothing is added then.
    /// - Complexity: Amortized O(1).
    @discardableResult
    public mutating func insert(minX: Double, minY: Double, maxX: Double, maxY: Double) throws -> Int {
        let id = nextID
        if let problem = IndexBox.rtreeProblem(minX: minX, minY: minY, maxX: maxX, maxY: maxY) {
            throw RTreeError.badBox(problem, item: id, minX: minX, minY: minY, maxX: maxX, maxY: maxY)
        }
        guard id < PackedRTree.maxItems else {
            throw RTreeError(.tooManyItems, item: id, message: "R-tree item \(id): no ids left (\(PackedRTree.maxItems))")
        }
        addedBoxes.append(minX)
        addedBoxes.append(minY)
        addedBoxes.append(maxX)
        addedBoxes.append(maxY)
        addedIDs.append(UInt32(id))
        nextID += 1
        count += 1
        return id
    }

    /// Adds a box; see ``insert(minX:minY:maxX:maxY:)``.
    @discardableResult
    public mutating func insert(_ box: IndexBox) throws -> Int {
        try insert(minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY)
    }

    /// Removes an item from every later query. Its id is not reused.
    ///
    /// - Returns: `true` if the item was live, `false` if it was already retired.
    /// - Throws: ``RTreeError`` `.unknownItem` when `id` was never handed out.
    /// - Complexity: O(1) (amortized: the bit set grows with the ids).
    @discardableResult
    public mutating func retire(_ id: Int) throws -> Bool {
        guard id >= 0 && id < nextID else {
            throw RTreeError(.unknownItem, item: id, message: "R-tree item \(id): no such id (ids are 0..<\(nextID))")
        }
        let word = id >> 6, bit = UInt64(1) << UInt64(id & 63)
        if word >= dead.count { dead.append(contentsOf: repeatElement(0, count: word + 1 - dead.count)) }
        if dead[word] & bit != 0 { return false }
        dead[word] |= bit
        retiredInStorage += 1
        count -= 1
        return true
    }

    /// A copy with every live item packed into a fresh ``PackedRTree`` (same node size,
    /// same ids) and an empty side buffer.
    ///
    /// - Complexity: O(n), like ``PackedRTree/Builder/finish()``.
    public func rebuilt() -> DynamicRTree {
        var boxes: [Double] = []
        var ids: [UInt32] = []
        boxes.reserveCapacity(count * 4)
        ids.reserveCapacity(count)
        dead.withUnsafeBufferPointer { dead in
            packed.forEachItem { id, b in
                if PackedRTree.isRetired(UInt32(id), dead) { return }
                boxes.append(b.minX)
                boxes.append(b.minY)
                boxes.append(b.maxX)
                boxes.append(b.maxY)
                ids.append(UInt32(id))
            }
            for (i, id) in addedIDs.enumerated() where !PackedRTree.isRetired(id, dead) {
                boxes.append(contentsOf: addedBoxes[i * 4 ..< i * 4 + 4])
                ids.append(id)
            }
        }
        var result = self
        result.packed = boxes.withUnsafeBufferPointer { b in
            ids.withUnsafeBufferPointer { PackedRTree.pack(boxes: b, ids: $0, nodeSize: packed.nodeSize) }
        }
        result.addedBoxes = []
        result.addedIDs = []
        result.retiredInStorage = 0
        return result
    }

    /// The bit set that queries must consult: empty when nothing stored is retired, so the
    /// common case costs one comparison per hit.
    @inline(__always)
    func withStoredRetired<R>(_ body: (UnsafeBufferPointer<UInt64>) throws -> R) rethrows -> R {
        if retiredInStorage == 0 { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try dead.withUnsafeBufferPointer(body)
    }
}
