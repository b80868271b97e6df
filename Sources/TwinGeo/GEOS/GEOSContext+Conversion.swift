import CGEOS

// Geometry ⇄ GEOS through coordinate sequences (never through WKT/WKB text): exact doubles both
// ways, no parsing, and no dependency on the IO module.

extension GEOSContext {
    // MARK: Swift → GEOS

    /// A new GEOS geometry equal to `geometry`, owned by the returned handle.
    ///
    /// - Parameter path: how to name this geometry in error messages (e.g. `"geometry"`).
    /// - Throws: `GeometryError` naming the part and position for non-finite coordinates,
    ///   one-position linestrings, unclosed or too-short rings, or a GEOS failure.
    func makeGEOS(_ geometry: Geometry, path: String = "geometry") throws -> GEOSGeometryHandle {
        switch geometry {
        case .point(let p):
            return try makePoint(p, path: path)
        case .lineString(let l):
            return try makeLineString(l.coordinates, path: path)
        case .polygon(let p):
            return try makePolygon(p, path: path)
        case .multiPoint(let m):
            let parts = try m.points.enumerated().map { try makePoint($0.element, path: "\(path), point \($0.offset)") }
            return try makeCollection(GEOS_MULTIPOINT, parts, path: path)
        case .multiLineString(let m):
            let parts = try m.lineStrings.enumerated().map {
                try makeLineString($0.element.coordinates, path: "\(path), linestring \($0.offset)")
            }
            return try makeCollection(GEOS_MULTILINESTRING, parts, path: path)
        case .multiPolygon(let m):
            let parts = try m.polygons.enumerated().map { try makePolygon($0.element, path: "\(path), polygon \($0.offset)") }
            return try makeCollection(GEOS_MULTIPOLYGON, parts, path: path)
        case .geometryCollection(let c):
            let parts = try c.geometries.enumerated().map { try makeGEOS($0.element, path: "\(path), member \($0.offset)") }
            return try makeCollection(GEOS_GEOMETRYCOLLECTION, parts, path: path)
        }
    }

    private func makePoint(_ point: Point, path: String) throws -> GEOSGeometryHandle {
        clearMessages()
        guard let c = point.coordinate else {
            // NULL on exception.
            return try .checked(GEOSGeom_createEmptyPoint_r(handle), "createEmptyPoint (\(path))", context: self)
        }
        try Self.checkFinite(c, path: path, index: 0)
        // NULL on exception.
        return try .checked(GEOSGeom_createPointFromXY_r(handle, c.x, c.y), "createPointFromXY (\(path))", context: self)
    }

    private func makeLineString(_ coordinates: [Coordinate], path: String) throws -> GEOSGeometryHandle {
        clearMessages()
        if coordinates.isEmpty {
            // NULL on exception.
            return try .checked(GEOSGeom_createEmptyLineString_r(handle), "createEmptyLineString (\(path))", context: self)
        }
        guard coordinates.count >= 2 else {
            throw GeometryError("\(path): a linestring needs 0 or at least 2 positions, found \(coordinates.count)")
        }
        let sequence = try makeSequence(coordinates, path: path)
        // Ownership of the sequence passes to the geometry, also when GEOS fails (it is then
        // freed inside GEOS), so it is never destroyed here. NULL on exception.
        return try .checked(GEOSGeom_createLineString_r(handle, sequence), "createLineString (\(path))", context: self)
    }

    private func makeRing(_ coordinates: [Coordinate], path: String) throws -> GEOSGeometryHandle {
        guard coordinates.count >= 4 else {
            throw GeometryError("\(path): a ring needs at least 4 positions (closed), found \(coordinates.count)")
        }
        guard coordinates.first == coordinates.last else {
            throw GeometryError("\(path): ring is not closed (first position \(coordinates[0]) ≠ last \(coordinates[coordinates.count - 1]))")
        }
        clearMessages()
        let sequence = try makeSequence(coordinates, path: path)
        // Ownership of the sequence passes to the ring, also on failure. NULL on exception.
        return try .checked(GEOSGeom_createLinearRing_r(handle, sequence), "createLinearRing (\(path))", context: self)
    }

