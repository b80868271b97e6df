import TwinGeo

/// Derives the address book from the road lattice, the blocks and the buildings.
///
/// Every random draw comes from `rng.derived("addresses.…")` streams, so the address book never
/// changes the grids, assets or events generated before it.
struct AddressBookGenerator {
    let grid: DistrictGrid
    let buildings: [Building]
    let rng: SplitMix64

    /// A road in metres, for nearest-point queries.
    struct MetricRoad {
        var name: String
        /// Vertex ids (lattice) of each part.
        var parts: [[Int32]]
    }

    /// A crossing of an east–west and a south–north road at a lattice node.
    struct Intersection {
        var eastWest: String
        var northSouth: String
        var point: Coordinate
    }

    private(set) var metricRoads: [MetricRoad] = []
    private(set) var intersections: [Intersection] = []
    /// Block of each unit cell (the inverse of `grid.unitOfBlock`).
    private let blockOfUnit: [Int]
    /// Unit-cell index of each unit code.
    private let unitIndex: [String: Int]
    /// 街镇 name of each 街镇 code.
    private let townName: [String: String]

    init(grid: DistrictGrid, buildings: [Building], rng: SplitMix64) {
        self.grid = grid
        self.buildings = buildings
        self.rng = rng
        var blockOfUnit = Array(repeating: -1, count: grid.hierarchy[3].cells.count)
        for (b, u) in grid.unitOfBlock.enumerated() where u >= 0 { blockOfUnit[u] = b }
        self.blockOfUnit = blockOfUnit
        unitIndex = Dictionary(grid.hierarchy[3].cells.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        townName = Dictionary(grid.hierarchy[0].cells.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        metricRoads = Self.traceRoads(grid)
        intersections = Self.findIntersections(grid)
    }

    // MARK: Roads

    /// Each lattice line's edges in order (east–west lines by `j`, then south–north lines by `i`,
    /// then the two diagonals by row), cut into parts where the line leaves the district.
    private static func traceRoads(_ grid: DistrictGrid) -> [MetricRoad] {
        let lattice = grid.lattice
        let nx = lattice.nx, ny = lattice.ny
        func parts(_ edges: [Int32]) -> [[Int32]] {
            var parts: [[Int32]] = []
            var current: [Int32] = []
            var lastEnd: Int32 = -1
            func flush() { if !current.isEmpty { current.append(lastEnd); parts.append(current); current = [] } }
            for e in edges {
                guard e >= 0 else { flush(); continue }
                let edge = lattice.edges[Int(e)]
                if !current.isEmpty && edge.a != lastEnd { flush() }
                lattice.walk(e * 2, into: &current)
                lastEnd = edge.b
            }
            flush()
            return parts
        }
        var roads: [MetricRoad] = []
        for j in 0...ny {
            roads.append(MetricRoad(name: grid.eastWestRoads[j], parts: parts((0..<nx).map { lattice.hEdge[j * nx + $0] })))
        }
        for i in 0...nx {
            roads.append(MetricRoad(name: grid.northSouthRoads[i], parts: parts((0..<ny).map { lattice.vEdge[$0 * (nx + 1) + i] })))
        }
        // The diagonal edge of a split quad sits in its first piece's ring (see RoadLattice).
        var diagonal: [Int32] = [], antiDiagonal: [Int32] = []
        for j in 0..<ny {
            for i in 0..<nx where lattice.included[j * nx + i] {
                let ring = lattice.pieces[Int(lattice.quadPiece[j * nx + i])].ring
                switch lattice.split[j * nx + i] {
                case .diagonal: diagonal.append(ring[2] >> 1)
                case .antiDiagonal: antiDiagonal.append(ring[1] >> 1)
                case .none: break
                }
            }
        }
        roads.append(MetricRoad(name: grid.diagonalRoads[0], parts: parts(diagonal)))
        roads.append(MetricRoad(name: grid.diagonalRoads[1], parts: parts(antiDiagonal)))
        return roads.filter { !$0.parts.isEmpty }
    }

    /// Lattice nodes where an east–west road and a south–north road both have an edge.
    private static func findIntersections(_ grid: DistrictGrid) -> [Intersection] {
        let lattice = grid.lattice
        let nx = lattice.nx, ny = lattice.ny
        var out: [Intersection] = []
        for j in 0...ny {
            for i in 0...nx {
                let ew = (i > 0 && lattice.hEdge[j * nx + i - 1] >= 0) || (i < nx && lattice.hEdge[j * nx + i] >= 0)
                let ns = (j > 0 && lattice.vEdge[(j - 1) * (nx + 1) + i] >= 0) || (j < ny && lattice.vEdge[j * (nx + 1) + i] >= 0)
                guard ew && ns else { continue }
                out.append(Intersection(eastWest: grid.eastWestRoads[j], northSouth: grid.northSouthRoads[i],
                                        point: grid.degrees[Int(lattice.node(i, j))]))
            }
        }
        return out
    }

    func sampleRoads() -> [SampleRoad] {
        metricRoads.enumerated().map { k, road in
            let lattice = grid.lattice
            var total = 0.0
            var lengths: [[Double]] = []
            for part in road.parts {
                var l: [Double] = []
                for v in 1..<part.count {
                    let a = Int(part[v - 1]), b = Int(part[v])
                    let d = ((lattice.x[b] - lattice.x[a]) * (lattice.x[b] - lattice.x[a])
                        + (lattice.y[b] - lattice.y[a]) * (lattice.y[b] - lattice.y[a])).squareRoot()
                    l.append(d)
                    total += d
                }
                lengths.append(l)
            }
            // The point at half the total length, parts in order.
            var remaining = total / 2
            var midpoint = grid.degrees[Int(road.parts[0][0])]
            search: for (p, part) in road.parts.enumerated() {
                for v in 1..<part.count {
                    let d = lengths[p][v - 1]
                    if remaining <= d {
                        let a = Int(part[v - 1]), b = Int(part[v])
                        let t = d > 0 ? remaining / d : 0
                        midpoint = grid.frame.degrees(x: lattice.x[a] + t * (lattice.x[b] - lattice.x[a]),
                                                      y: lattice.y[a] + t * (lattice.y[b] - lattice.y[a]))
                        break search
                    }
                    remaining -= d
                }
            }
            return SampleRoad(id: "R" + SampleNames.padded(k + 1, 3), name: road.name,
                              parts: road.parts.map { LineString($0.map { grid.degrees[Int($0)] }) },
                              midpoint: midpoint, lengthMetres: (total * 100).rounded() / 100)
        }
    }

    /// The point of a road's centreline nearest to `(px, py)`, metres.
    func nearestOnRoad(_ road: MetricRoad, _ px: Double, _ py: Double) -> (x: Double, y: Double) {
        let lattice = grid.lattice
        var best = (x: px, y: py), bestD = Double.infinity
        for part in road.parts {
            for v in 1..<part.count {
                let q = Self.nearestOnSegment(px, py, lattice.x[Int(part[v - 1])], lattice.y[Int(part[v - 1])],
                                              lattice.x[Int(part[v])], lattice.y[Int(part[v])])
                let d = (q.x - px) * (q.x - px) + (q.y - py) * (q.y - py)
                if d < bestD { bestD = d; best = q }
            }
        }
        return best
    }

    static func nearestOnSegment(_ px: Double, _ py: Double, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double)
        -> (x: Double, y: Double) {
        let dx = bx - ax, dy = by - ay
        let l2 = dx * dx + dy * dy
        let t = l2 > 0 ? min(1, max(0, ((px - ax) * dx + (py - ay) * dy) / l2)) : 0
        return (ax + t * dx, ay + t * dy)
    }

    // MARK: Blocks, towns, communities

    /// The block a building stands in (from its unit code), or nil.
    func block(of building: Building) -> Int? {
        guard let u = unitIndex[building.unitCode], blockOfUnit[u] >= 0 else { return nil }
        return blockOfUnit[u]
    }

    /// The 街镇 name of a block.
    func town(ofBlock b: Int) -> String {
        let unit = grid.hierarchy[3].cells[grid.unitOfBlock[b]]
        return townName[unit.ancestors.first ?? ""] ?? ""
    }

    /// Communities: every block with at least one residential (住宅) building, in block order;
    /// famous names first, then stem + suffix combinations, then road-named 村 (曹杨一村 style).
    func communities(reserved: Set<String>) -> (communities: [Community], ofBlock: [Int: Int]) {
        var residential = Set<Int>()
        for b in buildings where b.use == "住宅" { if let k = block(of: b) { residential.insert(k) } }
        var names = AddressText.famousCommunities.map(\.0)
        var pool: [String] = []
        for stem in AddressText.communityStems { for suffix in AddressText.communitySuffixes { pool.append(stem + suffix) } }
        var r = rng.derived("addresses.communities")
        r.shuffle(&pool)
        names += pool
        for n in 1...9 {
            for road in grid.eastWestRoads + grid.northSouthRoads where road.hasSuffix("路") {
                names.append(String(road.dropLast()) + SampleNames.chineseNumber(n) + "村")
            }
        }
        var used = reserved
        var famousAliases: [String: [String]] = [:]
        for (name, aliases) in AddressText.famousCommunities { famousAliases[name] = aliases }
        var result: [Community] = []
        var ofBlock: [Int: Int] = [:]
        var next = 0
        for b in residential.sorted() {
            while next < names.count && used.contains(names[next]) { next += 1 }
            guard next < names.count else { break }
            let name = names[next]
            used.insert(name)
            next += 1
            var ring = grid.blocks.ring[b].map { grid.degrees[Int($0)] }
            ring.append(ring[0])
            let c = grid.blocks.centroid[b]
            var aliases = (famousAliases[name] ?? []).filter { !used.contains($0) }
            if !name.hasSuffix("小区") && !used.contains(name + "小区") { aliases.append(name + "小区") }
            used.formUnion(aliases)
            ofBlock[b] = result.count
            result.append(Community(name: name, aliases: aliases, town: town(ofBlock: b), polygon: Polygon(exterior: ring),
                                    centroid: grid.frame.degrees(x: c.x, y: c.y)))
        }
        return (result, ofBlock)
    }

    // MARK: Door-plates

    /// One door-plate per building: its own road/lane/number, a 支弄 for about 3 %, the entrance
    /// on the footprint's side nearest the road.
    func doorplates(communities: [Community], ofBlock: [Int: Int]) -> [Doorplate] {
        var r = rng.derived("addresses.doorplates")
        var roadIndex: [String: Int] = [:]
        for (k, road) in metricRoads.enumerated() { roadIndex[road.name] = k }
        return buildings.enumerated().map { k, building in
            let ring = building.footprint.exterior.map { grid.frame.metres($0) }
            let cx = (ring[0].x + ring[2].x) / 2, cy = (ring[0].y + ring[2].y) / 2
            var entrance = grid.frame.degrees(x: cx, y: cy)
            if let roadK = roadIndex[building.road] {
                let q = nearestOnRoad(metricRoads[roadK], cx, cy)
                var best = (x: cx, y: cy), bestD = Double.infinity
                for v in 1..<ring.count {
                    let p = Self.nearestOnSegment(q.x, q.y, ring[v - 1].x, ring[v - 1].y, ring[v].x, ring[v].y)
                    let d = (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)
                    if d < bestD { bestD = d; best = p }
                }
                entrance = grid.frame.degrees(x: best.x, y: best.y)
            }
            let b = block(of: building)
            let subLane = r.chance(0.03) ? r.int(in: 1...3) : nil
            return Doorplate(id: "A" + SampleNames.padded(k + 1, 6), road: building.road, lane: building.lane,
                             subLane: subLane, number: building.number, buildingID: building.id,
                             community: b.flatMap { ofBlock[$0] }.map { communities[$0].name },
                             town: b.map { town(ofBlock: $0) } ?? "", entrance: entrance)
        }
    }

    // MARK: Points of interest

    /// Gates of every community (1–4, on the block outline moved 6 m inwards), schools, markets
    /// and clinics at their buildings, metro stations at some crossings. Names are unique.
    func pointsOfInterest(communities: [Community], ofBlock: [Int: Int], reserved: Set<String>) -> [PointOfInterest] {
        var r = rng.derived("addresses.pois")
        var used = reserved
        var out: [PointOfInterest] = []
        func add(_ name: String, _ kind: PointOfInterest.Kind, _ p: Coordinate, _ community: String?) {
            guard !used.contains(name) else { return }
            used.insert(name)
            out.append(PointOfInterest(name: name, kind: kind, location: p, community: community))
        }
        let lattice = grid.lattice
        for (b, k) in ofBlock.sorted(by: { $0.key < $1.key }) {
            let ring = grid.blocks.ring[b]
            let centre = grid.blocks.centroid[b]
            var segments = Array(0..<ring.count)
            r.shuffle(&segments)
            for (n, s) in segments.prefix(r.int(in: 1...4)).enumerated() {
                let a = Int(ring[s]), c = Int(ring[(s + 1) % ring.count])
                var x = (lattice.x[a] + lattice.x[c]) / 2, y = (lattice.y[a] + lattice.y[c]) / 2
                let dx = centre.x - x, dy = centre.y - y, d = (dx * dx + dy * dy).squareRoot()
                if d > 12 { x += 6 * dx / d; y += 6 * dy / d }
                add("\(communities[k].name)\(n + 1)号门", .entrance, grid.frame.degrees(x: x, y: y), communities[k].name)
            }
        }
        for building in buildings {
            let ring = building.footprint.exterior
            let centre = Coordinate(LocalFrame.round8((ring[0].x + ring[2].x) / 2), LocalFrame.round8((ring[0].y + ring[2].y) / 2))
            let community = block(of: building).flatMap { ofBlock[$0] }.map { communities[$0].name }
            switch building.use {
            case "教育": add(building.road + r.pick(["小学", "中学", "幼儿园", "实验学校"]), .school, centre, community)
            case "医疗": add(building.road + r.pick(["社区卫生服务中心", "医院", "门诊部"]), .hospital, centre, community)
            case "商业" where r.chance(0.3): add(building.road + "菜市场", .market, centre, community)
            default: break
            }
        }
        for x in intersections where r.chance(0.06) {
            add((r.chance(0.5) ? x.eastWest : x.northSouth) + "站", .metro, x.point, nil)
        }
        return out
    }

    // MARK: Aliases

    /// Old names of real roads, abbreviations without 路, homophone typos, community aliases and
    /// shortened 街镇 names. No alias equals a canonical name or another alias.
    func aliases(roads: [SampleRoad], communities: [Community], towns: [String]) -> [AddressAlias] {
        var used = Set(roads.map(\.name)).union(communities.map(\.name)).union(towns)
        var out: [AddressAlias] = []
        func add(_ alias: String, _ canonical: String, _ kind: AddressAlias.Kind) {
            guard !alias.isEmpty, !used.contains(alias) else { return }
            used.insert(alias)
            out.append(AddressAlias(alias: alias, canonical: canonical, kind: kind))
        }
        // Community aliases first: they are part of each community's own record.
        for c in communities { for a in c.aliases { add(a, c.name, .community) } }
        for road in roads {
            if let old = AddressText.oldRoadNames[road.name] { add(old, road.name, .road) }
            if let typo = AddressText.typo(of: road.name) { add(typo, road.name, .road) }
        }
        for road in roads where road.name.hasSuffix("路") && road.name.count >= 3 {
            add(String(road.name.dropLast()), road.name, .road)
        }
        for t in towns { if let s = AddressText.shortTown(t) { add(s, t, .town) } }
        return out
    }
}

extension AddressBookGenerator {
    /// The whole address book with `eventAddressCount` noisy event addresses.
    func book(eventAddressCount: Int) -> AddressBook {
        let roads = sampleRoads()
        let towns = grid.hierarchy[0].cells.map { (name: $0.name, point: $0.representativePoint) }
        let reserved = Set(roads.map(\.name)).union(towns.map(\.name))
        let (communities, ofBlock) = communities(reserved: reserved)
        let plates = doorplates(communities: communities, ofBlock: ofBlock)
        let pois = pointsOfInterest(communities: communities, ofBlock: ofBlock,
                                    reserved: reserved.union(communities.map(\.name)).union(communities.flatMap(\.aliases)))
        let aliases = aliases(roads: roads, communities: communities, towns: towns.map(\.name))
        var book = AddressBook(roads: roads, doorplates: plates, communities: communities, pointsOfInterest: pois,
                               aliases: aliases, eventAddresses: [])
        var events = EventAddressGenerator(book: book, intersections: intersections, towns: towns,
                                           rng: rng.derived("addresses.events"))
        book.eventAddresses = events.rows(count: eventAddressCount)
        return book
    }
}
