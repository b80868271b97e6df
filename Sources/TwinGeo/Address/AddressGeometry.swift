// Small planar geometry on WGS84 lon/lat for the gazetteer: lengths and distances in metres on
// a local equirectangular frame (within 0.1 % of geodesic over a district's few kilometres,
// which is far below the 50 m that separates a right from a wrong door-plate), centroids, and
// the crossings of two centrelines.

enum AddressGeometry {
    /// Metres per degree of latitude (mean Earth radius 6,371,008.8 m).
    static let metresPerDegree = 6_371_008.8 * Double.pi / 180

    /// The distance in metres between two lon/lat positions (local equirectangular).
    static func distanceMetres(_ a: Coordinate, _ b: Coordinate) -> Double {
        let k = cosDegrees((a.y + b.y) / 2)
        let dx = (a.x - b.x) * k, dy = a.y - b.y
        return (dx * dx + dy * dy).squareRoot() * metresPerDegree
    }

    /// cos of an angle in degrees, without Foundation (a Taylor series after range reduction,
    /// accurate to 1e-12 for |x| ≤ 90°, which is all latitudes).
    static func cosDegrees(_ degrees: Double) -> Double {
        let x = degrees * Double.pi / 180
        let x2 = x * x
        var term = 1.0, sum = 1.0
        for n in stride(from: 2, through: 30, by: 2) {
            term *= -x2 / Double((n - 1) * n)
            sum += term
        }
        return sum
    }

    /// The point halfway along a centreline (by length, over its parts in order).
    static func midpoint(_ lines: MultiLineString) -> Coordinate? {
        let segments = lines.lineStrings.flatMap { l in zip(l.coordinates, l.coordinates.dropFirst()).map { ($0, $1) } }
        let total = segments.reduce(0) { $0 + distanceMetres($1.0, $1.1) }
        guard let first = segments.first else { return lines.lineStrings.first?.coordinates.first }
        guard total > 0 else { return first.0 }
        var left = total / 2
        for (a, b) in segments {
            let d = distanceMetres(a, b)
            if d >= left && d > 0 {
                let t = left / d
                return Coordinate(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
            }
            left -= d
        }
        return segments.last!.1
    }

    /// The area centroid of the largest polygon's outer ring (a building or 小区 outline), or
    /// the mean of its positions when the ring has no area.
    static func centroid(_ outline: MultiPolygon) -> Coordinate? {
        var best: (area: Double, c: Coordinate)?
        for p in outline.polygons where p.exterior.count >= 3 {
            let ring = p.exterior
            let o = ring[0]
            var a2 = 0.0, cx = 0.0, cy = 0.0
            for i in 0..<(ring.count - 1) {
                let x0 = ring[i].x - o.x, y0 = ring[i].y - o.y, x1 = ring[i + 1].x - o.x, y1 = ring[i + 1].y - o.y
                let cross = x0 * y1 - x1 * y0
                a2 += cross; cx += (x0 + x1) * cross; cy += (y0 + y1) * cross
            }
            let c: Coordinate
            if a2 != 0 {
                c = Coordinate(o.x + cx / (3 * a2), o.y + cy / (3 * a2))
            } else {
                let n = Double(ring.count)
                c = Coordinate(ring.reduce(0) { $0 + $1.x } / n, ring.reduce(0) { $0 + $1.y } / n)
            }
            if best == nil || abs(a2) > best!.area { best = (abs(a2), c) }
        }
        return best?.c
    }

    /// The bounding box of a centreline.
    static func box(_ lines: MultiLineString) -> BoundingBox {
        var b = BoundingBox.empty
        for l in lines.lineStrings { for c in l.coordinates { b = b.union(BoundingBox(minX: c.x, minY: c.y, maxX: c.x, maxY: c.y)) } }
        return b
    }

    /// Where two centrelines cross or touch (a T-junction counts), each crossing once: points
    /// closer than about 1 m (1e-5°) are one. Segments are straight in lon/lat, as stored.
    ///
    /// - Complexity: O(segments(a) × segments(b)) after a box test per pair of segments.
    static func crossings(_ a: MultiLineString, _ b: MultiLineString) -> [Coordinate] {
        var out: [Coordinate] = []
        let segsB = b.lineStrings.flatMap { l in zip(l.coordinates, l.coordinates.dropFirst()).map { ($0, $1) } }
        for l in a.lineStrings {
            for (p, p2) in zip(l.coordinates, l.coordinates.dropFirst()) {
                for (q, q2) in segsB {
                    if max(p.x, p2.x) < min(q.x, q2.x) || max(q.x, q2.x) < min(p.x, p2.x)
                        || max(p.y, p2.y) < min(q.y, q2.y) || max(q.y, q2.y) < min(p.y, p2.y) { continue }
                    guard let c = segmentCrossing(p, p2, q, q2) else { continue }
                    if !out.contains(where: { abs($0.x - c.x) < 1e-5 && abs($0.y - c.y) < 1e-5 }) { out.append(c) }
                }
            }
        }
        return out
    }

    /// The point where segments pq and rs meet, or `nil`. Collinear overlaps give the first
    /// shared endpoint.
    static func segmentCrossing(_ p: Coordinate, _ p2: Coordinate, _ r: Coordinate, _ r2: Coordinate) -> Coordinate? {
        let dx1 = p2.x - p.x, dy1 = p2.y - p.y, dx2 = r2.x - r.x, dy2 = r2.y - r.y
        let den = dx1 * dy2 - dy1 * dx2
        let ex = r.x - p.x, ey = r.y - p.y
        let scale = max(abs(dx1) + abs(dy1), 1e-300) * max(abs(dx2) + abs(dy2), 1e-300)
        if abs(den) <= 1e-12 * scale {
            // Parallel: only shared endpoints count.
            for c in [r, r2] where onSegment(c, p, p2) { return c }
            for c in [p, p2] where onSegment(c, r, r2) { return c }
            return nil
        }
        let t = (ex * dy2 - ey * dx2) / den
        let u = (ex * dy1 - ey * dx1) / den
        let eps = 1e-9
        guard t >= -eps, t <= 1 + eps, u >= -eps, u <= 1 + eps else { return nil }
        return Coordinate(p.x + t * dx1, p.y + t * dy1)
    }

    static func onSegment(_ c: Coordinate, _ a: Coordinate, _ b: Coordinate) -> Bool {
        let cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
        let len = abs(b.x - a.x) + abs(b.y - a.y)
        guard abs(cross) <= 1e-12 * max(len * len, 1e-300) else { return false }
        return c.x >= min(a.x, b.x) - 1e-12 && c.x <= max(a.x, b.x) + 1e-12 && c.y >= min(a.y, b.y) - 1e-12 && c.y <= max(a.y, b.y) + 1e-12
    }
}
