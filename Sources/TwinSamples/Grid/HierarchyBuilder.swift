import TwinGeo

/// Builds 街镇 → 管理片区 → 居村 → unit cells by nested region growing over the blocks, and
/// gives every cell its code and name.
struct HierarchyBuilder {
    let lattice: RoadLattice
    let blocks: BlockGraph
    let frame: LocalFrame
    let degrees: [Coordinate]
    let eastWestRoads: [String]
    let configuration: SampleConfiguration
    let rng: SplitMix64
    /// Unit-cell index of each block, set by ``build()``.
    private(set) var unitOfBlock: [Int] = []

    init(lattice: RoadLattice, blocks: BlockGraph, frame: LocalFrame, degrees: [Coordinate], eastWestRoads: [String],
         configuration: SampleConfiguration, rng: SplitMix64) {
        self.lattice = lattice
        self.blocks = blocks
        self.frame = frame
        self.degrees = degrees
        self.eastWestRoads = eastWestRoads
        self.configuration = configuration
        self.rng = rng
    }

    private struct Group {
        var members: [Int]
        var code: String
        var name: String
        var ancestors: [String]
        var attributes: [(String, String)] = []
    }

    private func point(_ members: [Int]) -> Coordinate {
        let c = DistrictGrid.centroid(of: members, blocks)
        return frame.degrees(x: c.x, y: c.y)
    }

    /// Splits `members` into `count` regions, returned in sequence order (north→south, west→east).
    private func split(_ members: [Int], count: Int, label: String) -> [[Int]] {
        let region = RegionGrowing.grow(blocks, members: members, count: count, rng: rng.derived(label))
        let n = (region.max() ?? -1) + 1
        var parts = Array(repeating: [Int](), count: n)
        for (k, r) in region.enumerated() { parts[r].append(members[k]) }
        return SampleDistrict.sequenceOrder(parts.map(point)).map { parts[$0] }
    }

