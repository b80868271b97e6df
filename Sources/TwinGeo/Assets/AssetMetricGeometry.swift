#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TwinIndex

// Exact planar computations in the catalog's metric CRS: distances between points, segments,
// polylines and polygons, and point-in-footprint with the boundary rule of PartitionLocator.
// Shapes are flat [x0, y0, x1, y1, …] arrays; rings are closed (last position = first).

/// A footprint's rings in metric coordinates (all rings of all polygons; the polygons of a
/// multipolygon do not overlap, so one even-odd count over every ring decides membership).
struct FootprintShape: Sendable {
    var rings: [[Double]]
}

/// A pipe's parts in metric coordinates.
struct PathShape: Sendable {
    var parts: [[Double]]
}

/// A point asset in metric coordinates.
struct PointShape: Sendable {
    var x: Double
    var y: Double
}

/// A camera in metric coordinates. `gridHeading` is the view axis as a bearing from *grid*
/// north (true heading plus the bearing of true north on the grid at the camera: the meridian
/// convergence, about 0.7° at Putuo in EPSG:4549), so sector tests need no trigonometry of
/// the projection per query.
struct CameraShape: Sendable {
    var x: Double
    var y: Double
    var gridHeading: Double
    var halfFieldOfView: Double
    var range: Double
}

enum MetricGeometry {
    /// The box of a flat coordinate array.
    static func box(_ flat: [Double], into box: inout IndexBox) {
        var i = 0
        while i + 1 < flat.count {
            box.minX = min(box.minX, flat[i]); box.maxX = max(box.maxX, flat[i])
            box.minY = min(box.minY, flat[i + 1]); box.maxY = max(box.maxY, flat[i + 1])
            i += 2
        }
    }

