// The locate baseline: what a GEOS C user writes. Each cell is a prepared GEOS polygon, the
// envelopes sit in a GEOSSTRtree, and each query builds a point geometry (GEOS 3.11 has no
// GEOSPreparedContainsXY_r), queries the tree and tests GEOSPreparedContains_r on candidates.
import CGEOS

/// Owns one GEOS context and every GEOS object it creates; all are freed in `deinit`.
final class GEOSLocateBaseline {
    private let context: GEOSContextHandle_t
    private var polygons: [OpaquePointer] = []
    private var prepared: [OpaquePointer] = []
    private let tree: OpaquePointer
    /// Candidate cell indices of the current query, filled by the STRtree callback.
    private let candidates: UnsafeMutablePointer<Int>
    private let candidateCapacity = 1 << 16
    private var candidateCount = 0

    /// - Parameter cells: One ring per cell, interleaved x, y, not closed.
    init(cells: [[Double]]) {
        guard let context = GEOS_init_r() else { fatalError("GEOS_init_r failed") }
        self.context = context
        // Node capacity 10, GEOS's usual default.
        guard let tree = GEOSSTRtree_create_r(context, 10) else { fatalError("GEOSSTRtree_create_r failed") }
        self.tree = tree
        candidates = .allocate(capacity: candidateCapacity)
        for (index, ring) in cells.enumerated() {
            let n = ring.count / 2
            // The sequence is consumed by the ring, the ring by the polygon (GEOS ownership rules).
            guard let sequence = GEOSCoordSeq_create_r(context, UInt32(n + 1), 2) else { fatalError("GEOSCoordSeq_create_r") }
            for i in 0 ... n {
                let k = i % n
                // returns 0 on exception
                guard GEOSCoordSeq_setXY_r(context, sequence, UInt32(i), ring[2 * k], ring[2 * k + 1]) != 0 else {
                    fatalError("GEOSCoordSeq_setXY_r")
                }
            }
            guard let shell = GEOSGeom_createLinearRing_r(context, sequence),
                  let polygon = GEOSGeom_createPolygon_r(context, shell, nil, 0),
                  let preparedPolygon = GEOSPrepare_r(context, polygon) else { fatalError("GEOS polygon") }
            polygons.append(polygon)
            prepared.append(preparedPolygon)
            // The item is the cell index + 1 carried in the pointer bits (never dereferenced).
            GEOSSTRtree_insert_r(context, tree, polygon, UnsafeMutableRawPointer(bitPattern: index + 1))
        }
    }

    deinit {
        GEOSSTRtree_destroy_r(context, tree)
        for p in prepared { GEOSPreparedGeom_destroy_r(context, p) }
        for g in polygons { GEOSGeom_destroy_r(context, g) }
        candidates.deallocate()
        GEOS_finish_r(context)
    }

    /// The first candidate cell that contains the point (GEOS `contains`: interior only), or -1.
    func locate(x: Double, y: Double) -> Int {
        guard let point = GEOSGeom_createPointFromXY_r(context, x, y) else { return -1 }
        defer { GEOSGeom_destroy_r(context, point) }
        candidateCount = 0
        withUnsafeMutablePointer(to: &candidateCount) { count in
            var state = (candidates, count, candidateCapacity)
            withUnsafeMutablePointer(to: &state) { statePointer in
                GEOSSTRtree_query_r(context, tree, point, { item, userData in
                    guard let userData else { return }
                    let s = userData.assumingMemoryBound(
                        to: (UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>, Int).self)
                    let (buffer, count, capacity) = s.pointee
                    if count.pointee < capacity {
                        buffer[count.pointee] = Int(bitPattern: item) - 1
                        count.pointee += 1
                    }
                }, statePointer)
            }
        }
        for i in 0 ..< candidateCount {
            let cell = candidates[i]
            // returns 1 on true, 0 on false, 2 on exception
            if GEOSPreparedContains_r(context, prepared[cell], point) == 1 { return cell }
        }
        return -1
    }
}
