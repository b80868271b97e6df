/// Where a point is in every layer of a twin: the answer of ``Twin/locate(lon:lat:crs:at:)``.
public struct TwinAssignment: Hashable, Sendable {
    /// The point in WGS84 lon/lat (after conversion from the caller's CRS).
    public var location: Coordinate
    /// The ``TwinEpoch/id`` of the epoch that answered.
    public var epoch: Int
    /// The atomic cell of the epoch's merged grid holding the point, or `nil` outside every layer.
    public var atomicCell: Int?
    /// Every layer's cell, in ``Twin/layerNames`` order; `nil` where the layer has no cell at the
    /// point (outside it, or no version in force).
    public var cells: [TwinCellMatch?]
    /// The hierarchy chain, top down: the cell of the first layer of each hierarchy kind
    /// (街镇, 管理片区, 居村, 单元网格) that has one here; kinds the twin lacks are skipped.
    public var hierarchy: [TwinCellMatch]
    /// The twin's dispatch rules (category → layer name), shared storage with the twin.
    public var dispatchRules: [String: String]

    public init(location: Coordinate, epoch: Int, atomicCell: Int?, cells: [TwinCellMatch?], hierarchy: [TwinCellMatch],
                dispatchRules: [String: String]) {
        self.location = location
        self.epoch = epoch
        self.atomicCell = atomicCell
        self.cells = cells
        self.hierarchy = hierarchy
        self.dispatchRules = dispatchRules
    }

    /// Whether the point lies in no layer's cell.
    public var isOutside: Bool { atomicCell == nil }

    /// The cell of the layer named `layer`, or `nil` (no cell here, or no such layer).
    public func cell(layer: String) -> TwinCellMatch? {
        for case let match? in cells where match.layer == layer { return match }
        return nil
    }

    /// The hierarchy cell of `kind` (街镇 ``GridLayerKind/subdistrict``, 片区
    /// ``GridLayerKind/managementArea``, 居村 ``GridLayerKind/community``, unit grid), or `nil`.
    public func hierarchyCell(_ kind: GridLayerKind) -> TwinCellMatch? {
        hierarchy.first { $0.kind == kind }
    }

    /// The 街镇 (sub-district or town) at the point.
    public var subdistrict: TwinCellMatch? { hierarchyCell(.subdistrict) }
    /// The 管理片区 (management area) at the point.
    public var managementArea: TwinCellMatch? { hierarchyCell(.managementArea) }
    /// The 居村 (neighbourhood or village committee) at the point.
    public var community: TwinCellMatch? { hierarchyCell(.community) }
    /// The unit grid cell at the point.
    public var unitGrid: TwinCellMatch? { hierarchyCell(.unitGrid) }

    /// The cell responsible for an event of `category` here (一口派单): the cell of the layer the
    /// dispatch rules name for the category.
    ///
    /// - Returns: the cell, or `nil` when the category has no rule or its layer has no cell here.
    public func responsibleCell(for category: String) -> TwinCellMatch? {
        dispatchRules[category].flatMap { cell(layer: $0) }
    }
}
