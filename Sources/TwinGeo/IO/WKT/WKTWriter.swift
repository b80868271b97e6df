/// Writes a `Geometry` as OGC Well-Known Text that `WKTReader` reads back to an equal value.
///
/// Numbers are the shortest decimal text that round-trips exactly (`1`, `-0`, `0.1`,
/// `1e+20`, `5e-324`). Empty members are written as `EMPTY` in place
/// (`MULTIPOINT (EMPTY, (1 2))`), so the structure round-trips too. Multi-point members are
/// written in the parenthesised form `MULTIPOINT ((1 2), (3 4))`.
public struct WKTWriter: Sendable {
    public init() {}

    /// The WKT text of `geometry`.
    ///
    /// - Throws: `GeometryError` for a non-finite coordinate, an unclosed or short ring, or a
    ///   one-position line string: text that no WKT reader should accept is never produced.
    /// - Complexity: O(n) in the number of positions.
    public func write(_ geometry: Geometry) throws -> String {
        try IOGeometryRules.checkWritable(geometry)
        var out: [UInt8] = []
        WKTWriter.append(geometry, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func append(_ geometry: Geometry, to out: inout [UInt8]) {
        out.append(contentsOf: geometry.typeName.utf8)
        switch geometry {
        case .point(let p):
            if let c = p.coordinate { out.append(contentsOf: " (".utf8); position(c, &out); out.append(41) }
            else { empty(&out) }
        case .lineString(let l):
            out.append(32); positions(l.coordinates, &out)
        case .polygon(let p):
            out.append(32); polygon(p, &out)
        case .multiPoint(let m):
            if m.points.isEmpty { empty(&out); return }
            out.append(contentsOf: " (".utf8)
            for (i, p) in m.points.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                if let c = p.coordinate { out.append(40); position(c, &out); out.append(41) }
                else { out.append(contentsOf: "EMPTY".utf8) }
            }
            out.append(41)
        case .multiLineString(let m):
            if m.lineStrings.isEmpty { empty(&out); return }
            out.append(contentsOf: " (".utf8)
            for (i, l) in m.lineStrings.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                positions(l.coordinates, &out)
            }
            out.append(41)
        case .multiPolygon(let m):
            if m.polygons.isEmpty { empty(&out); return }
            out.append(contentsOf: " (".utf8)
            for (i, p) in m.polygons.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                polygon(p, &out)
            }
            out.append(41)
        case .geometryCollection(let c):
            if c.geometries.isEmpty { empty(&out); return }
            out.append(contentsOf: " (".utf8)
            for (i, g) in c.geometries.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                append(g, to: &out)
            }
            out.append(41)
        }
    }

    private static func empty(_ out: inout [UInt8]) { out.append(contentsOf: " EMPTY".utf8) }

    private static func position(_ c: Coordinate, _ out: inout [UInt8]) {
        IODecimal.append(c.x, to: &out)
        out.append(32)
        IODecimal.append(c.y, to: &out)
    }

    /// `EMPTY` or `(x y, x y, …)`.
    private static func positions(_ cs: [Coordinate], _ out: inout [UInt8]) {
        if cs.isEmpty { out.append(contentsOf: "EMPTY".utf8); return }
        out.append(40)
        for (i, c) in cs.enumerated() {
            if i > 0 { out.append(contentsOf: ", ".utf8) }
            position(c, &out)
        }
        out.append(41)
    }

    private static func polygon(_ p: Polygon, _ out: inout [UInt8]) {
        if p.isEmpty { out.append(contentsOf: "EMPTY".utf8); return }
        out.append(40)
        for (i, ring) in p.rings.enumerated() {
            if i > 0 { out.append(contentsOf: ", ".utf8) }
            positions(ring, &out)
        }
        out.append(41)
    }
}

extension Geometry {
    /// The Well-Known Text of this geometry; see `WKTWriter`.
    ///
    /// - Throws: `GeometryError` when the geometry has a non-finite coordinate or a structure
    ///   that WKT readers refuse (unclosed ring, one-position line string).
    public var wkt: String {
        get throws { try WKTWriter().write(self) }
    }
}
