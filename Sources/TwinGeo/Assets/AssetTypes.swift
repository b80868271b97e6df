// The four asset kinds of the digital twin (DESIGN.md "Assets"), as plain Sendable values in
// WGS84/CGCS2000 lon/lat degrees. Validation lives in AssetValidation.swift; the spatial
// indexes in AssetCatalog.

/// The kinds of assets a twin holds, one table and one spatial index each.
public enum AssetKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Building footprints (polygons).
    case building
    /// Underground pipe segments (linestrings).
    case pipe
    /// Video cameras (points with a view sector).
    case camera
    /// Smart-city sensors, the "神经元" devices (points).
    case sensor

    /// Parses `building`, `pipe`, `camera` or `sensor` (case-insensitive; plurals accepted).
    public init?(name: String) {
        var s = name.lowercased()
        if s.hasSuffix("s") { s.removeLast() }
        self.init(rawValue: s)
    }

    /// The asset table of the twin file: `asset_buildings`, `asset_pipes`, `asset_cameras`, `asset_sensors`.
    public var tableName: String { "asset_\(rawValue)s" }

    public var description: String { rawValue }
}

/// The six underground pipe networks (给水, 排水, 燃气, 电力, 通信, 供热).
public enum AssetPipeNetwork: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case waterSupply = "water_supply"
    case drainage
    case gas
    case power
    case telecom
    case heating

    /// Parses the raw value (`water_supply`, …) or the Chinese name (给水, …).
    public init?(name: String) {
        if let v = AssetPipeNetwork(rawValue: name.lowercased()) { self = v; return }
        guard let v = AssetPipeNetwork.allCases.first(where: { $0.chineseName == name }) else { return nil }
        self = v
    }

    /// Chinese name (给水, 排水, 燃气, 电力, 通信, 供热).
    public var chineseName: String {
        switch self {
        case .waterSupply: "给水"
        case .drainage: "排水"
        case .gas: "燃气"
        case .power: "电力"
        case .telecom: "通信"
        case .heating: "供热"
        }
    }

    public var description: String { rawValue }
}

/// A building: its footprint and a Shanghai-style address (`长寿路123弄4号5幢`).
public struct BuildingAsset: Hashable, Sendable {
    /// Unique among buildings.
    public var id: String
    /// Optional 16-digit component (部件) code, checked by ``ComponentCode``.
    public var code: String?
    /// The footprint: `.polygon` or `.multiPolygon`, lon/lat.
    public var footprint: Geometry
    /// Road name (路).
    public var road: String
    /// 弄 (lane) number, if any.
    public var lane: Int?
    /// 号 (house number), if any.
    public var number: Int?
    /// 幢 (building number in a compound), if any.
    public var block: Int?
    /// Floors above ground, if known (≥ 0).
    public var floors: Int?
    /// Height in metres, if known (≥ 0).
    public var heightMetres: Double?
    /// Use (住宅, 商业, 办公, …).
    public var use: String

    /// Creates a building; see ``AssetValidation`` for what is checked on import.
    public init(id: String, code: String? = nil, footprint: Geometry, road: String = "", lane: Int? = nil,
                number: Int? = nil, block: Int? = nil, floors: Int? = nil, heightMetres: Double? = nil, use: String = "") {
        self.id = id; self.code = code; self.footprint = footprint; self.road = road; self.lane = lane
        self.number = number; self.block = block; self.floors = floors; self.heightMetres = heightMetres; self.use = use
    }

    /// The address: road, then `N弄`, `N号`, `N幢` for the parts that are set.
    public var address: String {
        road + (lane.map { "\($0)弄" } ?? "") + (number.map { "\($0)号" } ?? "") + (block.map { "\($0)幢" } ?? "")
    }
}

/// An underground pipe segment.
public struct PipeAsset: Hashable, Sendable {
    /// Unique among pipes.
    public var id: String
    /// Optional 16-digit component (部件) code.
    public var code: String?
    /// The pipe's path: `.lineString` or `.multiLineString`, lon/lat.
    public var path: Geometry
    /// The network it belongs to.
    public var network: AssetPipeNetwork
    /// Nominal diameter in millimetres, if known (> 0).
    public var diameterMillimetres: Double?
    /// Depth of cover in metres, if known (≥ 0).
    public var depthMetres: Double?
    /// The owning utility.
    public var owner: String

