import TwinIndex

/// Gives unit grid cells (单元网格) their 15-digit codes: the code of the 居村 the cell lies in,
/// plus a 3-digit sequence numbered west→east, north→south.
///
/// ## Ordering
/// Each unit cell is represented by a point strictly inside it (`GEOSPointOnSurface_r`), and is
/// assigned to the 居村 cell containing that point (exact locator, boundary rule). Within one
/// 居村, positions are projected to the local metric CRS; cells are put in **rows**: row
/// `floor((north − y) / rowHeightMetres)`, where `north` is the 居村 cell's northernmost projected
/// position and `y` the representative point's projected northing, so row 0 is the northernmost
/// band. Rows are numbered north first; within a row cells go by projected easting (west first),
/// then northing (north first), then their index in the layer. Sequence numbers are given in that
/// order, starting at 001 and skipping numbers already used by cells of the same 居村 that have
/// valid codes (those keep their codes).
public struct UnitCodeGenerator: Sendable {
    /// The height of a row band in metres (default 150 m, about one city block).
    public var rowHeightMetres: Double

    /// - Parameter rowHeightMetres: the row band height in metres; must be finite and positive.
    public init(rowHeightMetres: Double = 150) {
        self.rowHeightMetres = rowHeightMetres
    }

    /// One code given out.
    public struct Assignment: Hashable, Sendable {
        /// The unit cell's index in the layer.
        public var cell: Int
        /// The new code.
        public var code: UnitGridCode
    }

    /// Assigns codes to the cells of `units` that lack one.
    ///
    /// A cell lacks a code when its code is empty or is not a valid ``UnitGridCode`` whose 居村
    /// prefix is the 居村 the cell lies in. Cells with a valid, consistent code keep it and reserve
    /// its sequence number.
    ///
    /// - Parameters:
    ///   - units: the unit grid layer.
    ///   - communities: the 居村 layer; every cell's code must be a valid ``CommunityCode``.
    /// - Returns: the layer with codes filled in, and what was assigned, in assignment order.
    /// - Throws: `GeometryError` when a unit cell lies in no 居村 cell or a cell cannot be indexed;
    ///   ``CodeError`` for a 居村 cell without a valid 12-digit code, or a 居村 that would need more
    ///   than 999 sequence numbers.
    public func assignCodes(units: GridLayer, communities: GridLayer) throws -> (layer: GridLayer, assigned: [Assignment]) {
        guard rowHeightMetres.isFinite, rowHeightMetres > 0 else {
            throw GeometryError("UnitCodeGenerator: rowHeightMetres must be finite and positive, got \(rowHeightMetres)")
        }
        var builder = PartitionLocator.Builder()
        var communityCodes: [CommunityCode] = []
        var extent = BoundingBox.empty
        for (i, cell) in communities.cells.enumerated() {
            do { communityCodes.append(try CommunityCode(cell.code)) } catch {
                var e = error
                e.location = SourceLocation(feature: i, field: "code")
                throw e
            }
            do { try builder.addCell(rings: cell.geometry.locatorRings) } catch {
                throw GeometryError("居村 layer \(communities.name), cell #\(i) \(cell.label) cannot be indexed: \(error)")
            }
            extent = extent.union(cell.geometry.box)
        }
        guard builder.cellCount > 0 else { throw GeometryError("the 居村 layer \(communities.name) has no cells") }
        let locator = try builder.finish()
        let metric = try GridMetric(around: extent)

        // Which 居村 each unit lies in, and which sequence numbers are taken.
        var members = [[(cell: Int, x: Double, y: Double)]](repeating: [], count: communityCodes.count)
        var taken = [Set<Int>](repeating: [], count: communityCodes.count)
        for (i, cell) in units.cells.enumerated() {
            guard let point = try Geometry.multiPolygon(cell.geometry).pointOnSurface() else {
                throw GeometryError("unit cell #\(i) \(cell.label) has an empty geometry")
            }
            let c = locator.locate(x: point.x, y: point.y)
            guard c >= 0 else {
                throw GeometryError("unit cell #\(i) \(cell.label) lies in no 居村 cell of \(communities.name) (at \(gridFormat(point)))")
            }
            if let code = try? UnitGridCode(cell.code), code.community == communityCodes[c], !taken[c].contains(code.sequence) {
                taken[c].insert(code.sequence)
                continue
            }
            let (xs, ys) = try metric.project([point])
            members[c].append((i, xs[0], ys[0]))
        }

        var layer = units
        var assigned: [Assignment] = []
        for (c, list) in members.enumerated() where !list.isEmpty {
            var north = -Double.infinity
            for polygon in communities.cells[c].geometry.polygons {
                north = max(north, try metric.project(polygon.exterior).ys.max() ?? north)
            }
            let ordered = list.map { m in (m, row: ((north - m.y) / rowHeightMetres).rounded(.down)) }
                .sorted { a, b in
                    if a.row != b.row { return a.row < b.row }
                    if a.0.x != b.0.x { return a.0.x < b.0.x }
                    if a.0.y != b.0.y { return a.0.y > b.0.y }
                    return a.0.cell < b.0.cell
                }
            var next = 1
            for (m, _) in ordered {
                while taken[c].contains(next) { next += 1 }
                let code = try UnitGridCode(community: communityCodes[c], sequence: next)
                taken[c].insert(next)
                layer.cells[m.cell].code = code.description
                assigned.append(Assignment(cell: m.cell, code: code))
            }
        }
        return (layer, assigned)
    }
}
