import TwinIndex

/// The assets of a twin (buildings, pipes, cameras, sensors) with one spatial index per kind,
/// answering queries in metres.
///
/// **Metres, exactly.** Positions are projected once, when the catalog is built, into a metric
/// CRS (``metricCRS``: CGCS2000 3-degree Gauss-Krüger EPSG:4549 by default, the projection of
/// Shanghai's survey data) with one PROJ batch call per kind. Every distance is then an exact
/// planar distance in that projection, which is within about 2.5e-4 of the geodesic distance
/// across western Shanghai (the GK scale error); never degrees taken as metres. Camera
/// headings are turned into grid bearings with the meridian convergence at each camera, so a
/// view sector is tested against the true azimuth.
///
/// **Indexes.** Each kind has a packed Hilbert R-tree (``DynamicRTree``, so updates are seen
/// by the next query), and cameras a second one over the boxes of their view sectors for
/// "which cameras see this point".
///
/// **Values.** A catalog is an immutable `Sendable` value: share it across threads. The
/// update methods (``add(_:)``, ``update(_:)``, ``retire(_:id:)``) are `mutating`: they change
/// only your copy, so a writer can prepare the next catalog while readers query the current
/// one. ``AssetStore`` does the same and writes each change to the twin file.
///
/// ```swift
/// let catalog = try AssetCatalog(cameras: cameras, sensors: sensors)
/// let near = try catalog.nearestCameras(to: Coordinate(121.40, 31.24), k: 10)
/// let seeing = try catalog.camerasSeeing(Coordinate(121.40, 31.24))
/// ```
public struct AssetCatalog: Sendable {
    /// The projected CRS all metric work happens in.
    public let metricCRS: CRS
    /// WGS84 lon/lat → ``metricCRS``.
    let toMetric: CoordinateTransform
    var buildings: AssetSlots<BuildingAsset, FootprintShape>
    var pipes: AssetSlots<PipeAsset, PathShape>
    var cameras: AssetSlots<CameraAsset, CameraShape>
    /// Boxes of the cameras' view sectors, with the same ids as `cameras.tree`.
    var coverage: DynamicRTree
    var sensors: AssetSlots<SensorAsset, PointShape>

    /// Builds a catalog, checking every asset (``AssetValidation``) and that ids are unique per kind.
    ///
    /// - Parameters:
    ///   - buildings: building footprints.
    ///   - pipes: pipe segments.
    ///   - cameras: cameras.
    ///   - sensors: sensors.
    ///   - metricCRS: the projected CRS to measure in (default EPSG:4549; use EPSG:4550 for
    ///     Pudong east of 121.5°E, or ``CRS/localMetric(longitude:latitude:)`` elsewhere).
    /// - Throws: ``AssetError`` naming the kind, the position in its array and the id of the
    ///   first bad or duplicate asset; `CRSError` when a position cannot be projected.
    /// - Complexity: O(n log n): one projection pass and one R-tree pack per kind.
    public init(buildings: [BuildingAsset] = [], pipes: [PipeAsset] = [], cameras: [CameraAsset] = [],
                sensors: [SensorAsset] = [], metricCRS: CRS = .epsg(4549)) throws {
        guard !metricCRS.isGeographicDegrees else {
            throw AssetError(.argument, "the metric CRS must be projected (metres), not \(metricCRS)")
        }
        self.metricCRS = metricCRS
        let toMetric = try CoordinateTransform(from: .wgs84, to: metricCRS)
        self.toMetric = toMetric
        try Self.checkAll(buildings.map(Asset.building), kind: .building)
        try Self.checkAll(pipes.map(Asset.pipe), kind: .pipe)
        try Self.checkAll(cameras.map(Asset.camera), kind: .camera)
        try Self.checkAll(sensors.map(Asset.sensor), kind: .sensor)

        let footprints = try Self.project(buildings.map { Self.rings(of: $0.footprint) }, with: toMetric)
        self.buildings = try AssetSlots(records: buildings, ids: buildings.map(\.id),
                                        shapes: footprints.map(FootprintShape.init(rings:)),
                                        boxes: footprints.map(MetricGeometry.box(of:)))
        let paths = try Self.project(pipes.map { Self.parts(of: $0.path) }, with: toMetric)
        self.pipes = try AssetSlots(records: pipes, ids: pipes.map(\.id), shapes: paths.map(PathShape.init(parts:)),
                                    boxes: paths.map(MetricGeometry.box(of:)))
        let cameraShapes = try Self.cameraShapes(cameras, with: toMetric)
        self.cameras = try AssetSlots(records: cameras, ids: cameras.map(\.id), shapes: cameraShapes,
                                      boxes: cameraShapes.map { IndexBox(x: $0.x, y: $0.y) })
        var coverageBuilder = try PackedRTree.Builder(capacity: cameraShapes.count)
        for shape in cameraShapes { _ = try coverageBuilder.add(MetricGeometry.sectorBox(shape)) }
        coverage = DynamicRTree(try coverageBuilder.finish())
        let sensorFlat = try Self.projectFlat(sensors.map(\.location), with: toMetric)
        let sensorPoints = sensors.indices.map { PointShape(x: sensorFlat[2 * $0], y: sensorFlat[2 * $0 + 1]) }
        self.sensors = try AssetSlots(records: sensors, ids: sensors.map(\.id), shapes: sensorPoints,
                                      boxes: sensorPoints.map { IndexBox(x: $0.x, y: $0.y) })
    }

