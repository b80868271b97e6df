/// Turns parsed JSON into geometries and features, checking RFC 7946 structure.
///
/// Errors are `FormatError`s whose `field` is a path into the object
/// (`geometry.coordinates[0][3]`); the feature reader adds the file, feature index and byte
/// offset.
struct GeoJSONGeometryDecoder {
    let options: GeoJSONReadOptions

    static let geometryTypes = ["Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
                                "MultiPolygon", "GeometryCollection"]

    func fail(_ message: String, _ path: String) -> FormatError {
        FormatError("GeoJSON: \(message)", at: SourceLocation(field: path))
    }

    // MARK: Features

    /// Decodes a Feature object.
    func feature(_ object: JSONObject, path: String = "") throws -> GeoJSONFeature {
        let p = path.isEmpty ? "" : path + "."
        guard let type = object["type"] else { throw fail("a Feature needs a \"type\" member", p + "type") }
        guard type.stringValue == "Feature" else {
            throw fail("expected \"type\": \"Feature\", found \(describe(type))", p + "type")
        }
        if object["crs"] != nil {
            throw fail("a \"crs\" member on a feature is not supported: put it on the FeatureCollection", p + "crs")
        }
        var id: JSONValue?
        if let value = object["id"] {
            switch value {
            case .string, .number: id = value
            default: throw fail("a feature id must be a string or a number, found \(value.typeName)", p + "id")
            }
        }
        guard let geometryValue = object["geometry"] else {
            throw fail("a Feature needs a \"geometry\" member (null for none)", p + "geometry")
        }
        var geometry: Geometry?
        if geometryValue != .null { geometry = try self.geometry(geometryValue, path: p + "geometry", depth: 0) }
        var properties = JSONObject()
        switch object["properties"] {
        case nil, .null?: break
        case .object(let o)?: properties = o
        case let other?: throw fail("\"properties\" must be an object or null, found \(other.typeName)", p + "properties")
        }
        let box = try bbox(object["bbox"], path: p + "bbox")
        return GeoJSONFeature(id: id, geometry: geometry, properties: properties, bbox: box)
    }

    /// Decodes an optional `bbox` member: 4 numbers, or 6 with `dropZM`.
    func bbox(_ value: JSONValue?, path: String) throws -> BoundingBox? {
        guard let value else { return nil }
        guard case .array(let a) = value else { throw fail("\"bbox\" must be an array of numbers, found \(value.typeName)", path) }
        let numbers = try a.enumerated().map { i, v in
            guard let d = v.doubleValue else { throw fail("\"bbox\" must hold numbers, found \(v.typeName)", "\(path)[\(i)]") }
            return d
        }
        switch numbers.count {
        case 4: return BoundingBox(minX: numbers[0], minY: numbers[1], maxX: numbers[2], maxY: numbers[3])
        case 6:
            guard options.dropZM else {
                throw fail("\"bbox\" has 6 numbers (3D); TwinGeo is 2D: set dropZM = true to drop altitude", path)
            }
            return BoundingBox(minX: numbers[0], minY: numbers[1], maxX: numbers[3], maxY: numbers[4])
        default:
            throw fail("\"bbox\" must have 4 numbers (or 6 in 3D), found \(numbers.count)", path)
        }
    }

    // MARK: Geometries

