#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The road network as a planar subdivision in metres: a perturbed, warped lattice of roads
/// whose faces ("pieces": quadrilaterals, or two triangles where a diagonal road crosses) tile
/// the district without gaps.
///
/// Every vertex exists once: lattice nodes first (`node(i, j)`), then the densified points of
/// each edge, owned by the edge and listed from `a` to `b`. A piece's ring is a list of
/// directed edges (`edge * 2` forward, `edge * 2 + 1` backward, counter-clockwise), so any set
/// of pieces has a boundary made of the very same vertex ids as its neighbours'
/// (``BoundaryTracer``). That is what makes every derived layer an exact partition.
struct RoadLattice {
    /// How a lattice quad is cut.
    enum Split: UInt8 { case none, diagonal, antiDiagonal }

    struct Edge {
        var a: Int32
        var b: Int32
        /// Densified points from `a` to `b` (shared by both neighbours).
        var inner: [Int32]
    }

    struct Piece {
        /// Lattice quad column and row (row 0 is the southernmost).
        var i: Int
        var j: Int
        /// Counter-clockwise directed edges.
        var ring: [Int32]
    }

    let nx: Int
    let ny: Int
    private(set) var x: [Double] = []
    private(set) var y: [Double] = []
    private(set) var edges: [Edge] = []
    private(set) var pieces: [Piece] = []
    /// The piece to the left of each directed edge, or -1 (outside the district).
    private(set) var leftPiece: [Int32] = []
    /// Quad inclusion mask, `j * nx + i`.
    private(set) var included: [Bool]
    private(set) var split: [Split]
    /// First piece of each included quad (`-1` otherwise); a split quad's second piece follows it.
    private(set) var quadPiece: [Int32]
    /// Edge ids of the horizontal (east–west) edges `(i, j)…(i+1, j)`, `j * nx + i`, -1 if absent.
    private(set) var hEdge: [Int32]
    /// Edge ids of the vertical (south–north) edges `(i, j)…(i, j+1)`, `j * (nx + 1) + i`, -1 if absent.
    private(set) var vEdge: [Int32]

    var vertexCount: Int { x.count }
    func node(_ i: Int, _ j: Int) -> Int32 { Int32(j * (nx + 1) + i) }

    /// Vertex ids of a directed edge from its start to (excluding) its end.
    func walk(_ directed: Int32, into out: inout [Int32]) {
        let e = edges[Int(directed >> 1)]
        if directed & 1 == 0 {
            out.append(e.a); out.append(contentsOf: e.inner)
        } else {
            out.append(e.b); out.append(contentsOf: e.inner.reversed())
        }
    }
    func start(_ directed: Int32) -> Int32 { let e = edges[Int(directed >> 1)]; return directed & 1 == 0 ? e.a : e.b }
    func end(_ directed: Int32) -> Int32 { let e = edges[Int(directed >> 1)]; return directed & 1 == 0 ? e.b : e.a }
    /// The second vertex along a directed edge (for turn angles at its start).
    func second(_ directed: Int32) -> Int32 {
        let e = edges[Int(directed >> 1)]
        if directed & 1 == 0 { return e.inner.first ?? e.b }
        return e.inner.last ?? e.a
    }
    /// The last vertex before the end of a directed edge.
    func penultimate(_ directed: Int32) -> Int32 {
        let e = edges[Int(directed >> 1)]
        if directed & 1 == 0 { return e.inner.last ?? e.a }
        return e.inner.first ?? e.b
    }