    // MARK: Reading records

    /// The number of live assets of a kind.
    public func count(_ kind: AssetKind) -> Int {
        switch kind {
        case .building: buildings.count
        case .pipe: pipes.count
        case .camera: cameras.count
        case .sensor: sensors.count
        }
    }

    /// The asset of `kind` with this id, or `nil`.
    public func asset(_ kind: AssetKind, id: String) -> Asset? {
        switch kind {
        case .building: buildings.slotByID[id].flatMap { buildings.records[$0] }.map(Asset.building)
        case .pipe: pipes.slotByID[id].flatMap { pipes.records[$0] }.map(Asset.pipe)
        case .camera: cameras.slotByID[id].flatMap { cameras.records[$0] }.map(Asset.camera)
        case .sensor: sensors.slotByID[id].flatMap { sensors.records[$0] }.map(Asset.sensor)
        }
    }

    /// The building with this id, or `nil`.
    public func building(id: String) -> BuildingAsset? { buildings.slotByID[id].flatMap { buildings.records[$0] } }
    /// The pipe with this id, or `nil`.
    public func pipe(id: String) -> PipeAsset? { pipes.slotByID[id].flatMap { pipes.records[$0] } }
    /// The camera with this id, or `nil`.
    public func camera(id: String) -> CameraAsset? { cameras.slotByID[id].flatMap { cameras.records[$0] } }
    /// The sensor with this id, or `nil`.
    public func sensor(id: String) -> SensorAsset? { sensors.slotByID[id].flatMap { sensors.records[$0] } }

    /// Every live asset of a kind, in slot order (build order, then updates in order).
    public func assets(_ kind: AssetKind) -> [Asset] {
        switch kind {
        case .building: buildings.records.compactMap { $0.map(Asset.building) }
        case .pipe: pipes.records.compactMap { $0.map(Asset.pipe) }
        case .camera: cameras.records.compactMap { $0.map(Asset.camera) }
        case .sensor: sensors.records.compactMap { $0.map(Asset.sensor) }
        }
    }

    /// The id held by a slot (the integer handles the batch queries write), or `nil` for a
    /// retired or unknown slot.
    public func id(_ kind: AssetKind, slot: Int) -> String? {
        func live<R, S>(_ s: AssetSlots<R, S>) -> String? {
            slot >= 0 && slot < s.ids.count && s.records[slot] != nil ? s.ids[slot] : nil
        }
        switch kind {
        case .building: return live(buildings)
        case .pipe: return live(pipes)
        case .camera: return live(cameras)
        case .sensor: return live(sensors)
        }
    }

    // MARK: Building helpers