    private func makePolygon(_ polygon: Polygon, path: String) throws -> GEOSGeometryHandle {
        clearMessages()
        if polygon.isEmpty {
            guard polygon.holes.isEmpty else { throw GeometryError("\(path): a polygon with an empty exterior has holes") }
            // NULL on exception.
            return try .checked(GEOSGeom_createEmptyPolygon_r(handle), "createEmptyPolygon (\(path))", context: self)
        }
        let shell = try makeRing(polygon.exterior, path: "\(path), exterior ring")
        let holes = try polygon.holes.enumerated().map { try makeRing($0.element, path: "\(path), hole \($0.offset)") }
        // The caller keeps the array, GEOS takes the rings it points to (also when it fails:
        // GEOS frees them, see geos_c.h and GEOS ticket #1111), so every Swift owner lets go first.
        var holePointers: [OpaquePointer?] = holes.map { $0.release() }
        let shellPointer = shell.release()
        clearMessages()
        let result = holePointers.withUnsafeMutableBufferPointer { buffer in
            // NULL on exception.
            GEOSGeom_createPolygon_r(handle, shellPointer, buffer.baseAddress, UInt32(buffer.count))
        }
        return try .checked(result, "createPolygon (\(path))", context: self)
    }

    private func makeCollection(_ type: GEOSGeomTypes, _ parts: [GEOSGeometryHandle], path: String) throws -> GEOSGeometryHandle {
        // As for polygons: GEOS takes the members (even on failure), the array stays ours.
        var pointers: [OpaquePointer?] = parts.map { $0.release() }
        clearMessages()
        let result = pointers.withUnsafeMutableBufferPointer { buffer in
            // NULL on exception.
            GEOSGeom_createCollection_r(handle, Int32(type.rawValue), buffer.baseAddress, UInt32(buffer.count))
        }
        return try .checked(result, "createCollection (\(path))", context: self)
    }

    /// A new XY coordinate sequence; the caller must give it to a geometry constructor.
    private func makeSequence(_ coordinates: [Coordinate], path: String) throws -> OpaquePointer {
        var flat = [Double]()
        flat.reserveCapacity(coordinates.count * 2)
        for (i, c) in coordinates.enumerated() {
            try Self.checkFinite(c, path: path, index: i)
            flat.append(c.x)
            flat.append(c.y)
        }
        guard coordinates.count <= Int(UInt32.max) else {
            throw GeometryError("\(path): \(coordinates.count) positions is more than GEOS can take")
        }
        clearMessages()
        // Copies the buffer (hasZ = 0, hasM = 0); NULL on exception.
        let sequence = flat.withUnsafeBufferPointer {
            GEOSCoordSeq_copyFromBuffer_r(handle, $0.baseAddress, UInt32(coordinates.count), 0, 0)
        }
        guard let sequence else { throw error("copyFromBuffer (\(path))") }
        return sequence
    }

    private static func checkFinite(_ c: Coordinate, path: String, index: Int) throws {
        guard c.isFinite else {
            throw GeometryError("\(path), position \(index): coordinate is not finite (\(c.x), \(c.y))")
        }
    }

    // MARK: GEOS → Swift

    /// The Swift value of a GEOS geometry (borrowed; not destroyed here).
    ///
    /// - Throws: `GeometryError` if GEOS fails to report a part or the type is unknown.
    func makeSwift(_ g: OpaquePointer) throws -> Geometry {
        clearMessages()
        let type = GEOSGeomTypeId_r(handle, g)  // -1 on exception
        guard type >= 0 else { throw error("GeomTypeId") }
        switch type {
        case Int32(GEOS_POINT.rawValue):
            return .point(try swiftPoint(g))
        case Int32(GEOS_LINESTRING.rawValue), Int32(GEOS_LINEARRING.rawValue):
            return .lineString(LineString(try coordinates(of: g)))
        case Int32(GEOS_POLYGON.rawValue):
            return .polygon(try swiftPolygon(g))
        case Int32(GEOS_MULTIPOINT.rawValue):
            return .multiPoint(MultiPoint(try members(of: g).map(swiftPoint)))
        case Int32(GEOS_MULTILINESTRING.rawValue):
            return .multiLineString(MultiLineString(try members(of: g).map { LineString(try coordinates(of: $0)) }))
        case Int32(GEOS_MULTIPOLYGON.rawValue):
            return .multiPolygon(MultiPolygon(try members(of: g).map(swiftPolygon)))
        case Int32(GEOS_GEOMETRYCOLLECTION.rawValue):
            return .geometryCollection(GeometryCollection(try members(of: g).map(makeSwift)))
        default:
            throw GeometryError("GEOS returned a geometry of unsupported type id \(type)")
        }
    }