    /// Lays out the lattice for a district of `width` × `height` metres centred on the origin.
    ///
    /// Steps (each from its own random stream): column widths 100–175 m and row heights
    /// 95–165 m; each node jittered by up to ±10 m, then the whole lattice bent by a smooth warp
    /// (amplitude ~45 m, wavelengths 2–3 km) so roads curve; quads kept when their centre lies in a
    /// lobed ellipse (the irregular outline), reduced to one edge-connected piece without holes
    /// or corner-only contacts; one south-west→north-east and one south-east→north-west diagonal
    /// road cutting quads into triangles; edges densified every ~35 m with a gentle bow of up
    /// to ±3 m.
    init(width: Double, height: Double, rng base: SplitMix64) {
        var rng = base.derived("lattice.spacing")
        func spacings(total: Double, low: Double, high: Double) -> [Double] {
            var s: [Double] = []
            var sum = 0.0
            while sum < total - low / 2 { let v = rng.uniform(low, high); s.append(v); sum += v }
            if s.isEmpty { s = [total] } else { let k = total / sum; s = s.map { $0 * k } }
            return s
        }
        let cols = spacings(total: width, low: 100, high: 175)
        let rows = spacings(total: height, low: 95, high: 165)
        nx = cols.count
        ny = rows.count
        var xs = [-width / 2], ys = [-height / 2]
        for c in cols { xs.append(xs.last! + c) }
        for r in rows { ys.append(ys.last! + r) }

        // Nodes: jitter, then a smooth warp (the same function everywhere, so roads bend together).
        var jitter = base.derived("lattice.jitter")
        var warpRNG = base.derived("lattice.warp")
        let p = (0..<6).map { _ in warpRNG.uniform(0, 2 * .pi) }
        let w1 = warpRNG.uniform(2000, 2600), w2 = warpRNG.uniform(2600, 3400)
        for j in 0...ny {
            for i in 0...nx {
                var px = xs[i], py = ys[j]
                if i > 0 && i < nx { px += jitter.uniform(-10, 10) }
                if j > 0 && j < ny { py += jitter.uniform(-10, 10) }
                let dx = 30 * sin(2 * .pi * py / w1 + p[0]) + 18 * sin(2 * .pi * (px + py) / w2 + p[1])
                let dy = 28 * sin(2 * .pi * px / w1 + p[2]) + 16 * sin(2 * .pi * (px - py) / w2 + p[3])
                x.append(px + dx); y.append(py + dy)
            }
        }

        // Outline mask: a lobed ellipse filling most of the box.
        var shapeRNG = base.derived("lattice.outline")
        let phases = (0..<3).map { _ in shapeRNG.uniform(0, 2 * .pi) }
        included = Array(repeating: false, count: nx * ny)
        split = Array(repeating: .none, count: nx * ny)
        quadPiece = Array(repeating: -1, count: nx * ny)
        hEdge = Array(repeating: -1, count: nx * (ny + 1))
        vEdge = Array(repeating: -1, count: (nx + 1) * ny)
        for j in 0..<ny {
            for i in 0..<nx {
                let cx = (xs[i] + xs[i + 1]) / 2, cy = (ys[j] + ys[j + 1]) / 2
                let u = cx / (width / 2), v = cy / (height / 2)
                let theta = atan2(v, u)
                let radius = 0.93 * (1 + 0.12 * sin(2 * theta + phases[0]) + 0.08 * sin(3 * theta + phases[1])
                    + 0.05 * sin(5 * theta + phases[2]))
                included[j * nx + i] = (u * u + v * v).squareRoot() < radius
            }
        }
        cleanMask()

        // Diagonal roads through the middle of the district.
        var diagRNG = base.derived("lattice.diagonals")
        let k1 = (nx - ny) / 2 + diagRNG.int(in: -2...2)
        let k2 = (nx + ny) / 2 + diagRNG.int(in: -3...3)
        for j in 0..<ny {
            for i in 0..<nx where included[j * nx + i] {
                if i - j == k1 { split[j * nx + i] = .diagonal } else if i + j == k2 { split[j * nx + i] = .antiDiagonal }
            }
        }
        buildEdgesAndPieces(rng: base.derived("lattice.densify"))
    }

    private func quadIncluded(_ i: Int, _ j: Int) -> Bool {
        i >= 0 && j >= 0 && i < nx && j < ny && included[j * nx + i]
    }

