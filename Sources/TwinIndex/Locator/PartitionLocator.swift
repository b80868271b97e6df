/// Finds the cell of a partition (a layer of grid cells) that contains a point, exactly and fast.
///
/// ## The boundary rule
/// Membership in a cell is decided by an even–odd crossing count of a ray from the point
/// `P` toward +x, with a half-open rule: an edge counts iff exactly one endpoint lies strictly
/// above `P` (`(a.y > P.y) != (b.y > P.y)`) and `P` is left of or on the edge, decided by the
/// exact sign of `orient2d(lower, upper, P) >= 0` with the endpoints in canonical order (lower
/// y first). Equivalently, `P` belongs to the cell that contains `P + (−ε, +ε²)`:
/// - a point on a non-horizontal shared edge belongs to the cell on its west side,
/// - a point on a horizontal shared edge belongs to the cell above it,
/// - a shared vertex belongs to the cell in the west-north-west direction.
///
/// So in a gap-free partition every point of the union's interior is in exactly one cell, and a
/// point strictly inside a cell is always in that cell. A point for which the half-open rule
/// yields no cell but which lies on the closed boundary of some cell (the outer boundary of the
/// union, or the rim of an unfilled hole) belongs to the lowest-index such cell. Points outside
/// the union, and non-finite points, are in no cell (`-1`).
///
/// Cells must not overlap; that is not checked here (TwinGeo validates layers with GEOS).
/// For overlapping cells the answer is unspecified but deterministic, and always `-1` or a valid
/// cell index.
///
/// ## Performance
/// A uniform grid of tiles over the extent: a tile that no edge touches is *pure* and answers
/// directly; otherwise the query walks east through the row, XOR-ing the codes of the edges it
/// crosses, until a pure tile. No allocation per query.
///
/// `PartitionLocator` is immutable and `Sendable`: share one instance across threads.
public struct PartitionLocator: Sendable {
    let storage: PartitionLocatorStorage

    init(storage: PartitionLocatorStorage) { self.storage = storage }

    /// The number of cells; valid answers are `0 ..< cellCount`.
    public var cellCount: Int { storage.cellCount }

    /// The bounding box of all cells: `(minX, minY, maxX, maxY)`.
    public var extent: (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        (storage.minX, storage.minY, storage.maxX, storage.maxY)
    }

    /// Tile grid dimensions and index size, for diagnostics and tuning.
    public var statistics: Statistics {
        Statistics(columns: storage.columns, rows: storage.rows,
                   pureTiles: storage.pureTileCount, entries: storage.entryCount,
                   uniqueEdges: storage.uniqueEdgeCount)
    }

    /// Size figures of a built locator.
    public struct Statistics: Sendable, Equatable {
        /// Tile columns and rows of the acceleration grid.
        public var columns: Int, rows: Int
        /// Tiles that no edge touches (answered without any edge test).
        public var pureTiles: Int
        /// Edge registrations over all tiles.
        public var entries: Int
        /// Distinct edges after merging the shared edges of neighbouring cells.
        public var uniqueEdges: Int
    }

    /// The cell containing the point `(x, y)` under the boundary rule (see the type's documentation).
    ///
    /// - Parameters:
    ///   - x: The point's x (longitude).
    ///   - y: The point's y (latitude).
    /// - Returns: The cell index, or `-1` when the point is in no cell or is not finite.
    /// - Complexity: O(1) expected for well-spread partitions: one tile lookup, plus the edges of
    ///   the tiles walked east to the next pure tile.
    public func locate(x: Double, y: Double) -> Int {
        storage.locate(x, y)
    }
}