    mutating func build() -> [SampleLayer] {
        let all = Array(0..<blocks.count)
        // 街镇: the westernmost regions are the towns (Putuo's 桃浦镇 and 长征镇 lie west).
        let jzParts = split(all, count: configuration.jiezhenCount, label: "hierarchy.jiezhen")
        let townCount = jzParts.count >= 4 ? 2 : (jzParts.count >= 2 ? 1 : 0)
        let centroids = jzParts.map { DistrictGrid.centroid(of: $0, blocks) }
        var towns = Array(jzParts.indices.sorted { (centroids[$0].x, $0) < (centroids[$1].x, $1) }.prefix(townCount))
        towns.sort { (-centroids[$0].y, $0) < (-centroids[$1].y, $1) }
        let streets = jzParts.indices.filter { !towns.contains($0) }  // already in sequence order
        var jiezhen: [Group] = []
        for (k, r) in streets.enumerated() {
            let name = k < SampleNames.streets.count ? SampleNames.streets[k] : "第\(SampleNames.chineseNumber(k + 1))街道"
            jiezhen.append(Group(members: jzParts[r], code: SampleDistrict.districtCode + SampleNames.padded(k + 1, 3),
                                 name: name, ancestors: [], attributes: [("type", "街道")]))
        }
        for (k, r) in towns.enumerated() {
            jiezhen.append(Group(members: jzParts[r], code: SampleDistrict.districtCode + String(101 + k),
                                 name: SampleNames.towns[k], ancestors: [], attributes: [("type", "镇")]))
        }

        // 管理片区.
        let pqShares = RegionGrowing.allocate(configuration.pianquCount, over: jiezhen.map(\.members.count))
        var pianqu: [Group] = []
        var pianquOfJiezhen: [[Int]] = []
        for (k, jz) in jiezhen.enumerated() {
            var mine: [Int] = []
            for (n, members) in split(jz.members, count: pqShares[k], label: "hierarchy.pianqu.\(jz.code)").enumerated() {
                mine.append(pianqu.count)
                pianqu.append(Group(members: members, code: jz.code + SampleNames.padded(n + 1, 2),
                                    name: "\(jz.name)第\(SampleNames.chineseNumber(n + 1))片区", ancestors: [jz.code]))
            }
            pianquOfJiezhen.append(mine)
        }

        // 居村: 居委 001–199 in sequence order; in a 镇, the 40 % farthest from the centre are 村委 200–399.
        let jcShares = RegionGrowing.allocate(configuration.jucunCount, over: pianqu.map(\.members.count))
        var jucun: [Group] = []
        var roadUse: [String: Int] = [:]
        var villageNumber = 0
        for (k, jz) in jiezhen.enumerated() {
            var mine: [(members: [Int], pianqu: String)] = []
            for p in pianquOfJiezhen[k] {
                for members in split(pianqu[p].members, count: jcShares[p], label: "hierarchy.jucun.\(pianqu[p].code)") {
                    mine.append((members, pianqu[p].code))
                }
            }
            var villages = Set<Int>()
            if k >= streets.count && mine.count >= 2 {
                let distance = mine.map { m -> Double in let c = DistrictGrid.centroid(of: m.members, blocks); return c.x * c.x + c.y * c.y }
                let far = mine.indices.sorted { (-distance[$0], $0) < (-distance[$1], $1) }
                villages = Set(far.prefix(Int((Double(mine.count) * 0.4).rounded())))
            }
            let order = SampleDistrict.sequenceOrder(mine.map { point($0.members) })
            var residentCount = 0, villageCount = 0
            for idx in order where !villages.contains(idx) {
                residentCount += 1
                let road = roadNear(mine[idx].members)
                roadUse[road, default: 0] += 1
                jucun.append(Group(members: mine[idx].members, code: jz.code + SampleNames.padded(residentCount, 3),
                                   name: "\(road)第\(SampleNames.chineseNumber(roadUse[road]!))居委会",
                                   ancestors: [jz.code, mine[idx].pianqu], attributes: [("type", "居委")]))
            }
            for idx in order where villages.contains(idx) {
                let stems = SampleNames.villages
                let stem = stems[villageNumber % stems.count] + (villageNumber >= stems.count ? SampleNames.chineseNumber(villageNumber / stems.count + 1) : "")
                villageNumber += 1
                jucun.append(Group(members: mine[idx].members, code: jz.code + String(200 + villageCount),
                                   name: "\(stem)村村民委员会", ancestors: [jz.code, mine[idx].pianqu],
                                   attributes: [("type", "村委")]))
                villageCount += 1
            }
        }

        // Unit cells: the blocks of each 居村 in sequence order.
        var units: [Group] = []
        unitOfBlock = Array(repeating: -1, count: blocks.count)
        for jc in jucun {
            let order = SampleDistrict.sequenceOrder(jc.members.map { point([$0]) })
            for (n, idx) in order.enumerated() {
                let b = jc.members[idx]
                unitOfBlock[b] = units.count
                units.append(Group(members: [b], code: jc.code + SampleNames.padded(n + 1, 3),
                                   name: "\(jc.name)\(SampleNames.padded(n + 1, 3))号单元网格",
                                   ancestors: jc.ancestors + [jc.code]))
            }
        }
        return [layer(.jiezhen, jiezhen), layer(.pianqu, pianqu), layer(.jucun, jucun), layer(.unit, units)]
    }

    /// The east–west road along the south side of the member block nearest the group's centroid.
    private func roadNear(_ members: [Int]) -> String {
        let c = DistrictGrid.centroid(of: members, blocks)
        let nearest = members.min {
            let p = blocks.centroid[$0], q = blocks.centroid[$1]
            return ((p.x - c.x) * (p.x - c.x) + (p.y - c.y) * (p.y - c.y), $0) < ((q.x - c.x) * (q.x - c.x) + (q.y - c.y) * (q.y - c.y), $1)
        }!
        return eastWestRoads[lattice.pieces[blocks.pieces[nearest][0]].j]
    }

    private func layer(_ level: HierarchyLevel, _ groups: [Group]) -> SampleLayer {
        var labels = Array(repeating: Int32(-1), count: lattice.pieces.count)
        for (g, group) in groups.enumerated() {
            for b in group.members { for p in blocks.pieces[b] { labels[p] = Int32(g) } }
        }
        let traced = BoundaryTracer.trace(lattice, labels: labels, count: groups.count)
        let cells = groups.enumerated().map { g, group in
            SampleCell(code: group.code, name: group.name, ancestors: group.ancestors,
                       geometry: DistrictGrid.geometry(traced[g], degrees), representativePoint: point(group.members),
                       unitCells: group.members.map { unitOfBlock[$0] }.sorted(), attributes: group.attributes)
        }
        return SampleLayer(kind: .hierarchy(level), cells: cells)
    }
}