    static let emptyBox = IndexBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)

    static func box(of parts: [[Double]]) -> IndexBox {
        var b = emptyBox
        for p in parts { box(p, into: &b) }
        return b
    }

    /// Squared distance from (px, py) to the segment a–b.
    @inline(__always)
    static func segmentDistanceSquared(_ px: Double, _ py: Double, _ ax: Double, _ ay: Double,
                                       _ bx: Double, _ by: Double) -> Double {
        let dx = bx - ax, dy = by - ay
        let len2 = dx * dx + dy * dy
        var t = 0.0
        if len2 > 0 { t = min(1, max(0, ((px - ax) * dx + (py - ay) * dy) / len2)) }
        let qx = ax + t * dx - px, qy = ay + t * dy - py
        return qx * qx + qy * qy
    }

    /// Distance from a point to a polyline (one flat part).
    static func distanceSquared(_ px: Double, _ py: Double, toPolyline flat: [Double]) -> Double {
        var best = Double.infinity
        if flat.count == 2 { return (flat[0] - px) * (flat[0] - px) + (flat[1] - py) * (flat[1] - py) }
        var i = 0
        while i + 3 < flat.count {
            best = min(best, segmentDistanceSquared(px, py, flat[i], flat[i + 1], flat[i + 2], flat[i + 3]))
            i += 2
        }
        return best
    }

    /// Distance from a point to the nearest of several parts (polylines or rings).
    static func distance(_ px: Double, _ py: Double, toParts parts: [[Double]]) -> Double {
        var best = Double.infinity
        for p in parts { best = min(best, distanceSquared(px, py, toPolyline: p)) }
        return best.squareRoot()
    }

    /// Whether the segments a–b and c–d share a point (exact orientation signs).
    static func segmentsIntersect(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double,
                                  _ cx: Double, _ cy: Double, _ dx: Double, _ dy: Double) -> Bool {
        let o1 = LocatorPredicates.orient2d(ax, ay, bx, by, cx, cy)
        let o2 = LocatorPredicates.orient2d(ax, ay, bx, by, dx, dy)
        let o3 = LocatorPredicates.orient2d(cx, cy, dx, dy, ax, ay)
        let o4 = LocatorPredicates.orient2d(cx, cy, dx, dy, bx, by)
        if o1 != o2 && o3 != o4 && o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 { return true }
        if o1 != 0 && o1 == o2 { return false }
        if o3 != 0 && o3 == o4 { return false }
        return LocatorPredicates.isOnSegment(cx, cy, ax, ay, bx, by) || LocatorPredicates.isOnSegment(dx, dy, ax, ay, bx, by)
            || LocatorPredicates.isOnSegment(ax, ay, cx, cy, dx, dy) || LocatorPredicates.isOnSegment(bx, by, cx, cy, dx, dy)
            || (o1 != o2 && o3 != o4)
    }

    /// Distance between two segments (0 when they meet).
    static func segmentSegmentDistance(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double,
                                       _ cx: Double, _ cy: Double, _ dx: Double, _ dy: Double) -> Double {
        if segmentsIntersect(ax, ay, bx, by, cx, cy, dx, dy) { return 0 }
        let d = min(min(segmentDistanceSquared(ax, ay, cx, cy, dx, dy), segmentDistanceSquared(bx, by, cx, cy, dx, dy)),
                    min(segmentDistanceSquared(cx, cy, ax, ay, bx, by), segmentDistanceSquared(dx, dy, ax, ay, bx, by)))
        return d.squareRoot()
    }

    /// Distance between the linework of two sets of parts (polylines or rings).
    static func distance(betweenParts a: [[Double]], _ b: [[Double]]) -> Double {
        var best = Double.infinity
        for p in a {
            for q in b {
                if p.count == 2 { best = min(best, distanceSquared(p[0], p[1], toPolyline: q).squareRoot()); continue }
                if q.count == 2 { best = min(best, distanceSquared(q[0], q[1], toPolyline: p).squareRoot()); continue }
                var i = 0
                while i + 3 < p.count {
                    var j = 0
                    while j + 3 < q.count {
                        best = min(best, segmentSegmentDistance(p[i], p[i + 1], p[i + 2], p[i + 3], q[j], q[j + 1], q[j + 2], q[j + 3]))
                        if best == 0 { return 0 }
                        j += 2
                    }
                    i += 2
                }
            }
        }
        return best
    }

    /// The boundary rule of ``PartitionLocator`` for one footprint: the even–odd count of the
    /// ray toward +x, where an edge counts iff exactly one endpoint is strictly above the point
    /// and the point is left of or on the edge taken lower endpoint first (exact sign). A point
    /// on a wall shared by two footprints is thereby in exactly one of them (the west one; the
    /// one above for a horizontal wall).
    static func halfOpenContains(_ rings: [[Double]], _ px: Double, _ py: Double) -> Bool {
        var inside = false
        for r in rings {
            var i = 0
            while i + 3 < r.count {
                let ax = r[i], ay = r[i + 1], bx = r[i + 2], by = r[i + 3]
                if (ay > py) != (by > py) {
                    let o = ay < by ? LocatorPredicates.orient2d(ax, ay, bx, by, px, py)
                                    : LocatorPredicates.orient2d(bx, by, ax, ay, px, py)
                    if o >= 0 { inside.toggle() }
                }
                i += 2
            }
        }
        return inside
    }

    /// Whether the point is on the closed boundary (any ring edge, exactly).
    static func onBoundary(_ rings: [[Double]], _ px: Double, _ py: Double) -> Bool {
        for r in rings {
            var i = 0
            while i + 3 < r.count {
                if LocatorPredicates.isOnSegment(px, py, r[i], r[i + 1], r[i + 2], r[i + 3]) { return true }
                i += 2
            }
        }
        return false
    }

    /// Whether the point is in the closed footprint (interior or boundary).
    static func closedContains(_ rings: [[Double]], _ px: Double, _ py: Double) -> Bool {
        halfOpenContains(rings, px, py) || onBoundary(rings, px, py)
    }

    /// Distance from a point to a footprint: 0 inside or on it, else to its nearest wall.
    static func distance(_ px: Double, _ py: Double, toFootprint rings: [[Double]]) -> Double {
        closedContains(rings, px, py) ? 0 : distance(px, py, toParts: rings)
    }

    /// Distance from a footprint to linework (polyline parts): 0 when they meet or the
    /// linework starts inside the footprint.
    static func distance(footprint rings: [[Double]], toParts parts: [[Double]]) -> Double {
        for p in parts where p.count >= 2 && closedContains(rings, p[0], p[1]) { return 0 }
        return distance(betweenParts: rings, parts)
    }

    /// Distance between two footprints: 0 when they overlap, touch or one holds the other.
    static func distance(footprint a: [[Double]], footprint b: [[Double]]) -> Double {
        // Every ring's first vertex: one part of a multipolygon may lie inside the other shape.
        for r in b where r.count >= 2 && closedContains(a, r[0], r[1]) { return 0 }
        for r in a where r.count >= 2 && closedContains(b, r[0], r[1]) { return 0 }
        return distance(betweenParts: a, b)
    }

    /// Bearing of (dx, dy) clockwise from the +y axis, in [0, 360).
    @inline(__always)
    static func bearing(_ dx: Double, _ dy: Double) -> Double {
        var b = atan2Degrees(dx, dy)
        if b < 0 { b += 360 }
        if b >= 360 { b -= 360 }
        return b
    }

    @inline(__always)
    static func atan2Degrees(_ y: Double, _ x: Double) -> Double {
        atan2(y, x) * (180 / Double.pi)
    }

    /// Whether a camera sees the point (dx, dy) from it: within range (inclusive) and the
    /// bearing within heading ± fov/2 (inclusive), on the grid. Distance 0 is always seen.
    @inline(__always)
    static func sees(_ c: CameraShape, dx: Double, dy: Double) -> (seen: Bool, distance: Double) {
        let d2 = dx * dx + dy * dy
        let r = c.range
        guard d2 <= r * r else { return (false, d2.squareRoot()) }
        let d = d2.squareRoot()
        if d == 0 || c.halfFieldOfView >= 180 { return (true, d) }
        var delta = bearing(dx, dy) - c.gridHeading       // (-720, 360)
        delta = delta.truncatingRemainder(dividingBy: 360) // (-360, 360)
        if delta > 180 { delta -= 360 } else if delta < -180 { delta += 360 }
        return (abs(delta) <= c.halfFieldOfView, d)
    }

    /// The box of a camera's view sector: the apex, both arc ends, and the arc's extreme
    /// points at the grid's cardinal bearings that lie inside the sector, widened by a
    /// millimetre so rounding never cuts a point the exact test accepts.
    static func sectorBox(_ c: CameraShape) -> IndexBox {
        var b = IndexBox(minX: c.x, minY: c.y, maxX: c.x, maxY: c.y)
        func add(_ bearingDegrees: Double) {
            let a = bearingDegrees * Double.pi / 180
            let x = c.x + c.range * sin(a), y = c.y + c.range * cos(a)
            b.minX = min(b.minX, x); b.maxX = max(b.maxX, x); b.minY = min(b.minY, y); b.maxY = max(b.maxY, y)
        }
        if c.halfFieldOfView >= 180 {
            b = IndexBox(minX: c.x - c.range, minY: c.y - c.range, maxX: c.x + c.range, maxY: c.y + c.range)
        } else {
            add(c.gridHeading - c.halfFieldOfView)
            add(c.gridHeading + c.halfFieldOfView)
            for cardinal in [0.0, 90, 180, 270] {
                var delta = (cardinal - c.gridHeading).truncatingRemainder(dividingBy: 360)
                if delta > 180 { delta -= 360 } else if delta < -180 { delta += 360 }
                if abs(delta) <= c.halfFieldOfView { add(cardinal) }
            }
        }
        let margin = 1e-3
        return IndexBox(minX: b.minX - margin, minY: b.minY - margin, maxX: b.maxX + margin, maxY: b.maxY + margin)
    }
}

