// Partitions for the locator tests. The Voronoi generator mirrors
// Benchmarks/TwinBench/VoronoiPartition.swift (tests cannot import the benchmark target).
@testable import TwinIndex

/// SplitMix64, so every test run sees the same points.
struct LocatorTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// Cells as rings of (x, y) points, with a builder shortcut.
typealias LocatorTestCell = [[(x: Double, y: Double)]]

func makeLocator(_ cells: [LocatorTestCell], options: PartitionLocator.Options = .init()) throws -> PartitionLocator {
    var builder = PartitionLocator.Builder()
    for cell in cells { try builder.addCell(rings: cell) }
    return try builder.finish(options: options)
}

func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [(x: Double, y: Double)] {
    [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
}

/// An n × m grid of unit squares; cell index = row * n + column (row 0 at the bottom).
func squareGrid(_ n: Int, _ m: Int) -> [LocatorTestCell] {
    var cells: [LocatorTestCell] = []
    for r in 0 ..< m { for c in 0 ..< n { cells.append([square(Double(c), Double(r), Double(c + 1), Double(r + 1))]) } }
    return cells
}

/// A Voronoi partition of the box from jittered-grid sites, with every shared edge densified by
/// the same intermediate points for both neighbours (derived from the sorted endpoint pair), so
/// shared edges are bit-for-bit identical. The union is exactly the box.
func voronoiPartition(columns: Int, rows: Int, box: (Double, Double, Double, Double), seed: UInt64)
    -> [LocatorTestCell] {
    var rng = LocatorTestRandom(seed: seed)
    let (x0, y0, x1, y1) = box
    let dx = (x1 - x0) / Double(columns), dy = (y1 - y0) / Double(rows)
    var sites: [(Double, Double)] = []
    for j in 0 ..< rows {
        for i in 0 ..< columns {
            sites.append((x0 + (Double(i) + 0.5 + 0.7 * (rng.unit() - 0.5)) * dx,
                          y0 + (Double(j) + 0.5 + 0.7 * (rng.unit() - 0.5)) * dy))
        }
    }
    // Labels of polygon edges: a site index, or -1 -2 -3 -4 for bottom, right, top, left.
    func bisectorPoint(_ s: Int, _ n: Int, side: Int) -> (Double, Double) {
        let (a, b) = s < n ? (sites[s], sites[n]) : (sites[n], sites[s])
        let mx = (a.0 + b.0) / 2, my = (a.1 + b.1) / 2, nx = b.0 - a.0, ny = b.1 - a.1
        if side == -1 || side == -3 { // y fixed: nx (x - mx) + ny (y - my) = 0
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
    func corner(_ a: Int, _ b: Int) -> (Double, Double) {
        let sides = Set([a, b])
        return (sides.contains(-4) ? x0 : x1, sides.contains(-1) ? y0 : y1)
    }
    func hash(_ a: (Double, Double), _ b: (Double, Double)) -> UInt64 {
        var r = LocatorTestRandom(seed: a.0.bitPattern ^ (a.1.bitPattern &* 31) ^ (b.0.bitPattern &* 1009) ^ (b.1.bitPattern &* 7919))
        return r.next()
    }
    /// The intermediate points of edge p→q, identical (reversed) for q→p.
    func densify(_ p: (Double, Double), _ q: (Double, Double), wiggle: Bool) -> [(Double, Double)] {
        let forward = p.0 < q.0 || (p.0 == q.0 && p.1 < q.1)
        let (a, b) = forward ? (p, q) : (q, p)
        var r = LocatorTestRandom(seed: hash(a, b))
        let k = 3 + Int(r.next() % 6)
        var points: [(Double, Double)] = []
        for m in 1 ... k {
            let t = Double(m) / Double(k + 1)
            let w = wiggle ? 0.02 * (r.unit() - 0.5) : 0
            points.append((a.0 + (b.0 - a.0) * t - (b.1 - a.1) * w, a.1 + (b.1 - a.1) * t + (b.0 - a.0) * w))
        }
        return forward ? points : points.reversed()
    }

    var cells: [LocatorTestCell] = []
    for s in sites.indices {
        let si = s % columns, sj = s / columns
        var poly: [(Double, Double)] = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        var labels = [-1, -2, -3, -4] // labels[k]: edge poly[k] → poly[k+1]
        for nj in max(0, sj - 3) ... min(rows - 1, sj + 3) {
            for ni in max(0, si - 3) ... min(columns - 1, si + 3) {
                let n = nj * columns + ni
                if n == s { continue }
                let (sx, sy) = sites[s], (tx, ty) = sites[n]
                let nx = tx - sx, ny = ty - sy, mx = (sx + tx) / 2, my = (sy + ty) / 2
                func f(_ p: (Double, Double)) -> Double { (p.0 - mx) * nx + (p.1 - my) * ny }
                var newPoly: [(Double, Double)] = [], newLabels: [Int] = []
                for k in poly.indices {
                    let p = poly[k], q = poly[(k + 1) % poly.count]
                    let fp = f(p), fq = f(q)
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
        // Canonical vertices: each is defined by the labels of its two edges.
        var ring: [(x: Double, y: Double)] = []
        var vertices: [(Double, Double)] = []
        for k in poly.indices {
            let a = labels[(k + poly.count - 1) % poly.count], b = labels[k]
            if a >= 0 && b >= 0 { vertices.append(circumcentre(s, a, b)) }
            else if a >= 0 { vertices.append(bisectorPoint(s, a, side: b)) }
            else if b >= 0 { vertices.append(bisectorPoint(s, b, side: a)) }
            else { vertices.append(corner(a, b)) }
        }
        for k in vertices.indices {
            let p = vertices[k], q = vertices[(k + 1) % vertices.count]
            ring.append((p.0, p.1))
            for m in densify(p, q, wiggle: labels[k] >= 0) { ring.append((m.0, m.1)) }
        }
        cells.append([ring])
    }
    return cells
}

/// Plain floating-point even–odd test, ignoring the boundary: the independent check of
/// "inside the union" for points that are not on an edge.
func plainContains(_ cell: LocatorTestCell, _ x: Double, _ y: Double) -> Bool {
    var inside = false
    for ring in cell {
        var j = ring.count - 1
        for i in ring.indices {
            let a = ring[j], b = ring[i]
            if (a.y > y) != (b.y > y) && x < a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y) { inside.toggle() }
            j = i
        }
    }
    return inside
}
