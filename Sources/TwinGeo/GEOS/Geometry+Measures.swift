import CGEOS

// Measures and buffers. TwinGeo stores lon/lat degrees, so metres come from projecting to a
// local metric CRS first (DESIGN.md: never "degrees as metres"); the planar forms work in the
// geometry's own units and are for already projected data.

extension Geometry {
    /// Area in the geometry's own units squared (`GEOSArea_r`): square degrees for lon/lat,
    /// which is almost never what you want; see ``areaSquareMetres(in:)``.
    /// - Throws: `GeometryError` for input GEOS cannot take, or a GEOS failure.
    public func planarArea() throws -> Double {
        try GEOSContext.measure("area", self) { GEOSArea_r($0, $1, $2) }  // 1 on success, 0 on exception
    }

    /// Length (perimeter for polygons) in the geometry's own units (`GEOSLength_r`).
    /// - Throws: `GeometryError` for input GEOS cannot take, or a GEOS failure.
    public func planarLength() throws -> Double {
        try GEOSContext.measure("length", self) { GEOSLength_r($0, $1, $2) }  // 1 on success, 0 on exception
    }

    /// The metric CRS used when none is given: ``CRS/localMetric(longitude:latitude:)`` at the
    /// centre of the bounding box (EPSG:4549, CGCS2000 3-degree GK CM 120°E, for the districts
    /// of western Shanghai).
    public var localMetricCRS: CRS {
        guard let box = boundingBox else { return .epsg(4549) }
        return CRS.localMetric(longitude: (box.minX + box.maxX) / 2, latitude: (box.minY + box.maxY) / 2)
    }

    /// Area in square metres of a WGS84/CGCS2000 lon/lat geometry, measured in a metric projection.
    ///
    /// - Parameter metricCRS: the projected CRS to measure in; `nil` (default) picks
    ///   ``localMetricCRS``. Gauss-Krüger areas are within 5e-4 of the ellipsoidal area inside
    ///   the zone (about 2e-4 or better for Shanghai in EPSG:4549).
    /// - Returns: the area in m² (0 for points and lines).
    /// - Throws: `CRSError` if PROJ cannot project a position, `GeometryError` as for ``planarArea()``.
    public func areaSquareMetres(in metricCRS: CRS? = nil) throws -> Double {
        try projected(to: metricCRS).planarArea()
    }

    /// Length in metres of a WGS84/CGCS2000 lon/lat geometry (perimeter for polygons), measured
    /// in a metric projection; see ``areaSquareMetres(in:)`` for `metricCRS`.
    /// - Throws: `CRSError` or `GeometryError` as for ``areaSquareMetres(in:)``.
    public func lengthMetres(in metricCRS: CRS? = nil) throws -> Double {
        try projected(to: metricCRS).planarLength()
    }

    /// The area within `metres` of a WGS84/CGCS2000 lon/lat geometry: projected to a metric CRS,
    /// buffered there by GEOS (round caps and joins), projected back to lon/lat.
    ///
    /// - Parameters:
    ///   - metres: the buffer distance; negative shrinks polygons.
    ///   - quadrantSegments: segments per quarter circle (GEOS default 8: a point becomes a
    ///     32-gon whose area is 0.64 % below π r²).
    ///   - metricCRS: the projected CRS to buffer in; `nil` picks ``localMetricCRS``.
    /// - Returns: the buffer polygon(s) in WGS84 lon/lat.
    /// - Throws: `GeometryError` for a non-finite distance, input GEOS cannot take, or a GEOS
    ///   failure; `CRSError` if a position cannot be projected.
    public func buffer(metres: Double, quadrantSegments: Int = 8, in metricCRS: CRS? = nil) throws -> Geometry {
        let crs = metricCRS ?? localMetricCRS
        let projectedBuffer = try projected(to: crs).buffer(distance: metres, quadrantSegments: quadrantSegments)
        return try CoordinateTransform(from: crs, to: .wgs84).transform(projectedBuffer)
    }

    /// The area within `distance` of the geometry in its own units (`GEOSBuffer_r`).
    ///
    /// - Throws: `GeometryError` for a non-finite distance, `quadrantSegments` outside 1…1000,
    ///   input GEOS cannot take, or a GEOS failure.
    public func buffer(distance: Double, quadrantSegments: Int = 8) throws -> Geometry {
        guard distance.isFinite else { throw GeometryError("buffer: distance is not finite (\(distance))") }
        guard (1...1000).contains(quadrantSegments) else {
            throw GeometryError("buffer: quadrantSegments must be 1…1000, got \(quadrantSegments)")
        }
        return try GEOSContext.unary("buffer", self) {
            GEOSBuffer_r($0, $1, distance, Int32(quadrantSegments))  // NULL on exception
        }
    }

    private func projected(to metricCRS: CRS?) throws -> Geometry {
        try CoordinateTransform(from: .wgs84, to: metricCRS ?? localMetricCRS).transform(self)
    }
}
