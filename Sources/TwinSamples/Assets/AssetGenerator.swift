#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TwinGeo

/// Places buildings, pipes, cameras and sensors on the district's blocks and roads.
struct AssetGenerator {
    let grid: DistrictGrid
    let configuration: SampleConfiguration
    let rng: SplitMix64
    private let roads: [DistrictGrid.RoadEdge]
    private let cumulative: [Double]

    init(grid: DistrictGrid, configuration: SampleConfiguration, rng: SplitMix64) {
        self.grid = grid
        self.configuration = configuration
        self.rng = rng
        roads = grid.roadEdges()
        cumulative = grid.cumulativeAreas()
    }

    private static func code(_ majorMinor: String, _ serial: Int) -> String {
        SampleDistrict.districtCode + majorMinor + SampleNames.padded(serial, 6)
    }

    private static func round(_ v: Double, _ digits: Double) -> Double { (v * digits).rounded() / digits }

    /// Rotated rectangles 14–42 m × 10–22 m, aligned with the block's south road (±6°), at least
    /// 3 m inside the block and not overlapping each other (their circumscribed circles are
    /// disjoint). A block is drawn by area for each building; 40 tries, then the next building.
    func buildings() -> [Building] {
        var rng = self.rng.derived("assets.buildings")
        let uses: [(String, Double, ClosedRange<Int>)] = [
            ("住宅", 0.55, 3...33), ("商业", 0.12, 2...8), ("办公", 0.1, 8...40), ("工业", 0.08, 1...4),
            ("公共服务", 0.07, 2...6), ("教育", 0.04, 3...6), ("医疗", 0.04, 4...15),
        ]
        let useWeights = uses.map(\.1)
        var placed = Array(repeating: [(x: Double, y: Double, r: Double)](), count: grid.blocks.count)
        var laneNumbers: [String: Int] = [:]
        var result: [Building] = []
        var attempts = 0
        while result.count < configuration.buildingCount && attempts < configuration.buildingCount * 40 {
            attempts += 1
            let b = grid.randomBlock(cumulative, rng: &rng)
            let (cx, cy) = grid.randomPoint(inBlock: b, rng: &rng)
            let w = rng.uniform(14, 42), d = rng.uniform(10, 22)
            let piece = grid.lattice.pieces[grid.blocks.pieces[b][0]]
            let a = grid.lattice.node(piece.i, piece.j), c = grid.lattice.node(piece.i + 1, piece.j)
            var angle = atan2(grid.lattice.y[Int(c)] - grid.lattice.y[Int(a)], grid.lattice.x[Int(c)] - grid.lattice.x[Int(a)])
            angle += rng.uniform(-0.1, 0.1)
            let radius = (w * w + d * d).squareRoot() / 2
            guard placed[b].allSatisfy({ (($0.x - cx) * ($0.x - cx) + ($0.y - cy) * ($0.y - cy)).squareRoot() > $0.r + radius }) else { continue }
            let ux = cos(angle), uy = sin(angle)
            let corners = [(-w / 2, -d / 2), (w / 2, -d / 2), (w / 2, d / 2), (-w / 2, d / 2)].map { (px, py) in
                (cx + px * ux - py * uy, cy + px * uy + py * ux)
            }
            guard corners.allSatisfy({ grid.blocks.contains(grid.lattice, block: b, x: $0.0, y: $0.1)
                && grid.distanceToBoundary(ofBlock: b, x: $0.0, y: $0.1) >= 3 }) else { continue }
            placed[b].append((cx, cy, radius))
            var ring = corners.map { grid.frame.degrees(x: $0.0, y: $0.1) }
            ring.append(ring[0])
            let use = uses[rng.weightedIndex(useWeights)]
            let floors = rng.int(in: use.2)
            let (road, lane) = grid.address(ofBlock: b, rng: &rng)
            let key = "\(road)#\(lane)"
            laneNumbers[key, default: 0] += 1
            let serial = result.count + 1
            result.append(Building(
                id: "B" + SampleNames.padded(serial, 6), code: AssetGenerator.code("0501", serial),
                footprint: Polygon(exterior: ring), road: road, lane: lane, number: laneNumbers[key]!,
                block: use.0 == "住宅" ? rng.int(in: 1...12) : nil, floors: floors,
                height: AssetGenerator.round(Double(floors) * 3 + rng.uniform(0.5, 3), 10), use: use.0,
                yearBuilt: rng.int(in: 1952...2024), unitCode: grid.hierarchy[3].cells[grid.unitOfBlock[b]].code))
        }
        return result
    }

