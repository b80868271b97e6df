/// A position: `x` is longitude (or easting), `y` is latitude (or northing).
///
/// TwinGeo stores lon/lat degrees in WGS84/CGCS2000 unless a function says otherwise.
public struct Coordinate: Hashable, Sendable {
    public var x: Double
    public var y: Double

    @inlinable public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    @inlinable public init(x: Double, y: Double) { self.x = x; self.y = y }

    /// Both ordinates are finite (no NaN, no infinity).
    @inlinable public var isFinite: Bool { x.isFinite && y.isFinite }
}

/// A point; `coordinate == nil` is the empty point (`POINT EMPTY`).
public struct Point: Hashable, Sendable {
    public var coordinate: Coordinate?
    public init(_ coordinate: Coordinate?) { self.coordinate = coordinate }
    public init(_ x: Double, _ y: Double) { self.coordinate = Coordinate(x, y) }
    public static let empty = Point(nil)
    public var isEmpty: Bool { coordinate == nil }
}

/// An ordered sequence of positions; empty, or two or more positions when valid.
public struct LineString: Hashable, Sendable {
    public var coordinates: [Coordinate]
    public init(_ coordinates: [Coordinate]) { self.coordinates = coordinates }
    public static let empty = LineString([])
    public var isEmpty: Bool { coordinates.isEmpty }
}

/// A polygon: one exterior ring and zero or more holes.
///
/// Rings are stored closed (first position == last position), as in WKT, WKB and GeoJSON.
/// An empty polygon has an empty exterior and no holes. Ring orientation is kept as given;
/// writers that require one (RFC 7946 recommends counter-clockwise exteriors) say so.
public struct Polygon: Hashable, Sendable {
    public var exterior: [Coordinate]
    public var holes: [[Coordinate]]
    public init(exterior: [Coordinate], holes: [[Coordinate]] = []) {
        self.exterior = exterior
        self.holes = holes
    }
    public static let empty = Polygon(exterior: [])
    public var isEmpty: Bool { exterior.isEmpty }
    /// The exterior followed by the holes.
    public var rings: [[Coordinate]] { isEmpty ? [] : [exterior] + holes }
}

public struct MultiPoint: Hashable, Sendable {
    public var points: [Point]
    public init(_ points: [Point]) { self.points = points }
    public var isEmpty: Bool { points.allSatisfy(\.isEmpty) }
}

public struct MultiLineString: Hashable, Sendable {
    public var lineStrings: [LineString]
    public init(_ lineStrings: [LineString]) { self.lineStrings = lineStrings }
    public var isEmpty: Bool { lineStrings.allSatisfy(\.isEmpty) }
}

public struct MultiPolygon: Hashable, Sendable {
    public var polygons: [Polygon]
    public init(_ polygons: [Polygon]) { self.polygons = polygons }
    public var isEmpty: Bool { polygons.allSatisfy(\.isEmpty) }
}

public struct GeometryCollection: Hashable, Sendable {
    public var geometries: [Geometry]
    public init(_ geometries: [Geometry]) { self.geometries = geometries }
    public var isEmpty: Bool { geometries.allSatisfy(\.isEmpty) }
}

