/// Reusable working memory for R-tree queries: the traversal stack and the
/// nearest-neighbour priority queue.
///
/// Keep one per thread (it is deliberately not `Sendable`) and pass it to every query:
/// after the first few queries it has grown to what the queries need and no query
/// allocates again. The query methods that take no scratch make a fresh one each call,
/// which is fine for occasional use and wasteful in a loop.
///
/// The buffers only grow; a scratch used once on a huge query keeps that memory until it
/// is released.
public final class RTreeSearchScratch {
    /// Traversal stack of `(level << 32) | node` entries for box and distance queries.
    @usableFromInline var stack: UnsafeMutablePointer<UInt64>
    @usableFromInline var stackCapacity: Int
    /// Binary min-heap for nearest-neighbour queries.
    @usableFromInline var heap: UnsafeMutablePointer<PackedHeapEntry>
    @usableFromInline var heapCapacity: Int
    @usableFromInline var heapCount = 0

    /// Creates a scratch with small initial buffers; they grow on demand.
    public init() {
        stackCapacity = 64
        stack = .allocate(capacity: stackCapacity)
        heapCapacity = 256
        heap = .allocate(capacity: heapCapacity)
    }

    deinit {
        stack.deallocate()
        heap.deallocate()
    }

    /// How many entries the buffers hold without growing: `(stack, heap)`. Exposed so
    /// tests and callers can check that a warmed-up scratch stops allocating.
    public var capacities: (stack: Int, heap: Int) { (stackCapacity, heapCapacity) }

    /// Makes room for `count` stack entries (a traversal's worst case is known up front,
    /// so the hot loop needs no capacity check).
    @inline(__always)
    func reserveStack(_ count: Int) {
        if count > stackCapacity { growStack(count) }
    }

    @inline(never)
    func growStack(_ count: Int) {
        let capacity = Swift.max(count, stackCapacity &* 2)
        stack.deallocate()
        stack = .allocate(capacity: capacity)
        stackCapacity = capacity
    }

    // MARK: Heap

    @inline(__always)
    func heapReset() { heapCount = 0 }

    @inline(__always)
    func heapPush(key: Double, tag: UInt64) {
        if heapCount == heapCapacity { growHeap() }
        // Sift up: move parents down until the new entry's place is found.
        var i = heapCount
        heapCount &+= 1
        let entry = PackedHeapEntry(key: key, tag: tag)
        while i > 0 {
            let parent = (i &- 1) >> 1
            let p = heap[parent]
            if !entry.precedes(p) { break }
            heap[i] = p
            i = parent
        }
        heap[i] = entry
    }

    /// Removes and returns the smallest entry. The heap must not be empty.
    @inline(__always)
    func heapPop() -> PackedHeapEntry {
        let top = heap[0]
        heapCount &-= 1
        let n = heapCount
        if n > 0 {
            // Sift the last entry down from the root.
            let last = heap[n]
            var i = 0
            while true {
                var child = (i << 1) &+ 1
                if child >= n { break }
                let right = child &+ 1
                if right < n && heap[right].precedes(heap[child]) { child = right }
                let c = heap[child]
                if !c.precedes(last) { break }
                heap[i] = c
                i = child
            }
            heap[i] = last
        }
        return top
    }

    @inline(never)
    func growHeap() {
        let capacity = heapCapacity &* 2
        let grown = UnsafeMutablePointer<PackedHeapEntry>.allocate(capacity: capacity)
        grown.moveInitialize(from: heap, count: heapCount)
        heap.deallocate()
        heap = grown
        heapCapacity = capacity
    }
}

/// One priority-queue entry: a distance key and a tag that orders equal keys.
///
/// Tag layout: bits 62–63 the kind (0 node, 1 item whose exact distance is still to be
/// computed, 2 item with its final distance); for a node, bits 32–47 its level and bits
/// 0–31 its node number; for an item, bits 0–31 its item index. Comparing `(key, tag)`
/// thus expands every node at a distance before reporting an item at that distance, and
/// reports items at equal distance by ascending index: the documented tie order.
@usableFromInline
struct PackedHeapEntry {
    @usableFromInline var key: Double
    @usableFromInline var tag: UInt64

    @inline(__always)
    init(key: Double, tag: UInt64) {
        self.key = key
        self.tag = tag
    }

    @inline(__always)
    func precedes(_ other: PackedHeapEntry) -> Bool {
        key < other.key || (key == other.key && tag < other.tag)
    }

    static let nodeKind: UInt64 = 0
    static let pendingItemKind: UInt64 = 1 << 62
    static let finalItemKind: UInt64 = 2 << 62
    static let kindMask: UInt64 = 3 << 62
}
