/// The structural rules every TwinGeo reader enforces and every writer guarantees, so that
/// whatever a writer emits reads back, and no reader lets through what another would refuse.
///
/// * a line string is empty or has at least 2 positions;
/// * a ring has at least 4 positions and is closed (first position == last position);
/// * every coordinate is finite.
///
/// Validity in the OGC sense (self-intersection, ring orientation, holes inside shells) is not
/// checked here: that is GEOS's job, on demand.
enum IOGeometryRules {
    /// Why `coordinates` cannot be a line string, or `nil` when it can.
    static func lineStringProblem(_ coordinates: [Coordinate]) -> String? {
        coordinates.count == 1 ? "a line string needs 0 or at least 2 positions, found 1" : nil
    }

    /// Why `ring` cannot be a polygon ring, or `nil` when it can.
    static func ringProblem(_ ring: [Coordinate]) -> String? {
        if ring.count < 4 { return "a polygon ring needs at least 4 positions, found \(ring.count)" }
        if ring.first != ring.last {
            return "polygon ring is not closed: first position (\(describe(ring.first!))) differs from last (\(describe(ring.last!)))"
        }
        return nil
    }

    static func describe(_ c: Coordinate) -> String { "\(IODecimal.text(c.x)) \(IODecimal.text(c.y))" }

    /// Checks a geometry before it is written.
    ///
    /// - Throws: `GeometryError` naming the first non-finite coordinate or structural problem,
    ///   with a path such as `polygons[2].holes[0]` in `field`.
    static func checkWritable(_ geometry: Geometry) throws {
        func coordinates(_ cs: [Coordinate], _ path: String) throws {
            for (i, c) in cs.enumerated() where !c.isFinite {
                throw GeometryError("cannot write a non-finite coordinate (\(c.x), \(c.y))",
                                    at: SourceLocation(field: "\(path)[\(i)]"))
            }
        }
        func ring(_ r: [Coordinate], _ path: String) throws {
            try coordinates(r, path)
            if let problem = ringProblem(r) { throw GeometryError(problem, at: SourceLocation(field: path)) }
        }
        func line(_ l: LineString, _ path: String) throws {
            try coordinates(l.coordinates, path)
            if let problem = lineStringProblem(l.coordinates) { throw GeometryError(problem, at: SourceLocation(field: path)) }
        }
        func polygon(_ p: Polygon, _ path: String) throws {
            if p.isEmpty {
                if !p.holes.isEmpty { throw GeometryError("an empty polygon cannot have holes", at: SourceLocation(field: path)) }
                return
            }
            try ring(p.exterior, path + "exterior")
            for (i, h) in p.holes.enumerated() { try ring(h, path + "holes[\(i)]") }
        }
        func point(_ p: Point, _ path: String) throws {
            if let c = p.coordinate { try coordinates([c], path) }
        }
        func walk(_ g: Geometry, _ path: String, depth: Int) throws {
            switch g {
            case .point(let p): try point(p, path + "point")
            case .lineString(let l): try line(l, path + "coordinates")
            case .polygon(let p): try polygon(p, path)
            case .multiPoint(let m): for (i, p) in m.points.enumerated() { try point(p, path + "points[\(i)]") }
            case .multiLineString(let m): for (i, l) in m.lineStrings.enumerated() { try line(l, path + "lineStrings[\(i)]") }
            case .multiPolygon(let m): for (i, p) in m.polygons.enumerated() { try polygon(p, path + "polygons[\(i)].") }
            case .geometryCollection(let c):
                if depth >= IOGeometryRules.maxNestingDepth {
                    throw GeometryError("geometry collections nested deeper than \(IOGeometryRules.maxNestingDepth)",
                                        at: SourceLocation(field: path))
                }
                for (i, child) in c.geometries.enumerated() { try walk(child, path + "geometries[\(i)].", depth: depth + 1) }
            }
        }
        try walk(geometry, "", depth: 0)
    }

    /// The deepest geometry-collection nesting any reader accepts (and any writer emits):
    /// deeper input is refused rather than risking the stack on hostile data.
    static let maxNestingDepth = 32
}
