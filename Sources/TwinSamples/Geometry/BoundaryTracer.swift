#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The boundary of a set of lattice pieces as closed rings of shared vertex ids.
struct TracedRegion {
    /// Counter-clockwise outer rings, each with its clockwise holes; rings are open (the
    /// first vertex is not repeated).
    var parts: [(exterior: [Int32], holes: [[Int32]])]
}

/// Turns a labelling of pieces into the polygons of each label, by walking the directed edges
/// whose left piece has the label and whose right piece does not.
///
/// At a vertex where the region touches itself (two sectors of one region meet at a point) the
/// walk takes the sharpest left turn, which keeps to the sector it came from. Each sector has
/// one incoming and one outgoing boundary edge, so rings never cross or touch themselves; a
/// pinch becomes two rings meeting at a point (two polygons, or a shell and a hole), which
/// OGC validity allows. Because rings are made of the lattice's own vertex ids, the boundary
/// of neighbouring regions is the same sequence of vertices, reversed.
enum BoundaryTracer {
    /// - Parameters:
    ///   - labels: a label per piece in `0..<count`, or -1 for pieces outside every region.
    ///   - count: the number of labels.
    /// - Returns: the traced region of each label, in label order.
    /// - Complexity: O(boundary edges) plus a sort of each region's edges.
    static func trace(_ lattice: RoadLattice, labels: [Int32], count: Int) -> [TracedRegion] {
        var boundary = Array(repeating: [Int32](), count: count)
        for d in 0..<(lattice.edges.count * 2) {
            let left = lattice.leftPiece[d]
            guard left >= 0 else { continue }
            let label = labels[Int(left)]
            guard label >= 0 else { continue }
            let right = lattice.leftPiece[d ^ 1]
            if right < 0 || labels[Int(right)] != label { boundary[Int(label)].append(Int32(d)) }
        }
        return boundary.map { traceOne(lattice, $0) }
    }

    private static func traceOne(_ lattice: RoadLattice, _ edges: [Int32]) -> TracedRegion {
        var outgoing: [Int32: [Int32]] = [:]
        for d in edges { outgoing[lattice.start(d), default: []].append(d) }
        var used = Set<Int32>()
        var exteriors: [[Int32]] = []
        var holes: [[Int32]] = []
        for first in edges where !used.contains(first) {
            var ring: [Int32] = []
            var d = first
            while true {
                used.insert(d)
                lattice.walk(d, into: &ring)
                let v = lattice.end(d)
                let candidates = outgoing[v, default: []].filter { $0 == first || !used.contains($0) }
                var next: Int32
                if candidates.count == 1 {
                    next = candidates[0]
                } else {
                    // Sharpest left turn from the incoming segment.
                    let p = lattice.penultimate(d)
                    let inX = lattice.x[Int(v)] - lattice.x[Int(p)], inY = lattice.y[Int(v)] - lattice.y[Int(p)]
                    next = candidates[0]
                    var bestTurn = -Double.infinity
                    for c in candidates {
                        let q = lattice.second(c)
                        let outX = lattice.x[Int(q)] - lattice.x[Int(v)], outY = lattice.y[Int(q)] - lattice.y[Int(v)]
                        let turn = atan2(inX * outY - inY * outX, inX * outX + inY * outY)
                        if turn > bestTurn { bestTurn = turn; next = c }
                    }
                }
                if next == first { break }
                d = next
            }
            if signedArea(lattice, ring) > 0 { exteriors.append(ring) } else { holes.append(ring) }
        }
        var parts = exteriors.map { (exterior: $0, holes: [[Int32]]()) }
        for hole in holes {
            if parts.count == 1 { parts[0].holes.append(hole); continue }
            // A hole's first segment midpoint is strictly inside its shell (holes share at most points).
            let mx = (lattice.x[Int(hole[0])] + lattice.x[Int(hole[1])]) / 2
            let my = (lattice.y[Int(hole[0])] + lattice.y[Int(hole[1])]) / 2
            let owner = parts.firstIndex { contains(lattice, $0.exterior, mx, my) } ?? 0
            parts[owner].holes.append(hole)
        }
        return TracedRegion(parts: parts)
    }

    /// Shoelace area in m² (positive for counter-clockwise rings).
    static func signedArea(_ lattice: RoadLattice, _ ring: [Int32]) -> Double {
        var s = 0.0
        for k in 0..<ring.count {
            let a = Int(ring[k]), b = Int(ring[(k + 1) % ring.count])
            s += lattice.x[a] * lattice.y[b] - lattice.x[b] * lattice.y[a]
        }
        return s / 2
    }

    /// Even-odd point in ring (the point is never on the ring where this is used).
    static func contains(_ lattice: RoadLattice, _ ring: [Int32], _ px: Double, _ py: Double) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let xi = lattice.x[Int(ring[i])], yi = lattice.y[Int(ring[i])]
            let xj = lattice.x[Int(ring[j])], yj = lattice.y[Int(ring[j])]
            if (yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi { inside.toggle() }
            j = i
        }
        return inside
    }
}
