/// Reusable working memory for R-tree queries: the traversal stack and the
/// nearest-neighbour priority queues.
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
    var stack: UnsafeMutablePointer<UInt64>
    var stackCapacity: Int
    /// Binary min-heap of nodes and items for nearest-neighbour queries.
    var heap: UnsafeMutablePointer<PackedHeapEntry>
    var heapCapacity: Int
    /// Binary max-heap of the k best final distances seen so far (the pruning bound).
    var bound: UnsafeMutablePointer<Double>
    var boundCapacity: Int

    /// Creates a scratch with small initial buffers; they grow on demand.
    public init() {
        stackCapacity = 64
        stack = .allocate(capacity: stackCapacity)
        heapCapacity = 256
        heap = .allocate(capacity: heapCapacity)
        boundCapacity = 16
        bound = .allocate(capacity: boundCapacity)
    }

    deinit {
        stack.deallocate()
        heap.deallocate()
        bound.deallocate()
    }

    /// How many entries the buffers hold without growing: the traversal stack, the
    /// priority queue and the k-best bound. Exposed so that tests and callers can check
    /// that a warmed-up scratch stops allocating.
    public var capacities: (stack: Int, heap: Int, bound: Int) { (stackCapacity, heapCapacity, boundCapacity) }

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

    /// Makes room for `count` bound entries (k is known up front).
    @inline(__always)
    func reserveBound(_ count: Int) {
        if count > boundCapacity {
            bound.deallocate()
            boundCapacity = Swift.max(count, boundCapacity &* 2)
            bound = .allocate(capacity: boundCapacity)
        }
    }

    /// Doubles the heap, keeping its first `count` entries.
    @inline(never)
    func growHeap(keeping count: Int) {
        let capacity = heapCapacity &* 2
        let grown = UnsafeMutablePointer<PackedHeapEntry>.allocate(capacity: capacity)
        grown.moveInitialize(from: heap, count: count)
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
struct PackedHeapEntry {
    var key: Double
    var tag: UInt64

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

/// Binary heaps over raw buffers, so the nearest-neighbour loop keeps the buffer, count
/// and capacity in registers instead of reloading them from the scratch object.
enum PackedHeap {
    /// Adds `entry` to the min-heap `h` of `count` entries (room for one more is the
    /// caller's job).
    @inline(__always)
    static func push(_ h: UnsafeMutablePointer<PackedHeapEntry>, _ count: inout Int, _ entry: PackedHeapEntry) {
        var i = count
        count &+= 1
        while i > 0 {
            let parent = (i &- 1) >> 1
            let p = h[parent]
            if !entry.precedes(p) { break }
            h[i] = p
            i = parent
        }
        h[i] = entry
    }

    /// Removes and returns the smallest entry of a non-empty min-heap.
    @inline(__always)
    static func pop(_ h: UnsafeMutablePointer<PackedHeapEntry>, _ count: inout Int) -> PackedHeapEntry {
        let top = h[0]
        count &-= 1
        let n = count
        if n > 0 {
            let last = h[n]
            var i = 0
            while true {
                var child = (i << 1) &+ 1
                if child >= n { break }
                let right = child &+ 1
                if right < n && h[right].precedes(h[child]) { child = right }
                let c = h[child]
                if !c.precedes(last) { break }
                h[i] = c
                i = child
            }
            h[i] = last
        }
        return top
    }

    /// Offers a final distance to the max-heap `b` of the `limit` smallest distances seen
    /// and returns the new pruning bound: the largest of them once there are `limit`,
    /// else +infinity (nothing may be pruned before k candidates exist).
    @inline(__always)
    static func offer(_ b: UnsafeMutablePointer<Double>, _ count: inout Int, limit: Int, _ key: Double) -> Double {
        if count < limit {
            var i = count
            count &+= 1
            while i > 0 {
                let parent = (i &- 1) >> 1
                if b[parent] >= key { break }
                b[i] = b[parent]
                i = parent
            }
            b[i] = key
        } else if key < b[0] {
            // Replace the largest and sift it down.
            var i = 0
            let n = count
            while true {
                var child = (i << 1) &+ 1
                if child >= n { break }
                let right = child &+ 1
                if right < n && b[right] > b[child] { child = right }
                if b[child] <= key { break }
                b[i] = b[child]
                i = child
            }
            b[i] = key
        }
        return count < limit ? .infinity : b[0]
    }
}
