/// A road of the address book: its canonical name and centreline (WGS84 lon/lat).
public struct AddressRoad: Sendable, Hashable {
    /// The road's id in the source (`road_id`).
    public var id: String
    /// The canonical name, e.g. 长寿路.
    public var name: String
    /// The centreline: one or more parts.
    public var centreline: MultiLineString
    public init(id: String, name: String, centreline: MultiLineString) {
        self.id = id; self.name = name; self.centreline = centreline
    }
}

/// Where a door-plate came from, and so which one wins when both give the same address.
public enum AddressDoorplateSource: String, Sendable, Hashable {
    /// The address book's doorplates.csv: a surveyed entrance point. Wins.
    case addressBook = "address_book"
    /// A building of the twin's asset table (road, lane, number): the footprint's centroid,
    /// used only for addresses the address book does not have.
    case building
}

/// A door-plate (门牌): road, 弄, 支弄, 号 and the entrance point.
public struct AddressDoorplate: Sendable, Hashable {
    public var id: String
    public var road: String
    public var lane: Int?
    public var subLane: Int?
    public var number: Int
    /// A letter after the number (`12A`), empty when none.
    public var numberSuffix: String
    public var buildingID: String
    public var community: String
    public var town: String
    /// The entrance (WGS84 lon/lat).
    public var point: Coordinate
    public var source: AddressDoorplateSource

    public init(id: String, road: String, lane: Int?, subLane: Int?, number: Int, numberSuffix: String = "",
                buildingID: String = "", community: String = "", town: String = "", point: Coordinate,
                source: AddressDoorplateSource = .addressBook) {
        self.id = id; self.road = road; self.lane = lane; self.subLane = subLane; self.number = number
        self.numberSuffix = numberSuffix; self.buildingID = buildingID; self.community = community
        self.town = town; self.point = point; self.source = source
    }

    /// The canonical key (``StructuredAddress/canonicalKey``), e.g. `长寿路588弄12号`.
    public var canonicalKey: String {
        var key = road
        if let lane { key += "\(lane)弄" }
        if let subLane { key += "\(subLane)支弄" }
        return key + "\(number)\(numberSuffix)号"
    }
}

/// A 小区 (residential community) with its outline.
public struct AddressCommunity: Sendable, Hashable {
    public var name: String
    public var aliases: [String]
    public var town: String
    public var outline: MultiPolygon
    public init(name: String, aliases: [String], town: String, outline: MultiPolygon) {
        self.name = name; self.aliases = aliases; self.town = town; self.outline = outline
    }
}

/// A named point: a 小区 entrance (中远两湾城5号门), a school, a market, a metro station.
public struct AddressPOI: Sendable, Hashable {
    public var name: String
    public var kind: String
    public var point: Coordinate
    public var community: String
    public init(name: String, kind: String, point: Coordinate, community: String) {
        self.name = name; self.kind = kind; self.point = point; self.community = community
    }
}

/// Another spelling of a road, 小区 or town: an old name, an abbreviation, a common typo.
public struct AddressNameAlias: Sendable, Hashable {
    /// What the alias names.
    public enum Kind: String, Sendable, Hashable, CaseIterable { case road, community, town }
    public var alias: String
    public var canonical: String
    public var kind: Kind
    public init(alias: String, canonical: String, kind: Kind) {
        self.alias = alias; self.canonical = canonical; self.kind = kind
    }
}

/// An address book: what `twin-tool import-addresses` reads and the twin file's gazetteer holds.
public struct AddressBookRecords: Sendable, Hashable {
    public var roads: [AddressRoad] = []
    public var doorplates: [AddressDoorplate] = []
    public var communities: [AddressCommunity] = []
    public var pois: [AddressPOI] = []
    public var aliases: [AddressNameAlias] = []
    public init() {}
}

/// One record an address import left out, and why.
public struct AddressReject: Sendable, Hashable, CustomStringConvertible {
    /// The file and CSV line (1-based, header = 1) or GeoJSON feature (0-based), and the field.
    public var location: SourceLocation
    /// Why the record was left out.
    public var reason: String
    public init(location: SourceLocation, reason: String) { self.location = location; self.reason = reason }
    public var description: String { "\(location): \(reason)" }
}