    /// Decodes a geometry object.
    func geometry(_ value: JSONValue, path: String, depth: Int) throws -> Geometry {
        guard case .object(let object) = value else {
            throw fail("a geometry must be an object, found \(value.typeName)", path)
        }
        let p = path.isEmpty ? "" : path + "."
        guard let typeValue = object["type"] else { throw fail("a geometry needs a \"type\" member", p + "type") }
        guard let type = typeValue.stringValue, GeoJSONGeometryDecoder.geometryTypes.contains(type) else {
            throw fail("unknown geometry type \(describe(typeValue))", p + "type")
        }
        if object["crs"] != nil {
            throw fail("a \"crs\" member inside a geometry is not supported: put it on the top-level object", p + "crs")
        }
        if type == "GeometryCollection" {
            if depth >= IOGeometryRules.maxNestingDepth {
                throw fail("geometry collections nested deeper than \(IOGeometryRules.maxNestingDepth)", path)
            }
            guard let members = object["geometries"] else {
                throw fail("a GeometryCollection needs a \"geometries\" member", p + "geometries")
            }
            guard case .array(let items) = members else {
                throw fail("\"geometries\" must be an array, found \(members.typeName)", p + "geometries")
            }
            return .geometryCollection(GeometryCollection(try items.enumerated().map { i, item in
                try geometry(item, path: "\(p)geometries[\(i)]", depth: depth + 1)
            }))
        }
        guard let coordinates = object["coordinates"] else {
            throw fail("a \(type) needs a \"coordinates\" member", p + "coordinates")
        }
        let cp = p + "coordinates"
        switch type {
        case "Point":
            let items = try array(coordinates, cp, "a position (array of numbers)", type)
            return .point(items.isEmpty ? .empty : Point(try position(coordinates, cp, type)))
        case "LineString":
            return .lineString(LineString(try lineString(coordinates, cp, type)))
        case "Polygon":
            return .polygon(try polygon(coordinates, cp, type))
        case "MultiPoint":
            let items = try array(coordinates, cp, "an array of positions", type)
            return .multiPoint(MultiPoint(try items.enumerated().map { i, item in
                let ip = "\(cp)[\(i)]"
                // An empty position is an empty member point (how MULTIPOINT (EMPTY, …) is written).
                if case .array(let inner) = item, inner.isEmpty { return .empty }
                return Point(try position(item, ip, type))
            }))
        case "MultiLineString":
            let items = try array(coordinates, cp, "an array of line strings (arrays of positions)", type)
            return .multiLineString(MultiLineString(try items.enumerated().map { i, item in
                LineString(try lineString(item, "\(cp)[\(i)]", type))
            }))
        default: // MultiPolygon
            let items = try array(coordinates, cp, "an array of polygons (arrays of rings)", type)
            return .multiPolygon(MultiPolygon(try items.enumerated().map { i, item in
                try polygon(item, "\(cp)[\(i)]", type)
            }))
        }
    }

    private func array(_ value: JSONValue, _ path: String, _ expected: String, _ type: String) throws -> [JSONValue] {
        guard case .array(let items) = value else {
            throw fail("wrong nesting in \(type) coordinates: expected \(expected), found \(value.typeName)", path)
        }
        return items
    }

    /// An array that must hold positions: a bare position here means one array level is missing.
    private func positionList(_ value: JSONValue, _ path: String, _ expected: String, _ type: String) throws -> [JSONValue] {
        let items = try array(value, path, expected, type)
        if case .number? = items.first {
            throw fail("wrong nesting in \(type) coordinates: expected \(expected), found a position (one array level missing)", path)
        }
        return items
    }

    private func lineString(_ value: JSONValue, _ path: String, _ type: String) throws -> [Coordinate] {
        let items = try positionList(value, path, "an array of positions", type)
        let cs = try items.enumerated().map { i, item in try position(item, "\(path)[\(i)]", type) }
        if let problem = IOGeometryRules.lineStringProblem(cs) { throw fail(problem, path) }
        return cs
    }

    private func polygon(_ value: JSONValue, _ path: String, _ type: String) throws -> Polygon {
        let items = try array(value, path, "an array of rings (arrays of positions)", type)
        let rings = try items.enumerated().map { i, item in
            let rp = "\(path)[\(i)]"
            let ringItems = try positionList(item, rp, "a ring (array of positions)", type)
            let ring = try ringItems.enumerated().map { j, p in try position(p, "\(rp)[\(j)]", type) }
            if let problem = IOGeometryRules.ringProblem(ring) { throw fail(problem, rp) }
            return ring
        }
        guard let exterior = rings.first else { return .empty }
        return Polygon(exterior: exterior, holes: Array(rings.dropFirst()))
    }

    /// `[x, y]`, or `[x, y, z, …]` with `dropZM`.
    private func position(_ value: JSONValue, _ path: String, _ type: String) throws -> Coordinate {
        let items = try array(value, path, "a position (array of numbers)", type)
        var numbers: [Double] = []
        numbers.reserveCapacity(2)
        for (i, item) in items.enumerated() {
            guard case .number(let n) = item else {
                let nested = item.arrayValue != nil ? " (wrong nesting: one array level too deep)" : ""
                throw fail("a position must hold numbers, found \(item.typeName)\(nested) in \(type) coordinates", "\(path)[\(i)]")
            }
            if i < 2 { numbers.append(n.value) }
        }
        if items.count < 2 {
            throw fail("a position needs at least 2 numbers, found \(items.count)", path)
        }
        if items.count > 2 && !options.dropZM {
            throw fail("a position has \(items.count) numbers (altitude); TwinGeo is 2D: set dropZM = true to drop it", path)
        }
        return Coordinate(numbers[0], numbers[1])
    }

    func describe(_ v: JSONValue) -> String {
        if let s = v.stringValue { return "\"\(s)\"" }
        return "a \(v.typeName)"
    }
}
