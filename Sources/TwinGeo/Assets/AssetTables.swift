// The asset tables of the twin file: one GeoPackage feature table per kind (WGS84 lon/lat,
// srs_id 4326, an R*Tree index each, so QGIS and GDAL open them), with a unique index on
// `asset_id`. Footprints are stored as MULTIPOLYGON and paths as MULTILINESTRING; a one-part
// multi geometry reads back as the single type.
//
// | table | geometry | columns (after fid, geom) |
// |---|---|---|
// | asset_buildings | MULTIPOLYGON | asset_id, code, road, lane, number, block, floors, height_m, use |
// | asset_pipes | MULTILINESTRING | asset_id, code, network, diameter_mm, depth_m, owner |
// | asset_cameras | POINT | asset_id, code, name, heading, fov, range_m, scenes (JSON array), status |
// | asset_sensors | POINT | asset_id, code, type, status, last_reading |
enum AssetTables {
    static func geometryType(_ kind: AssetKind) -> GeoPackageGeometryType {
        switch kind {
        case .building: .multiPolygon
        case .pipe: .multiLineString
        case .camera, .sensor: .point
        }
    }

    static func columns(_ kind: AssetKind) -> [GeoPackageColumn] {
        let common = [GeoPackageColumn("asset_id", .text, notNull: true), GeoPackageColumn("code", .text)]
        switch kind {
        case .building:
            return common + [GeoPackageColumn("road", .text), GeoPackageColumn("lane", .integer),
                             GeoPackageColumn("number", .integer), GeoPackageColumn("block", .integer),
                             GeoPackageColumn("floors", .integer), GeoPackageColumn("height_m", .double),
                             GeoPackageColumn("use", .text)]
        case .pipe:
            return common + [GeoPackageColumn("network", .text, notNull: true), GeoPackageColumn("diameter_mm", .double),
                             GeoPackageColumn("depth_m", .double), GeoPackageColumn("owner", .text)]
        case .camera:
            return common + [GeoPackageColumn("name", .text), GeoPackageColumn("heading", .double, notNull: true),
                             GeoPackageColumn("fov", .double, notNull: true), GeoPackageColumn("range_m", .double, notNull: true),
                             GeoPackageColumn("scenes", .text), GeoPackageColumn("status", .text)]
        case .sensor:
            return common + [GeoPackageColumn("type", .text, notNull: true), GeoPackageColumn("status", .text),
                             GeoPackageColumn("last_reading", .text)]
        }
    }

    /// Creates the kind's table and its unique id index when missing (inside the caller's transaction).
    static func ensure(_ kind: AssetKind, in package: GeoPackage) throws {
        if try package.tableNames().contains(kind.tableName) { return }
        try package.createFeatureTable(name: kind.tableName, geometryType: geometryType(kind), srsID: 4326,
                                       columns: columns(kind), identifier: kind.tableName,
                                       description: "TwinGeo \(kind) assets")
        try package.database.execute(
            "CREATE UNIQUE INDEX \"\(kind.tableName)_asset_id\" ON \"\(kind.tableName)\" (asset_id)")
    }

