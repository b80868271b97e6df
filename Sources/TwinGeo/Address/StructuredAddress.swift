/// The kind of a road, from its name's ending.
public enum RoadKind: String, Sendable, Hashable, CaseIterable {
    /// 路
    case road = "路"
    /// 街
    case street = "街"
    /// 大道
    case avenue = "大道"
    /// 公路
    case highway = "公路"
    /// 支路 (a branch road)
    case branch = "支路"
    /// 巷
    case alley = "巷"

    /// The kind of a road named `name`, from its ending; `nil` when it has none of the endings.
    public init?(roadName name: String) {
        if name.hasSuffix("支路") { self = .branch }
        else if name.hasSuffix("公路") { self = .highway }
        else if name.hasSuffix("大道") { self = .avenue }
        else if name.hasSuffix("路") { self = .road }
        else if name.hasSuffix("街") { self = .street }
        else if name.hasSuffix("巷") { self = .alley }
        else { return nil }
    }
}

/// How a name in the text was recognised.
public enum AddressNameMatch: String, Sendable, Hashable {
    /// Exactly as the address book spells it (after folding: full width, case, variants).
    case exact
    /// Through an alias (the address book's aliases.csv, or a built-in variant such as 长寿街道
    /// for 长寿路街道).
    case alias
    /// Abbreviated: a road without its 路 (`长寿588弄`), or a district without its 区.
    case abbreviated
    /// Not in the address book: the text had the shape of a name (a road ending in 路, 街, …),
    /// kept as written. The geocoder may still find it by similarity.
    case unknown
}

/// Words that say the place is near, not at, the address.
public enum AddressQualifier: String, Sendable, Hashable, CaseIterable {
    /// 近, 靠近
    case near = "近"
    /// 旁, 旁边, 边上
    case beside = "旁"
    /// 对面
    case opposite = "对面"
    /// 附近, 周边, 一带
    case nearby = "附近"
    /// 门口
    case atGate = "门口"
}

/// An address taken apart by ``AddressNormalizer``.
///
/// Names are the address book's canonical spelling when the normalizer's lexicon knows them
/// (see ``roadMatch``), else the folded text as written. Numbers are decimal values whatever the
/// text used (５８８, 五百八十八, 588).
public struct StructuredAddress: Hashable, Sendable {
    /// 省 or 直辖市, e.g. 上海市.
    public var province: String?
    /// 区, e.g. 普陀区.
    public var district: String?
    /// 街道 or 镇, e.g. 长寿路街道.
    public var town: String?
    /// The road (canonical when known).
    public var road: String?
    /// The road's kind (路/街/大道/公路/支路/巷), from its name.
    public var roadKind: RoadKind?
    /// How ``road`` was recognised.
    public var roadMatch: AddressNameMatch?
    /// The second road of an intersection (A路与B路交叉口).
    public var crossRoad: String?
    /// How ``crossRoad`` was recognised.
    public var crossRoadMatch: AddressNameMatch?
    /// Whether the text marked the intersection (与/和/交叉口/路口/口); `false` for two roads
    /// written one after the other (`武宁路常德路`), a weaker reading.
    public var intersectionMarked = false
    /// 弄 (lane) number.
    public var lane: Int?
    /// 支弄 (branch lane) number.
    public var subLane: Int?
    /// 号 (door-plate) number.
    public var number: Int?
    /// A letter after the number (`12A号` → "A"), empty when none.
    public var numberSuffix = ""
    /// Whether the 号 was written as a bare number (`长寿路588弄12`): a weaker reading.
    public var numberWithoutUnit = false
    /// 幢 / 栋 / 号楼 / 座 (building in an estate); the four are equivalent.
    public var building: Int?
    /// 单元 (stairwell unit).
    public var unit: Int?
    /// 层 / 楼 / F (floor).
    public var floor: Int?
    /// 室 (room).
    public var room: Int?
    /// 小区 or POI name (canonical when known).
    public var place: String?
    /// How ``place`` was recognised.
    public var placeMatch: AddressNameMatch?
    /// Whether ``place`` is a POI (an entrance, school, station) rather than a 小区.
    public var placeIsPOI = false
    /// The qualifiers found (近, 旁, 对面, 附近, 门口), in text order.
    public var qualifiers: [AddressQualifier] = []
    /// The folded text the parser did not use (e.g. `东侧`), empty when all was used.
    public var remainder = ""

    // Lexicon ids for the geocoder (-1: not in the lexicon).
    var townID: Int32 = -1
    var roadID: Int32 = -1
    var crossRoadID: Int32 = -1
    var placeID: Int32 = -1

    /// Creates an empty address.
    public init() {}

    /// Whether nothing was recognised.
    public var isEmpty: Bool {
        province == nil && district == nil && town == nil && road == nil && place == nil
            && lane == nil && number == nil && building == nil && remainder.isEmpty
    }

    /// The canonical key: the address's identity down to the door-plate, independent of how it
    /// was written. Prefixes (省/市/区/街镇), qualifiers and the parts inside a building (幢,
    /// 单元, 层, 室) are not part of it.
    ///
    /// * door-plate or lane: `road` `N弄` `N支弄` `N号` (the parts present), e.g. `长寿路588弄12号`;
    /// * intersection: `A与B交叉口` with the two roads in code-point order, so
    ///   `常德路与武宁路交叉口` is the key of both `武宁路常德路口` and `常德路和武宁路路口`;
    /// * 小区/POI without a road: the place name; town only: the town; nothing: "".
    public var canonicalKey: String {
        if let road, let crossRoad {
            let (a, b) = road.unicodeScalars.lexicographicallyPrecedes(crossRoad.unicodeScalars) ? (road, crossRoad) : (crossRoad, road)
            return "\(a)与\(b)交叉口"
        }
        if let road {
            var key = road
            if let lane { key += "\(lane)弄" }
            if let subLane { key += "\(subLane)支弄" }
            if let number { key += "\(number)\(numberSuffix)号" }
            return key
        }
        if let place { return place }
        if let town { return town }
        return ""
    }
}