/// The flat index behind a ``PartitionLocator``. Immutable after `init`; owns its buffers.
final class PartitionLocatorStorage: @unchecked Sendable {
    let cellCount: Int
    let minX: Double, minY: Double, maxX: Double, maxY: Double
    let columns: Int, rows: Int
    let inverseTileWidth: Double, inverseTileHeight: Double
    /// Per tile `t`: `tiles[2t]` = first entry; `tiles[2t+1]` = first entry *not* also registered
    /// in the left neighbour, or, for a pure tile (no entries), the tile's answer code
    /// (cell + 1, 0 = none). `tiles[2t+2]` is the end of tile `t`'s entries.
    let tiles: UnsafeMutablePointer<UInt32>
    /// Per entry: lower x, lower y, upper x, upper y (canonical order: lower y first).
    let edges: UnsafeMutablePointer<Double>
    /// Per entry: XOR of (cell + 1) over the cells that own this edge.
    let codes: UnsafeMutablePointer<UInt32>
    /// Per entry: the unique edge it registers (for the boundary rule's cell list).
    let entryEdge: UnsafeMutablePointer<UInt32>
    let entryCount: Int
    /// Cells owning unique edge `e`: `edgeCells[edgeCellStart[e] ..< edgeCellStart[e + 1]]`, ascending.
    let edgeCellStart: [Int32]
    let edgeCells: [Int32]
    let pureTileCount: Int
    /// The rings, for the exhaustive reference.
    let rings: PartitionRings

    var uniqueEdgeCount: Int { edgeCellStart.count - 1 }

    init(cellCount: Int, extent: (Double, Double, Double, Double), columns: Int, rows: Int,
         tiles: UnsafeMutablePointer<UInt32>, edges: UnsafeMutablePointer<Double>,
         codes: UnsafeMutablePointer<UInt32>, entryEdge: UnsafeMutablePointer<UInt32>, entryCount: Int,
         edgeCellStart: [Int32], edgeCells: [Int32], pureTileCount: Int, rings: PartitionRings) {
        self.cellCount = cellCount
        (minX, minY, maxX, maxY) = extent
        self.columns = columns
        self.rows = rows
        inverseTileWidth = Double(columns) / (extent.2 - extent.0)
        inverseTileHeight = Double(rows) / (extent.3 - extent.1)
        self.tiles = tiles
        self.edges = edges
        self.codes = codes
        self.entryEdge = entryEdge
        self.entryCount = entryCount
        self.edgeCellStart = edgeCellStart
        self.edgeCells = edgeCells
        self.pureTileCount = pureTileCount
        self.rings = rings
    }

    deinit {
        tiles.deallocate()
        edges.deallocate()
        codes.deallocate()
        entryEdge.deallocate()
    }

    /// The fast path. See ``PartitionLocator`` for the rule and the method.
    @inline(__always)
    func locate(_ x: Double, _ y: Double) -> Int {
        // Outside the extent (this also rejects NaN) no cell can contain the point.
        guard x >= minX, x <= maxX, y >= minY, y <= maxY else { return -1 }
        let tile = tileIndex(x, y)
        let begin = tiles[2 &* tile], end = tiles[2 &* tile &+ 2]
        if begin == end { return Int(tiles[2 &* tile &+ 1]) &- 1 }
        return locateInImpureTile(x, y, tile: tile)
    }

    /// The tile of a point inside the extent. The products are finite and non-negative there; a
    /// point on the max edge maps to the last tile. Rounding may pick a neighbouring tile for a
    /// point within a few ulps of a tile boundary: the registration margin covers that.
    @inline(__always)
    func tileIndex(_ x: Double, _ y: Double) -> Int {
        var column = Int((x - minX) * inverseTileWidth)
        if column >= columns { column = columns &- 1 }
        var row = Int((y - minY) * inverseTileHeight)
        if row >= rows { row = rows &- 1 }
        return row &* columns &+ column
    }

