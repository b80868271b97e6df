import TwinIndex

/// "Which cameras see this point" for a catalog that no longer changes, as a uniform grid over
/// the cameras' view-sector boxes: a query reads one grid cell's list of candidates and tests
/// each exactly, instead of descending the coverage R-tree.
///
/// View sectors overlap heavily (a district's cameras look at the same streets), so a point
/// stabs many R-tree nodes; on the sample district (21,000 cameras, 90 m average range) the
/// R-tree descent was most of a dispatch answer's camera cost. The grid answers exactly what
/// ``AssetCatalog/camerasSeeing(x:y:into:scratch:)`` answers for the catalog value it was
/// built from (same slots, same distances, same sector test), in another order.
///
/// Immutable and `Sendable`: build one per loaded catalog (a server's snapshot) and share it.
/// A catalog changed afterwards (``AssetCatalog/add(_:)``, ``AssetCatalog/retire(_:id:)``) needs
/// a new grid.
///
/// ```swift
/// let grid = CameraCoverageGrid(catalog)
/// grid.camerasSeeing(x: x, y: y, into: &hits)   // metric coordinates, as the catalog's *slot* queries
/// ```
public final class CameraCoverageGrid: Sendable {
    /// The grid's lower-left corner and cell size, metres in the catalog's metric CRS.
    private let minX: Double, minY: Double, cellSize: Double
    private let columns: Int, rows: Int
    /// Cell `k`'s candidates are `slots[starts[k] ..< starts[k + 1]]`, ascending.
    private let starts: [Int32]
    private let slots: [Int32]
    /// Per camera slot (retired ones too, never listed): its shape and its sector box (4 values).
    private let shapes: [CameraShape]
    private let boxes: [Double]
    /// Live cameras indexed.
    public let count: Int

    /// Indexes the live cameras of `catalog`.
    ///
    /// - Parameters:
    ///   - catalog: the catalog to answer for.
    ///   - cellMetres: the grid's cell size (default 64 m, about the sample's median view range);
    ///     raised when the cameras span so wide an area that the grid would exceed 4 M cells.
    /// - Complexity: O(cameras × cells each sector box covers).
    public init(_ catalog: AssetCatalog, cellMetres: Double = 64) {
        let shapes = catalog.cameras.shapes
        var boxes = [Double](repeating: 0, count: shapes.count * 4)
        var live: [Int] = []
        var extent = IndexBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for slot in shapes.indices where catalog.cameras.records[slot] != nil {
            let b = MetricGeometry.sectorBox(shapes[slot])
            guard b.minX.isFinite, b.minY.isFinite, b.maxX.isFinite, b.maxY.isFinite else { continue }
            boxes[4 * slot] = b.minX; boxes[4 * slot + 1] = b.minY; boxes[4 * slot + 2] = b.maxX; boxes[4 * slot + 3] = b.maxY
            extent = IndexBox(minX: min(extent.minX, b.minX), minY: min(extent.minY, b.minY),
                              maxX: max(extent.maxX, b.maxX), maxY: max(extent.maxY, b.maxY))
            live.append(slot)
        }
        var cell = cellMetres.isFinite && cellMetres > 0 ? cellMetres : 64
        if live.isEmpty { extent = IndexBox(x: 0, y: 0) }
        while ((extent.maxX - extent.minX) / cell + 1) * ((extent.maxY - extent.minY) / cell + 1) > 4_000_000 { cell *= 2 }
        let columns = Int((extent.maxX - extent.minX) / cell) + 1
        let rows = Int((extent.maxY - extent.minY) / cell) + 1
        func column(_ x: Double) -> Int { min(columns - 1, max(0, Int((x - extent.minX) / cell))) }
        func row(_ y: Double) -> Int { min(rows - 1, max(0, Int((y - extent.minY) / cell))) }
        // Two passes (count, then fill): one flat array of candidates, no array per cell.
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        for slot in live {
            for r in row(boxes[4 * slot + 1]) ... row(boxes[4 * slot + 3]) {
                for c in column(boxes[4 * slot]) ... column(boxes[4 * slot + 2]) { counts[r * columns + c + 1] += 1 }
            }
        }
        for k in 1 ..< counts.count { counts[k] += counts[k - 1] }
        var next = counts
        var slots = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
        for slot in live {
            for r in row(boxes[4 * slot + 1]) ... row(boxes[4 * slot + 3]) {
                for c in column(boxes[4 * slot]) ... column(boxes[4 * slot + 2]) {
                    slots[Int(next[r * columns + c])] = Int32(slot)
                    next[r * columns + c] += 1
                }
            }
        }
        minX = extent.minX; minY = extent.minY; cellSize = cell
        self.columns = columns; self.rows = rows
        starts = counts
        self.slots = slots
        self.shapes = shapes
        self.boxes = boxes
        count = live.count
    }

    /// The cameras whose view sector contains the point: their slots and distances in `results`
    /// (replaced), in no particular order — as ``AssetCatalog/camerasSeeing(x:y:into:scratch:)``.
    ///
    /// - Parameters:
    ///   - x: easting in the catalog's metric CRS.
    ///   - y: northing.
    public func camerasSeeing(x: Double, y: Double, into results: inout [RTreeNeighbor]) {
        results.removeAll(keepingCapacity: true)
        guard x.isFinite, y.isFinite, x >= minX, y >= minY else { return }
        let c = Int((x - minX) / cellSize), r = Int((y - minY) / cellSize)
        guard c < columns, r < rows else { return }
        let k = r * columns + c
        slots.withUnsafeBufferPointer { slots in
            boxes.withUnsafeBufferPointer { bx in
                shapes.withUnsafeBufferPointer { shapes in
                    for j in Int(starts[k]) ..< Int(starts[k + 1]) {
                        let slot = Int(slots[j]), p = slot &* 4
                        if x < bx[p] || y < bx[p &+ 1] || x > bx[p &+ 2] || y > bx[p &+ 3] { continue }
                        let shape = shapes[slot]
                        let test = MetricGeometry.sees(shape, dx: x - shape.x, dy: y - shape.y)
                        if test.seen { results.append(RTreeNeighbor(item: slot, distance: test.distance)) }
                    }
                }
            }
        }
    }
}
