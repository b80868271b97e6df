/// Turns the parts of GeoJSON objects into geometries and features, checking RFC 7946
/// structure: member types, nesting depth of `coordinates` per geometry type, positions of 2
/// numbers (more only with `dropZM`), ring closure and sizes, line-string sizes.
///
/// Errors are `FormatError`s whose `field` is a path into the feature
/// (`geometry.coordinates[0][3]`) and whose `byteOffset` is that of the offending token when
/// it is known; the feature reader adds the file and feature index (and the feature's offset
/// when the token's is not known).
struct GeoJSONGeometryDecoder {
    let options: GeoJSONReadOptions

    static let geometryTypes = ["Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
                                "MultiPolygon", "GeometryCollection"]

    func fail(_ message: String, _ path: String, offset: Int = -1) -> FormatError {
        FormatError("GeoJSON: \(message)", at: SourceLocation(byteOffset: offset >= 0 ? offset : nil, field: path))
    }

    // MARK: Features

    func feature(_ parts: GeoJSONFeatureParts) throws -> GeoJSONFeature {
        if let t = parts.notAnObject { throw fail("a feature must be an object, found \(t)", "") }
        guard let type = parts.type else { throw fail("a Feature needs a \"type\" member", "type") }
        guard type.stringValue == "Feature" else {
            throw fail("expected \"type\": \"Feature\", found \(describe(type))", "type")
        }
        if parts.hasCRS {
            throw fail("a \"crs\" member on a feature is not supported: put it on the FeatureCollection", "crs")
        }
        if let id = parts.id {
            switch id {
            case .string, .number: break
            default: throw fail("a feature id must be a string or a number, found \(id.typeName)", "id")
            }
        }
        guard parts.hasGeometry else { throw fail("a Feature needs a \"geometry\" member (null for none)", "geometry") }
        let geometry = try parts.geometry.map { try self.geometry($0, path: "geometry", depth: 0) }
        var properties = JSONObject()
        switch parts.properties {
        case nil, .null?: break
        case .object(let o)?: properties = o
        case let other?: throw fail("\"properties\" must be an object or null, found \(other.typeName)", "properties")
        }
        return GeoJSONFeature(id: parts.id, geometry: geometry, properties: properties, bbox: try bbox(parts.bbox, path: "bbox"))
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

    func geometry(_ parts: GeoJSONGeometryParts, path: String, depth: Int) throws -> Geometry {
        if let t = parts.notAnObject { throw fail("a geometry must be an object, found \(t)", path, offset: parts.offset) }
        let p = path.isEmpty ? "" : path + "."
        guard let typeValue = parts.type else { throw fail("a geometry needs a \"type\" member", p + "type", offset: parts.offset) }
        guard let type = typeValue.stringValue, GeoJSONGeometryDecoder.geometryTypes.contains(type) else {
            throw fail("unknown geometry type \(describe(typeValue))", p + "type", offset: parts.offset)
        }
        if parts.hasCRS {
            throw fail("a \"crs\" member inside a geometry is not supported: put it on the top-level object", p + "crs", offset: parts.offset)
        }
        if type == "GeometryCollection" {
            if depth >= IOGeometryRules.maxNestingDepth {
                throw fail("geometry collections nested deeper than \(IOGeometryRules.maxNestingDepth)", path, offset: parts.offset)
            }
            if let t = parts.geometriesNotArray {
                throw fail("\"geometries\" must be an array, found \(t)", p + "geometries", offset: parts.offset)
            }
            guard let members = parts.geometries else {
                throw fail("a GeometryCollection needs a \"geometries\" member", p + "geometries", offset: parts.offset)
            }
            return .geometryCollection(GeometryCollection(try members.enumerated().map { i, member in
                try geometry(member, path: "\(p)geometries[\(i)]", depth: depth + 1)
            }))
        }
        guard let tree = parts.coordinates else {
            throw fail("a \(type) needs a \"coordinates\" member", p + "coordinates", offset: parts.offset)
        }
        var cursor = GeoJSONCoordinateCursor(tree: tree, base: p + "coordinates", type: type, decoder: self)
        return try cursor.decode()
    }

    func describe(_ v: JSONValue) -> String {
        if let s = v.stringValue { return "\"\(s)\"" }
        return "a \(v.typeName)"
    }
}

/// Walks the tokens of one `coordinates` member according to the geometry type, building
/// paths (`coordinates[2][0]`) only when there is an error to report.
struct GeoJSONCoordinateCursor {
    let tree: JSONNumericTree
    let base: String
    let type: String
    let decoder: GeoJSONGeometryDecoder
    private var i = 0
    /// The index in each enclosing array, for the error path.
    private var indices: [Int] = []

    init(tree: JSONNumericTree, base: String, type: String, decoder: GeoJSONGeometryDecoder) {
        self.tree = tree
        self.base = base
        self.type = type
        self.decoder = decoder
    }

