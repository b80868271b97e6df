import CGEOS

// GEOS operations the grid model needs beyond GEOS/: a point on the surface, and the noding +
// polygonizing overlay that gives the merged grid faces whose shared edges are bit-identical.
// Same ownership rules as GEOS/: every created handle is owned by a GEOSGeometryHandle (destroyed
// in deinit), borrowed members are never destroyed, and every sentinel is checked at the call.

/// One face of the polygonized linework of several layers.
struct GridOverlayFace: Sendable {
    /// The face, as GEOS built it: its edges are shared bit for bit with its neighbours.
    var polygon: Polygon
    /// A point strictly inside the face (`GEOSPointOnSurface_r`).
    var interior: Coordinate
}

extension Geometry {
    /// A point guaranteed to lie in the geometry (`GEOSPointOnSurface_r`): for polygons, strictly
    /// inside when the polygon has an interior; unlike the centroid it is never in a hole or
    /// outside a concave shape. Used to place issues and to label faces.
    ///
    /// - Returns: the point, or `nil` for an empty geometry.
    /// - Throws: `GeometryError` for input GEOS cannot take, or a GEOS failure.
    public func pointOnSurface() throws -> Coordinate? {
        if isEmpty { return nil }
        let result = try GEOSContext.unary("pointOnSurface", self) { GEOSPointOnSurface_r($0, $1) }  // NULL on exception
        guard case .point(let p) = result else { return nil }
        return p.coordinate
    }
}

enum GridOverlay {
    /// Nodes all `lines` together in one GEOS operation (`GEOSUnaryUnion_r` on one
    /// MultiLineString: every crossing becomes a vertex of both lines, duplicates are dissolved)
    /// and polygonizes the result (`GEOSPolygonize_r`). Because every face is cut from the same
    /// noded linework, two faces that share an edge share its vertices exactly, which the exact
    /// ``PartitionLocator`` needs.
    ///
    /// - Parameter lines: closed rings or open lines, lon/lat.
    /// - Returns: the faces (holes included where a ring lies inside a face), each with an
    ///   interior point; no face for an area that no closed linework encloses.
    /// - Throws: `GeometryError` for input GEOS cannot take, or a GEOS failure.
    /// - Complexity: O(n log n) in the number of segments, plus the crossings.
    static func faces(of lines: [[Coordinate]]) throws -> [GridOverlayFace] {
        if lines.isEmpty { return [] }
        return try GEOSContext.with { context in
            let h = context.handle
            let linework = try context.makeGEOS(.multiLineString(MultiLineString(lines.map(LineString.init))), path: "linework")
            context.clearMessages()
            // New geometry owned by the caller; NULL on exception.
            let noded = try linework.withPointer {
                try GEOSGeometryHandle.checked(GEOSUnaryUnion_r(h, $0), "unaryUnion (node linework)", context: context)
            }
            let collection = try noded.withPointer { nodedPointer in
                var inputs: [OpaquePointer?] = [nodedPointer]
                context.clearMessages()
                // The caller keeps ownership of the inputs and gets a new collection of polygons; NULL on exception.
                let polygonized = inputs.withUnsafeMutableBufferPointer { GEOSPolygonize_r(h, $0.baseAddress, 1) }
                return try GEOSGeometryHandle.checked(polygonized, "polygonize", context: context)
            }
            return try collection.withPointer { polygons in
                context.clearMessages()
                let count = GEOSGetNumGeometries_r(h, polygons)  // -1 on exception
                guard count >= 0 else { throw context.error("GetNumGeometries (polygonize result)") }
                var faces: [GridOverlayFace] = []
                faces.reserveCapacity(Int(count))
                for i in 0 ..< count {
                    context.clearMessages()
                    // Borrowed from the collection, which this scope keeps alive; NULL on exception.
                    guard let member = GEOSGetGeometryN_r(h, polygons, i) else { throw context.error("GetGeometryN(\(i))") }
                    guard case .polygon(let polygon) = try context.makeSwift(member), !polygon.isEmpty else { continue }
                    context.clearMessages()
                    // New point owned by the caller; NULL on exception.
                    let point = try GEOSGeometryHandle.checked(GEOSPointOnSurface_r(h, member), "pointOnSurface (face \(i))",
                                                               context: context)
                    var x = 0.0, y = 0.0
                    context.clearMessages()
                    // Both return 1 on success, 0 on exception (also for an empty point).
                    let ok = point.withPointer { GEOSGeomGetX_r(h, $0, &x) == 1 && GEOSGeomGetY_r(h, $0, &y) == 1 }
                    guard ok else { throw context.error("GeomGetX/Y (interior point of face \(i))") }
                    faces.append(GridOverlayFace(polygon: polygon, interior: Coordinate(x, y)))
                }
                return faces
            }
        }
    }
}
