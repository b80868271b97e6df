/// Writes geometries as RFC 7946 geometry objects.
///
/// Empty geometries keep their type with empty coordinates (`{"type":"Point","coordinates":[]}`),
/// and an empty member point of a multi-point is an empty position (`[]`), so every
/// `Geometry` value round-trips through `GeoJSONFeatureReader`. Ring orientation is written
/// as stored.
enum GeoJSONGeometryEncoder {
    static func append(_ geometry: Geometry, to out: inout [UInt8]) {
        func type(_ name: String) {
            out.append(contentsOf: "{\"type\":\"\(name)\",".utf8)
        }
        switch geometry {
        case .point(let p):
            type("Point")
            out.append(contentsOf: "\"coordinates\":".utf8)
            point(p, &out)
        case .lineString(let l):
            type("LineString")
            out.append(contentsOf: "\"coordinates\":".utf8)
            positions(l.coordinates, &out)
        case .polygon(let p):
            type("Polygon")
            out.append(contentsOf: "\"coordinates\":".utf8)
            polygon(p, &out)
        case .multiPoint(let m):
            type("MultiPoint")
            out.append(contentsOf: "\"coordinates\":[".utf8)
            for (i, p) in m.points.enumerated() {
                if i > 0 { out.append(44) }
                point(p, &out)
            }
            out.append(93)
        case .multiLineString(let m):
            type("MultiLineString")
            out.append(contentsOf: "\"coordinates\":[".utf8)
            for (i, l) in m.lineStrings.enumerated() {
                if i > 0 { out.append(44) }
                positions(l.coordinates, &out)
            }
            out.append(93)
        case .multiPolygon(let m):
            type("MultiPolygon")
            out.append(contentsOf: "\"coordinates\":[".utf8)
            for (i, p) in m.polygons.enumerated() {
                if i > 0 { out.append(44) }
                polygon(p, &out)
            }
            out.append(93)
        case .geometryCollection(let c):
            type("GeometryCollection")
            out.append(contentsOf: "\"geometries\":[".utf8)
            for (i, g) in c.geometries.enumerated() {
                if i > 0 { out.append(44) }
                append(g, to: &out)
            }
            out.append(93)
        }
        out.append(125)
    }

    static func bbox(_ box: BoundingBox, to out: inout [UInt8]) {
        out.append(91)
        IODecimal.appendJSON(box.minX, to: &out); out.append(44)
        IODecimal.appendJSON(box.minY, to: &out); out.append(44)
        IODecimal.appendJSON(box.maxX, to: &out); out.append(44)
        IODecimal.appendJSON(box.maxY, to: &out)
        out.append(93)
    }

    private static func point(_ p: Point, _ out: inout [UInt8]) {
        if let c = p.coordinate { position(c, &out) } else { out.append(contentsOf: "[]".utf8) }
    }

    private static func position(_ c: Coordinate, _ out: inout [UInt8]) {
        out.append(91)
        IODecimal.appendJSON(c.x, to: &out)
        out.append(44)
        IODecimal.appendJSON(c.y, to: &out)
        out.append(93)
    }

    private static func positions(_ cs: [Coordinate], _ out: inout [UInt8]) {
        out.append(91)
        for (i, c) in cs.enumerated() {
            if i > 0 { out.append(44) }
            position(c, &out)
        }
        out.append(93)
    }

    private static func polygon(_ p: Polygon, _ out: inout [UInt8]) {
        out.append(91)
        for (i, ring) in p.rings.enumerated() {
            if i > 0 { out.append(44) }
            positions(ring, &out)
        }
        out.append(93)
    }
}

extension Geometry {
    /// This geometry as an RFC 7946 geometry object (compact JSON).
    ///
    /// - Throws: `GeometryError` for a non-finite coordinate (JSON has no NaN or infinity) or
    ///   a structure GeoJSON readers refuse (unclosed ring, one-position line string).
    public var geoJSON: String {
        get throws {
            try IOGeometryRules.checkWritable(self)
            var out: [UInt8] = []
            GeoJSONGeometryEncoder.append(self, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }
}