extension MetricGeometry {
    /// The length of polyline parts inside a closed polygonal region (the rings, even–odd;
    /// boundary included, so a pipe running along a wall counts): each segment is cut at every
    /// crossing with a ring edge and the pieces whose midpoints are in the closed region are summed.
    ///
    /// - Complexity: O(segments × ring edges); the zone of an excavation has a few dozen edges.
    static func lengthInside(_ rings: [[Double]], parts: [[Double]]) -> Double {
        var total = 0.0
        var cuts: [Double] = []
        for p in parts {
            var i = 0
            while i + 3 < p.count {
                let ax = p[i], ay = p[i + 1], bx = p[i + 2], by = p[i + 3]
                let sx = bx - ax, sy = by - ay
                cuts.removeAll(keepingCapacity: true)
                cuts.append(0)
                cuts.append(1)
                for r in rings {
                    var j = 0
                    while j + 3 < r.count {
                        let cx = r[j], cy = r[j + 1], ex = r[j + 2] - cx, ey = r[j + 3] - cy
                        let denominator = sx * ey - sy * ex
                        if denominator != 0 {
                            let qx = cx - ax, qy = cy - ay
                            let t = (qx * ey - qy * ex) / denominator
                            let u = (qx * sy - qy * sx) / denominator
                            if t > 0, t < 1, u >= 0, u <= 1 { cuts.append(t) }
                        }
                        j += 2
                    }
                }
                cuts.sort()
                let length = (sx * sx + sy * sy).squareRoot()
                for k in 0 ..< cuts.count - 1 where cuts[k + 1] > cuts[k] {
                    let m = (cuts[k] + cuts[k + 1]) / 2
                    if closedContains(rings, ax + m * sx, ay + m * sy) { total += (cuts[k + 1] - cuts[k]) * length }
                }
                i += 2
            }
        }
        return total
    }
}