    /// Keeps the largest edge-connected component, fills enclosed holes and removes corner-only
    /// contacts (so the outline is one simple ring), until nothing changes.
    private mutating func cleanMask() {
        for _ in 0..<20 {
            var changed = false
            // Largest component.
            var label = Array(repeating: -1, count: nx * ny)
            var best = -1, bestSize = 0, next = 0
            for start in 0..<(nx * ny) where included[start] && label[start] < 0 {
                var stack = [start]; label[start] = next; var size = 0
                while let q = stack.popLast() {
                    size += 1
                    let i = q % nx, j = q / nx
                    for (di, dj) in [(1, 0), (-1, 0), (0, 1), (0, -1)] where quadIncluded(i + di, j + dj) {
                        let n = (j + dj) * nx + i + di
                        if label[n] < 0 { label[n] = next; stack.append(n) }
                    }
                }
                if size > bestSize { bestSize = size; best = next }
                next += 1
            }
            for q in 0..<(nx * ny) where included[q] && label[q] != best { included[q] = false; changed = true }
            // Holes: excluded quads not reachable from the lattice border through excluded quads.
            var outside = Array(repeating: false, count: nx * ny)
            var stack: [Int] = []
            for j in 0..<ny { for i in 0..<nx where (i == 0 || j == 0 || i == nx - 1 || j == ny - 1) && !included[j * nx + i] {
                outside[j * nx + i] = true; stack.append(j * nx + i)
            } }
            while let q = stack.popLast() {
                let i = q % nx, j = q / nx
                for (di, dj) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                    let a = i + di, b = j + dj
                    guard a >= 0, b >= 0, a < nx, b < ny else { continue }
                    let n = b * nx + a
                    if !included[n] && !outside[n] { outside[n] = true; stack.append(n) }
                }
            }
            for q in 0..<(nx * ny) where !included[q] && !outside[q] { included[q] = true; changed = true }
            // Corner-only contacts: fill one of the two empty quads of the 2×2 window.
            for j in 0..<(ny - 1) {
                for i in 0..<(nx - 1) {
                    let a = quadIncluded(i, j), b = quadIncluded(i + 1, j), c = quadIncluded(i, j + 1), d = quadIncluded(i + 1, j + 1)
                    if a && d && !b && !c { included[j * nx + i + 1] = true; changed = true }
                    if b && c && !a && !d { included[j * nx + i] = true; changed = true }
                }
            }
            if !changed { return }
        }
    }

    private mutating func addEdge(_ a: Int32, _ b: Int32, rng: inout SplitMix64) -> Int32 {
        let ax = x[Int(a)], ay = y[Int(a)], bx = x[Int(b)], by = y[Int(b)]
        let dx = bx - ax, dy = by - ay
        let length = (dx * dx + dy * dy).squareRoot()
        let count = max(2, Int((length / 35).rounded()))
        let bow = rng.uniform(-3, 3)
        let nxv = -dy / length, nyv = dx / length
        var inner: [Int32] = []
        for k in 1...count {
            let t = Double(k) / Double(count + 1)
            let off = bow * sin(.pi * t)
            inner.append(Int32(x.count))
            x.append(ax + t * dx + off * nxv)
            y.append(ay + t * dy + off * nyv)
        }
        edges.append(Edge(a: a, b: b, inner: inner))
        return Int32(edges.count - 1)
    }

    private mutating func buildEdgesAndPieces(rng base: SplitMix64) {
        var rng = base
        for j in 0...ny {
            for i in 0..<nx where quadIncluded(i, j - 1) || quadIncluded(i, j) {
                hEdge[j * nx + i] = addEdge(node(i, j), node(i + 1, j), rng: &rng)
            }
        }
        for j in 0..<ny {
            for i in 0...nx where quadIncluded(i - 1, j) || quadIncluded(i, j) {
                vEdge[j * (nx + 1) + i] = addEdge(node(i, j), node(i, j + 1), rng: &rng)
            }
        }
        func fwd(_ e: Int32) -> Int32 { e * 2 }
        func rev(_ e: Int32) -> Int32 { e * 2 + 1 }
        for j in 0..<ny {
            for i in 0..<nx where included[j * nx + i] {
                let south = hEdge[j * nx + i], north = hEdge[(j + 1) * nx + i]
                let west = vEdge[j * (nx + 1) + i], east = vEdge[j * (nx + 1) + i + 1]
                quadPiece[j * nx + i] = Int32(pieces.count)
                switch split[j * nx + i] {
                case .none:
                    pieces.append(Piece(i: i, j: j, ring: [fwd(south), fwd(east), rev(north), rev(west)]))
                case .diagonal:  // south-west → north-east
                    let d = addEdge(node(i, j), node(i + 1, j + 1), rng: &rng)
                    pieces.append(Piece(i: i, j: j, ring: [fwd(south), fwd(east), rev(d)]))
                    pieces.append(Piece(i: i, j: j, ring: [fwd(d), rev(north), rev(west)]))
                case .antiDiagonal:  // south-east → north-west
                    let d = addEdge(node(i + 1, j), node(i, j + 1), rng: &rng)
                    pieces.append(Piece(i: i, j: j, ring: [fwd(south), fwd(d), rev(west)]))
                    pieces.append(Piece(i: i, j: j, ring: [fwd(east), rev(north), rev(d)]))
                }
            }
        }
        leftPiece = Array(repeating: -1, count: edges.count * 2)
        for (p, piece) in pieces.enumerated() { for d in piece.ring { leftPiece[Int(d)] = Int32(p) } }
    }

    /// The edge-sharing neighbours of a piece (`-1` entries are the outside).
    func neighbours(ofPiece p: Int) -> [Int32] { pieces[p].ring.map { leftPiece[Int($0 ^ 1)] } }
}
