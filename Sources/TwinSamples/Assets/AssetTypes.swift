import TwinGeo

/// A building footprint: a small rotated rectangle inside a block, with a Shanghai-style address.
public struct Building: Hashable, Sendable {
    /// `B` + 6 digits.
    public var id: String
    /// 16-digit component code: 310107 + `05` (房屋土地) + `01` + 6-digit serial.
    public var code: String
    /// The footprint (closed, counter-clockwise rectangle).
    public var footprint: Polygon
    /// Road name, e.g. `长寿路`.
    public var road: String
    /// 弄 (lane) number.
    public var lane: Int
    /// 号 (house number) within the lane.
    public var number: Int
    /// 幢 (building number) for residential compounds, `nil` otherwise.
    public var block: Int?
    /// Floors above ground.
    public var floors: Int
    /// Height in metres.
    public var height: Double
    /// Use: 住宅, 商业, 办公, 工业, 公共服务, 教育, 医疗.
    public var use: String
    /// Year built.
    public var yearBuilt: Int
    /// Code of the unit grid cell the building stands in.
    public var unitCode: String

    /// `长寿路123弄4号` (+ `5幢` when ``block`` is set).
    public var address: String { "\(road)\(lane)弄\(number)号" + (block.map { "\($0)幢" } ?? "") }
}

/// The six underground pipe networks.
public enum PipeNetwork: String, CaseIterable, Sendable, Hashable {
    case waterSupply = "water_supply"
    case drainage
    case gas
    case power
    case telecom
    case heating

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

    /// 2-digit minor class in the `01` (公用设施) component codes.
    var minorClass: String {
        switch self {
        case .waterSupply: "01"
        case .drainage: "02"
        case .gas: "03"
        case .power: "04"
        case .telecom: "05"
        case .heating: "06"
        }
    }

    /// Share of road segments carrying the network (Shanghai has little district heating).
    var coverage: Double {
        switch self {
        case .waterSupply: 0.95
        case .drainage: 0.95
        case .gas: 0.8
        case .power: 0.85
        case .telecom: 0.9
        case .heating: 0.2
        }
    }

    /// Lateral offset from the road centreline in metres (positive: left of the digitising direction).
    var offset: Double {
        switch self {
        case .waterSupply: 3.5
        case .drainage: 0
        case .gas: -3.5
        case .power: 6
        case .telecom: -6
        case .heating: 1.5
        }
    }

    var diameters: [Int] {
        switch self {
        case .waterSupply: [100, 150, 200, 300, 500]
        case .drainage: [300, 400, 600, 800, 1200]
        case .gas: [100, 150, 200, 300]
        case .power: [150, 200]
        case .telecom: [100, 110]
        case .heating: [200, 300, 400]
        }
    }

    var materials: [String] {
        switch self {
        case .waterSupply: ["球墨铸铁", "钢管", "PE"]
        case .drainage: ["钢筋混凝土", "HDPE", "UPVC"]
        case .gas: ["钢管", "PE"]
        case .power: ["MPP", "CPVC"]
        case .telecom: ["PVC", "HDPE"]
        case .heating: ["预制保温钢管"]
        }
    }

    var depthRange: ClosedRange<Double> {
        switch self {
        case .waterSupply: 1.0...1.8
        case .drainage: 1.5...4.5
        case .gas: 0.9...1.5
        case .power: 0.7...1.5
        case .telecom: 0.6...1.2
        case .heating: 1.2...2.0
        }
    }
}

/// One pipe segment along a road.
public struct Pipe: Hashable, Sendable {
    /// `P` + 6 digits.
    public var id: String
    /// 16-digit component code: 310107 + `01` (公用设施) + network minor class + 6-digit serial.
    public var code: String
    public var network: PipeNetwork
    /// The pipe's path (lon/lat), offset from the road centreline by the network's lane.
    public var path: LineString
    public var road: String
    public var diameterMillimetres: Int
    public var depthMetres: Double
    public var material: String
    public var yearLaid: Int
    /// Length in metres (local metric frame).
    public var lengthMetres: Double
}

/// A video camera with its view sector.
public struct Camera: Hashable, Sendable {
    /// `C` + 6 digits.
    public var id: String
    /// 16-digit component code: 310107 + `02` (道路交通) + `16` + 6-digit serial.
    public var code: String
    public var name: String
    public var location: Coordinate
    /// Compass heading of the view axis, degrees clockwise from north, in [0, 360).
    public var heading: Double
    /// Field of view in degrees (360 for dome cameras).
    public var fieldOfView: Double
    /// Useful range in metres.
    public var rangeMetres: Double
    /// Scenes the camera serves (道路交通, 治安防控, …).
    public var scenes: [String]
    /// 在线, 离线 or 故障.
    public var status: String
}

/// Kinds of sensors (the "神经元" devices).
public enum SensorType: String, CaseIterable, Sendable, Hashable {
    case smoke
    case door
    case gas
    case electricalFire = "electrical_fire"
    case manholeCover = "manhole_cover"
    case waterLevel = "water_level"
    case noise
    case parking

    /// Chinese name.
    public var chineseName: String {
        switch self {
        case .smoke: "烟感"
        case .door: "门磁"
        case .gas: "燃气报警"
        case .electricalFire: "电气火灾"
        case .manholeCover: "井盖监测"
        case .waterLevel: "积水监测"
        case .noise: "噪声监测"
        case .parking: "地磁车位"
        }
    }

    /// Share of all sensors.
    var weight: Double {
        switch self {
        case .smoke: 0.30
        case .door: 0.15
        case .gas: 0.10
        case .electricalFire: 0.10
        case .manholeCover: 0.15
        case .waterLevel: 0.08
        case .noise: 0.05
        case .parking: 0.07
        }
    }

    /// Whether the sensor sits in a building (else by a road).
    var inBuilding: Bool { [.smoke, .door, .gas, .electricalFire].contains(self) }

    /// Major + minor class for sensors that are city components (部件); household devices have none.
    var componentClass: String? {
        switch self {
        case .manholeCover: "0107"
        case .waterLevel: "0121"
        case .noise: "0320"
        default: nil
        }
    }
}

/// A sensor.
public struct Sensor: Hashable, Sendable {
    /// `S` + 7 digits.
    public var id: String
    /// 16-digit component code for 部件 sensors (manhole cover, water level, noise), else `nil`.
    public var code: String?
    public var type: SensorType
    public var location: Coordinate
    /// 正常, 告警, 离线 or 故障.
    public var status: String
    /// Time of the last reading (ISO 8601, +08:00, in 2025).
    public var lastReading: String
}
