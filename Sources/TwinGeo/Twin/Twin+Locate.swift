#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Twin {
    /// Locates one point in every layer: each layer's cell, the hierarchy chain, and (through
    /// ``TwinAssignment/responsibleCell(for:)``) the cell the dispatch rules make responsible.
    ///
    /// Inside/outside follows the boundary rule described on ``Twin``: a point on a shared edge is
    /// in exactly one cell of each layer.
    ///
    /// - Parameters:
    ///   - lon: longitude (or easting, for a projected `crs`).
    ///   - lat: latitude (or northing).
    ///   - crs: the CRS of the position (default WGS84; GCJ-02 and BD-09 are converted exactly).
    ///   - date: the instant whose grid answers (the epoch in force then); `nil` = the latest epoch.
    /// - Returns: the assignment; every cell `nil` for a point outside the district.
    /// - Throws: ``TwinQueryError`` (`.argument`) for a non-finite position or a date outside
    ///   years 1–9999; `CRSError` when the CRS is unknown or the position cannot be converted.
    /// - Complexity: O(1) expected: one CRS conversion, one exact locate, one row of the epoch's table.
    public func locate(lon: Double, lat: Double, crs: CRS = .wgs84, at date: Date? = nil) throws -> TwinAssignment {
        guard lon.isFinite, lat.isFinite else {
            throw TwinQueryError(.argument, "locate: the position (\(lon), \(lat)) is not finite")
        }
        var p = Coordinate(lon, lat)
        if crs != .wgs84 && crs != .cgcs2000 {
            p = try CoordinateTransform(from: crs, to: .wgs84).transform(p)
        }
        let position = try epochPosition(at: date)
        let index = epochIndexes[position]
        let atomic = index.locator?.locate(x: p.x, y: p.y) ?? -1
        var cells = [TwinCellMatch?](repeating: nil, count: layers.count)
        if atomic >= 0 {
            for l in layers.indices {
                let c = Int(index.layerCells[atomic * layers.count + l])
                guard c >= 0 else { continue }
                let cell = layers[l].cells[c]
                cells[l] = TwinCellMatch(layer: layers[l].name, kind: layers[l].kind, index: c, code: cell.code,
                                         name: cell.name, version: cell.version)
            }
        }
        let chain = hierarchyLayers.compactMap { cells[$0] }
        return TwinAssignment(location: p, epoch: epochs[position].id, atomicCell: atomic >= 0 ? atomic : nil, cells: cells,
                              hierarchy: chain, dispatchRules: dispatchRules)
    }

    /// The cell of layer `layer` that atomic cell `atomic` of epoch `epoch` lies in.
    ///
    /// - Parameters:
    ///   - atomic: an answer of ``locate(xs:ys:atomicInto:crs:at:)`` for that epoch (-1 allowed).
    ///   - layer: a position in ``layers``.
    ///   - epoch: a ``TwinEpoch/id``.
    /// - Returns: the cell index in ``TwinLayer/cells``, or -1 (no cell, or any argument out of range).
    public func cellIndex(atomic: Int32, layer: Int, epoch: Int) -> Int32 {
        guard epoch >= 0, epoch < epochIndexes.count, layer >= 0, layer < layers.count else { return -1 }
        let index = epochIndexes[epoch]
        guard atomic >= 0, Int(atomic) < index.atomicCount else { return -1 }
        return index.layerCells[Int(atomic) * layers.count + layer]
    }
}
