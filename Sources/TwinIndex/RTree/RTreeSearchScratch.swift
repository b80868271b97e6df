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
    /// Binary max-heap of the k best items found so far, by (distance, item).
    var bound: UnsafeMutablePointer<PackedHeapEntry>
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

    /// Makes room for `count` k-best entries (k is known up front).
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

/// One heap entry: a distance key and a tag that orders equal keys.
///
/// In the queue of the nearest-neighbour search, bits 62–63 of the tag are the kind (0 a
/// node, 1 an item whose exact distance is still to be computed); for a node, bits 32–47
/// hold its level and bits 0–31 its node number; for an item, bits 0–31 its item index.
/// In the k-best heap the tag is the item index alone, so comparing `(key, tag)` ranks
/// items at equal distance by ascending index: the documented tie order.
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
    static let kindMask: UInt64 = 3 << 62
}

/// Binary heaps over raw buffers, so the nearest-neighbour loop keeps the buffer, count
/// and capacity in registers instead of reloading them from the scratch object: a
/// min-heap (`push`, `pop`) for the search queue and a max-heap (`offer`) for the k best.
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

    /// Offers an item to the max-heap `b` holding the `limit` best (smallest `(key, tag)`)
    /// items seen so far: kept if there is room or if it beats the worst, which it then
    /// replaces. Returns the key of the worst kept item once there are `limit` of them
    /// (nothing farther can make the cut), else +infinity.
    @inline(__always)
    static func offer(_ b: UnsafeMutablePointer<PackedHeapEntry>, _ count: inout Int, limit: Int, _ entry: PackedHeapEntry) -> Double {
        if count < limit {
            var i = count
            count &+= 1
            while i > 0 {
                let parent = (i &- 1) >> 1
                let p = b[parent]
                if !p.precedes(entry) { break }
                b[i] = p
                i = parent
            }
            b[i] = entry
        } else if entry.precedes(b[0]) {
            siftDownMax(b, count, entry)
        }
        return count < limit ? .infinity : b[0].key
    }

    /// Puts `entry` at the root of the max-heap `b` of `count` entries and sifts it down.
    @inline(__always)
    static func siftDownMax(_ b: UnsafeMutablePointer<PackedHeapEntry>, _ count: Int, _ entry: PackedHeapEntry) {
        var i = 0
        while true {
            var child = (i << 1) &+ 1
            if child >= count { break }
            let right = child &+ 1
            if right < count && b[child].precedes(b[right]) { child = right }
            let c = b[child]
            if !entry.precedes(c) { break }
            b[i] = c
            i = child
        }
        b[i] = entry
    }
}
