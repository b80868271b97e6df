import CGEOS

extension Geometry {
    /// Whether a geometry is valid in the OGC simple-features sense, and if not, why and where.
    public struct Validity: Hashable, Sendable {
        /// `true` when GEOS finds no topology error.
        public var isValid: Bool
        /// GEOS's reason, e.g. `"Self-intersection"`, `"Ring Self-intersection"`,
        /// `"Hole lies outside shell"`; `nil` when valid.
        public var reason: String?
        /// A position where the rule is broken; `nil` when valid.
        public var location: Coordinate?

        /// A validity verdict; `reason` and `location` are `nil` for a valid geometry.
        public init(isValid: Bool, reason: String? = nil, location: Coordinate? = nil) {
            self.isValid = isValid; self.reason = reason; self.location = location
        }
    }

    /// Checks the geometry with GEOS (`GEOSisValidDetail_r`, OGC rules: self-touching rings
    /// that form holes are invalid).
    ///
    /// - Returns: validity, with GEOS's reason and a location when invalid.
    /// - Throws: `GeometryError` if the geometry cannot be given to GEOS (non-finite coordinate,
    ///   unclosed ring, …; the message names the part) or GEOS fails.
    /// - Complexity: O(n log n) in the number of positions.
    public func validity() throws -> Validity {
        try GEOSContext.with { context in
            let g = try context.makeGEOS(self)
            var reason: UnsafeMutablePointer<CChar>?
            var location: OpaquePointer?
            context.clearMessages()
            // 1 valid, 0 invalid, 2 on exception. On return `reason` (GEOSFree_r) and `location`
            // (GEOSGeom_destroy_r) are ours when set.
            let status = g.withPointer { GEOSisValidDetail_r(context.handle, $0, 0, &reason, &location) }
            let locationHandle = location.map { GEOSGeometryHandle($0, context: context) }
            defer { if let reason { GEOSFree_r(context.handle, reason) } }
            switch status {
            case 1:
                return Validity(isValid: true)
            case 0:
                var at: Coordinate?
                if let locationHandle, case .point(let p) = try locationHandle.withPointer(context.makeSwift) {
                    at = p.coordinate
                }
                return Validity(isValid: false, reason: reason.map { String(cString: $0) } ?? "invalid", location: at)
            default:
                throw context.error("isValidDetail")
            }
        }
    }

    /// A valid geometry covering the same area (`GEOSMakeValid_r`, the "linework" method):
    /// a bow-tie becomes a multipolygon of its two triangles; collapsed parts may become lines.
    ///
    /// - Returns: the repaired geometry (the input itself, re-read, when already valid).
    /// - Throws: `GeometryError` for input GEOS cannot take, or a GEOS failure.
    public func makeValid() throws -> Geometry {
        try GEOSContext.unary("makeValid", self) { GEOSMakeValid_r($0, $1) }  // NULL on exception
    }
}
