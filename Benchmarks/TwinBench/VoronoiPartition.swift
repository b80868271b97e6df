// A deterministic Voronoi partition of a box, like a city's merged grid: jittered-grid sites,
// cells by half-plane clipping, every vertex recomputed canonically from the sites that define
// it, and every shared edge densified with the same intermediate points for both neighbours.
// So shared edges are bit-for-bit identical and the union is exactly the box.
// (Tests/TwinIndexTests/LocatorFixtures.swift holds the same generator for the tests.)

/// Cells of the partition, each one ring as interleaved x, y (not closed), plus the sites.
struct VoronoiPartition {
    var cells: [[Double]] = []
    var box: (minX: Double, minY: Double, maxX: Double, maxY: Double)

    init(columns: Int, rows: Int, box: (minX: Double, minY: Double, maxX: Double, maxY: Double), seed: UInt64) {
        self.box = box
        var rng = SeededRandom(seed: seed)
        func unit() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
        let (x0, y0, x1, y1) = box
        let dx = (x1 - x0) / Double(columns), dy = (y1 - y0) / Double(rows)
        var sites: [(Double, Double)] = []
        for j in 0 ..< rows {
            for i in 0 ..< columns {
                sites.append((x0 + (Double(i) + 0.5 + 0.7 * (unit() - 0.5)) * dx,
                              y0 + (Double(j) + 0.5 + 0.7 * (unit() - 0.5)) * dy))
            }
        }
        // Edge labels: a neighbour site index, or -1 -2 -3 -4 for the bottom, right, top, left side.
        func bisectorPoint(_ s: Int, _ n: Int, side: Int) -> (Double, Double) {
            let (a, b) = s < n ? (sites[s], sites[n]) : (sites[n], sites[s])
            let mx = (a.0 + b.0) / 2, my = (a.1 + b.1) / 2, nx = b.0 - a.0, ny = b.1 - a.1
            if side == -1 || side == -3 {
                let y = side == -1 ? y0 : y1
                return (mx - ny * (y - my) / nx, y)
            }
            let x = side == -2 ? x1 : x0
            return (x, my - nx * (x - mx) / ny)
        }
        func circumcentre(_ i: Int, _ j: Int, _ k: Int) -> (Double, Double) {
            let s = [i, j, k].sorted()
            let (a, b, c) = (sites[s[0]], sites[s[1]], sites[s[2]])
            let bx = b.0 - a.0, by = b.1 - a.1, cx = c.0 - a.0, cy = c.1 - a.1
            let d = 2 * (bx * cy - by * cx)
            let b2 = bx * bx + by * by, c2 = cx * cx + cy * cy
            return (a.0 + (cy * b2 - by * c2) / d, a.1 + (bx * c2 - cx * b2) / d)
        }
        /// Intermediate points of p→q, derived from the sorted endpoint pair (reversed for q→p).
        func densify(_ p: (Double, Double), _ q: (Double, Double), wiggle: Bool) -> [(Double, Double)] {
            let forward = p.0 < q.0 || (p.0 == q.0 && p.1 < q.1)
            let (a, b) = forward ? (p, q) : (q, p)
            var r = SeededRandom(seed: a.0.bitPattern ^ (a.1.bitPattern &* 31) ^ (b.0.bitPattern &* 1009) ^ (b.1.bitPattern &* 7919))
            let k = 3 + Int(r.next() % 6)
            var points: [(Double, Double)] = []
            for m in 1 ... k {
                let t = Double(m) / Double(k + 1)
                let w = wiggle ? 0.02 * (Double(r.next() >> 11) * 0x1p-53 - 0.5) : 0
                points.append((a.0 + (b.0 - a.0) * t - (b.1 - a.1) * w, a.1 + (b.1 - a.1) * t + (b.0 - a.0) * w))
            }
            return forward ? points : points.reversed()
        }
        for s in sites.indices {
            let si = s % columns, sj = s / columns
            var poly: [(Double, Double)] = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
            var labels = [-1, -2, -3, -4]
            for nj in max(0, sj - 3) ... min(rows - 1, sj + 3) {
                for ni in max(0, si - 3) ... min(columns - 1, si + 3) {
                    let n = nj * columns + ni
                    if n == s { continue }
                    let (sx, sy) = sites[s], (tx, ty) = sites[n]
                    let nx = tx - sx, ny = ty - sy, mx = (sx + tx) / 2, my = (sy + ty) / 2
                    var newPoly: [(Double, Double)] = [], newLabels: [Int] = []
                    for k in poly.indices {
                        let p = poly[k], q = poly[(k + 1) % poly.count]
                        let fp = (p.0 - mx) * nx + (p.1 - my) * ny, fq = (q.0 - mx) * nx + (q.1 - my) * ny
                        if fp <= 0 { newPoly.append(p); newLabels.append(labels[k]) }
                        if (fp <= 0) != (fq <= 0) {
                            let t = fp / (fp - fq)
                            newPoly.append((p.0 + (q.0 - p.0) * t, p.1 + (q.1 - p.1) * t))
                            newLabels.append(fp <= 0 ? n : labels[k])
                        }
                    }
                    poly = newPoly; labels = newLabels
                }
            }
            var vertices: [(Double, Double)] = []
            for k in poly.indices {
                let a = labels[(k + poly.count - 1) % poly.count], b = labels[k]
                if a >= 0 && b >= 0 { vertices.append(circumcentre(s, a, b)) }
                else if a >= 0 { vertices.append(bisectorPoint(s, a, side: b)) }
                else if b >= 0 { vertices.append(bisectorPoint(s, b, side: a)) }
                else { vertices.append(([a, b].contains(-4) ? x0 : x1, [a, b].contains(-1) ? y0 : y1)) }
            }
            var ring: [Double] = []
            for k in vertices.indices {
                let p = vertices[k], q = vertices[(k + 1) % vertices.count]
                ring.append(p.0); ring.append(p.1)
                for m in densify(p, q, wiggle: labels[k] >= 0) { ring.append(m.0); ring.append(m.1) }
            }
            cells.append(ring)
        }
    }
}
