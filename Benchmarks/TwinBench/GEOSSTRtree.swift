// The R-tree benchmark's baseline: a GEOS STRtree over the same boxes, in this binary.
// Items are the box numbers themselves (index + 1 as the pointer bit pattern, so none is
// NULL); GEOS never dereferences them. One GEOS context, used from one thread only.
import CGEOS

/// Owns a GEOS context and one STRtree; frees both in `deinit`.
final class RTreeGEOSBaseline {
    let context: GEOSContextHandle_t
    let tree: OpaquePointer
    /// 4 doubles per item, the same boxes as the TwinIndex tree, for the distance callback.
    let boxes: [Double]

    /// Creates the tree and inserts every box (GEOS ≥ 3.9 copies the envelope, so each
    /// rectangle is destroyed right after its insert). GEOS 3.11 has no explicit build
    /// call: the first query builds the tree, so `build()` runs one.
    init(boxes: [Double], nodeCapacity: Int = 10) {
        guard let context = GEOS_init_r() else { fatalError("GEOS_init_r failed") }
        // GEOSSTRtree_create_r returns NULL on exception.
        guard let tree = GEOSSTRtree_create_r(context, nodeCapacity) else { fatalError("GEOSSTRtree_create_r failed") }
        self.context = context
        self.tree = tree
        self.boxes = boxes
        for i in 0..<(boxes.count / 4) {
            let p = i * 4
            // NULL on exception (cannot happen for finite, ordered boxes).
            guard let g = GEOSGeom_createRectangle_r(context, boxes[p], boxes[p + 1], boxes[p + 2], boxes[p + 3]) else {
                fatalError("GEOSGeom_createRectangle_r failed for box \(i)")
            }
            GEOSSTRtree_insert_r(context, tree, g, UnsafeMutableRawPointer(bitPattern: i + 1))
            GEOSGeom_destroy_r(context, g)
        }
    }

    deinit {
        GEOSSTRtree_destroy_r(context, tree)
        GEOS_finish_r(context)
    }

    /// Forces the STR packing with one query (GEOS builds lazily on the first query).
    func build() {
        let g = rectangle(RTreeGEOSBox(minX: 0, minY: 0, maxX: 0, maxY: 0))
        GEOSSTRtree_query_r(context, tree, g, { _, _ in }, nil)
        GEOSGeom_destroy_r(context, g)
    }

    /// A GEOS polygon for a query box; the caller destroys it with `destroy(_:)`.
    func rectangle(_ b: RTreeGEOSBox) -> OpaquePointer {
        guard let g = GEOSGeom_createRectangle_r(context, b.minX, b.minY, b.maxX, b.maxY) else {
            fatalError("GEOSGeom_createRectangle_r failed")
        }
        return g
    }

    /// A GEOS point; the caller destroys it with `destroy(_:)`.
    func point(x: Double, y: Double) -> OpaquePointer {
        guard let g = GEOSGeom_createPointFromXY_r(context, x, y) else { fatalError("GEOSGeom_createPointFromXY_r failed") }
        return g
    }

    func destroy(_ g: OpaquePointer) { GEOSGeom_destroy_r(context, g) }

    /// Writes the index of every item whose envelope intersects `query`'s into `results`
    /// (which must be large enough) and returns how many.
    func query(_ query: OpaquePointer, into results: UnsafeMutablePointer<Int>) -> Int {
        var sink = RTreeGEOSSink(results: results, count: 0)
        withUnsafeMutablePointer(to: &sink) { sinkPointer in
            GEOSSTRtree_query_r(context, tree, query, { item, userdata in
                let sink = userdata!.assumingMemoryBound(to: RTreeGEOSSink.self)
                sink.pointee.results[sink.pointee.count] = Int(bitPattern: item) - 1
                sink.pointee.count += 1
            }, sinkPointer)
        }
        return sink.count
    }

    /// The item nearest to the point by box distance (GEOSSTRtree_nearest_generic_r, with
    /// a callback computing the point-to-box distance, as TwinIndex does), or -1.
    func nearest(x: Double, y: Double, envelope: OpaquePointer) -> Int {
        boxes.withUnsafeBufferPointer { bx in
            var q = RTreeGEOSNearestQuery(boxes: bx.baseAddress!, x: x, y: y)
            let found = withUnsafeMutablePointer(to: &q) { qp in
                GEOSSTRtree_nearest_generic_r(context, tree, RTreeGEOSNearestQuery.sentinel, envelope, { a, b, distance, userdata in
                    let q = userdata!.assumingMemoryBound(to: RTreeGEOSNearestQuery.self).pointee
                    // One of the two is the query's sentinel, the other a tree item.
                    let item = a == RTreeGEOSNearestQuery.sentinel ? b : a
                    let p = (Int(bitPattern: item) - 1) * 4
                    let x0 = q.boxes[p], y0 = q.boxes[p + 1], x1 = q.boxes[p + 2], y1 = q.boxes[p + 3]
                    let dx = q.x < x0 ? x0 - q.x : (q.x > x1 ? q.x - x1 : 0)
                    let dy = q.y < y0 ? y0 - q.y : (q.y > y1 ? q.y - y1 : 0)
                    distance!.pointee = (dx * dx + dy * dy).squareRoot()
                    return 1   // GEOS 3.11 reads non-zero as success (CustomItemDistance)
                }, qp)
            }
            // NULL on exception or an empty tree.
            guard let found else { return -1 }
            return Int(bitPattern: found) - 1
        }
    }
}

/// A box for the GEOS wrapper without importing TwinIndex types into its signatures.
struct RTreeGEOSBox {
    var minX, minY, maxX, maxY: Double
}

/// Where the C query callback writes its hits.
struct RTreeGEOSSink {
    var results: UnsafeMutablePointer<Int>
    var count: Int
}

/// The state the C distance callback needs.
struct RTreeGEOSNearestQuery {
    var boxes: UnsafePointer<Double>
    var x: Double
    var y: Double
    /// The query's own "item" pointer; no tree item has this bit pattern.
    static var sentinel: UnsafeRawPointer { UnsafeRawPointer(bitPattern: UInt.max)! }
}
