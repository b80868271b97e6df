import TwinIndex

/// Metres for lon/lat grid geometry: one projection to the local metric CRS (DESIGN.md: never
/// "degrees as metres"), chosen once for a whole layer or merge so that every area and length of
/// one run is measured the same way. Areas are the exact planar (shoelace) areas of the projected
/// rings, as GEOS's `GEOSArea_r` would give, without a GEOS round trip per polygon.
struct GridMetric {
    let transform: CoordinateTransform

    /// A metric for geometry inside `box` (the local metric CRS at its centre).
    init(around box: BoundingBox) throws {
        let crs = box.isEmpty ? CRS.epsg(4549)
            : CRS.localMetric(longitude: (box.minX + box.maxX) / 2, latitude: (box.minY + box.maxY) / 2)
        transform = try CoordinateTransform(from: .wgs84, to: crs)
    }

    /// The projected positions of a ring, as parallel x and y arrays.
    func project(_ ring: [Coordinate]) throws -> (xs: [Double], ys: [Double]) {
        var xs = ring.map(\.x)
        var ys = ring.map(\.y)
        try transform.transform(xs: &xs, ys: &ys)
        return (xs, ys)
    }

    /// The unsigned area of one ring in m².
    func ringArea(_ ring: [Coordinate]) throws -> Double {
        guard ring.count >= 3 else { return 0 }
        let (xs, ys) = try project(ring)
        return abs(Self.shoelace(xs, ys))
    }

    /// Twice-halved signed shoelace area of the ring `(xs[i], ys[i])` (closing edge implicit),
    /// relative to the first vertex to keep the products small.
    static func shoelace(_ xs: [Double], _ ys: [Double]) -> Double {
        let n = xs.count
        guard n >= 3 else { return 0 }
        let x0 = xs[0], y0 = ys[0]
        var sum = 0.0
        for i in 0 ..< n {
            let j = i + 1 == n ? 0 : i + 1
            sum += (xs[i] - x0) * (ys[j] - y0) - (xs[j] - x0) * (ys[i] - y0)
        }
        return sum / 2
    }

    /// Area in m² of a valid polygon: exterior minus holes.
    func area(_ polygon: Polygon) throws -> Double {
        if polygon.isEmpty { return 0 }
        var a = try ringArea(polygon.exterior)
        for hole in polygon.holes { a -= try ringArea(hole) }
        return max(0, a)
    }

    /// Area in m² of valid polygons (parts not overlapping).
    func area(_ polygons: [Polygon]) throws -> Double {
        try polygons.reduce(0) { $0 + (try area($1)) }
    }

    /// Area in m² of the polygonal parts of a geometry (lines and points count 0).
    func area(_ geometry: Geometry) throws -> Double {
        try area(geometry.polygonalParts)
    }
}

extension MultiPolygon {
    /// Every ring of every part as interleaved x, y values, the form ``PartitionLocator/Builder``
    /// takes (the locator is even–odd, so exteriors and holes need no distinction).
    var locatorRings: [[Double]] {
        polygons.flatMap { polygon in
            polygon.rings.map { ring in
                var flat: [Double] = []
                flat.reserveCapacity(ring.count * 2)
                for c in ring { flat.append(c.x); flat.append(c.y) }
                return flat
            }
        }
    }

    /// The bounding box of every position; `.empty` when there are none.
    var box: BoundingBox {
        var b = BoundingBox.empty
        for p in polygons { for ring in p.rings { for c in ring { b.extend(by: c) } } }
        return b
    }
}

extension BoundingBox {
    /// The same box for TwinIndex.
    var indexBox: IndexBox { IndexBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY) }
}

/// A coordinate as `lon, lat` text with 7 decimals (≈ 1 cm), for messages.
func gridFormat(_ c: Coordinate) -> String {
    "\(gridFixed(c.x, 7)), \(gridFixed(c.y, 7))"
}

/// `value` with `decimals` digits after the point, without Foundation.
func gridFixed(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0 ..< decimals { scale *= 10 }
    let negative = value < 0
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e15 else { return "\(value)" }
    let whole = Int(scaled)
    let unit = Int(scale)
    var fraction = String(whole % unit)
    fraction = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
    let head = (negative && whole != 0 ? "-" : "") + String(whole / unit)
    return decimals == 0 ? head : head + "." + fraction
}

/// An area in m² for messages: 1 decimal below 10 000 m², whole metres above.
func gridArea(_ m2: Double) -> String {
    m2 < 10_000 ? "\(gridFixed(m2, m2 < 1 ? 3 : 1)) m²" : "\(gridFixed(m2, 0)) m²"
}