    private func isEmpty(_ g: OpaquePointer) throws -> Bool {
        clearMessages()
        switch GEOSisEmpty_r(handle, g) {  // 1 empty, 0 not empty, 2 on exception
        case 0: return false
        case 1: return true
        default: throw error("isEmpty")
        }
    }

    private func swiftPoint(_ g: OpaquePointer) throws -> Point {
        if try isEmpty(g) { return .empty }
        var x = 0.0, y = 0.0
        clearMessages()
        // Both return 1 on success, 0 on exception.
        guard GEOSGeomGetX_r(handle, g, &x) == 1, GEOSGeomGetY_r(handle, g, &y) == 1 else { throw error("GeomGetX/Y") }
        return Point(x, y)
    }

    private func swiftPolygon(_ g: OpaquePointer) throws -> Polygon {
        if try isEmpty(g) { return .empty }
        clearMessages()
        // Borrowed from the polygon; NULL on exception.
        guard let shell = GEOSGetExteriorRing_r(handle, g) else { throw error("GetExteriorRing") }
        let exterior = try coordinates(of: shell)
        let count = GEOSGetNumInteriorRings_r(handle, g)  // -1 on exception
        guard count >= 0 else { throw error("GetNumInteriorRings") }
        var holes: [[Coordinate]] = []
        holes.reserveCapacity(Int(count))
        for i in 0..<count {
            clearMessages()
            // Borrowed from the polygon; NULL on exception.
            guard let ring = GEOSGetInteriorRingN_r(handle, g, i) else { throw error("GetInteriorRingN(\(i))") }
            holes.append(try coordinates(of: ring))
        }
        return Polygon(exterior: exterior, holes: holes)
    }

    /// The members of a multi-geometry or collection, borrowed from it.
    private func members(of g: OpaquePointer) throws -> [OpaquePointer] {
        clearMessages()
        let count = GEOSGetNumGeometries_r(handle, g)  // -1 on exception
        guard count >= 0 else { throw error("GetNumGeometries") }
        return try (0..<count).map { i in
            // Borrowed from the collection; NULL on exception.
            guard let member = GEOSGetGeometryN_r(handle, g, i) else { throw error("GetGeometryN(\(i))") }
            return member
        }
    }

    /// The XY positions of a linestring or ring.
    private func coordinates(of g: OpaquePointer) throws -> [Coordinate] {
        clearMessages()
        // Borrowed from the geometry (never destroyed here); NULL on exception.
        guard let sequence = GEOSGeom_getCoordSeq_r(handle, g) else { throw error("getCoordSeq") }
        var size: UInt32 = 0
        guard GEOSCoordSeq_getSize_r(handle, sequence, &size) == 1 else { throw error("CoordSeq_getSize") }  // 0 on exception
        if size == 0 { return [] }
        var flat = [Double](repeating: 0, count: Int(size) * 2)
        let ok = flat.withUnsafeMutableBufferPointer {
            GEOSCoordSeq_copyToBuffer_r(handle, sequence, $0.baseAddress, 0, 0)  // 1 on success, 0 on error
        }
        guard ok == 1 else { throw error("CoordSeq_copyToBuffer") }
        return (0..<Int(size)).map { Coordinate(flat[2 * $0], flat[2 * $0 + 1]) }
    }
}