    /// Creates a pipe.
    public init(id: String, code: String? = nil, path: Geometry, network: AssetPipeNetwork,
                diameterMillimetres: Double? = nil, depthMetres: Double? = nil, owner: String = "") {
        self.id = id; self.code = code; self.path = path; self.network = network
        self.diameterMillimetres = diameterMillimetres; self.depthMetres = depthMetres; self.owner = owner
    }
}

/// A video camera and its view sector.
///
/// The sector is the set of points `P` with distance(camera, P) ≤ ``rangeMetres`` and the
/// azimuth from the camera to `P` within ``heading`` ± ``fieldOfView``/2 (both ends inclusive),
/// azimuths measured clockwise from true north. A sector may cross north (heading 350°, fov 40°
/// covers 330°…10°). A field of view of 360° covers all azimuths. The camera's own position
/// (distance 0, no azimuth) is always seen, so a range of 0 sees exactly that point.
public struct CameraAsset: Hashable, Sendable {
    /// Unique among cameras.
    public var id: String
    /// Optional 16-digit component (部件) code.
    public var code: String?
    /// Display name.
    public var name: String
    /// Position, lon/lat.
    public var location: Coordinate
    /// View axis, degrees clockwise from true north, in [0, 360] (360 is north).
    public var heading: Double
    /// Field of view in degrees, in (0, 360].
    public var fieldOfView: Double
    /// Useful range in metres, ≥ 0.
    public var rangeMetres: Double
    /// Scenes it serves (道路交通, 治安防控, …).
    public var scenes: [String]
    /// Status (在线, 离线, 故障, …).
    public var status: String

    /// Creates a camera.
    public init(id: String, code: String? = nil, name: String = "", location: Coordinate, heading: Double,
                fieldOfView: Double, rangeMetres: Double, scenes: [String] = [], status: String = "") {
        self.id = id; self.code = code; self.name = name; self.location = location; self.heading = heading
        self.fieldOfView = fieldOfView; self.rangeMetres = rangeMetres; self.scenes = scenes; self.status = status
    }
}

/// A smart-city sensor.
public struct SensorAsset: Hashable, Sendable {
    /// Unique among sensors.
    public var id: String
    /// Optional 16-digit component (部件) code.
    public var code: String?
    /// Sensor type (`smoke`, `manhole_cover`, …), compared exactly.
    public var type: String
    /// Position, lon/lat.
    public var location: Coordinate
    /// Status (正常, 告警, 离线, …).
    public var status: String
    /// Time of the last reading as given (ISO 8601 text), if any.
    public var lastReading: String?

    /// Creates a sensor.
    public init(id: String, code: String? = nil, type: String, location: Coordinate, status: String = "",
                lastReading: String? = nil) {
        self.id = id; self.code = code; self.type = type; self.location = location; self.status = status
        self.lastReading = lastReading
    }
}

/// Any one asset.
public enum Asset: Hashable, Sendable {
    case building(BuildingAsset)
    case pipe(PipeAsset)
    case camera(CameraAsset)
    case sensor(SensorAsset)

    /// The asset's kind.
    public var kind: AssetKind {
        switch self {
        case .building: .building
        case .pipe: .pipe
        case .camera: .camera
        case .sensor: .sensor
        }
    }

    /// The asset's id (unique within its kind).
    public var id: String {
        switch self {
        case .building(let a): a.id
        case .pipe(let a): a.id
        case .camera(let a): a.id
        case .sensor(let a): a.id
        }
    }

    /// The asset's component code, if any.
    public var code: String? {
        switch self {
        case .building(let a): a.code
        case .pipe(let a): a.code
        case .camera(let a): a.code
        case .sensor(let a): a.code
        }
    }

    /// The asset's geometry in lon/lat.
    public var geometry: Geometry {
        switch self {
        case .building(let a): a.footprint
        case .pipe(let a): a.path
        case .camera(let a): .point(Point(a.location))
        case .sensor(let a): .point(Point(a.location))
        }
    }
}