    /// The row of an asset: its stored geometry and its values in ``columns(_:)`` order.
    static func row(_ asset: Asset) -> (geometry: Geometry, values: [SQLiteValue]) {
        func text(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
        func int(_ i: Int?) -> SQLiteValue { i.map { .integer(Int64($0)) } ?? .null }
        func real(_ d: Double?) -> SQLiteValue { d.map { .real($0) } ?? .null }
        let common: [SQLiteValue] = [.text(asset.id), text(asset.code)]
        switch asset {
        case .building(let b):
            let geometry: Geometry = if case .polygon(let p) = b.footprint { .multiPolygon(MultiPolygon([p])) } else { b.footprint }
            return (geometry, common + [text(b.road), int(b.lane), int(b.number), int(b.block), int(b.floors),
                                        real(b.heightMetres), text(b.use)])
        case .pipe(let p):
            let geometry: Geometry = if case .lineString(let l) = p.path { .multiLineString(MultiLineString([l])) } else { p.path }
            return (geometry, common + [.text(p.network.rawValue), real(p.diameterMillimetres), real(p.depthMetres), text(p.owner)])
        case .camera(let c):
            let scenes = JSONValue.array(c.scenes.map { .string($0) }).jsonText
            return (.point(Point(c.location)), common + [text(c.name), .real(c.heading), .real(c.fieldOfView),
                                                        .real(c.rangeMetres), .text(scenes), text(c.status)])
        case .sensor(let s):
            return (.point(Point(s.location)), common + [.text(s.type), text(s.status), text(s.lastReading)])
        }
    }

    /// The asset of a stored row (values in ``columns(_:)`` order).
    ///
    /// - Throws: ``AssetError`` naming the table, fid and column of a value of the wrong type.
    static func asset(_ kind: AssetKind, _ feature: GeoPackageFeature, file: String) throws -> Asset {
        let names = columns(kind).map(\.name)
        let place = SourceLocation(file: file, feature: Int(truncatingIfNeeded: feature.fid))
        func bad(_ i: Int, _ what: String) -> AssetError {
            var at = place
            at.field = names[i]
            return AssetError(.format, "table \(kind.tableName), fid \(feature.fid): \(names[i]) \(what)", at: at)
        }
        let v = feature.values
        guard v.count == names.count else { throw AssetError(.format, "table \(kind.tableName): unexpected columns", at: place) }
        func text(_ i: Int) throws -> String? {
            if v[i].isNull { return nil }
            guard let s = v[i].textValue else { throw bad(i, "is \(v[i].storageClass), not TEXT") }
            return s
        }
        func int(_ i: Int) throws -> Int? {
            if v[i].isNull { return nil }
            guard let n = v[i].integerValue else { throw bad(i, "is \(v[i].storageClass), not INTEGER") }
            return Int(n)
        }
        func real(_ i: Int) throws -> Double? {
            if v[i].isNull { return nil }
            guard let d = v[i].doubleValue else { throw bad(i, "is \(v[i].storageClass), not a number") }
            return d
        }
        guard let id = try text(0) else { throw bad(0, "is missing") }
        let code = try text(1)
        guard let stored = feature.geometry else {
            throw AssetError(.format, "table \(kind.tableName), fid \(feature.fid): no geometry", at: place)
        }
        switch kind {
        case .building:
            let footprint: Geometry = if case .multiPolygon(let m) = stored, m.polygons.count == 1 { .polygon(m.polygons[0]) } else { stored }
            return .building(BuildingAsset(id: id, code: code, footprint: footprint, road: try text(2) ?? "", lane: try int(3),
                                           number: try int(4), block: try int(5), floors: try int(6), heightMetres: try real(7),
                                           use: try text(8) ?? ""))
        case .pipe:
            let path: Geometry = if case .multiLineString(let m) = stored, m.lineStrings.count == 1 { .lineString(m.lineStrings[0]) } else { stored }
            guard let name = try text(2), let network = AssetPipeNetwork(name: name) else { throw bad(2, "is not a known network") }
            return .pipe(PipeAsset(id: id, code: code, path: path, network: network, diameterMillimetres: try real(3),
                                   depthMetres: try real(4), owner: try text(5) ?? ""))
        case .camera:
            guard case .point(let p) = stored, let c = p.coordinate else { throw bad(0, "has no point geometry") }
            guard let heading = try real(3), let fov = try real(4), let range = try real(5) else { throw bad(3, "is missing") }
            var scenes: [String] = []
            if let json = try text(6) {
                guard let items = (try? JSONValue(jsonText: json))?.arrayValue else { throw bad(6, "is not a JSON array") }
                scenes = items.compactMap(\.stringValue)
            }
            return .camera(CameraAsset(id: id, code: code, name: try text(2) ?? "", location: c, heading: heading,
                                       fieldOfView: fov, rangeMetres: range, scenes: scenes, status: try text(7) ?? ""))
        case .sensor:
            guard case .point(let p) = stored, let c = p.coordinate else { throw bad(0, "has no point geometry") }
            guard let type = try text(2) else { throw bad(2, "is missing") }
            return .sensor(SensorAsset(id: id, code: code, type: type, location: c, status: try text(3) ?? "",
                                       lastReading: try text(4)))
        }
    }

    /// Every stored asset of a kind, checked by ``AssetValidation`` (empty when the table is missing).
    static func read(_ kind: AssetKind, from package: GeoPackage) throws -> [Asset] {
        guard try package.tableNames().contains(kind.tableName) else { return [] }
        var out: [Asset] = []
        try package.forEachFeature(in: kind.tableName, columns: columns(kind).map(\.name)) { feature in
            let asset = try asset(kind, feature, file: package.path)
            do { try AssetValidation.check(asset) } catch let error as AssetError {
                throw error.placed(SourceLocation(file: package.path, feature: Int(truncatingIfNeeded: feature.fid)))
            }
            out.append(asset)
        }
        return out
    }

    /// Writes one asset row (inside the caller's transaction).
    static func insert(_ asset: Asset, into package: GeoPackage) throws {
        try ensure(asset.kind, in: package)
        let row = row(asset)
        try package.insertFeature(into: asset.kind.tableName, geometry: row.geometry, values: row.values)
    }

    /// Deletes the row of an asset; returns whether there was one.
    static func delete(_ kind: AssetKind, id: String, from package: GeoPackage) throws -> Bool {
        guard try package.tableNames().contains(kind.tableName) else { return false }
        try package.database.execute("DELETE FROM \"\(kind.tableName)\" WHERE asset_id = ?", [.text(id)])
        // changes() counts the statement's own rows, not the R*Tree triggers'.
        return (try package.database.scalar("SELECT changes()")?.integerValue ?? 0) > 0
    }
}
