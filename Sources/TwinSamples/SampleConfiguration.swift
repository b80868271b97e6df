/// How big a sample district is: every count the generator targets.
///
/// ``init(scale:)`` derives all counts from one number (1.0 = Putuo's size); the fields can be
/// changed afterwards (the committed fixture uses ``fixture``). Counts are targets: the block
/// count follows from the area and the lattice, the rest are met exactly unless the district
/// is too small to hold them (a level never has more cells than the level below).
public struct SampleConfiguration: Sendable, Hashable {
    /// Linear size factor applied to the district's width and height is `scale.squareRoot()`,
    /// so the area, and the block count, scale with `scale`. Block sizes stay realistic
    /// (100–175 m), so a small district is a cut-out of the same kind of city, not a coarser one.
    public var scale: Double
    /// 街镇 (sub-districts and towns); the last two (one when fewer than 4) are 镇.
    public var jiezhenCount: Int
    /// 管理片区 across the district (each 街镇 has at least one).
    public var pianquCount: Int
    /// 居村 across the district (each 片区 has at least one).
    public var jucunCount: Int
    /// Cells per department layer, in ``Department/allCases`` order.
    public var departmentCellCounts: [Int]
    /// Buildings.
    public var buildingCount: Int
    /// Fraction of road segments that carry pipes is fixed per network; this scales nothing
    /// and is here so a caller can drop pipes entirely (`false`).
    public var includePipes: Bool
    /// Cameras.
    public var cameraCount: Int
    /// Sensors.
    public var sensorCount: Int
    /// Well-formed event rows.
    public var eventCount: Int
    /// Bad event rows (at least one of each ``BadRowKind``, the broken-quote row last).
    public var badRowCount: Int
    /// Noisy event addresses (`events/event_addresses.csv`), with ground truth.
    public var eventAddressCount: Int

    /// Counts for a district of `scale` × Putuo's size.
    ///
    /// At 1.0: ~55 km², ~2,900 unit cells, 10 街镇, 45 片区, 264 居村, six department layers of
    /// 90–600 cells, 10,000 buildings, 21,000 cameras, 110,000 sensors, 100,000 events and 300
    /// bad rows.
    /// - Parameter scale: 0.005…4; see ``scale``.
    public init(scale: Double) {
        self.scale = scale
        // Counts from a clamped copy, so that any Double gives a configuration without trapping;
        // `SampleDistrict.generate` refuses the out-of-range `scale` itself.
        let s = scale.isFinite ? min(max(scale, 0), 4) : 0
        jiezhenCount = min(10, max(2, Int((100 * s).rounded())))
        pianquCount = max(jiezhenCount, Int((45 * s.squareRoot()).rounded()))
        jucunCount = max(2 * pianquCount, Int((264 * s).rounded()))
        departmentCellCounts = Department.allCases.map { max(3, Int((Double($0.fullScaleCellCount) * s).rounded())) }
        buildingCount = Int((10_000 * s).rounded())
        includePipes = true
        cameraCount = Int((21_000 * s).rounded())
        sensorCount = Int((110_000 * s).rounded())
        eventCount = Int((100_000 * s).rounded())
        badRowCount = max(BadRowKind.allCases.count, Int((300 * s).rounded()))
        // ~20,000 from scale 0.1 up (enough for accuracy figures); fewer in tiny districts.
        eventAddressCount = min(20_000, max(200, Int((200_000 * s).rounded())))
    }

    /// The committed fixture (`samples/fixture/`): scale 0.02 (about 60 unit cells), 2 街镇,
    /// a handful of cells per layer, 37 good and 13 bad event rows (50), a few dozen assets,
    /// 120 event addresses.
    public static var fixture: SampleConfiguration {
        var c = SampleConfiguration(scale: 0.02)
        c.buildingCount = 40
        c.cameraCount = 30
        c.sensorCount = 60
        c.eventCount = 50 - BadRowKind.allCases.count
        c.badRowCount = BadRowKind.allCases.count
        c.eventAddressCount = 120
        return c
    }
}
