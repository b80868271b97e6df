/// The city blocks (单元网格, unit grid cells): one or more lattice pieces each, their
/// polygons, sizes and edge adjacency. Everything above the unit cell is a set of blocks.
struct BlockGraph {
    /// Block of each lattice piece.
    private(set) var blockOfPiece: [Int32]
    /// Pieces of each block.
    private(set) var pieces: [[Int]]
    /// Blocks sharing at least one edge, ascending.
    private(set) var adjacency: [[Int]]
    /// Area centroid in metres.
    private(set) var centroid: [(x: Double, y: Double)]
    /// Area in m² (metric frame).
    private(set) var area: [Double]
    /// Exterior ring (vertex ids, counter-clockwise, open); blocks have no holes.
    private(set) var ring: [[Int32]]

    var count: Int { pieces.count }

    /// Groups pieces into blocks: a quad keeps both triangles of a diagonal apart (the diagonal
    /// is a road); about 10 % of plain quads absorb their eastern neighbour and 5 % their
    /// northern one (parks, campuses, factory compounds), so blocks differ in size and shape.
    init(lattice: RoadLattice, rng base: SplitMix64) {
        var rng = base.derived("blocks.merge")
        let nx = lattice.nx, ny = lattice.ny
        var blockOfPiece = Array(repeating: Int32(-1), count: lattice.pieces.count)
        var pieces: [[Int]] = []
        func plain(_ i: Int, _ j: Int) -> Int? {
            guard i < nx, j < ny, lattice.included[j * nx + i], lattice.split[j * nx + i] == .none else { return nil }
            let p = Int(lattice.quadPiece[j * nx + i])
            return blockOfPiece[p] < 0 ? p : nil
        }
        for (p, piece) in lattice.pieces.enumerated() where blockOfPiece[p] < 0 {
            var members = [p]
            if lattice.split[piece.j * nx + piece.i] == .none {
                let r = rng.unit()
                if r < 0.10, let east = plain(piece.i + 1, piece.j) { members.append(east) }
                else if r < 0.15, let north = plain(piece.i, piece.j + 1) { members.append(north) }
            }
            for m in members { blockOfPiece[m] = Int32(pieces.count) }
            pieces.append(members)
        }
        self.blockOfPiece = blockOfPiece
        self.pieces = pieces
        var adjacency = Array(repeating: Set<Int>(), count: pieces.count)
        for (p, _) in lattice.pieces.enumerated() {
            let b = Int(blockOfPiece[p])
            for n in lattice.neighbours(ofPiece: p) where n >= 0 && blockOfPiece[Int(n)] != b {
                adjacency[b].insert(Int(blockOfPiece[Int(n)]))
            }
        }
        self.adjacency = adjacency.map { $0.sorted() }
        let traced = BoundaryTracer.trace(lattice, labels: blockOfPiece, count: pieces.count)
        ring = traced.map { $0.parts[0].exterior }
        centroid = []
        area = []
        for r in ring {
            var a = 0.0, cx = 0.0, cy = 0.0
            for k in 0..<r.count {
                let p = Int(r[k]), q = Int(r[(k + 1) % r.count])
                let cross = lattice.x[p] * lattice.y[q] - lattice.x[q] * lattice.y[p]
                a += cross
                cx += (lattice.x[p] + lattice.x[q]) * cross
                cy += (lattice.y[p] + lattice.y[q]) * cross
            }
            area.append(a / 2)
            centroid.append((cx / (3 * a), cy / (3 * a)))
        }
    }

    /// Even-odd test of a metric point against a block's ring.
    func contains(_ lattice: RoadLattice, block: Int, x px: Double, y py: Double) -> Bool {
        BoundaryTracer.contains(lattice, ring[block], px, py)
    }
}