/// Any OGC simple-features geometry (2D).
public indirect enum Geometry: Hashable, Sendable {
    case point(Point)
    case lineString(LineString)
    case polygon(Polygon)
    case multiPoint(MultiPoint)
    case multiLineString(MultiLineString)
    case multiPolygon(MultiPolygon)
    case geometryCollection(GeometryCollection)

    /// The OGC type name, as written in WKT (`POINT`, `MULTIPOLYGON`, …).
    public var typeName: String {
        switch self {
        case .point: "POINT"
        case .lineString: "LINESTRING"
        case .polygon: "POLYGON"
        case .multiPoint: "MULTIPOINT"
        case .multiLineString: "MULTILINESTRING"
        case .multiPolygon: "MULTIPOLYGON"
        case .geometryCollection: "GEOMETRYCOLLECTION"
        }
    }

    public var isEmpty: Bool {
        switch self {
        case .point(let g): g.isEmpty
        case .lineString(let g): g.isEmpty
        case .polygon(let g): g.isEmpty
        case .multiPoint(let g): g.isEmpty
        case .multiLineString(let g): g.isEmpty
        case .multiPolygon(let g): g.isEmpty
        case .geometryCollection(let g): g.isEmpty
        }
    }

    /// Calls `body` on every position, in storage order.
    public func forEachCoordinate(_ body: (Coordinate) throws -> Void) rethrows {
        switch self {
        case .point(let g): if let c = g.coordinate { try body(c) }
        case .lineString(let g): try g.coordinates.forEach(body)
        case .polygon(let g): for ring in g.rings { try ring.forEach(body) }
        case .multiPoint(let g): for p in g.points { if let c = p.coordinate { try body(c) } }
        case .multiLineString(let g): for l in g.lineStrings { try l.coordinates.forEach(body) }
        case .multiPolygon(let g): for p in g.polygons { for ring in p.rings { try ring.forEach(body) } }
        case .geometryCollection(let g): for child in g.geometries { try child.forEachCoordinate(body) }
        }
    }

    /// A copy with every position replaced by `transform(position)`.
    public func mapCoordinates(_ transform: (Coordinate) throws -> Coordinate) rethrows -> Geometry {
        func ring(_ r: [Coordinate]) throws -> [Coordinate] { try r.map(transform) }
        func polygon(_ p: Polygon) throws -> Polygon {
            Polygon(exterior: try ring(p.exterior), holes: try p.holes.map(ring))
        }
        switch self {
        case .point(let g): return .point(Point(try g.coordinate.map(transform)))
        case .lineString(let g): return .lineString(LineString(try ring(g.coordinates)))
        case .polygon(let g): return .polygon(try polygon(g))
        case .multiPoint(let g): return .multiPoint(MultiPoint(try g.points.map { Point(try $0.coordinate.map(transform)) }))
        case .multiLineString(let g): return .multiLineString(MultiLineString(try g.lineStrings.map { LineString(try ring($0.coordinates)) }))
        case .multiPolygon(let g): return .multiPolygon(MultiPolygon(try g.polygons.map(polygon)))
        case .geometryCollection(let g): return .geometryCollection(GeometryCollection(try g.geometries.map { try $0.mapCoordinates(transform) }))
        }
    }

    /// The smallest axis-aligned box holding every position; `nil` for an empty geometry.
    public var boundingBox: BoundingBox? {
        var box = BoundingBox.empty
        forEachCoordinate { box.extend(by: $0) }
        return box.isEmpty ? nil : box
    }
}

/// An axis-aligned box. `BoundingBox.empty` has min > max and contains nothing.
public struct BoundingBox: Hashable, Sendable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    @inlinable public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    public static let empty = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)

    @inlinable public var isEmpty: Bool { !(minX <= maxX && minY <= maxY) }
    @inlinable public var width: Double { isEmpty ? 0 : maxX - minX }
    @inlinable public var height: Double { isEmpty ? 0 : maxY - minY }

    @inlinable public mutating func extend(by c: Coordinate) {
        if c.x < minX { minX = c.x }
        if c.x > maxX { maxX = c.x }
        if c.y < minY { minY = c.y }
        if c.y > maxY { maxY = c.y }
    }

    @inlinable public func union(_ other: BoundingBox) -> BoundingBox {
        if isEmpty { return other }
        if other.isEmpty { return self }
        return BoundingBox(minX: Swift.min(minX, other.minX), minY: Swift.min(minY, other.minY),
                           maxX: Swift.max(maxX, other.maxX), maxY: Swift.max(maxY, other.maxY))
    }

    /// Closed-box test: a point on the box's edge is contained.
    @inlinable public func contains(_ c: Coordinate) -> Bool {
        c.x >= minX && c.x <= maxX && c.y >= minY && c.y <= maxY
    }

    /// Closed-box test: boxes that only touch intersect.
    @inlinable public func intersects(_ o: BoundingBox) -> Bool {
        !isEmpty && !o.isEmpty && o.minX <= maxX && o.maxX >= minX && o.minY <= maxY && o.maxY >= minY
    }
}
