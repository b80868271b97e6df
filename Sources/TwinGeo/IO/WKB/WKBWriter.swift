/// Writes a `Geometry` as 2D ISO Well-Known Binary (type codes 1–7) that `WKBReader`, GEOS,
/// GDAL and PostGIS read back to an equal value, bit for bit.
///
/// The empty point is written as `NaN NaN` (ISO / GEOS convention); every sub-geometry
/// repeats the writer's byte order.
public struct WKBWriter: Sendable {
    /// The byte order of the output (little-endian, NDR, by default: what x86 and ARM use).
    public var byteOrder: WKBByteOrder

    public init(byteOrder: WKBByteOrder = .littleEndian) { self.byteOrder = byteOrder }

    /// The WKB bytes of `geometry`.
    ///
    /// - Throws: `GeometryError` for a non-finite coordinate, an unclosed or short ring, or a
    ///   one-position line string.
    /// - Complexity: O(n) in the number of positions.
    public func write(_ geometry: Geometry) throws -> [UInt8] {
        try IOGeometryRules.checkWritable(geometry)
        var out: [UInt8] = []
        out.reserveCapacity(WKBWriter.size(of: geometry))
        append(geometry, to: &out)
        return out
    }

    /// The number of bytes `write` produces for `geometry`.
    static func size(of geometry: Geometry) -> Int {
        let header = 5
        switch geometry {
        case .point: return header + 16
        case .lineString(let l): return header + 4 + 16 * l.coordinates.count
        case .polygon(let p): return header + 4 + p.rings.reduce(0) { $0 + 4 + 16 * $1.count }
        case .multiPoint(let m): return header + 4 + m.points.count * (header + 16)
        case .multiLineString(let m): return header + 4 + m.lineStrings.reduce(0) { $0 + size(of: .lineString($1)) }
        case .multiPolygon(let m): return header + 4 + m.polygons.reduce(0) { $0 + size(of: .polygon($1)) }
        case .geometryCollection(let c): return header + 4 + c.geometries.reduce(0) { $0 + size(of: $1) }
        }
    }

    private func append(_ geometry: Geometry, to out: inout [UInt8]) {
        switch geometry {
        case .point(let p):
            header(WKBTypeCode.point, &out)
            point(p, &out)
        case .lineString(let l):
            header(WKBTypeCode.lineString, &out)
            coordinates(l.coordinates, &out)
        case .polygon(let p):
            header(WKBTypeCode.polygon, &out)
            polygonBody(p, &out)
        case .multiPoint(let m):
            header(WKBTypeCode.multiPoint, &out)
            uint32(UInt32(m.points.count), &out)
            for p in m.points { header(WKBTypeCode.point, &out); point(p, &out) }
        case .multiLineString(let m):
            header(WKBTypeCode.multiLineString, &out)
            uint32(UInt32(m.lineStrings.count), &out)
            for l in m.lineStrings { header(WKBTypeCode.lineString, &out); coordinates(l.coordinates, &out) }
        case .multiPolygon(let m):
            header(WKBTypeCode.multiPolygon, &out)
            uint32(UInt32(m.polygons.count), &out)
            for p in m.polygons { header(WKBTypeCode.polygon, &out); polygonBody(p, &out) }
        case .geometryCollection(let c):
            header(WKBTypeCode.geometryCollection, &out)
            uint32(UInt32(c.geometries.count), &out)
            for g in c.geometries { append(g, to: &out) }
        }
    }

    private func header(_ code: UInt32, _ out: inout [UInt8]) {
        out.append(byteOrder.rawValue)
        uint32(code, &out)
    }

    private func point(_ p: Point, _ out: inout [UInt8]) {
        if let c = p.coordinate {
            double(c.x.bitPattern, &out); double(c.y.bitPattern, &out)
        } else {
            double(WKBTypeCode.emptyPointNaNBits, &out); double(WKBTypeCode.emptyPointNaNBits, &out)
        }
    }

    private func polygonBody(_ p: Polygon, _ out: inout [UInt8]) {
        let rings = p.rings
        uint32(UInt32(rings.count), &out)
        for ring in rings { coordinates(ring, &out) }
    }

    private func coordinates(_ cs: [Coordinate], _ out: inout [UInt8]) {
        uint32(UInt32(cs.count), &out)
        for c in cs { double(c.x.bitPattern, &out); double(c.y.bitPattern, &out) }
    }

    private func uint32(_ v: UInt32, _ out: inout [UInt8]) {
        let bytes = byteOrder == .littleEndian ? v.littleEndian : v.bigEndian
        withUnsafeBytes(of: bytes) { out.append(contentsOf: $0) }
    }

    private func double(_ bits: UInt64, _ out: inout [UInt8]) {
        let bytes = byteOrder == .littleEndian ? bits.littleEndian : bits.bigEndian
        withUnsafeBytes(of: bytes) { out.append(contentsOf: $0) }
    }
}

extension Geometry {
    /// The ISO WKB bytes of this geometry; see `WKBWriter`.
    ///
    /// - Parameter byteOrder: little-endian by default.
    /// - Throws: `GeometryError` for a non-finite coordinate or a structure WKB readers refuse.
    public func wkb(byteOrder: WKBByteOrder = .littleEndian) throws -> [UInt8] {
        try WKBWriter(byteOrder: byteOrder).write(self)
    }
}