    static func checkAll(_ assets: [Asset], kind: AssetKind) throws {
        var seen = Set<String>()
        seen.reserveCapacity(assets.count)
        for (i, asset) in assets.enumerated() {
            do { try AssetValidation.check(asset) } catch {
                var e = error
                e.message = "\(kind) \(i) (id \(asset.id)): " + e.message
                throw e
            }
            guard seen.insert(asset.id).inserted else {
                throw AssetError(.format, "\(kind) \(i): duplicate id \(asset.id)", at: SourceLocation(field: "id"))
            }
        }
    }

    /// The rings of a footprint (every polygon's exterior and holes).
    static func rings(of g: Geometry) -> [[Coordinate]] {
        switch g {
        case .polygon(let p): p.rings
        case .multiPolygon(let m): m.polygons.flatMap(\.rings)
        default: []
        }
    }

    /// The parts of a path.
    static func parts(of g: Geometry) -> [[Coordinate]] {
        switch g {
        case .lineString(let l): [l.coordinates]
        case .multiLineString(let m): m.lineStrings.map(\.coordinates)
        default: []
        }
    }

    /// Projects every part of every item with one batch transform; returns flat xy arrays.
    static func project(_ items: [[[Coordinate]]], with t: CoordinateTransform) throws -> [[[Double]]] {
        var xs: [Double] = [], ys: [Double] = []
        for item in items { for part in item { for c in part { xs.append(c.x); ys.append(c.y) } } }
        try t.transform(xs: &xs, ys: &ys)
        var k = 0
        return items.map { item in
            item.map { part in
                var flat = [Double]()
                flat.reserveCapacity(part.count * 2)
                for _ in part { flat.append(xs[k]); flat.append(ys[k]); k += 1 }
                return flat
            }
        }
    }

    /// Projects one list of positions to one flat xy array.
    static func projectFlat(_ points: [Coordinate], with t: CoordinateTransform) throws -> [Double] {
        try project([[points]], with: t)[0][0]
    }

    /// Step north used to measure the meridian convergence (about 1.1 m).
    static let northStep = 1e-5

    /// Projects cameras and their grid headings (true heading + bearing of true north on the grid).
    static func cameraShapes(_ cameras: [CameraAsset], with t: CoordinateTransform) throws -> [CameraShape] {
        var points: [Coordinate] = []
        points.reserveCapacity(cameras.count * 2)
        for c in cameras {
            points.append(c.location)
            // Toward the pole; at a pole itself step the other way (the bearing is then 180°).
            let northY = c.location.y + northStep <= 90 ? c.location.y + northStep : c.location.y - northStep
            points.append(Coordinate(c.location.x, northY))
        }
        let flat = try projectFlat(points, with: t)
        return cameras.enumerated().map { i, c in
            let x = flat[4 * i], y = flat[4 * i + 1]
            var north = MetricGeometry.bearing(flat[4 * i + 2] - x, flat[4 * i + 3] - y)
            if c.location.y + northStep > 90 { north = (north + 180).truncatingRemainder(dividingBy: 360) }
            var heading = (c.heading + north).truncatingRemainder(dividingBy: 360)
            if heading < 0 { heading += 360 }
            return CameraShape(x: x, y: y, gridHeading: heading, halfFieldOfView: c.fieldOfView / 2, range: c.rangeMetres)
        }
    }

    // MARK: Query inputs

    /// Projects a query position given in `crs` into the metric CRS.
    func metric(_ c: Coordinate, crs: CRS) throws -> (x: Double, y: Double) {
        let p = try transform(from: crs).transform(c)
        return (p.x, p.y)
    }

    /// The transform from `crs` to the metric CRS (the stored one for WGS84/CGCS2000).
    func transform(from crs: CRS) throws -> CoordinateTransform {
        switch crs {
        case .wgs84, .cgcs2000: toMetric
        default: try CoordinateTransform(from: crs, to: metricCRS)
        }
    }

    /// Projects a query geometry given in `crs` into the metric CRS.
    func metric(_ g: Geometry, crs: CRS) throws -> Geometry {
        try transform(from: crs).transform(g)
    }
}
