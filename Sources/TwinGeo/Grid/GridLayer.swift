/// What a grid layer partitions the district into.
///
/// The hierarchy kinds nest (DESIGN.md, 三级平台五级应用): 区 → 街镇 (``subdistrict``) → 管理片区
/// (``managementArea``) → 居村 (``community``) → 单元网格 (``unitGrid``). Every level is a partition
/// of the level above, so each hierarchy kind except ``subdistrict`` has a ``parentKind``.
/// Department grids (警务, 住建, 综治, 绿容, 市场监管, 房管, …) are drawn independently of the
/// hierarchy and of each other; merging them is the point of 多格合一 (``GridMerger``).
public enum GridLayerKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A department's own grid (police, housing and construction, …); codes are the department's.
    case department
    /// 街镇: a sub-district (街道) or town (镇); 9-digit code (``SubdistrictCode``).
    case subdistrict
    /// 管理片区: a staffed management area inside a 街镇; codes are local, not standardised.
    case managementArea
    /// 居村: a neighbourhood (居委) or village (村委) committee; 12-digit code (``CommunityCode``).
    case community
    /// 单元网格: the unit grid cell; 15-digit code (``UnitGridCode``).
    case unitGrid

    /// The kind of the level directly above, for hierarchy kinds; `nil` for ``department`` and
    /// ``subdistrict`` (whose parent is the district itself).
    public var parentKind: GridLayerKind? {
        switch self {
        case .department, .subdistrict: nil
        case .managementArea: .subdistrict
        case .community: .managementArea
        case .unitGrid: .community
        }
    }

    /// Whether the kind is a level of the administrative hierarchy (every kind but ``department``).
    public var isHierarchy: Bool { self != .department }

    /// The number of digits of a standard code of this kind (9, 12 or 15), or `nil` where codes are
    /// not standardised (departments, management areas).
    public var standardCodeLength: Int? {
        switch self {
        case .subdistrict: SubdistrictCode.length
        case .community: CommunityCode.length
        case .unitGrid: UnitGridCode.length
        case .department, .managementArea: nil
        }
    }

    /// The Chinese name used by the district: 部门网格, 街镇, 管理片区, 居村, 单元网格.
    public var chineseName: String {
        switch self {
        case .department: "部门网格"
        case .subdistrict: "街镇"
        case .managementArea: "管理片区"
        case .community: "居村"
        case .unitGrid: "单元网格"
        }
    }

    public var description: String { rawValue }
}

/// One cell of a grid layer: a code, an optional name, an area, and free-form attributes.
public struct GridCell: Hashable, Sendable {
    /// The cell's code, unique within its layer (standard formats per ``GridLayerKind``).
    public var code: String
    /// The display name (e.g. 曹杨新村街道), if the source has one.
    public var name: String?
    /// The area, in WGS84/CGCS2000 lon/lat degrees. A single polygon is a one-part multipolygon.
    public var geometry: MultiPolygon
    /// The code of the cell of the parent layer this cell belongs to, when the source says so
    /// (validation checks it against the geometry).
    public var parentCode: String?
    /// Other properties of the source feature, as text (strings as they are, numbers as written).
    public var attributes: [String: String]

    public init(code: String, name: String? = nil, geometry: MultiPolygon,
                parentCode: String? = nil, attributes: [String: String] = [:]) {
        self.code = code
        self.name = name
        self.geometry = geometry
        self.parentCode = parentCode
        self.attributes = attributes
    }

    /// `"code (name)"`, or the code alone: how messages name the cell.
    public var label: String {
        if let name, !name.isEmpty { return "\(code) (\(name))" }
        return code
    }
}

/// One grid: a named partition of (part of) the district into cells.
///
/// A layer is a plain value; ``GridValidator`` checks that it really is a partition (no
/// overlaps, no gaps, valid cells, well-formed unique codes, nested in its parent layer) and
/// ``GridMerger`` overlays several layers into one set of atomic cells.
public struct GridLayer: Hashable, Sendable {
    /// The layer's name, e.g. `"警务"` or `"居村"`; unique within a twin.
    public var name: String
    /// What the layer partitions the district into.
    public var kind: GridLayerKind
    /// The cells, in source order. A cell's index in this array is its index everywhere else
    /// (locators, merged grids, reports).
    public var cells: [GridCell]

    public init(name: String, kind: GridLayerKind, cells: [GridCell] = []) {
        self.name = name
        self.kind = kind
        self.cells = cells
    }

    /// The index of the first cell with `code`, or `nil`.
    ///
    /// - Complexity: O(n); build a dictionary for repeated look-ups.
    public func firstIndex(ofCode code: String) -> Int? {
        cells.firstIndex { $0.code == code }
    }

    /// The department names the district uses for its department grids (any other name is
    /// accepted too): 警务 police, 住建 housing and construction, 综治 social governance,
    /// 绿容 greening and city appearance, 市场监管 market supervision, 房管 housing management.
    public static let departmentNames = ["警务", "住建", "综治", "绿容", "市场监管", "房管"]
}
