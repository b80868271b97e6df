// The rules every asset obeys, checked in one place for every front end (import, updates, the
// twin file reader), so a catalog never holds a camera that looks backwards past 360° or a pipe
// with one vertex.

/// The rules an asset must satisfy to enter a catalog.
///
/// * `id`: not empty (uniqueness per kind is checked by the importer and the catalog).
/// * `code`: absent/empty, or a valid 16-digit ``ComponentCode``.
/// * Positions: finite lon/lat, longitude in [-180, 180], latitude in [-90, 90].
/// * Building: a non-empty `.polygon`/`.multiPolygon`, rings closed with ≥ 4 positions;
///   floors and height ≥ 0 when given.
/// * Pipe: a non-empty `.lineString`/`.multiLineString`, each part ≥ 2 positions; diameter > 0
///   and depth ≥ 0 when given.
/// * Camera: heading in [0, 360]; field of view in (0, 360]; range finite and ≥ 0.
/// * Sensor: a non-empty type.
public enum AssetValidation {
    /// Checks one asset.
    ///
    /// - Throws: ``AssetError`` (`.format`) naming the field (`location.field`) and the value.
    public static func check(_ asset: Asset) throws(AssetError) {
        guard !asset.id.isEmpty else { throw AssetError(.format, "the asset id is empty", at: field("id")) }
        if let code = asset.code, !code.isEmpty {
            do { _ = try ComponentCode(code) } catch {
                throw AssetError(.format, "bad component code: \(error.message)", at: field("code"))
            }
        }
        switch asset {
        case .building(let b):
            try checkFootprint(b.footprint)
            if let floors = b.floors, floors < 0 { throw AssetError(.format, "floors \(floors) is negative", at: field("floors")) }
            if let h = b.heightMetres, !(h >= 0 && h.isFinite) {
                throw AssetError(.format, "height \(h) m is not a finite non-negative number", at: field("height"))
            }
        case .pipe(let p):
            try checkPath(p.path)
            if let d = p.diameterMillimetres, !(d > 0 && d.isFinite) {
                throw AssetError(.format, "diameter \(d) mm is not a finite positive number", at: field("diameter_mm"))
            }
            if let d = p.depthMetres, !(d >= 0 && d.isFinite) {
                throw AssetError(.format, "depth \(d) m is not a finite non-negative number", at: field("depth_m"))
            }
        case .camera(let c):
            try checkPosition(c.location, field: "geometry")
            guard c.heading >= 0, c.heading <= 360 else {
                throw AssetError(.format, "heading \(c.heading)° is outside 0…360", at: field("heading"))
            }
            guard c.fieldOfView > 0, c.fieldOfView <= 360 else {
                throw AssetError(.format, "field of view \(c.fieldOfView)° is outside (0, 360]", at: field("fov"))
            }
            guard c.rangeMetres >= 0, c.rangeMetres.isFinite else {
                throw AssetError(.format, "range \(c.rangeMetres) m is negative or not finite", at: field("range_m"))
            }
        case .sensor(let s):
            try checkPosition(s.location, field: "geometry")
            guard !s.type.isEmpty else { throw AssetError(.format, "the sensor type is empty", at: field("type")) }
        }
    }

    private static func field(_ name: String) -> SourceLocation { SourceLocation(field: name) }

    private static func checkPosition(_ c: Coordinate, field name: String) throws(AssetError) {
        guard c.x.isFinite, c.y.isFinite, c.x >= -180, c.x <= 180, c.y >= -90, c.y <= 90 else {
            throw AssetError(.format, "position (\(c.x), \(c.y)) is not a finite lon/lat", at: field(name))
        }
    }

    private static func checkFootprint(_ g: Geometry) throws(AssetError) {
        let polygons: [Polygon]
        switch g {
        case .polygon(let p): polygons = [p]
        case .multiPolygon(let m): polygons = m.polygons
        default: throw AssetError(.format, "a building footprint must be a Polygon or MultiPolygon, not \(g.typeName)", at: field("geometry"))
        }
        guard !polygons.isEmpty, polygons.allSatisfy({ !$0.isEmpty }) else {
            throw AssetError(.format, "the footprint is empty", at: field("geometry"))
        }
        for (pi, polygon) in polygons.enumerated() {
            for (ri, ring) in polygon.rings.enumerated() {
                guard ring.count >= 4, ring.first == ring.last else {
                    throw AssetError(.format, "polygon \(pi) ring \(ri) is not closed or has fewer than 4 positions", at: field("geometry"))
                }
                for c in ring { try checkPosition(c, field: "geometry") }
            }
        }
    }

    private static func checkPath(_ g: Geometry) throws(AssetError) {
        let parts: [LineString]
        switch g {
        case .lineString(let l): parts = [l]
        case .multiLineString(let m): parts = m.lineStrings
        default: throw AssetError(.format, "a pipe path must be a LineString or MultiLineString, not \(g.typeName)", at: field("geometry"))
        }
        guard !parts.isEmpty else { throw AssetError(.format, "the pipe path is empty", at: field("geometry")) }
        for (i, part) in parts.enumerated() {
            guard part.coordinates.count >= 2 else {
                throw AssetError(.format, "pipe part \(i) has \(part.coordinates.count) position(s), needs ≥ 2", at: field("geometry"))
            }
            for c in part.coordinates { try checkPosition(c, field: "geometry") }
        }
    }
}
