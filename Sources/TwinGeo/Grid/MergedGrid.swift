import TwinIndex

/// One atomic cell of a merged grid: an area in which every layer has one cell (or none).
public struct AtomicCell: Hashable, Sendable {
    /// The area, as the faces of the noded overlay (see ``MergedGrid``): edges shared with
    /// neighbouring atomic cells are bit-identical. Adjacent faces of one atomic cell are kept as
    /// separate parts (touching along edges), which the exact locator handles and which keeps every
    /// vertex where the neighbours have it; dissolve with GEOS for display only.
    public var geometry: MultiPolygon
    /// For each layer of ``MergedGrid/layerNames``, the index of the layer's cell covering this
    /// area, or -1 where the layer has none.
    public var layerCells: [Int32]
    /// The area in m² (local metric projection).
    public var areaM2: Double

    public init(geometry: MultiPolygon, layerCells: [Int32], areaM2: Double) {
        self.geometry = geometry; self.layerCells = layerCells; self.areaM2 = areaM2
    }
}

/// The overlay of several grid layers (多格合一): atomic cells that each lie in one cell of every
/// layer, so one point location answers every layer.
///
/// The atomic cells form an exact partition: they do not overlap, and two neighbours share the
/// same vertices along their common edges, so ``makeLocator(options:)`` gives a
/// ``PartitionLocator`` that obeys the boundary rule (every point of the union in exactly one
/// atomic cell, shared edges and vertices included).
public struct MergedGrid: Hashable, Sendable {
    /// The merged layers' names, in the order of ``AtomicCell/layerCells``.
    public var layerNames: [String]
    /// The atomic cells; an index here is the locator's cell index.
    public var cells: [AtomicCell]

    public init(layerNames: [String], cells: [AtomicCell]) {
        self.layerNames = layerNames; self.cells = cells
    }

    /// The total area in m².
    public var totalAreaM2: Double { cells.reduce(0) { $0 + $1.areaM2 } }

    /// An exact locator over the atomic cells: `locate(x:y:)` returns the atomic cell index (the
    /// index into ``cells``), or -1 outside every layer; ``AtomicCell/layerCells`` of that cell
    /// then gives every layer's cell at once.
    ///
    /// - Parameter options: the locator's grid tuning.
    /// - Returns: a `Sendable` locator; cell `i` is `cells[i]`.
    /// - Throws: `GeometryError` naming the atomic cell when its rings cannot be indexed (a merge
    ///   result never has such rings), or when there are no cells.
    /// - Complexity: O(E log E) for E edges.
    public func makeLocator(options: PartitionLocator.Options = PartitionLocator.Options()) throws -> PartitionLocator {
        var builder = PartitionLocator.Builder()
        for (i, cell) in cells.enumerated() {
            do { try builder.addCell(rings: cell.geometry.locatorRings) } catch {
                throw GeometryError("atomic cell \(i) cannot be indexed: \(error)")
            }
        }
        do { return try builder.finish(options: options) } catch {
            throw GeometryError("the merged grid cannot be indexed: \(error)")
        }
    }
}
