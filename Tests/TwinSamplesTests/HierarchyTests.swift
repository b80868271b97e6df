import Testing
import TwinGeo
@testable import TwinSamples

private func isDigits(_ s: String, _ count: Int) -> Bool {
    s.utf8.count == count && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
}

/// `children` tile `parent`: their union equals it (symmetric difference below 1e-9 of its
/// area), their areas add up to it (so they do not overlap), and neighbours meet in lines only.
private func expectPartition(_ children: [Geometry], of parent: Geometry, _ label: String) throws {
    let parentArea = try parent.planarArea()
    let union = try Geometry.unaryUnion(children)
    let gap = try union.symmetricDifference(parent).planarArea()
    #expect(gap <= 1e-9 * parentArea, "\(label): union of children differs from the parent by \(gap / parentArea) of its area")
    let sum = try children.reduce(0) { $0 + (try $1.planarArea()) }
    #expect(abs(sum - parentArea) <= 1e-9 * parentArea, "\(label): children's areas sum to \(sum), parent \(parentArea)")
    let boxes = children.map { $0.boundingBox! }
    for i in children.indices {
        for j in (i + 1)..<children.count where boxes[i].intersects(boxes[j]) {
            let overlap = try children[i].intersection(children[j]).planarArea()
            #expect(overlap <= 1e-12 * parentArea, "\(label): children \(i) and \(j) overlap by \(overlap)")
        }
    }
}

@Suite struct HierarchyTests {
    @Test func countsPerLevel() throws {
        let d = try Samples.district()
        let c = d.configuration
        #expect(d.layer(.jiezhen).cells.count == 10)
        #expect(d.layer(.pianqu).cells.count == c.pianquCount)
        #expect(d.layer(.jucun).cells.count == c.jucunCount)
        #expect((250...400).contains(d.unitCells.count), "unit cells: \(d.unitCells.count)")
        let towns = d.layer(.jiezhen).cells.filter { $0.attributes.contains { $0 == ("type", "镇") } }
        #expect(towns.map(\.name) == ["桃浦镇", "长征镇"])
        // Every cell has a name, and vertices in the brief's 8–40 band for plain blocks.
        for cell in d.layers.flatMap(\.cells) { #expect(!cell.name.isEmpty) }
        let vertexCounts = d.unitCells.map { coordinates($0.geometry).count - 1 }
        #expect(vertexCounts.min()! >= 8 && vertexCounts.max()! <= 40, "\(vertexCounts.min()!)…\(vertexCounts.max()!)")
    }

    @Test func fullScaleCounts() {
        let c = SampleConfiguration(scale: 1)
        #expect([c.jiezhenCount, c.pianquCount, c.jucunCount] == [10, 45, 264])
        #expect(c.departmentCellCounts.allSatisfy { (80...600).contains($0) })
        #expect([c.buildingCount, c.cameraCount, c.sensorCount, c.eventCount] == [10_000, 21_000, 110_000, 100_000])
    }

    @Test func codesAreWellFormedUniqueAndNested() throws {
        let d = try Samples.district()
        for level in HierarchyLevel.allCases {
            let cells = d.layer(level).cells
            #expect(Set(cells.map(\.code)).count == cells.count, "\(level) codes are not unique")
            #expect(cells.map(\.code) == cells.map(\.code).sorted(), "\(level) cells are not in code order")
            for cell in cells {
                #expect(isDigits(cell.code, level.codeLength), "\(level) code \(cell.code)")
                #expect(cell.code.hasPrefix(SampleDistrict.districtCode))
                // 居村 and unit codes extend the 街镇 code, not the 片区 code (statistical codes skip 片区).
                for ancestor in cell.ancestors where ancestor.count != 11 {
                    #expect(cell.code.hasPrefix(ancestor), "\(cell.code) does not start with its ancestor \(ancestor)")
                }
                #expect(cell.ancestors.count == HierarchyLevel.allCases.firstIndex(of: level)!)
            }
        }
        for jz in d.layer(.jiezhen).cells {
            let n = Int(jz.code.suffix(3))!
            let town = jz.attributes.contains { $0 == ("type", "镇") }
            #expect(town ? (100...199).contains(n) : (1...99).contains(n), "\(jz.name) \(jz.code)")
        }
        let towns = Set(d.layer(.jiezhen).cells.filter { $0.name.hasSuffix("镇") && !$0.name.hasSuffix("街道") }.map(\.code))
        for jc in d.layer(.jucun).cells {
            let n = Int(jc.code.suffix(3))!
            let village = jc.attributes.contains { $0 == ("type", "村委") }
            #expect(village ? (200...399).contains(n) : (1...199).contains(n), "\(jc.name) \(jc.code)")
            #expect(!village || towns.contains(jc.ancestors[0]), "village \(jc.code) outside a 镇")
            #expect(jc.name.hasSuffix(village ? "村民委员会" : "居委会"))
            // The 居村's 片区 belongs to the same 街镇.
            #expect(jc.ancestors[1].hasPrefix(jc.ancestors[0]))
        }
        #expect(d.layer(.jucun).cells.contains { $0.attributes.contains { $0 == ("type", "村委") } })
    }

    @Test func unitCellsAreNumberedNorthToSouthThenWestToEast() throws {
        let d = try Samples.district()
        var byParent: [String: [SampleCell]] = [:]
        for cell in d.unitCells { byParent[cell.parentCode!, default: []].append(cell) }
        for (parent, cells) in byParent {
            let sorted = cells.sorted { $0.code < $1.code }
            #expect(sorted.enumerated().allSatisfy { Int($1.code.suffix(3)) == $0 + 1 }, "\(parent) numbers are not 001…")
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                let ka = SampleDistrict.sequenceKey(a.representativePoint), kb = SampleDistrict.sequenceKey(b.representativePoint)
                let rowOf = { (p: Coordinate) in Int(((31.30 - p.y) / 0.00135).rounded(.down)) }
                #expect(ka.row == rowOf(a.representativePoint))
                #expect(ka.row < kb.row || (ka.row == kb.row && ka.lon <= kb.lon), "\(a.code) before \(b.code)")
            }
        }
        // The representative point lies inside its cell (GEOS contains).
        for cell in d.unitCells {
            #expect(try cell.geometry.contains(.point(Point(cell.representativePoint.x, cell.representativePoint.y))), "\(cell.code)")
        }
    }

