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
/// ## Method
/// A uniform grid of tiles covers the extent (about ``Options/tilesPerEdge`` tiles per distinct
/// edge). Every edge is registered in each tile its segment touches, the tile expanded by a
/// margin far above the rounding error of a query's tile index. A tile no edge touches is
/// *pure*: its answer is precomputed. Otherwise the query counts, by the rule above, the edges
/// crossed by its ray eastward up to the next pure tile `R` of its row. Each cell's parity
/// flips exactly at its own edges, so XOR-ing `cell + 1` of every crossed edge (a shared edge,
/// stored once, carries the XOR of both neighbours' codes) leaves `X = (P's cell + 1) ^ (R + 1)`
/// in a non-overlapping partition: no per-query memory. The edges to test are laid out so that
/// this is one contiguous scan, precomputed per tile, plus the tile's few edges also registered
/// in its west neighbour. Only when that gives no cell, in a tile with edges, are the tile's
/// edges checked for an exact hit (the lowest-index rule above). No allocation per query.
///
/// A dense array of one `Int32` answer per tile (the cell of a pure tile, or a marker for a tile
/// with edges) is read first, so a query in a pure tile touches 4 bytes of a small array. The
/// batch APIs work in blocks whose passes load independent memory (answers, then the tile
/// records of the mixed points, then their edges), so the cache misses of many points overlap.
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
    ///
    /// - Complexity: O(tiles): the scan lengths are summed over the grid.
    public var statistics: Statistics {
        var scanned = 0
        let tileCount = storage.columns * storage.rows
        for t in 0 ..< tileCount where storage.answers[t] == PartitionLocatorStorage.mixedTile {
            let record = storage.tiles[t]
            scanned += Int(storage.tiles[t + 1].sharedStart - record.sharedStart) + Int(record.runEnd - record.newStart)
        }
        let mixed = tileCount - storage.pureTileCount
        return Statistics(columns: storage.columns, rows: storage.rows,
                          pureTiles: storage.pureTileCount, entries: storage.entryCount,
                          uniqueEdges: storage.uniqueEdgeCount,
                          averageScanPerMixedTile: mixed == 0 ? 0 : Double(scanned) / Double(mixed),
                          indexBytes: storage.indexBytes)
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
        /// Edge entries a query in a tile with edges tests, on average over those tiles: the
        /// tile's own entries and the run east to the next pure tile.
        public var averageScanPerMixedTile: Double = 0
        /// Bytes of the query-time index (tiles, answers, entries, edge owners); the rings kept
        /// for the exhaustive reference are not counted.
        public var indexBytes: Int = 0
    }

    /// The cell containing the point `(x, y)` under the boundary rule (see the type's documentation).
    ///
    /// - Parameters:
    ///   - x: The point's x (longitude).
    ///   - y: The point's y (latitude).
    /// - Returns: The cell index, or `-1` when the point is in no cell or is not finite.
    /// - Complexity: O(1) expected for well-spread partitions: one tile lookup, plus one
    ///   contiguous scan of the edges between the point and the next pure tile east of it.
    public func locate(x: Double, y: Double) -> Int {
        storage.locate(x, y)
    }
}

/// One registration of an edge in a tile: the edge in canonical order (lower y first), the XOR
/// of (cell + 1) over the cells that own it, and the edge's index (for the boundary rule).
struct PartitionEntry {
    var lx: Double, ly: Double, ux: Double, uy: Double
    var code: UInt32
    var edge: UInt32
}

/// Per tile: where its entries are, and the precomputed answer code east of it.
///
/// An entry of tile `t` is *shared* if the same edge is also registered in `t`'s left
/// neighbour, else *new*. `shared[sharedStart ..< next.sharedStart]` are `t`'s shared entries;
/// the new entries of all tiles are laid out row by row, column by column, so
/// `runs[newStart ..< runEnd]` is `t`'s new entries followed by those of every tile east of `t`
/// up to the first pure tile `k` (exclusive), and `code` is `k`'s answer code (cell + 1, 0 =
/// none; 0 if the row ends first). For a pure tile both ranges are empty and `code` is its answer.
struct PartitionTile {
    var sharedStart: UInt32
    var newStart: UInt32
    var runEnd: UInt32
    var code: UInt32
}

