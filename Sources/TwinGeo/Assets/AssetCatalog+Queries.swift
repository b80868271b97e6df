import TwinIndex

/// One asset found by a query, with its distance in metres from the query (0 for an asset
/// that contains or touches it).
public struct AssetHit: Hashable, Sendable, CustomStringConvertible {
    /// The asset's id.
    public var id: String
    /// Distance in metres in the catalog's metric CRS.
    public var distanceMetres: Double

    /// Creates a hit.
    public init(id: String, distanceMetres: Double) {
        self.id = id; self.distanceMetres = distanceMetres
    }

    public var description: String { "\(id) \(distanceMetres) m" }
}

// Queries by position. Every public form takes lon/lat (WGS84 by default, any `CRS`) and
// answers in metres; the `x:y:` forms take positions already in `metricCRS` and write slots
// into caller buffers, for hot loops (no allocation once the buffers and scratch are warm).
extension AssetCatalog {
    // MARK: Building at a point

    /// The building whose footprint contains a point.
    ///
    /// Boundary rule (the one of ``PartitionLocator``): a point on a wall shared by two
    /// buildings belongs to exactly one, the building west of the wall (above it for an east–west
    /// wall); a point on a wall of one building only belongs to that building. Where footprints
    /// overlap (bad data), the lowest slot wins.
    ///
    /// - Parameters:
    ///   - point: the position, in `crs`.
    ///   - crs: the CRS of `point` (default WGS84).
    /// - Returns: the building's id, or `nil` outside every footprint.
    /// - Throws: `CRSError` when the point cannot be projected (not finite, out of range).
    public func building(containing point: Coordinate, crs: CRS = .wgs84) throws -> String? {
        let p = try metric(point, crs: crs)
        let slot = buildingSlot(containingX: p.x, y: p.y, scratch: RTreeSearchScratch())
        return slot < 0 ? nil : buildings.ids[slot]
    }

    /// ``building(containing:crs:)`` for a point in ``metricCRS``: the building's slot, or -1.
    ///
    /// - Complexity: an R-tree stab plus one exact ring test per candidate footprint.
    public func buildingSlot(containingX x: Double, y: Double, scratch: RTreeSearchScratch) -> Int {
        guard x.isFinite, y.isFinite else { return -1 }
        var best = Int.max, onWall = Int.max
        buildings.tree.visit(intersecting: IndexBox(x: x, y: y), scratch: scratch) { slot in
            let rings = buildings.shapes[slot].rings
            if slot < best, MetricGeometry.halfOpenContains(rings, x, y) {
                best = slot
            } else if slot < onWall, MetricGeometry.onBoundary(rings, x, y) {
                onWall = slot
            }
            return true
        }
        if best != Int.max { return best }
        return onWall == Int.max ? -1 : onWall
    }

    // MARK: Within a distance, nearest

    /// The assets of a kind within `metres` of a point (inclusive), nearest first (ties by id).
    ///
    /// Distances are exact in the metric CRS: to the footprint (0 inside it), to the nearest
    /// segment of a pipe, to a camera's or sensor's position.
    ///
    /// - Parameters:
    ///   - kind: which assets.
    ///   - metres: the radius, ≥ 0.
    ///   - point: the centre, in `crs`.
    ///   - crs: the CRS of `point`.
    /// - Throws: ``AssetError`` (`.argument`) for a negative or non-finite radius; `CRSError`.
    public func assets(_ kind: AssetKind, within metres: Double, of point: Coordinate, crs: CRS = .wgs84) throws -> [AssetHit] {
        try checkDistance(metres)
        let p = try metric(point, crs: crs)
        var slots: [Int] = []
        let scratch = RTreeSearchScratch()
        let exact = { (slot: Int) in self.distance(kind, slot: slot, x: p.x, y: p.y) }
        tree(kind).search(within: metres, ofX: p.x, y: p.y, exactDistance: exact, into: &slots, scratch: scratch)
        return sortedHits(kind, slots.map { ($0, exact($0)) })
    }

    /// The buildings within `metres` of a point: ``assets(_:within:of:crs:)`` for buildings.
    public func buildings(within metres: Double, of point: Coordinate, crs: CRS = .wgs84) throws -> [AssetHit] {
        try assets(.building, within: metres, of: point, crs: crs)
    }

    /// The sensors within `metres` of a point, of one type when `type` is given, nearest first.
    public func sensors(within metres: Double, of point: Coordinate, type: String? = nil, crs: CRS = .wgs84) throws -> [AssetHit] {
        let hits = try assets(.sensor, within: metres, of: point, crs: crs)
        guard let type else { return hits }
        return hits.filter { sensor(id: $0.id)?.type == type }
    }

