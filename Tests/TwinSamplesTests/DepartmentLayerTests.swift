import Testing
import TwinGeo
@testable import TwinSamples

@Suite struct DepartmentLayerTests {
    @Test func layersHaveTheirCodesAndSizes() throws {
        let d = try Samples.district()
        #expect(d.departments.map(\.name) == ["police", "construction", "governance", "greening", "market", "housing"])
        var sizes: [Int] = []
        for (k, layer) in d.departments.enumerated() {
            guard case .department(let department) = layer.kind else { Issue.record("not a department layer"); continue }
            #expect(layer.cells.count == d.configuration.departmentCellCounts[k])
            sizes.append(layer.cells.count)
            for (n, cell) in layer.cells.enumerated() {
                #expect(cell.code == "\(department.codePrefix)-\(String(repeating: "0", count: 4 - String(n + 1).count))\(n + 1)")
                #expect(cell.name.hasPrefix(department.chineseName))
                #expect(!cell.unitCells.isEmpty)
            }
            // Each unit cell is in exactly one department cell.
            let members = layer.cells.flatMap(\.unitCells).sorted()
            #expect(members == Array(0..<d.unitCells.count))
        }
        #expect(Set(sizes).count == sizes.count, "every department groups blocks differently")
    }

    @Test func layersAreGapFreePartitionsOfTheDistrict() throws {
        let d = try Samples.district()
        let districtArea = try d.outline.planarArea()
        for layer in d.departments {
            let geometries = layer.cells.map(\.geometry)
            for cell in layer.cells {
                let v = try cell.geometry.validity()
                #expect(v.isValid, "\(cell.code): \(v.reason ?? "")")
            }
            let sum = try geometries.reduce(0) { $0 + (try $1.planarArea()) }
            #expect(abs(sum - districtArea) <= 1e-9 * districtArea, "\(layer.name): areas sum to \(sum / districtArea) of the district")
            let gap = try Geometry.unaryUnion(geometries).symmetricDifference(d.outline).planarArea()
            #expect(gap <= 1e-9 * districtArea, "\(layer.name): union differs from the district by \(gap / districtArea)")
            let boxes = geometries.map { $0.boundingBox! }
            for i in geometries.indices {
                for j in (i + 1)..<geometries.count where boxes[i].intersects(boxes[j]) {
                    let overlap = try geometries[i].intersection(geometries[j]).planarArea()
                    #expect(overlap <= 1e-12 * districtArea, "\(layer.name): \(layer.cells[i].code) overlaps \(layer.cells[j].code)")
                }
            }
        }
    }

    @Test func undisplacedCellsAreExactUnionsOfTheirUnitCells() throws {
        let d = try Samples.district()
        for layer in d.departments {
            for cell in layer.cells.prefix(12) {
                let union = try Geometry.unaryUnion(cell.unitCells.map { d.unitCells[$0].geometry })
                let original = try #require(cell.undisplacedGeometry)
                let difference = try union.symmetricDifference(original).planarArea()
                #expect(difference <= 1e-9 * (try original.planarArea()), "\(cell.code)")
            }
        }
    }

    @Test func misalignmentIsFiveToThirtyMetresAwayFromTheOutline() throws {
        let d = try Samples.district()
        let frame = d.frame
        let outline = coordinates(d.outline)
        let outlineSet = Set(outline)
        func distanceToOutline(_ p: Coordinate) -> Double {
            let (px, py) = frame.metres(p)
            var best = Double.infinity
            for (a, b) in zip(outline, outline.dropFirst()) {
                let (ax, ay) = frame.metres(a), (bx, by) = frame.metres(b)
                let dx = bx - ax, dy = by - ay
                let t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
                best = min(best, ((ax + t * dx - px) * (ax + t * dx - px) + (ay + t * dy - py) * (ay + t * dy - py)).squareRoot())
            }
            return best
        }
        var otherLayerDifferences = 0
        let police = Set(d.layer(.police).cells.flatMap { coordinates($0.geometry) })
        for layer in d.departments {
            var displaced = 0, total = 0
            for cell in layer.cells {
                let moved = coordinates(cell.geometry), original = coordinates(try #require(cell.undisplacedGeometry))
                #expect(moved.count == original.count)
                for (m, o) in zip(moved, original) {
                    total += 1
                    let shift = frame.distance(m, o)
                    #expect(shift <= 30.01, "\(cell.code): a vertex moved \(shift) m")
                    if outlineSet.contains(o) {
                        #expect(m == o, "\(cell.code): an outline vertex moved")
                    } else if shift < 5 {
                        // Only allowed in the taper band next to the outline.
                        #expect(distanceToOutline(o) < 250, "\(cell.code): a vertex far from the outline moved only \(shift) m")
                    } else {
                        displaced += 1
                    }
                }
                if layer.name != "police" { otherLayerDifferences += moved.filter { !police.contains($0) }.count }
            }
            #expect(displaced * 4 > total, "\(layer.name): \(displaced) of \(total) vertices misaligned by 5–30 m")
        }
        #expect(otherLayerDifferences > 0, "layers disagree with each other")
    }
}
