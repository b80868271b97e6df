#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TwinGeo

/// Random places in the district, shared by the asset and event generators.
extension DistrictGrid {
    /// A road edge: a lattice edge between two different blocks (or on the outline).
    struct RoadEdge {
        var edge: Int
        var road: String
    }

    /// Every lattice edge that is a road, in edge order, with its road name. The edges inside
    /// merged blocks are not roads.
    func roadEdges() -> [RoadEdge] {
        var name = Array(repeating: "", count: lattice.edges.count)
        for j in 0...lattice.ny { for i in 0..<lattice.nx where lattice.hEdge[j * lattice.nx + i] >= 0 {
            name[Int(lattice.hEdge[j * lattice.nx + i])] = eastWestRoads[j]
        } }
        for j in 0..<lattice.ny { for i in 0...lattice.nx where lattice.vEdge[j * (lattice.nx + 1) + i] >= 0 {
            name[Int(lattice.vEdge[j * (lattice.nx + 1) + i])] = northSouthRoads[i]
        } }
        var result: [RoadEdge] = []
        for e in 0..<lattice.edges.count {
            let left = lattice.leftPiece[2 * e], right = lattice.leftPiece[2 * e + 1]
            let lb = left < 0 ? -1 : blocks.blockOfPiece[Int(left)], rb = right < 0 ? -1 : blocks.blockOfPiece[Int(right)]
            guard lb != rb else { continue }
            var road = name[e]
            if road.isEmpty {  // a diagonal: which one follows from the quad's split
                let piece = lattice.pieces[Int(left >= 0 ? left : right)]
                road = lattice.split[piece.j * lattice.nx + piece.i] == .diagonal ? diagonalRoads[0] : diagonalRoads[1]
            }
            result.append(RoadEdge(edge: e, road: road))
        }
        return result
    }

    /// Cumulative block areas for area-weighted picks.
    func cumulativeAreas() -> [Double] {
        var sum = 0.0
        return blocks.area.map { sum += $0; return sum }
    }

    /// A block drawn with probability proportional to its area.
    func randomBlock(_ cumulative: [Double], rng: inout SplitMix64) -> Int {
        let r = rng.unit() * cumulative.last!
        var lo = 0, hi = cumulative.count - 1
        while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > r { hi = mid } else { lo = mid + 1 } }
        return lo
    }

    /// A uniform point strictly inside a block (metres), by rejection from its bounding box.
    func randomPoint(inBlock b: Int, rng: inout SplitMix64) -> (x: Double, y: Double) {
        let ring = blocks.ring[b]
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for v in ring {
            minX = min(minX, lattice.x[Int(v)]); maxX = max(maxX, lattice.x[Int(v)])
            minY = min(minY, lattice.y[Int(v)]); maxY = max(maxY, lattice.y[Int(v)])
        }
        for _ in 0..<200 {
            let px = rng.uniform(minX, maxX), py = rng.uniform(minY, maxY)
            if blocks.contains(lattice, block: b, x: px, y: py) { return (px, py) }
        }
        return blocks.centroid[b]
    }

    /// Smallest distance (metres) from a point to a block's boundary.
    func distanceToBoundary(ofBlock b: Int, x px: Double, y py: Double) -> Double {
        let ring = blocks.ring[b]
        var best = Double.infinity
        for k in 0..<ring.count {
            let a = Int(ring[k]), c = Int(ring[(k + 1) % ring.count])
            best = min(best, OutlineDistance.segmentDistance(px, py, lattice.x[a], lattice.y[a], lattice.x[c], lattice.y[c]))
        }
        return best
    }

    /// A road bordering the block, with the lane (弄) number of that side: odd on the north/west
    /// side of a road, numbered upward eastward/northward.
    func address(ofBlock b: Int, rng: inout SplitMix64) -> (road: String, lane: Int) {
        let piece = lattice.pieces[blocks.pieces[b][0]]
        switch rng.int(in: 0...3) {
        case 0: return (eastWestRoads[piece.j], 2 * piece.i + 1)        // block is north of its south road
        case 1: return (eastWestRoads[piece.j + 1], 2 * piece.i + 2)
        case 2: return (northSouthRoads[piece.i], 2 * piece.j + 2)     // block is east of its west road
        default: return (northSouthRoads[piece.i + 1], 2 * piece.j + 1)
        }
    }

    /// A point on a road edge at fraction `t` between its end nodes, `side` metres to its left,
    /// and the edge's compass bearing in degrees.
    func pointOnRoad(_ edge: Int, t: Double, side: Double) -> (x: Double, y: Double, bearing: Double) {
        let e = lattice.edges[edge]
        let ax = lattice.x[Int(e.a)], ay = lattice.y[Int(e.a)], bx = lattice.x[Int(e.b)], by = lattice.y[Int(e.b)]
        let dx = bx - ax, dy = by - ay
        let length = (dx * dx + dy * dy).squareRoot()
        let bearing = atan2(dx, dy) * 180 / .pi
        return (ax + t * dx - side * dy / length, ay + t * dy + side * dx / length, bearing < 0 ? bearing + 360 : bearing)
    }
}