    /// The `k` assets of a kind nearest to a point, nearest first (ties by slot, i.e. build order).
    ///
    /// - Parameters:
    ///   - kind: which assets.
    ///   - point: the position, in `crs`.
    ///   - k: how many at most (≥ 0).
    ///   - maxDistance: only assets at most this far, in metres (inclusive).
    ///   - crs: the CRS of `point`.
    /// - Throws: ``AssetError`` (`.argument`) for a negative `k` or `maxDistance`; `CRSError`.
    public func nearest(_ kind: AssetKind, to point: Coordinate, k: Int, maxDistance: Double = .infinity,
                        crs: CRS = .wgs84) throws -> [AssetHit] {
        guard k >= 0 else { throw AssetError(.argument, "k must be ≥ 0, not \(k)") }
        guard maxDistance >= 0 else { throw AssetError(.argument, "maxDistance must be ≥ 0, not \(maxDistance)") }
        let p = try metric(point, crs: crs)
        var found: [RTreeNeighbor] = []
        let exact: ((Int) -> Double)? = kind == .building || kind == .pipe
            ? { self.distance(kind, slot: $0, x: p.x, y: p.y) } : nil
        tree(kind).nearest(toX: p.x, y: p.y, k: k, maxDistance: maxDistance, exactDistance: exact,
                           into: &found, scratch: RTreeSearchScratch())
        return found.map { AssetHit(id: ids(kind)[$0.item], distanceMetres: $0.distance) }
    }

    /// The `k` cameras nearest to a point: ``nearest(_:to:k:maxDistance:crs:)`` for cameras.
    public func nearestCameras(to point: Coordinate, k: Int = 10, maxDistance: Double = .infinity,
                               crs: CRS = .wgs84) throws -> [AssetHit] {
        try nearest(.camera, to: point, k: k, maxDistance: maxDistance, crs: crs)
    }

    /// The `k` cameras nearest to a point in ``metricCRS``: slots and exact distances in `results`,
    /// nearest first, ties by slot. Allocation-free once `results` and `scratch` are warm.
    public func nearestCameras(x: Double, y: Double, k: Int, maxDistance: Double = .infinity,
                               into results: inout [RTreeNeighbor], scratch: RTreeSearchScratch) {
        cameras.tree.nearest(toX: x, y: y, k: k, maxDistance: maxDistance, into: &results, scratch: scratch)
    }

    // MARK: Cameras that see a point

    /// The cameras whose view sector covers a point, nearest first (ties by id).
    ///
    /// A camera sees `P` when distance ≤ range and the azimuth to `P` is within heading ±
    /// fov/2, both inclusive; sectors may cross north; fov 360 sees all around; the camera's
    /// own position is always seen (so range 0 sees only that point). See ``CameraAsset``.
    ///
    /// - Throws: `CRSError` when the point cannot be projected.
    public func camerasSeeing(_ point: Coordinate, crs: CRS = .wgs84) throws -> [AssetHit] {
        let p = try metric(point, crs: crs)
        var found: [RTreeNeighbor] = []
        camerasSeeing(x: p.x, y: p.y, into: &found, scratch: RTreeSearchScratch())
        return sortedHits(.camera, found.map { ($0.item, $0.distance) })
    }

    /// ``camerasSeeing(_:crs:)`` for a point in ``metricCRS``: camera slots and distances in
    /// `results`, in R-tree order (unsorted).
    ///
    /// - Complexity: a stab of the sector-box R-tree plus one exact sector test per candidate.
    public func camerasSeeing(x: Double, y: Double, into results: inout [RTreeNeighbor], scratch: RTreeSearchScratch) {
        results.removeAll(keepingCapacity: true)
        guard x.isFinite, y.isFinite else { return }
        _ = cameras.shapes.withUnsafeBufferPointer { shapes in
            coverage.visit(intersecting: IndexBox(x: x, y: y), scratch: scratch) { slot in
                let c = shapes[slot]
                let test = MetricGeometry.sees(c, dx: x - c.x, dy: y - c.y)
                if test.seen { results.append(RTreeNeighbor(item: slot, distance: test.distance)) }
                return true
            }
        }
    }

    // MARK: Regions

    /// The assets of a kind that intersect a box given in `crs` (boundary included).
    ///
    /// The box's corners are projected and its edges taken as straight lines in ``metricCRS``;
    /// then this is ``assets(_:intersecting:crs:)``.
    ///
    /// - Throws: ``AssetError`` for an empty or non-finite box; `CRSError`.
    public func assets(_ kind: AssetKind, in box: BoundingBox, crs: CRS = .wgs84) throws -> [AssetHit] {
        guard !box.isEmpty, box.minX.isFinite, box.minY.isFinite, box.maxX.isFinite, box.maxY.isFinite else {
            throw AssetError(.argument, "the box \(box) is empty or not finite")
        }
        let ring = [Coordinate(box.minX, box.minY), Coordinate(box.maxX, box.minY), Coordinate(box.maxX, box.maxY),
                    Coordinate(box.minX, box.maxY), Coordinate(box.minX, box.minY)]
        return try assets(kind, intersecting: .polygon(Polygon(exterior: ring)), crs: crs)
    }

