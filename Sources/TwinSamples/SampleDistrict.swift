import TwinGeo

/// A deterministic, Putuo-sized sample district (区划代码 310107): road blocks as unit grid
/// cells, the 街镇 → 管理片区 → 居村 → 单元网格 hierarchy, six misaligned department grids,
/// buildings, pipes, cameras, sensors, a year of events with documented bad rows, and the
/// dispatch rule table.
///
/// ```swift
/// let district = try SampleDistrict.generate(scale: 0.1)   // ~300 unit cells, for tests
/// try district.write(to: "/tmp/putuo")
/// ```
///
/// Everything follows from `(seed, configuration)`: same inputs, byte-identical files (on one
/// platform's libm). Coordinates are WGS84 lon/lat, rounded to 1e-8°.
///
/// **Layers are exact partitions.** Every polygon is traced from one shared planar subdivision
/// (the road lattice), so neighbours share their boundary vertices bit for bit, each level is
/// the exact union of the level below, and department layers — displaced by a smooth field of
/// 5–30 m, tapering to 0 on the district outline — still tile the district with no gap or
/// overlap while disagreeing with each other by a few metres (the slivers a merge must report).
///
/// **Sequence order** (unit-cell numbers, and the numbering of 片区, 居委, 村委 and department
/// cells): by row `⌊(31.30 − lat) / 0.00135⌋` of the representative point (rows ~150 m tall,
/// north first), then by longitude (west first), then latitude; see ``sequenceKey(_:)``.
public struct SampleDistrict: Sendable {
    /// GB/T 2260 code of 普陀区.
    public static let districtCode = "310107"
    /// The seed used when none is given.
    public static let defaultSeed: UInt64 = 310_107_2025
    /// The northern latitude rows are counted from.
    public static let sequenceRowOrigin = 31.30
    /// Height of one numbering row in degrees of latitude (≈ 150 m).
    public static let sequenceRowHeight = 0.00135

    /// The seed the district was generated from.
    public let seed: UInt64
    /// The counts it was generated with.
    public let configuration: SampleConfiguration
    /// The metric frame used for layout (and for converting metres to degrees).
    public let frame: LocalFrame
    /// The district's outline (the union of all unit cells).
    public let outline: Geometry
    /// 街镇, 片区, 居村 and unit-cell layers, in that order.
    public let hierarchy: [SampleLayer]
    /// The six department layers, in ``Department/allCases`` order.
    public let departments: [SampleLayer]
    /// Buildings.
    public let buildings: [Building]
    /// Pipe segments of the six networks.
    public let pipes: [Pipe]
    /// Cameras.
    public let cameras: [Camera]
    /// Sensors.
    public let sensors: [Sensor]
    /// Event rows in file order: the good rows with the bad rows interleaved, the broken-quote row last.
    public let events: [EventRow]
    /// Category → responsible department layer.
    public let dispatchRules: [DispatchRule]
    /// Roads, door-plates (one per building), 小区, POIs, aliases and the noisy event addresses.
    public let addressBook: AddressBook

    /// The hierarchy layer of `level`.
    public func layer(_ level: HierarchyLevel) -> SampleLayer { hierarchy[HierarchyLevel.allCases.firstIndex(of: level)!] }
    /// The layer of `department`.
    public func layer(_ department: Department) -> SampleLayer { departments[Department.allCases.firstIndex(of: department)!] }
    /// The unit grid cells (单元网格) in code order.
    public var unitCells: [SampleCell] { layer(.unit).cells }
    /// Every layer: hierarchy, then departments.
    public var layers: [SampleLayer] { hierarchy + departments }
    /// The bad event rows, in file order.
    public var badRows: [EventRow] { events.filter { $0.badKind != nil } }

    /// Generates a district of `scale` × Putuo's size.
    ///
    /// - Parameters:
    ///   - seed: the random seed (default ``defaultSeed``).
    ///   - scale: 1.0 is the full district (~2,900 unit cells); 0.1 is ~300 cells, fast enough
    ///     for debug tests; see ``SampleConfiguration/init(scale:)``.
    /// - Returns: the district in memory.
    /// - Throws: `GeometryError` when `scale` is not in 0.005…4.
    /// - Complexity: about linear in the number of blocks and assets; ~1 s for scale 1 in release.
    public static func generate(seed: UInt64 = defaultSeed, scale: Double = 1.0) throws -> SampleDistrict {
        try generate(seed: seed, configuration: SampleConfiguration(scale: scale))
    }

    /// Generates a district with explicit counts.
    ///
    /// - Throws: `GeometryError` when `configuration.scale` is not in 0.005…4 or a count is negative.
    public static func generate(seed: UInt64 = defaultSeed, configuration: SampleConfiguration) throws -> SampleDistrict {
        guard configuration.scale.isFinite, (0.005...4).contains(configuration.scale) else {
            throw GeometryError("sample district scale must be within 0.005…4, got \(configuration.scale)",
                                at: SourceLocation(field: "scale"))
        }
        let counts = [configuration.jiezhenCount, configuration.pianquCount, configuration.jucunCount,
                      configuration.buildingCount, configuration.cameraCount, configuration.sensorCount,
                      configuration.eventCount, configuration.badRowCount, configuration.eventAddressCount]
            + configuration.departmentCellCounts
        guard counts.allSatisfy({ $0 >= 0 }), configuration.departmentCellCounts.count == Department.allCases.count,
              configuration.jiezhenCount >= 1 else {
            throw GeometryError("sample district counts must be non-negative (and at least one 街镇, one count per department)",
                                at: SourceLocation(field: "configuration"))
        }
        return SampleDistrict(seed: seed, configuration: configuration)
    }

    private init(seed: UInt64, configuration: SampleConfiguration) {
        self.seed = seed
        self.configuration = configuration
        let rng = SplitMix64(seed: seed)
        let grid = DistrictGrid(configuration: configuration, rng: rng)
        frame = grid.frame
        outline = grid.outline
        hierarchy = grid.hierarchy
        departments = grid.departments
        let assets = AssetGenerator(grid: grid, configuration: configuration, rng: rng)
        buildings = assets.buildings()
        pipes = configuration.includePipes ? assets.pipes() : []
        cameras = assets.cameras()
        sensors = assets.sensors(buildings: buildings)
        var eventGenerator = EventGenerator(grid: grid, configuration: configuration, rng: rng.derived("events"))
        events = eventGenerator.rows()
        dispatchRules = DispatchRule.table
        // Its own random streams (addresses.*): adding the address book changed nothing above.
        addressBook = AddressBookGenerator(grid: grid, buildings: buildings, rng: rng)
            .book(eventAddressCount: configuration.eventAddressCount)
    }

    /// The sort key of the documented north→south, west→east order.
    ///
    /// - Returns: `(row, lon, lat)` with `row = ⌊(31.30 − lat) / 0.00135⌋`.
    public static func sequenceKey(_ p: Coordinate) -> (row: Int, lon: Double, lat: Double) {
        (Int(((sequenceRowOrigin - p.y) / sequenceRowHeight).rounded(.down)), p.x, p.y)
    }

    /// Indices of `points` sorted by ``sequenceKey(_:)`` (ties by index).
    public static func sequenceOrder(_ points: [Coordinate]) -> [Int] {
        let keys = points.map(sequenceKey)
        return points.indices.sorted {
            let a = keys[$0], b = keys[$1]
            if a.row != b.row { return a.row < b.row }
            if a.lon != b.lon { return a.lon < b.lon }
            if a.lat != b.lat { return a.lat > b.lat }
            return $0 < $1
        }
    }
}
