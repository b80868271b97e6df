import CGEOS

// Topological predicates through GEOS, for building and checking data. Per-event point
// location uses TwinIndex's locator instead (DESIGN.md: GEOS is never used per query).

extension Geometry {
    /// Whether the two geometries share at least one point, boundaries included (`GEOSIntersects_r`).
    /// - Throws: `GeometryError` for input GEOS cannot take, or a GEOS failure.
    public func intersects(_ other: Geometry) throws -> Bool {
        try GEOSContext.predicate("intersects", self, other) { GEOSIntersects_r($0, $1, $2) }  // 1 true, 0 false, 2 exception
    }

    /// Whether `other` lies in `self` and at least one interior point of `other` is in the
    /// interior of `self` (`GEOSContains_r`): a point on the boundary is *not* contained.
    /// - Throws: `GeometryError` for input GEOS cannot take, or a GEOS failure.
    public func contains(_ other: Geometry) throws -> Bool {
        try GEOSContext.predicate("contains", self, other) { GEOSContains_r($0, $1, $2) }  // 1 true, 0 false, 2 exception
    }
}
