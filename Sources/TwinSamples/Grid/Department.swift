/// The six departments that draw their own grid over the district (多格合一's inputs).
public enum Department: String, CaseIterable, Sendable, Hashable {
    case police
    case construction
    case governance
    case greening
    case market
    case housing

    /// Chinese name of the department's grid.
    public var chineseName: String {
        switch self {
        case .police: "警务"
        case .construction: "住建"
        case .governance: "综治"
        case .greening: "绿容"
        case .market: "市场监管"
        case .housing: "房管"
        }
    }

    /// Prefix of the layer's cell codes: `JW-0001` (警务), `ZJ-`, `ZZ-`, `LR-`, `SJ-`, `FG-`;
    /// four digits numbered north→south, west→east (``SampleDistrict/sequenceOrder(_:)``).
    public var codePrefix: String {
        switch self {
        case .police: "JW"
        case .construction: "ZJ"
        case .governance: "ZZ"
        case .greening: "LR"
        case .market: "SJ"
        case .housing: "FG"
        }
    }

    /// What one cell of the grid is called (`长征镇` is not in it: names are 第N + this).
    var cellNoun: String {
        switch self {
        case .police: "警务区"
        case .construction: "住建网格"
        case .governance: "综治网格"
        case .greening: "绿容责任区"
        case .market: "市场监管网格"
        case .housing: "房管片区"
        }
    }

    /// Cells at scale 1.0 (80–600 per the brief): police beats are mid-sized, social-governance
    /// grids the finest, construction the coarsest.
    public var fullScaleCellCount: Int {
        switch self {
        case .police: 180
        case .construction: 90
        case .governance: 600
        case .greening: 300
        case .market: 240
        case .housing: 140
        }
    }

    /// The layer's file stem under `layers/` and its layer name in a twin.
    public var layerName: String { rawValue }
}

/// The four levels of the administrative hierarchy below the district.
public enum HierarchyLevel: String, CaseIterable, Sendable, Hashable {
    /// 街道 / 镇: 9-digit code, 310107 + 3 digits (001–099 街道, 100–199 镇).
    case jiezhen
    /// 管理片区: 11-digit code, the 街镇 code + 2 digits (01…), numbered north→south, west→east.
    case pianqu
    /// 居委会 / 村委会: 12-digit code, the 街镇 code + 3 digits (001–199 居委, 200–399 村委).
    /// The 居村 code does not contain its 片区 code (statistical codes skip that level); the
    /// 片区 is a property (`pianqu_code`).
    case jucun
    /// 单元网格: 15-digit code, the 居村 code + 3-digit sequence, north→south, west→east.
    case unit

    /// Chinese name of the level.
    public var chineseName: String {
        switch self {
        case .jiezhen: "街镇"
        case .pianqu: "管理片区"
        case .jucun: "居村"
        case .unit: "单元网格"
        }
    }

    /// The layer's file stem under `layers/`.
    public var layerName: String { rawValue }

    /// Digits in a code of this level.
    public var codeLength: Int {
        switch self {
        case .jiezhen: 9
        case .pianqu: 11
        case .jucun: 12
        case .unit: 15
        }
    }
}