/// The flat index behind a ``PartitionLocator``. Immutable after the builder returns it; owns
/// its buffers.
final class PartitionLocatorStorage: @unchecked Sendable {
    let cellCount: Int
    let minX: Double, minY: Double, maxX: Double, maxY: Double
    let columns: Int, rows: Int
    let inverseTileWidth: Double, inverseTileHeight: Double
    /// `columns * rows + 1` records; the last one only closes the ranges of the last tile.
    let tiles: UnsafeMutablePointer<PartitionTile>
    /// `columns * rows` answers, 4 bytes per tile so that the common case touches one small,
    /// dense array: a pure tile's cell (or -1 for none), ``mixedTile`` for a tile with edges.
    let answers: UnsafeMutablePointer<Int32>
    let shared: UnsafeMutablePointer<PartitionEntry>
    let runs: UnsafeMutablePointer<PartitionEntry>
    let sharedCount: Int, runCount: Int
    /// Cells owning unique edge `e`: `edgeCells[edgeCellStart[e] ..< edgeCellStart[e + 1]]`, ascending.
    let edgeCellStart: [Int32]
    let edgeCells: [Int32]
    let pureTileCount: Int
    /// The rings, for the exhaustive reference.
    let rings: PartitionRings

    /// The ``answers`` value of a tile with edges (not a cell index, not -1).
    static let mixedTile: Int32 = .min

    var uniqueEdgeCount: Int { edgeCellStart.count - 1 }
    var entryCount: Int { sharedCount + runCount }
    var indexBytes: Int {
        (columns * rows + 1) * MemoryLayout<PartitionTile>.stride + columns * rows * MemoryLayout<Int32>.stride
            + entryCount * MemoryLayout<PartitionEntry>.stride + (edgeCellStart.count + edgeCells.count) * 4
    }

    init(cellCount: Int, extent: (Double, Double, Double, Double), columns: Int, rows: Int,
         tiles: UnsafeMutablePointer<PartitionTile>, answers: UnsafeMutablePointer<Int32>,
         shared: UnsafeMutablePointer<PartitionEntry>, sharedCount: Int,
         runs: UnsafeMutablePointer<PartitionEntry>, runCount: Int,
         edgeCellStart: [Int32], edgeCells: [Int32], pureTileCount: Int, rings: PartitionRings) {
        self.cellCount = cellCount
        (minX, minY, maxX, maxY) = extent
        self.columns = columns
        self.rows = rows
        inverseTileWidth = Double(columns) / (extent.2 - extent.0)
        inverseTileHeight = Double(rows) / (extent.3 - extent.1)
        self.tiles = tiles
        self.answers = answers
        self.shared = shared
        self.sharedCount = sharedCount
        self.runs = runs
        self.runCount = runCount
        self.edgeCellStart = edgeCellStart
        self.edgeCells = edgeCells
        self.pureTileCount = pureTileCount
        self.rings = rings
    }

    deinit {
        tiles.deallocate()
        answers.deallocate()
        shared.deallocate()
        runs.deallocate()
    }

    /// The fast path. See ``PartitionLocator`` for the rule and the method.
    @inline(__always)
    func locate(_ x: Double, _ y: Double) -> Int {
        // Outside the extent (this also rejects NaN) no cell can contain the point.
        guard x >= minX, x <= maxX, y >= minY, y <= maxY else { return -1 }
        let tile = tileIndex(x, y)
        let answer = answers[tile]
        if answer != Self.mixedTile { return Int(answer) }
        return locate(x, y, tile: tile)
    }

