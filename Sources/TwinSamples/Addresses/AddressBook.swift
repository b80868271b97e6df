import TwinGeo

/// A named road of the sample district: one lattice line (or diagonal), its whole centreline.
public struct SampleRoad: Hashable, Sendable {
    /// `R` + 3 digits, in lattice order (east–west lines south→north, then south–north lines
    /// west→east, then the two diagonals).
    public var id: String
    /// The road's name (unique in the district), e.g. `长寿路`.
    public var name: String
    /// The centreline, lon/lat; one part per contiguous run of lattice edges (more than one
    /// only where the line leaves the district and comes back).
    public var parts: [LineString]
    /// The point half-way along the centreline (parts taken in order, lengths in metres):
    /// the ground truth of road-only addresses.
    public var midpoint: Coordinate
    /// The length of the centreline in metres (local frame).
    public var lengthMetres: Double

    /// A `LineString` for one part, a `MultiLineString` otherwise.
    public var geometry: Geometry {
        parts.count == 1 ? .lineString(parts[0]) : .multiLineString(MultiLineString(parts))
    }
}

/// A door-plate (门牌): `road` + `lane`弄 [+ `subLane`支弄] + `number`号, one per building.
///
/// The road, lane and number are the building's own address fields (``Building/road``,
/// ``Building/lane``, ``Building/number``), so `(road, lane, number)` is unique in the district.
public struct Doorplate: Hashable, Sendable {
    /// `A` + 6 digits, in building order.
    public var id: String
    public var road: String
    /// 弄 number; `nil` for a plate directly on the road (the sample has none: every sample
    /// building stands in a lane).
    public var lane: Int?
    /// 支弄 number (about 3 % of plates).
    public var subLane: Int?
    /// 号.
    public var number: Int
    /// The building the plate belongs to.
    public var buildingID: String
    /// The 小区 (community) the building stands in, if any.
    public var community: String?
    /// The 街镇 name.
    public var town: String
    /// The entrance: the point of the building's footprint nearest to its road's centreline.
    public var entrance: Coordinate

    /// The canonical written form, e.g. `长寿路12弄3支弄7号`.
    public var text: String {
        road + (lane.map { "\($0)弄" } ?? "") + (subLane.map { "\($0)支弄" } ?? "") + "\(number)号"
    }
}

/// A 小区 (residential community): one residential block of the sample.
public struct Community: Hashable, Sendable {
    /// The name, unique in the district (e.g. `中远两湾城`).
    public var name: String
    /// Other names people use (e.g. `两湾城`, `中远两湾城小区`).
    public var aliases: [String]
    /// The 街镇 name.
    public var town: String
    /// The block outline, lon/lat, counter-clockwise.
    public var polygon: Polygon
    /// The area centroid of ``polygon``: the ground truth of community-level addresses.
    public var centroid: Coordinate
}

/// A named point: a 小区 gate, a school, a market, a clinic or a metro station.
public struct PointOfInterest: Hashable, Sendable {
    /// What the point is.
    public enum Kind: String, CaseIterable, Hashable, Sendable {
        case entrance, school, market, hospital, metro
    }
    /// The name, unique in the district (`中远两湾城5号门`, `长寿路小学`, `武宁路站`).
    public var name: String
    public var kind: Kind
    public var location: Coordinate
    /// The 小区 it belongs to (gates, and places inside a community's block).
    public var community: String?
}

/// One row of the alias table: a name people write and the name it stands for.
public struct AddressAlias: Hashable, Sendable {
    /// What kind of name the alias replaces.
    public enum Kind: String, CaseIterable, Hashable, Sendable {
        case road, community, town
    }
    /// The written form (an old name, an abbreviation or a common typo).
    public var alias: String
    /// The canonical name (a road, community or 街镇 of the address book).
    public var canonical: String
    public var kind: Kind
}

/// How an event address is written (`event_addresses.csv`, column `style`).
public enum AddressStyle: String, CaseIterable, Hashable, Sendable {
    /// The canonical door-plate, or (truth `lane`) a lane without a number or with a number
    /// the lane does not have.
    case clean
    /// City, district and/or 街镇 prefixes (sometimes a wrong 街镇), floor or room suffixes.
    case prefixed
    /// Road without 路, 街道 shortened, the final 号 dropped.
    case abbreviated
    /// Chinese numerals (五百八十八弄十二号, 一〇八号).
    case chineseNumerals = "chinese_numerals"
    /// Full-width digits and letters (５８８弄１２号).
    case fullwidth
    /// A road name replaced by a typo from the alias table.
    case typo
    /// Two crossing roads (A路与B路交叉口, A路B路口).
    case intersection
    /// Just a road, perhaps with prefixes.
    case roadOnly = "road_only"
    /// A 小区 name, alias or gate (中远两湾城5号门).
    case community
    /// Spaces, brackets, qualifiers (近/旁/对面), punctuation; truth still the door-plate (or,
    /// for a 街镇 alone, the 街镇).
    case noise
    /// A road that is not in the district, or a lane the road does not have: truth `none`.
    case nonexistent
}

/// What a correct geocoder answers for an event address (`truth_level`).
public enum AddressTruthLevel: String, CaseIterable, Hashable, Sendable {
    /// The door-plate's entrance point.
    case doorplate
    /// The mean of the lane's door-plate entrances.
    case lane
    /// The community centroid, or the gate's point for a gate name.
    case community
    /// The crossing point of the two centrelines (a shared lattice node).
    case intersection
    /// The road's ``SampleRoad/midpoint``.
    case road
    /// The 街镇's representative point (area centroid of its cell).
    case town
    /// Not in the district: the answer must be "not found".
    case none
}

/// One row of `events/event_addresses.csv`: an address as a citizen or patrol writes it, and
/// where it really is.
public struct EventAddress: Hashable, Sendable {
    /// `Q` + 6 digits.
    public var id: String
    /// The text as written (may contain full-width characters, spaces, brackets).
    public var address: String
    public var style: AddressStyle
    public var truthLevel: AddressTruthLevel
    /// The ground-truth point; `nil` when ``truthLevel`` is `none`.
    public var truth: Coordinate?
}

/// The sample district's address book (roads, door-plates, 小区, POIs, aliases) and its noisy
/// event addresses with ground truth. Written under `addresses/` and `events/` by
/// ``SampleDistrict/write(to:)``.
public struct AddressBook: Hashable, Sendable {
    /// Roads in ``SampleRoad/id`` order.
    public var roads: [SampleRoad]
    /// One door-plate per building, in building order.
    public var doorplates: [Doorplate]
    /// 小区 in block order.
    public var communities: [Community]
    /// Gates, schools, markets, clinics and metro stations.
    public var pointsOfInterest: [PointOfInterest]
    /// Old names, abbreviations and typos.
    public var aliases: [AddressAlias]
    /// The noisy event addresses.
    public var eventAddresses: [EventAddress]
}