/// Seeded region growing over the block graph: contiguous, compact, roughly equal regions.
enum RegionGrowing {
    /// Splits `members` (a connected set of blocks) into `count` contiguous regions.
    ///
    /// Seeds are spread by farthest-point sampling from a random first block. Then the region
    /// that is smallest relative to its random weight (0.75–1.25) takes the frontier block
    /// nearest to its seed (plus up to 40 m of noise), until every block is taken.
    ///
    /// - Returns: the region index (`0..<count`) of each member, in `members` order.
    static func grow(_ graph: BlockGraph, members: [Int], count requested: Int, rng base: SplitMix64) -> [Int] {
        var rng = base
        let count = max(1, min(requested, members.count))
        var local = [Int: Int]()
        for (k, b) in members.enumerated() { local[b] = k }
        func dist2(_ a: Int, _ b: Int) -> Double {
            let p = graph.centroid[a], q = graph.centroid[b]
            return (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)
        }
        var seeds = [members[rng.int(in: 0...(members.count - 1))]]
        var minDist = members.map { dist2($0, seeds[0]) }
        while seeds.count < count {
            var best = 0, bestScore = -1.0
            for (k, d) in minDist.enumerated() {
                let score = d * rng.uniform(0.8, 1.0)
                if score > bestScore { bestScore = score; best = k }
            }
            seeds.append(members[best])
            for (k, b) in members.enumerated() { minDist[k] = min(minDist[k], dist2(b, members[best])) }
        }
        var region = Array(repeating: -1, count: members.count)
        var sizes = Array(repeating: 1, count: count)
        let weights = (0..<count).map { _ in rng.uniform(0.75, 1.25) }
        var frontier = Array(repeating: [Int](), count: count)
        for (r, s) in seeds.enumerated() { region[local[s]!] = r }
        for (r, s) in seeds.enumerated() {
            for n in graph.adjacency[s] where local[n] != nil && region[local[n]!] < 0 { frontier[r].append(n) }
        }
        var remaining = members.count - count
        while remaining > 0 {
            var chosen = -1, chosenRatio = Double.infinity
            for r in 0..<count {
                frontier[r].removeAll { region[local[$0]!] >= 0 }
                if !frontier[r].isEmpty, Double(sizes[r]) / weights[r] < chosenRatio {
                    chosenRatio = Double(sizes[r]) / weights[r]; chosen = r
                }
            }
            if chosen < 0 { break }  // members not connected: the rest go to the nearest seed below
            var pick = 0, pickScore = Double.infinity
            for (k, b) in frontier[chosen].enumerated() {
                let score = dist2(b, seeds[chosen]).squareRoot() + rng.uniform(0, 40)
                if score < pickScore { pickScore = score; pick = k }
            }
            let b = frontier[chosen].remove(at: pick)
            region[local[b]!] = chosen
            sizes[chosen] += 1
            remaining -= 1
            for n in graph.adjacency[b] where local[n] != nil && region[local[n]!] < 0 { frontier[chosen].append(n) }
        }
        for (k, b) in members.enumerated() where region[k] < 0 {
            region[k] = (0..<count).min { dist2(b, seeds[$0]) < dist2(b, seeds[$1]) }!
        }
        return region
    }

    /// Splits `total` into one share per entry of `sizes`, proportional to size (largest
    /// remainder), each share at least 1 and at most its size.
    static func allocate(_ total: Int, over sizes: [Int]) -> [Int] {
        let sum = sizes.reduce(0, +)
        guard sum > 0 else { return sizes.map { _ in 0 } }
        let exact = sizes.map { Double(total) * Double($0) / Double(sum) }
        var shares = zip(exact, sizes).map { min($1, max(1, Int($0))) }
        var order = Array(sizes.indices)
        order.sort { (exact[$0] - exact[$0].rounded(.down), $1) > (exact[$1] - exact[$1].rounded(.down), $0) }
        var left = total - shares.reduce(0, +)
        var k = 0
        while left > 0 && k < order.count * 4 {
            let i = order[k % order.count]
            if shares[i] < sizes[i] { shares[i] += 1; left -= 1 }
            k += 1
        }
        return shares
    }
}
