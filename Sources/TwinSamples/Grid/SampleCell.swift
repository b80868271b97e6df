import TwinGeo

/// One cell of a sample layer: a hierarchy unit (街镇, 片区, 居村, unit grid cell) or a
/// department grid cell.
public struct SampleCell: Hashable, Sendable {
    /// The cell code (see ``HierarchyLevel`` and ``Department/codePrefix``).
    public var code: String
    /// Chinese name.
    public var name: String
    /// Codes of the enclosing hierarchy cells, outermost first: `[]` for a 街镇, `[街镇]` for a
    /// 片区, `[街镇, 片区]` for a 居村, `[街镇, 片区, 居村]` for a unit cell; `[]` for department cells.
    public var ancestors: [String]
    /// The cell's area: a `Polygon`, or a `MultiPolygon` when region growing produced parts that
    /// touch at a point only. lon/lat degrees, exteriors counter-clockwise.
    public var geometry: Geometry
    /// The point that orders the cell in its parent: the area centroid of the cell (for
    /// unit cells a point inside it; tests check that).
    public var representativePoint: Coordinate
    /// Indices into ``SampleDistrict/unitCells`` of the unit cells this cell is made of.
    public var unitCells: [Int]
    /// For department cells: the same rings before the layer's displacement (the exact union
    /// of ``unitCells``, vertex for vertex); `nil` for hierarchy cells.
    public var undisplacedGeometry: Geometry?
    /// Extra attributes written as GeoJSON properties (e.g. `type`: 居委/村委).
    public var attributes: [(String, String)] {
        get { attributeKeys.indices.map { (attributeKeys[$0], attributeValues[$0]) } }
        set { attributeKeys = newValue.map(\.0); attributeValues = newValue.map(\.1) }
    }
    private var attributeKeys: [String] = []
    private var attributeValues: [String] = []

    /// The immediate parent's code (`nil` for 街镇 and department cells).
    public var parentCode: String? { ancestors.last }

    public init(code: String, name: String, ancestors: [String], geometry: Geometry, representativePoint: Coordinate,
                unitCells: [Int], undisplacedGeometry: Geometry? = nil, attributes: [(String, String)] = []) {
        self.code = code
        self.name = name
        self.ancestors = ancestors
        self.geometry = geometry
        self.representativePoint = representativePoint
        self.unitCells = unitCells
        self.undisplacedGeometry = undisplacedGeometry
        self.attributes = attributes
    }
}

/// A layer: a partition of the district into cells.
public struct SampleLayer: Hashable, Sendable {
    /// What the layer is.
    public enum Kind: Hashable, Sendable {
        case hierarchy(HierarchyLevel)
        case department(Department)
    }
    public var kind: Kind
    /// Cells in code order.
    public var cells: [SampleCell]

    /// The file stem and twin layer name (`jiezhen`, `unit`, `police`, …).
    public var name: String {
        switch kind {
        case .hierarchy(let level): level.layerName
        case .department(let d): d.layerName
        }
    }

    /// Chinese title (`街镇`, `警务` …).
    public var title: String {
        switch kind {
        case .hierarchy(let level): level.chineseName
        case .department(let d): d.chineseName
        }
    }

    public init(kind: Kind, cells: [SampleCell]) {
        self.kind = kind
        self.cells = cells
    }
}