    mutating func decode() throws -> Geometry {
        switch type {
        case "Point":
            return .point(try isEmptyArray() ? .empty : Point(try position()))
        case "LineString":
            return .lineString(LineString(try lineString()))
        case "Polygon":
            return .polygon(try polygon())
        case "MultiPoint":
            try open("an array of positions")
            try refuseBarePosition("an array of positions")
            var points: [Point] = []
            while !atClose {
                indices.append(points.count)
                // An empty position is an empty member point (how MULTIPOINT (EMPTY, …) is written).
                points.append(try isEmptyArray() ? .empty : Point(try position()))
                indices.removeLast()
            }
            i += 1
            return .multiPoint(MultiPoint(points))
        case "MultiLineString":
            try open("an array of line strings (arrays of positions)")
            var lines: [LineString] = []
            while !atClose {
                indices.append(lines.count)
                lines.append(LineString(try lineString()))
                indices.removeLast()
            }
            i += 1
            return .multiLineString(MultiLineString(lines))
        default: // MultiPolygon
            try open("an array of polygons (arrays of rings)")
            var polygons: [Polygon] = []
            while !atClose {
                indices.append(polygons.count)
                polygons.append(try polygon())
                indices.removeLast()
            }
            i += 1
            return .multiPolygon(MultiPolygon(polygons))
        }
    }

    private var path: String { base + indices.map { "[\($0)]" }.joined() }
    private var offset: Int { i < tree.count ? tree.offsets[i] : -1 }
    private var atClose: Bool { tree.kinds[i] == .close }

    /// Consumes `[]` if it is next.
    private mutating func isEmptyArray() throws -> Bool {
        guard tree.kinds[i] == .open, tree.kinds[i + 1] == .close else { return false }
        i += 2
        return true
    }

    private mutating func open(_ expected: String) throws {
        guard tree.kinds[i] == .open else {
            throw decoder.fail("wrong nesting in \(type) coordinates: expected \(expected), found \(tree.kinds[i].typeName)",
                               path, offset: offset)
        }
        i += 1
    }

    /// After `[`: a number here means the array holds a position where positions were expected.
    private func refuseBarePosition(_ expected: String) throws {
        if tree.kinds[i] == .number {
            throw decoder.fail("wrong nesting in \(type) coordinates: expected \(expected), found a position (one array level missing)",
                               path, offset: tree.offsets[i - 1])
        }
    }

    /// `[x, y]`, or `[x, y, z, …]` with `dropZM`.
    private mutating func position() throws -> Coordinate {
        let start = offset
        try open("a position (array of numbers)")
        var x = 0.0, y = 0.0, n = 0
        while !atClose {
            guard tree.kinds[i] == .number else {
                let nested = tree.kinds[i] == .open ? " (wrong nesting: one array level too deep)" : ""
                indices.append(n)
                defer { indices.removeLast() }
                throw decoder.fail("a position must hold numbers, found \(tree.kinds[i].typeName)\(nested) in \(type) coordinates",
                                   path, offset: offset)
            }
            if n == 0 { x = tree.numbers[i] } else if n == 1 { y = tree.numbers[i] }
            n += 1
            i += 1
        }
        i += 1
        if n < 2 { throw decoder.fail("a position needs at least 2 numbers, found \(n)", path, offset: start) }
        if n > 2 && !decoder.options.dropZM {
            throw decoder.fail("a position has \(n) numbers (altitude); TwinGeo is 2D: set dropZM = true to drop it", path, offset: start)
        }
        return Coordinate(x, y)
    }

    /// `[position, …]` as a line string or ring body.
    private mutating func positions(_ expected: String) throws -> [Coordinate] {
        try open(expected)
        try refuseBarePosition(expected)
        var cs: [Coordinate] = []
        while !atClose {
            indices.append(cs.count)
            cs.append(try position())
            indices.removeLast()
        }
        i += 1
        return cs
    }

    private mutating func lineString() throws -> [Coordinate] {
        let start = offset
        let cs = try positions("an array of positions")
        if let problem = IOGeometryRules.lineStringProblem(cs) { throw decoder.fail(problem, path, offset: start) }
        return cs
    }

    private mutating func polygon() throws -> Polygon {
        try open("an array of rings (arrays of positions)")
        var rings: [[Coordinate]] = []
        while !atClose {
            indices.append(rings.count)
            let start = offset
            let ring = try positions("a ring (array of positions)")
            if let problem = IOGeometryRules.ringProblem(ring) { throw decoder.fail(problem, path, offset: start) }
            rings.append(ring)
            indices.removeLast()
        }
        i += 1
        guard let exterior = rings.first else { return .empty }
        return Polygon(exterior: exterior, holes: Array(rings.dropFirst()))
    }
}