    /// The assets of a kind that intersect a polygon (touching counts), each at distance 0.
    ///
    /// Exact: orientation tests with exact signs on the metric coordinates, no GEOS per query.
    ///
    /// - Parameters:
    ///   - polygon: a `.polygon` or `.multiPolygon`, in `crs`.
    /// - Throws: ``AssetError`` for another geometry type or an empty one; `CRSError`.
    public func assets(_ kind: AssetKind, intersecting polygon: Geometry, crs: CRS = .wgs84) throws -> [AssetHit] {
        let rings = Self.rings(of: try metric(polygon, crs: crs)).map { $0.flatMap { [$0.x, $0.y] } }
        guard !rings.isEmpty else {
            throw AssetError(.argument, "the region must be a non-empty Polygon or MultiPolygon, not \(polygon.typeName)")
        }
        var slots: [Int] = []
        tree(kind).search(MetricGeometry.box(of: rings), into: &slots, scratch: RTreeSearchScratch())
        let hits = slots.filter { slot in
            switch kind {
            case .building: MetricGeometry.distance(footprint: rings, footprint: buildings.shapes[slot].rings) == 0
            case .pipe: MetricGeometry.distance(footprint: rings, toParts: pipes.shapes[slot].parts) == 0
            case .camera: MetricGeometry.closedContains(rings, cameras.shapes[slot].x, cameras.shapes[slot].y)
            case .sensor: MetricGeometry.closedContains(rings, sensors.shapes[slot].x, sensors.shapes[slot].y)
            }
        }
        return sortedHits(kind, hits.map { ($0, 0) })
    }

    /// The assets of a kind along a corridor: within `metres` of a line (the line buffered by
    /// `metres`, exactly, with round ends), nearest first with their distance to the line.
    ///
    /// - Parameters:
    ///   - line: a `.lineString` or `.multiLineString`, in `crs`.
    ///   - metres: the buffer distance (half the corridor's width), ≥ 0.
    /// - Throws: ``AssetError`` for another geometry type, an empty line or a bad distance; `CRSError`.
    public func assets(_ kind: AssetKind, alongCorridor line: Geometry, metres: Double, crs: CRS = .wgs84) throws -> [AssetHit] {
        try checkDistance(metres)
        let parts = Self.parts(of: try metric(line, crs: crs)).map { $0.flatMap { [$0.x, $0.y] } }
        guard !parts.isEmpty, parts.allSatisfy({ $0.count >= 2 }) else {
            throw AssetError(.argument, "the corridor must be a non-empty LineString or MultiLineString, not \(line.typeName)")
        }
        var box = MetricGeometry.box(of: parts)
        box = IndexBox(minX: box.minX - metres, minY: box.minY - metres, maxX: box.maxX + metres, maxY: box.maxY + metres)
        var slots: [Int] = []
        tree(kind).search(box, into: &slots, scratch: RTreeSearchScratch())
        var hits: [(Int, Double)] = []
        for slot in slots {
            let d: Double
            switch kind {
            case .building: d = MetricGeometry.distance(footprint: buildings.shapes[slot].rings, toParts: parts)
            case .pipe: d = MetricGeometry.distance(betweenParts: pipes.shapes[slot].parts, parts)
            case .camera: d = MetricGeometry.distance(cameras.shapes[slot].x, cameras.shapes[slot].y, toParts: parts)
            case .sensor: d = MetricGeometry.distance(sensors.shapes[slot].x, sensors.shapes[slot].y, toParts: parts)
            }
            if d <= metres { hits.append((slot, d)) }
        }
        return sortedHits(kind, hits)
    }

    // MARK: Helpers

    func checkDistance(_ metres: Double) throws {
        guard metres >= 0, metres.isFinite else {
            throw AssetError(.argument, "a distance must be finite and ≥ 0 m, not \(metres)")
        }
    }

    /// The R-tree of a kind (camera positions for cameras).
    func tree(_ kind: AssetKind) -> DynamicRTree {
        switch kind {
        case .building: buildings.tree
        case .pipe: pipes.tree
        case .camera: cameras.tree
        case .sensor: sensors.tree
        }
    }

    /// The ids by slot of a kind.
    func ids(_ kind: AssetKind) -> [String] {
        switch kind {
        case .building: buildings.ids
        case .pipe: pipes.ids
        case .camera: cameras.ids
        case .sensor: sensors.ids
        }
    }

    /// The exact metric distance from (x, y) to the asset in `slot`.
    func distance(_ kind: AssetKind, slot: Int, x: Double, y: Double) -> Double {
        switch kind {
        case .building: return MetricGeometry.distance(x, y, toFootprint: buildings.shapes[slot].rings)
        case .pipe: return MetricGeometry.distance(x, y, toParts: pipes.shapes[slot].parts)
        case .camera:
            let c = cameras.shapes[slot]
            return ((c.x - x) * (c.x - x) + (c.y - y) * (c.y - y)).squareRoot()
        case .sensor:
            let s = sensors.shapes[slot]
            return ((s.x - x) * (s.x - x) + (s.y - y) * (s.y - y)).squareRoot()
        }
    }

    /// Hits sorted by distance, then id.
    func sortedHits(_ kind: AssetKind, _ found: [(slot: Int, distance: Double)]) -> [AssetHit] {
        let names = ids(kind)
        return found.map { AssetHit(id: names[$0.slot], distanceMetres: $0.distance) }
            .sorted { ($0.distanceMetres, $0.id) < ($1.distanceMetres, $1.id) }
    }
}
