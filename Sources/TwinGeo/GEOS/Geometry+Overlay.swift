import CGEOS

// Set operations through GEOS (OverlayNG). Results are returned as GEOS builds them: a polygon,
// a multipolygon, or a collection mixing dimensions when inputs touch along edges or at points;
// `polygonalParts` keeps the areas only.

extension Geometry {
    /// The point-set union of `self` and `other` (`GEOSUnion_r`).
    ///
    /// - Throws: `GeometryError` for input GEOS cannot take (named part), an invalid input that
    ///   makes the overlay fail (GEOS's "TopologyException"), or another GEOS failure.
    public func union(_ other: Geometry) throws -> Geometry {
        try GEOSContext.binary("union", self, other) { GEOSUnion_r($0, $1, $2) }  // NULL on exception
    }

    /// The union of many geometries at once (`GEOSUnaryUnion_r` over their collection): much
    /// faster than folding ``union(_:)``, and the way to dissolve a layer's cells.
    ///
    /// - Returns: the union; `GEOMETRYCOLLECTION EMPTY` for an empty list.
    /// - Throws: `GeometryError`; the message names the offending member for bad input.
    public static func unaryUnion(_ geometries: [Geometry]) throws -> Geometry {
        if geometries.isEmpty { return .geometryCollection(GeometryCollection([])) }
        return try GEOSContext.unary("unaryUnion", .geometryCollection(GeometryCollection(geometries))) {
            GEOSUnaryUnion_r($0, $1)  // NULL on exception
        }
    }

    /// The points in both `self` and `other` (`GEOSIntersection_r`).
    /// - Throws: `GeometryError` as for ``union(_:)``.
    public func intersection(_ other: Geometry) throws -> Geometry {
        try GEOSContext.binary("intersection", self, other) { GEOSIntersection_r($0, $1, $2) }  // NULL on exception
    }

    /// The points of `self` not in `other` (`GEOSDifference_r`).
    /// - Throws: `GeometryError` as for ``union(_:)``.
    public func difference(_ other: Geometry) throws -> Geometry {
        try GEOSContext.binary("difference", self, other) { GEOSDifference_r($0, $1, $2) }  // NULL on exception
    }

    /// The points in exactly one of `self` and `other` (`GEOSSymDifference_r`).
    /// - Throws: `GeometryError` as for ``union(_:)``.
    public func symmetricDifference(_ other: Geometry) throws -> Geometry {
        try GEOSContext.binary("symmetricDifference", self, other) { GEOSSymDifference_r($0, $1, $2) }  // NULL on exception
    }

    /// The polygons of this geometry, in storage order, looking into multipolygons and
    /// collections; points and lines (e.g. the shared edge of two touching cells in an overlay
    /// result) and empty polygons are dropped.
    public var polygonalParts: [Polygon] {
        switch self {
        case .polygon(let p): return p.isEmpty ? [] : [p]
        case .multiPolygon(let m): return m.polygons.filter { !$0.isEmpty }
        case .geometryCollection(let c): return c.geometries.flatMap(\.polygonalParts)
        case .point, .lineString, .multiPoint, .multiLineString: return []
        }
    }

    /// The three areal pieces of overlaying two polygonal geometries (e.g. two departments' cells).
    public struct PolygonOverlay: Hashable, Sendable {
        /// Area in both.
        public var intersection: MultiPolygon
        /// Area only in the first (`self`).
        public var onlyFirst: MultiPolygon
        /// Area only in the second (`other`).
        public var onlySecond: MultiPolygon
    }

    /// Overlays two polygonal geometries and keeps only areas: shared edges and points that
    /// GEOS returns for touching inputs are dropped.
    ///
    /// - Returns: intersection, `self − other`, `other − self`, each as a multipolygon.
    /// - Throws: `GeometryError` as for ``union(_:)``.
    public func polygonOverlay(with other: Geometry) throws -> PolygonOverlay {
        PolygonOverlay(intersection: MultiPolygon(try intersection(other).polygonalParts),
                       onlyFirst: MultiPolygon(try difference(other).polygonalParts),
                       onlySecond: MultiPolygon(try other.difference(self).polygonalParts))
    }
}