    /// Runs of up to 4 consecutive road edges along one lattice line; each network covers a run
    /// with its ``PipeNetwork/coverage`` probability, offset sideways by its lane.
    func pipes() -> [Pipe] {
        var rng = self.rng.derived("assets.pipes")
        let lattice = grid.lattice
        var isRoad = Array(repeating: "", count: lattice.edges.count)
        for r in roads { isRoad[r.edge] = r.road }
        var runs: [[Int]] = []
        func collect(_ line: [Int32]) {
            var run: [Int] = []
            for e in line {
                if e >= 0 && !isRoad[Int(e)].isEmpty {
                    run.append(Int(e))
                    if run.count == 4 { runs.append(run); run = [] }
                } else if !run.isEmpty { runs.append(run); run = [] }
            }
            if !run.isEmpty { runs.append(run) }
        }
        for j in 0...lattice.ny { collect((0..<lattice.nx).map { lattice.hEdge[j * lattice.nx + $0] }) }
        for i in 0...lattice.nx { collect((0..<lattice.ny).map { lattice.vEdge[$0 * (lattice.nx + 1) + i] }) }
        var straight = Set<Int32>(lattice.hEdge.filter { $0 >= 0 })
        straight.formUnion(lattice.vEdge.filter { $0 >= 0 })
        for r in roads where !straight.contains(Int32(r.edge)) { runs.append([r.edge]) }

        var result: [Pipe] = []
        var serials: [PipeNetwork: Int] = [:]
        for run in runs {
            var ids: [Int32] = []
            for e in run { lattice.walk(Int32(e * 2), into: &ids) }
            ids.append(lattice.edges[run.last!].b)
            let xs = ids.map { lattice.x[Int($0)] }, ys = ids.map { lattice.y[Int($0)] }
            for network in PipeNetwork.allCases where rng.chance(network.coverage) {
                var path: [Coordinate] = []
                var length = 0.0
                var previous: (Double, Double)?
                for k in ids.indices {
                    // Offset along the mean of the adjacent segments' left normals.
                    let k0 = max(0, k - 1), k1 = min(ids.count - 1, k + 1)
                    let dx = xs[k1] - xs[k0], dy = ys[k1] - ys[k0]
                    let n = (dx * dx + dy * dy).squareRoot()
                    let px = xs[k] - network.offset * dy / n, py = ys[k] + network.offset * dx / n
                    if let (qx, qy) = previous { length += ((px - qx) * (px - qx) + (py - qy) * (py - qy)).squareRoot() }
                    previous = (px, py)
                    path.append(grid.frame.degrees(x: px, y: py))
                }
                serials[network, default: 0] += 1
                result.append(Pipe(
                    id: "P" + SampleNames.padded(result.count + 1, 6),
                    code: AssetGenerator.code("01" + network.minorClass, serials[network]!), network: network,
                    path: LineString(path), road: isRoad[run[0]], diameterMillimetres: rng.pick(network.diameters),
                    depthMetres: AssetGenerator.round(rng.uniform(network.depthRange.lowerBound, network.depthRange.upperBound), 100),
                    material: rng.pick(network.materials), yearLaid: rng.int(in: 1965...2024),
                    lengthMetres: AssetGenerator.round(length, 100)))
            }
        }
        return result
    }

