/// The members of a GeoJSON geometry object as read, before its `type` (which may come last)
/// decides how to decode them.
struct GeoJSONGeometryParts {
    /// The JSON type of the value when it is not an object (an error to report).
    var notAnObject: String?
    var type: JSONValue?
    var coordinates: JSONNumericTree?
    var geometries: [GeoJSONGeometryParts]?
    /// The JSON type of `geometries` when it is not an array.
    var geometriesNotArray: String?
    var hasCRS = false
    /// Byte offset of the value, or -1 when unknown.
    var offset = -1

    init() {}

    /// The parts of an already parsed value.
    init(value: JSONValue) {
        guard case .object(let o) = value else { notAnObject = value.typeName; return }
        type = o["type"]
        coordinates = o["coordinates"].map(JSONNumericTree.init)
        if let g = o["geometries"] {
            if case .array(let items) = g { geometries = items.map(GeoJSONGeometryParts.init(value:)) }
            else { geometriesNotArray = g.typeName }
        }
        hasCRS = o["crs"] != nil
    }

    /// Reads one value from the stream; coordinates go straight into a `JSONNumericTree`.
    static func parse(_ parser: inout JSONStrictParser) throws -> GeoJSONGeometryParts {
        var parts = GeoJSONGeometryParts()
        guard let first = try parser.skipWhitespace() else { throw parser.error("unexpected end of input: expected a value") }
        parts.offset = parser.offset
        guard first == UInt8(ascii: "{") else {
            parts.notAnObject = try parser.parseValue().typeName
            return parts
        }
        try GeoJSONParts.members(&parser) { parser, key in
            switch key {
            case "type": parts.type = try parser.parseValue()
            case "coordinates":
                var tree = JSONNumericTree()
                try parser.parseNumericTree(into: &tree)
                parts.coordinates = tree
            case "geometries":
                (parts.geometries, parts.geometriesNotArray) = try parseGeometries(&parser)
            case "crs":
                parts.hasCRS = true
                try parser.skipValue()
            default:
                try parser.skipValue() // foreign members (and a geometry's own bbox) are not kept
            }
        }
        return parts
    }

    /// Reads a `geometries` value: the members' parts, or the JSON type when it is not an array.
    static func parseGeometries(_ parser: inout JSONStrictParser) throws -> ([GeoJSONGeometryParts]?, String?) {
        guard try parser.skipWhitespace() == UInt8(ascii: "[") else { return (nil, try parser.parseValue().typeName) }
        parser.advance()
        try parser.enter()
        var children: [GeoJSONGeometryParts] = []
        if try parser.skipWhitespace() == UInt8(ascii: "]") {
            parser.advance()
        } else {
            repeat { children.append(try parse(&parser)) } while try parser.arrayContinues()
        }
        parser.leave()
        return (children, nil)
    }

    /// Reads a Feature's `geometry` value: `nil` for `null`.
    static func parseOptional(_ parser: inout JSONStrictParser) throws -> GeoJSONGeometryParts? {
        if try parser.skipWhitespace() == UInt8(ascii: "n") {
            _ = try parser.parseLiteral() // only `null` starts with n
            return nil
        }
        return try parse(&parser)
    }
}

/// The members of a GeoJSON Feature as read.
struct GeoJSONFeatureParts {
    var notAnObject: String?
    var type: JSONValue?
    var id: JSONValue?
    /// Whether a `geometry` member is present (`geometry` is nil for `null`).
    var hasGeometry = false
    var geometry: GeoJSONGeometryParts?
    var properties: JSONValue?
    var bbox: JSONValue?
    var hasCRS = false

    init() {}

    /// The parts of an already parsed object.
    init(object o: JSONObject) {
        type = o["type"]
        id = o["id"]
        if let g = o["geometry"] {
            hasGeometry = true
            if g != .null { geometry = GeoJSONGeometryParts(value: g) }
        }
        properties = o["properties"]
        bbox = o["bbox"]
        hasCRS = o["crs"] != nil
    }

    /// Reads one feature value from the stream.
    static func parse(_ parser: inout JSONStrictParser) throws -> GeoJSONFeatureParts {
        var parts = GeoJSONFeatureParts()
        guard let first = try parser.skipWhitespace() else { throw parser.error("unexpected end of input: expected a feature") }
        guard first == UInt8(ascii: "{") else {
            parts.notAnObject = try parser.parseValue().typeName
            return parts
        }
        try GeoJSONParts.members(&parser) { parser, key in
            switch key {
            case "type": parts.type = try parser.parseValue()
            case "id": parts.id = try parser.parseValue()
            case "geometry":
                parts.hasGeometry = true
                parts.geometry = try GeoJSONGeometryParts.parseOptional(&parser)
            case "properties": parts.properties = try parser.parseValue()
            case "bbox": parts.bbox = try parser.parseValue()
            case "crs":
                parts.hasCRS = true
                try parser.skipValue()
            default:
                try parser.skipValue() // foreign members are not kept
            }
        }
        return parts
    }
}

enum GeoJSONParts {
    /// Walks the members of the object at `{`, refusing duplicate keys; `body` reads each value.
    static func members(_ parser: inout JSONStrictParser,
                        _ body: (inout JSONStrictParser, String) throws -> Void) throws {
        parser.advance()
        try parser.enter()
        defer { parser.leave() }
        if try parser.skipWhitespace() == UInt8(ascii: "}") { parser.advance(); return }
        var keys: [String] = []
        repeat {
            let keyOffset = try parser.positionOfString()
            let key = try parser.parseString()
            if keys.contains(key) { throw parser.error("duplicate key \"\(key)\"", at: keyOffset) }
            keys.append(key)
            try parser.expect(UInt8(ascii: ":"), "':' after an object key")
            try body(&parser, key)
        } while try parser.objectContinues()
    }
}
