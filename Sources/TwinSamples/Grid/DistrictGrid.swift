import TwinGeo

/// Everything the grid stage produces, kept for the asset and event stages.
struct DistrictGrid {
    let frame: LocalFrame
    let lattice: RoadLattice
    let blocks: BlockGraph
    /// lon/lat of every lattice vertex (the hierarchy layers' coordinates).
    let degrees: [Coordinate]
    /// Road names of the east–west lattice lines (`j`), the south–north lines (`i`) and the two diagonals.
    let eastWestRoads: [String]
    let northSouthRoads: [String]
    let diagonalRoads: [String]
    /// The district outline.
    let outline: Geometry
    let outlineRing: [Int32]
    /// Hierarchy layers (街镇, 片区, 居村, unit) and department layers.
    let hierarchy: [SampleLayer]
    let departments: [SampleLayer]
    /// Unit-cell index of each block (unit cells are in code order, blocks in lattice order).
    let unitOfBlock: [Int]

    init(configuration: SampleConfiguration, rng: SplitMix64) {
        let frame = LocalFrame.putuo
        self.frame = frame
        let linear = configuration.scale.squareRoot()
        let lattice = RoadLattice(width: frame.metresPerDegreeLon * 0.11 * linear,
                                  height: frame.metresPerDegreeLat * 0.07 * linear, rng: rng)
        self.lattice = lattice
        let blocks = BlockGraph(lattice: lattice, rng: rng)
        self.blocks = blocks
        let degrees = (0..<lattice.vertexCount).map { frame.degrees(x: lattice.x[$0], y: lattice.y[$0]) }
        self.degrees = degrees
        var nameRNG = rng.derived("roads.names")
        let names = SampleNames.roadNames(count: lattice.ny + 1 + lattice.nx + 1 + 2, rng: &nameRNG)
        eastWestRoads = Array(names[0...lattice.ny])
        northSouthRoads = Array(names[(lattice.ny + 1)...(lattice.ny + 1 + lattice.nx)])
        diagonalRoads = Array(names.suffix(2))

        let whole = BoundaryTracer.trace(lattice, labels: Array(repeating: 0, count: lattice.pieces.count), count: 1)[0]
        outlineRing = whole.parts[0].exterior
        outline = DistrictGrid.geometry(whole, degrees)

        var builder = HierarchyBuilder(lattice: lattice, blocks: blocks, frame: frame, degrees: degrees,
                                       eastWestRoads: eastWestRoads, configuration: configuration, rng: rng)
        hierarchy = builder.build()
        unitOfBlock = builder.unitOfBlock

        let distances = OutlineDistance.compute(lattice, outline: outlineRing)
        departments = Department.allCases.enumerated().map { k, department in
            DistrictGrid.departmentLayer(department, count: configuration.departmentCellCounts[k], lattice: lattice,
                                         blocks: blocks, frame: frame, degrees: degrees, distances: distances,
                                         unitOfBlock: builder.unitOfBlock, rng: rng.derived("department.\(department.rawValue)"))
        }
    }

    /// The polygon(s) of a traced region with coordinates from `table`.
    static func geometry(_ region: TracedRegion, _ table: [Coordinate]) -> Geometry {
        func ring(_ ids: [Int32]) -> [Coordinate] {
            var r = ids.map { table[Int($0)] }
            r.append(r[0])
            return r
        }
        let polygons = region.parts.map { Polygon(exterior: ring($0.exterior), holes: $0.holes.map(ring)) }
        return polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(MultiPolygon(polygons))
    }

    /// Area-weighted centroid (metres) of a set of blocks.
    static func centroid(of members: [Int], _ blocks: BlockGraph) -> (x: Double, y: Double) {
        var a = 0.0, x = 0.0, y = 0.0
        for b in members { a += blocks.area[b]; x += blocks.area[b] * blocks.centroid[b].x; y += blocks.area[b] * blocks.centroid[b].y }
        return (x / a, y / a)
    }

    private static func departmentLayer(_ department: Department, count: Int, lattice: RoadLattice, blocks: BlockGraph,
                                        frame: LocalFrame, degrees: [Coordinate], distances: [Double],
                                        unitOfBlock: [Int], rng: SplitMix64) -> SampleLayer {
        let all = Array(0..<blocks.count)
        let region = RegionGrowing.grow(blocks, members: all, count: count, rng: rng.derived("grow"))
        let regionCount = (region.max() ?? -1) + 1
        var members = Array(repeating: [Int](), count: regionCount)
        for (b, r) in region.enumerated() { members[r].append(b) }
        let points = members.map { m -> Coordinate in
            let c = centroid(of: m, blocks)
            return frame.degrees(x: c.x, y: c.y)
        }
        let order = SampleDistrict.sequenceOrder(points)
        var rank = Array(repeating: 0, count: regionCount)
        for (k, r) in order.enumerated() { rank[r] = k }
        let labels = lattice.pieces.indices.map { Int32(rank[region[Int(blocks.blockOfPiece[$0])]]) }
        let traced = BoundaryTracer.trace(lattice, labels: labels, count: regionCount)
        let field = DisplacementField(rng: rng.derived("field"))
        let displaced = (0..<lattice.vertexCount).map { v -> Coordinate in
            let d = field.offset(x: lattice.x[v], y: lattice.y[v], distanceToOutline: distances[v])
            return frame.degrees(x: lattice.x[v] + d.dx, y: lattice.y[v] + d.dy)
        }
        let cells = order.enumerated().map { k, r -> SampleCell in
            SampleCell(code: department.codePrefix + "-" + SampleNames.padded(k + 1, 4),
                       name: "\(department.chineseName)第\(k + 1)\(department.cellNoun)",
                       ancestors: [], geometry: geometry(traced[k], displaced), representativePoint: points[r],
                       unitCells: members[r].map { unitOfBlock[$0] }.sorted(),
                       undisplacedGeometry: geometry(traced[k], degrees),
                       attributes: [("department", department.chineseName)])
        }
        return SampleLayer(kind: .department(department), cells: cells)
    }
}