    /// Cameras by the roadside (8 m off the centreline), looking along the road (±15°); 10 % are
    /// 360° domes.
    func cameras() -> [Camera] {
        var rng = self.rng.derived("assets.cameras")
        let sceneNames = ["道路交通", "治安防控", "市容环境", "防汛防台", "人群聚集", "渣土车管控"]
        var result: [Camera] = []
        guard !roads.isEmpty else { return result }
        for k in 0..<configuration.cameraCount {
            let road = roads[rng.int(in: 0...(roads.count - 1))]
            let p = grid.pointOnRoad(road.edge, t: rng.uniform(0.05, 0.95), side: rng.chance(0.5) ? 8 : -8)
            var heading = p.bearing + (rng.chance(0.5) ? 0 : 180) + rng.uniform(-15, 15)
            heading = AssetGenerator.round(heading, 10).truncatingRemainder(dividingBy: 360)
            if heading < 0 { heading += 360 }
            var scenes = sceneNames
            rng.shuffle(&scenes)
            let r = rng.unit()
            result.append(Camera(
                id: "C" + SampleNames.padded(k + 1, 6), code: AssetGenerator.code("0216", k + 1),
                name: "\(road.road)\(SampleNames.chineseNumber(k % 99 + 1))号监控点",
                location: grid.frame.degrees(x: p.x, y: p.y), heading: heading,
                fieldOfView: rng.chance(0.1) ? 360 : AssetGenerator.round(rng.uniform(40, 100), 1),
                rangeMetres: AssetGenerator.round(rng.uniform(30, 150), 1),
                scenes: Array(scenes.prefix(rng.int(in: 1...3))).sorted { sceneNames.firstIndex(of: $0)! < sceneNames.firstIndex(of: $1)! },
                status: r < 0.9 ? "在线" : (r < 0.97 ? "离线" : "故障")))
        }
        return result
    }

    /// Sensors in buildings (within 6 m of a building's centre) or by roads (0–5 m off the centreline).
    func sensors(buildings: [Building]) -> [Sensor] {
        var rng = self.rng.derived("assets.sensors")
        let types = SensorType.allCases
        let weights = types.map(\.weight)
        var serials: [String: Int] = [:]
        var result: [Sensor] = []
        for k in 0..<configuration.sensorCount {
            let type = types[rng.weightedIndex(weights)]
            var location: Coordinate
            if type.inBuilding && !buildings.isEmpty {
                let ring = buildings[rng.int(in: 0...(buildings.count - 1))].footprint.exterior
                let c = grid.frame.metres(Coordinate((ring[0].x + ring[2].x) / 2, (ring[0].y + ring[2].y) / 2))
                location = grid.frame.degrees(x: c.x + rng.uniform(-6, 6), y: c.y + rng.uniform(-6, 6))
            } else if !roads.isEmpty {
                let road = roads[rng.int(in: 0...(roads.count - 1))]
                let p = grid.pointOnRoad(road.edge, t: rng.uniform(0.02, 0.98), side: rng.uniform(-5, 5))
                location = grid.frame.degrees(x: p.x, y: p.y)
            } else {
                let p = grid.randomPoint(inBlock: grid.randomBlock(cumulative, rng: &rng), rng: &rng)
                location = grid.frame.degrees(x: p.x, y: p.y)
            }
            var code: String?
            if let cls = type.componentClass {
                serials[cls, default: 0] += 1
                code = AssetGenerator.code(cls, serials[cls]!)
            }
            let r = rng.unit()
            result.append(Sensor(
                id: "S" + SampleNames.padded(k + 1, 7), code: code, type: type, location: location,
                status: r < 0.93 ? "正常" : (r < 0.95 ? "告警" : (r < 0.99 ? "离线" : "故障")),
                lastReading: Timestamp.text(secondsInto2025: Timestamp.yearSeconds - 1 - rng.int(in: 0...(30 * 86_400)))))
        }
        return result
    }
}