    /// The answer for a point inside the extent whose tile has edges.
    @inline(__always)
    func locateInImpureTile(_ x: Double, _ y: Double, tile: Int) -> Int {
        let rowEnd = (tile / columns &+ 1) &* columns
        let code = walkEast(x, y, fromTile: tile, rowEnd: rowEnd)
        if code == 0 {
            // No cell by the half-open rule; a point on a cell's closed boundary still belongs
            // to the lowest such cell. Any edge through P is registered in P's own tile.
            return lowestCellWithBoundaryThrough(x, y, tile: tile)
        }
        // Only overlapping (invalid) cells can produce a code outside 1...cellCount.
        if Int(code) > cellCount { return locateExhaustively(x, y) }
        return Int(code) &- 1
    }

    /// XOR of the codes of the edges crossed by the ray from `(x, y)` toward +x, up to the first
    /// pure tile east of `fromTile` (inclusive of `fromTile`), combined with that tile's answer
    /// code. For a non-overlapping partition this is the answer code at `(x, y)`.
    ///
    /// Correctness: an edge crossing the ray between `P` and a pure tile touches a walked tile
    /// (registration uses tiles expanded by a margin above the error of the tile index), and no
    /// edge of a walked tile crosses the ray beyond the pure tile (it would pass through it).
    /// Edges registered in several walked tiles are counted once: after the first tile, only
    /// entries not also registered in the left neighbour are tested (an edge's tiles within a
    /// row are contiguous).
    @inline(__always)
    func walkEast(_ x: Double, _ y: Double, fromTile: Int, rowEnd: Int) -> UInt32 {
        var t = fromTile
        var begin = Int(tiles[2 &* t])
        var end = Int(tiles[2 &* t &+ 2])
        if begin == end { return tiles[2 &* t &+ 1] }
        var code: UInt32 = 0
        while true {
            code ^= crossingCode(x, y, begin, end)
            t &+= 1
            if t == rowEnd { return code }
            let start = Int(tiles[2 &* t])
            end = Int(tiles[2 &* t &+ 2])
            if start == end { return code ^ tiles[2 &* t &+ 1] }
            begin = Int(tiles[2 &* t &+ 1])
        }
    }

    /// XOR of the codes of the entries in `begin ..< end` that the ray from `(x, y)` crosses.
    @inline(__always)
    func crossingCode(_ x: Double, _ y: Double, _ begin: Int, _ end: Int) -> UInt32 {
        var code: UInt32 = 0
        var i = begin
        while i < end {
            let e = edges + 4 &* i
            let ly = e[1], uy = e[3]
            if ly <= y && y < uy {
                let lx = e[0], ux = e[2]
                // Inline filtered orient2d(lower, upper, P) >= 0; exact fallback out of line.
                let detLeft = (lx - x) * (uy - y)
                let detRight = (ly - y) * (ux - x)
                let det = detLeft - detRight
                let bound = LocatorPredicates.orientErrorBound * (abs(detLeft) + abs(detRight))
                let crosses: Bool
                if det > bound { crosses = true }
                else if -det > bound { crosses = false }
                else { crosses = LocatorPredicates.orient2dExact(lx, ly, ux, uy, x, y) >= 0 }
                if crosses { code ^= codes[i] }
            }
            i &+= 1
        }
        return code
    }

    /// The boundary rule's fallback: the lowest cell owning an edge registered in `tile` that
    /// passes exactly through `(x, y)`, or -1.
    @inline(never)
    func lowestCellWithBoundaryThrough(_ x: Double, _ y: Double, tile: Int) -> Int {
        var best = Int.max
        for i in Int(tiles[2 * tile]) ..< Int(tiles[2 * tile + 2]) {
            let e = edges + 4 * i
            guard LocatorPredicates.isOnSegment(x, y, e[0], e[1], e[2], e[3]) else { continue }
            let edge = Int(entryEdge[i])
            for k in Int(edgeCellStart[edge]) ..< Int(edgeCellStart[edge + 1]) {
                best = min(best, Int(edgeCells[k]))
            }
        }
        return best == Int.max ? -1 : best
    }
}