    @Test func everyLevelIsAValidPartitionOfTheLevelAbove() throws {
        let d = try Samples.district()
        for layer in d.hierarchy {
            for cell in layer.cells {
                let v = try cell.geometry.validity()
                #expect(v.isValid, "\(layer.name) \(cell.code): \(v.reason ?? "")")
            }
        }
        try expectPartition(d.layer(.jiezhen).cells.map(\.geometry), of: d.outline, "街镇 of the district")
        let levels: [(HierarchyLevel, HierarchyLevel)] = [(.jiezhen, .pianqu), (.pianqu, .jucun), (.jucun, .unit)]
        for (upper, lower) in levels {
            var children: [String: [Geometry]] = [:]
            for cell in d.layer(lower).cells { children[cell.parentCode!, default: []].append(cell.geometry) }
            #expect(Set(children.keys) == Set(d.layer(upper).cells.map(\.code)), "every \(upper) has \(lower) children")
            for parent in d.layer(upper).cells {
                try expectPartition(children[parent.code] ?? [], of: parent.geometry, "\(lower) of \(parent.code)")
            }
        }
    }

    @Test func neighboursShareTheirBoundaryVerticesExactly() throws {
        // Every unit-cell vertex that lies on another unit cell's boundary is one of its vertices:
        // count, for each directed segment, its reverse in some other cell.
        let d = try Samples.district()
        struct Segment: Hashable { var a: Coordinate; var b: Coordinate }
        var segments: [Segment: Int] = [:]
        for cell in d.unitCells {
            for polygon in polygons(cell.geometry) { for ring in polygon.rings {
                for k in 0..<(ring.count - 1) { segments[Segment(a: ring[k], b: ring[k + 1]), default: 0] += 1 }
            } }
        }
        var outlineSegments = 0
        for (segment, count) in segments {
            #expect(count == 1, "segment used twice in one direction")
            if segments[Segment(a: segment.b, b: segment.a)] == nil { outlineSegments += 1 }
        }
        #expect(outlineSegments == coordinates(d.outline).count - 1, "unmatched segments are exactly the outline")
    }
}
