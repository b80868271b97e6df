import TwinIndex

// Runtime updates: each is checked and projected before anything changes, so a refused update
// leaves the catalog as it was; an accepted one is seen by the very next query (DynamicRTree).
extension AssetCatalog {
    /// Adds an asset.
    ///
    /// - Throws: ``AssetError``: `.format` when the asset breaks a rule of ``AssetValidation``,
    ///   `.argument` when its kind already has this id; `CRSError` when it cannot be projected.
    ///   The catalog is unchanged then.
    /// - Complexity: amortized O(1) plus the projection; queries scan pending additions linearly
    ///   until the tree is repacked (automatically past 256 pending).
    public mutating func add(_ asset: Asset) throws {
        try AssetValidation.check(asset)
        guard self.asset(asset.kind, id: asset.id) == nil else {
            throw AssetError(.argument, "\(asset.kind) \(asset.id) already exists; use update to change it",
                             at: SourceLocation(field: "id"))
        }
        try insert(asset)
    }

    /// Replaces the asset of the same kind and id (a moved camera, a re-surveyed footprint, a
    /// new status).
    ///
    /// - Throws: ``AssetError``: `.notFound` when there is no such asset, `.format` for a bad
    ///   asset; `CRSError`. The catalog is unchanged then.
    public mutating func update(_ asset: Asset) throws {
        try AssetValidation.check(asset)
        guard self.asset(asset.kind, id: asset.id) != nil else {
            throw AssetError(.notFound, "there is no \(asset.kind) \(asset.id) to update", at: SourceLocation(field: "id"))
        }
        var copy = self  // project and insert into a copy first: a failure leaves self as it was
        _ = try copy.retireSlot(asset.kind, id: asset.id)
        try copy.insert(asset)
        self = copy
    }

    /// Moves a point asset (camera or sensor) to a new lon/lat, keeping everything else.
    ///
    /// - Throws: ``AssetError`` `.notFound` for an unknown id, `.argument` for buildings and
    ///   pipes (use ``update(_:)`` with the new geometry); `CRSError`.
    public mutating func move(_ kind: AssetKind, id: String, to location: Coordinate, crs: CRS = .wgs84) throws {
        let wgs84 = try CoordinateTransform(from: crs, to: .wgs84).transform(location)
        switch asset(kind, id: id) {
        case .camera(var c)?: c.location = wgs84; try update(.camera(c))
        case .sensor(var s)?: s.location = wgs84; try update(.sensor(s))
        case nil: throw AssetError(.notFound, "there is no \(kind) \(id) to move", at: SourceLocation(field: "id"))
        default: throw AssetError(.argument, "only cameras and sensors move to a point; update the \(kind)'s geometry instead")
        }
    }

    /// Retires an asset: no later query finds it.
    ///
    /// - Throws: ``AssetError`` `.notFound` when there is no such asset.
    public mutating func retire(_ kind: AssetKind, id: String) throws {
        guard try retireSlot(kind, id: id) != nil else {
            throw AssetError(.notFound, "there is no \(kind) \(id) to retire", at: SourceLocation(field: "id"))
        }
    }

    /// Packs every kind's R-tree again (after many updates; also done automatically past 256
    /// pending additions per kind).
    public mutating func compact() {
        buildings.tree = buildings.tree.rebuilt()
        pipes.tree = pipes.tree.rebuilt()
        cameras.tree = cameras.tree.rebuilt()
        coverage = coverage.rebuilt()
        sensors.tree = sensors.tree.rebuilt()
    }

    private mutating func retireSlot(_ kind: AssetKind, id: String) throws -> Int? {
        switch kind {
        case .building: return try buildings.retire(id: id)
        case .pipe: return try pipes.retire(id: id)
        case .sensor: return try sensors.retire(id: id)
        case .camera:
            guard let slot = try cameras.retire(id: id) else { return nil }
            _ = try coverage.retire(slot)
            return slot
        }
    }

    /// Projects and inserts an asset that passed the checks (its id is free).
    private mutating func insert(_ asset: Asset) throws {
        switch asset {
        case .building(let b):
            let rings = try Self.project([Self.rings(of: b.footprint)], with: toMetric)[0]
            _ = try buildings.insert(b, id: b.id, shape: FootprintShape(rings: rings), box: MetricGeometry.box(of: rings))
            buildings.compactIfNeeded()
        case .pipe(let p):
            let parts = try Self.project([Self.parts(of: p.path)], with: toMetric)[0]
            _ = try pipes.insert(p, id: p.id, shape: PathShape(parts: parts), box: MetricGeometry.box(of: parts))
            pipes.compactIfNeeded()
        case .camera(let c):
            let shape = try Self.cameraShapes([c], with: toMetric)[0]
            // Both trees are updated in place: inserting into copies of them (all or nothing) made
            // every insert copy every camera, O(n²) over an import. All or nothing still holds:
            // the boxes are checked first, so neither insert below can refuse its box, and the
            // two trees hand out the same next id.
            let point = IndexBox(x: shape.x, y: shape.y), sector = MetricGeometry.sectorBox(shape)
            guard [sector.minX, sector.minY, sector.maxX, sector.maxY].allSatisfy(\.isFinite) else {
                throw AssetError(.format, "camera \(c.id): its view sector has no finite extent in metres",
                                 at: SourceLocation(field: "range_m"))
            }
            let slot = try cameras.insert(c, id: c.id, shape: shape, box: point)
            let coverageSlot: Int
            do { coverageSlot = try coverage.insert(sector) } catch {
                preconditionFailure("camera \(c.id): coverage insert failed after its checks: \(error)")  // internal invariant
            }
            precondition(slot == coverageSlot, "camera and coverage R-tree ids out of step")  // internal invariant
            cameras.compactIfNeeded()
            if coverage.pendingCount > 256 { coverage = coverage.rebuilt() }
        case .sensor(let s):
            let flat = try Self.projectFlat([s.location], with: toMetric)
            let shape = PointShape(x: flat[0], y: flat[1])
            _ = try sensors.insert(s, id: s.id, shape: shape, box: IndexBox(x: shape.x, y: shape.y))
            sensors.compactIfNeeded()
        }
    }
}