    /// The fast path for a point inside the extent whose tile is known.
    @inline(__always)
    func locate(_ x: Double, _ y: Double, tile: Int) -> Int {
        let code = answerCode(x, y, tile: tile)
        if code == 0 {
            // No cell by the half-open rule; a point on a cell's closed boundary still belongs
            // to the lowest such cell. Any edge through P is registered in P's own tile.
            return lowestCellWithBoundaryThrough(x, y, tile: tile)
        }
        // Only overlapping (invalid) cells can produce a code outside 1...cellCount.
        if Int(code) > cellCount { return locateExhaustively(x, y) }
        return Int(code) &- 1
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

    /// The XOR of the codes of the edges crossed by the ray from `(x, y)` toward +x up to the
    /// first pure tile east of `tile`, combined with that tile's answer code. For a
    /// non-overlapping partition this is the answer code at `(x, y)` (0 = none).
    ///
    /// Correctness: an edge crossing the ray between `P` and the pure tile touches a walked
    /// tile (registration uses tiles expanded by a margin above the error of the tile index),
    /// and no edge of a walked tile crosses the ray beyond the pure tile (it would pass through
    /// it). Each such edge is tested once: in `P`'s tile all its entries (shared and new), in
    /// the tiles east of it only the new ones (an edge's tiles within a row are contiguous, so
    /// its entry there is shared exactly when it was already met to the west).
    @inline(__always)
    func answerCode(_ x: Double, _ y: Double, tile: Int) -> UInt32 {
        let record = tiles[tile]
        let sharedEnd = tiles[tile &+ 1].sharedStart
        var code = record.code
        if record.sharedStart != sharedEnd {
            code ^= crossingCode(shared, x, y, Int(record.sharedStart), Int(sharedEnd))
        }
        if record.newStart != record.runEnd {
            code ^= crossingCode(runs, x, y, Int(record.newStart), Int(record.runEnd))
        }
        return code
    }

    /// XOR of the codes of the entries in `begin ..< end` that the ray from `(x, y)` crosses,
    /// by the half-open rule. Branch-free except for the (rare) exact fallback.
    @inline(__always)
    func crossingCode(_ entries: UnsafeMutablePointer<PartitionEntry>, _ x: Double, _ y: Double,
                      _ begin: Int, _ end: Int) -> UInt32 {
        var code: UInt32 = 0
        var i = begin
        while i < end {
            let e = entries[i]
            // ly <= uy, so `ly <= y < uy` is exactly `(y < ly) != (y < uy)`.
            let spans = (y < e.ly) != (y < e.uy)
            // Filtered orient2d(lower, upper, P) >= 0 (Shewchuk's bound); exact fallback out of line.
            let detLeft = (e.lx - x) * (e.uy - y)
            let detRight = (e.ly - y) * (e.ux - x)
            let det = detLeft - detRight
            let bound = LocatorPredicates.orientErrorBound * (abs(detLeft) + abs(detRight))
            var crosses = spans && det >= 0
            if spans && abs(det) <= bound {
                crosses = LocatorPredicates.orient2dExact(e.lx, e.ly, e.ux, e.uy, x, y) >= 0
            }
            code ^= crosses ? e.code : 0
            i &+= 1
        }
        return code
    }

    /// The boundary rule's fallback: the lowest cell owning an edge registered in `tile` that
    /// passes exactly through `(x, y)`, or -1.
    @inline(never)
    func lowestCellWithBoundaryThrough(_ x: Double, _ y: Double, tile: Int) -> Int {
        var best = Int.max
        func visit(_ entries: UnsafeMutablePointer<PartitionEntry>, _ range: Range<Int>) {
            for i in range {
                let e = entries[i]
                guard LocatorPredicates.isOnSegment(x, y, e.lx, e.ly, e.ux, e.uy) else { continue }
                let edge = Int(e.edge)
                for k in Int(edgeCellStart[edge]) ..< Int(edgeCellStart[edge + 1]) {
                    best = min(best, Int(edgeCells[k]))
                }
            }
        }
        let record = tiles[tile], next = tiles[tile + 1]
        visit(shared, Int(record.sharedStart) ..< Int(next.sharedStart))
        visit(runs, Int(record.newStart) ..< Int(next.newStart))
        return best == Int.max ? -1 : best
    }
}
