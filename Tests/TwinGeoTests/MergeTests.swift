import Testing
import TwinGeo
import TwinIndex

@Suite struct MergeTests {
    typealias F = GridFixture
    static let sliverThreshold = 175.0

    /// Each layer's own exact locator (cell index = layer cell index).
    static func locators(_ layers: [GridLayer]) throws -> [PartitionLocator] {
        try layers.map { layer in
            var builder = PartitionLocator.Builder()
            for cell in layer.cells {
                try builder.addCell(rings: cell.geometry.polygons.flatMap { $0.rings.map { $0.flatMap { [$0.x, $0.y] } } })
            }
            return try builder.finish()
        }
    }

    static func tuple(_ locators: [PartitionLocator], _ p: Coordinate) -> [Int32] {
        locators.map { Int32($0.locate(x: p.x, y: p.y)) }
    }

    /// Random points over the district and a 50 m margin around it (outside: no cell).
    static func randomPoints(_ count: Int, seed: UInt64) -> [Coordinate] {
        var random = GridTestRandom(seed: seed)
        return (0 ..< count).map { _ in F.c(-50 + 1100 * random.unit(), -50 + 1100 * random.unit()) }
    }

    /// Points exactly on the block lines (random along them), on their crossings, and on the outer boundary.
    static func boundaryPoints(seed: UInt64) -> [Coordinate] {
        var random = GridTestRandom(seed: seed)
        var points: [Coordinate] = []
        for line in F.lines {
            for _ in 0 ..< 40 {
                points.append(F.c(line, 1000 * random.unit()))
                points.append(F.c(1000 * random.unit(), line))
            }
            for other in F.lines { points.append(F.c(line, other)) }
        }
        for _ in 0 ..< 40 { points.append(F.c(F.policeBoundary, 1000 * random.unit())) }
        return points
    }

    /// The half-open crossing parity of a cell's rings at `p` (double-precision orientation: the
    /// points tested lie on axis-parallel lines, where it is exact).
    static func halfOpenContains(_ cell: AtomicCell, _ p: Coordinate) -> Bool {
        var inside = false
        for polygon in cell.geometry.polygons {
            for ring in polygon.rings {
                for i in 0 ..< ring.count - 1 {
                    var a = ring[i], b = ring[i + 1]
                    if a.y > b.y { swap(&a, &b) }
                    guard (a.y > p.y) != (b.y > p.y) else { continue }
                    if (a.x - p.x) * (b.y - p.y) - (a.y - p.y) * (b.x - p.x) >= 0 { inside.toggle() }
                }
            }
        }
        return inside
    }

    @Test func atomicCellsPartitionTheUnionAndAnswerEveryLayer() throws {
        let layers = F.allLayers
        let result = try GridMerger.merge(layers: layers, options: MergeOptions(sliverAreaM2: Self.sliverThreshold))
        let grid = result.grid
        #expect(grid.layerNames == ["单元网格", "居村", "街镇", "警务", "绿容", "综治"])
        #expect(result.report.atomicCellCount == grid.cells.count)
        #expect(grid.cells.allSatisfy { $0.layerCells.count == layers.count })

        // Areas add up to the union's area.
        let union = try Geometry.unaryUnion(layers.flatMap { $0.cells.map { Geometry.multiPolygon($0.geometry) } })
        let unionArea = try union.areaSquareMetres()
        #expect(abs(grid.totalAreaM2 - unionArea) < 1e-6 * unionArea, "\(grid.totalAreaM2) vs \(unionArea)")
        #expect(abs(result.report.totalAreaM2 - unionArea) < 1e-6 * unionArea)
        #expect(result.report.uncoveredAreaM2 == [0, 0, 0, 0, 0, 0])

        // Random points: the merged tuple is every layer's own answer, also outside (no cell).
        let merged = try grid.makeLocator()
        #expect(merged.cellCount == grid.cells.count)
        let own = try Self.locators(layers)
        var outside = 0
        for p in Self.randomPoints(3_000, seed: 7) {
            let cell = merged.locate(x: p.x, y: p.y)
            let expected = Self.tuple(own, p)
            if cell < 0 {
                outside += 1
                #expect(expected.allSatisfy { $0 < 0 }, "point \(p) in no atomic cell but in \(expected)")
            } else {
                #expect(grid.cells[cell].layerCells == expected, "point \(p)")
            }
        }
        #expect(outside > 100)

        // Points exactly on shared boundaries: exactly one atomic cell claims them, the locator
        // finds it, and its tuple is every layer's own answer there.
        for p in Self.boundaryPoints(seed: 11) {
            let cell = merged.locate(x: p.x, y: p.y)
            #expect(cell >= 0, "boundary point \(p) in no cell")
            guard cell >= 0 else { continue }
            #expect(cell == merged.locateExhaustively(x: p.x, y: p.y))
            let claiming = grid.cells.indices.filter { Self.halfOpenContains(grid.cells[$0], p) }
            // The half-open rule leaves the west and north outer edges to the fallback: the
            // lowest-index cell whose boundary passes through the point (an order that differs
            // between the merged grid and each layer, so only "some cell" is asserted there).
            let westOrNorth = p.x == F.c(0, 0).x || p.y == F.c(0, 1000).y
            #expect(claiming == (westOrNorth ? [] : [cell]), "point \(p) claimed by \(claiming)")
            if !westOrNorth { #expect(grid.cells[cell].layerCells == Self.tuple(own, p), "boundary point \(p)") }
        }
    }

    @Test func reportsSliversWithTheDisagreeingLayers() throws {
        let result = try GridMerger.merge(layers: F.allLayers, options: MergeOptions(sliverAreaM2: Self.sliverThreshold))
        let slivers = result.report.slivers
        // The shapely overlay of the fixture has 15 faces under 175 m²; adjacent ones of equal
        // tuple would form one atomic cell, none do here.
        #expect(slivers.count == 15, "\(result.report)")
        #expect(slivers.allSatisfy { $0.areaM2 < Self.sliverThreshold && !$0.snapped && !$0.disagreeingLayers.isEmpty })
        #expect(zip(slivers, slivers.dropFirst()).allSatisfy { $0.areaM2 <= $1.areaM2 })
        let own = try Self.locators(F.allLayers)
        for sliver in slivers {
            // The location is inside the sliver's atomic cell, whose tuple is the sliver's.
            #expect(Self.tuple(own, sliver.location) == sliver.layerCells)
            #expect(result.grid.cells[sliver.atomicCell].layerCells == sliver.layerCells)
            let neighbour = try #require(sliver.neighbourLayerCells)
            let differing = result.grid.layerNames.indices.filter { neighbour[$0] != sliver.layerCells[$0] }
            #expect(sliver.disagreeingLayers == differing.map { result.grid.layerNames[$0] })
            #expect(sliver.neighbourCell.map { result.grid.cells[$0].layerCells } == neighbour)
        }
        // A police strip piece away from the diagonal and the greening line: only 警务 disagrees
        // with the eastern neighbour, while the western one differs in three layers.
        let strip = slivers.filter { $0.location.x > F.c(500, 0).x && $0.location.x < F.c(F.policeBoundary, 0).x
            && $0.location.y > F.c(0, 600).y && $0.location.y < F.c(0, 1000).y }
        #expect(!strip.isEmpty && strip.allSatisfy { $0.disagreeingLayers == ["警务"] })
        let green = slivers.filter { $0.location.y > F.c(0, F.greeningBoundary).y && $0.location.y < F.c(0, 500).y
            && $0.location.x > F.c(F.lines[4], 0).x }
        #expect(!green.isEmpty && green.allSatisfy { $0.disagreeingLayers == ["绿容"] })
        #expect(result.report.description.contains("boundaries of 警务 disagree here"))
        #expect(result.report.jsonText.contains("\"disagreeingLayers\":[\"警务\"]"))
    }

    @Test func snappingMergesEverySliverIntoItsNeighbour() throws {
        let plain = try GridMerger.merge(layers: F.allLayers, options: MergeOptions(sliverAreaM2: Self.sliverThreshold))
        let snapped = try GridMerger.merge(layers: F.allLayers,
                                           options: MergeOptions(sliverAreaM2: Self.sliverThreshold, snapSlivers: true))
        let grid = snapped.grid
        #expect(!snapped.report.slivers.isEmpty && snapped.report.slivers.allSatisfy(\.snapped))
        #expect(grid.cells.allSatisfy { $0.areaM2 >= Self.sliverThreshold }, "a sliver remains")
        #expect(grid.cells.count < plain.grid.cells.count)
        #expect(abs(grid.totalAreaM2 - plain.grid.totalAreaM2) < 1e-6 * plain.grid.totalAreaM2)

        let merged = try grid.makeLocator()
        let before = try plain.grid.makeLocator()
        let own = try Self.locators(F.allLayers)
        // Every sliver's interior now answers with the tuple of the neighbour it was merged into.
        for sliver in snapped.report.slivers {
            let cell = merged.locate(x: sliver.location.x, y: sliver.location.y)
            #expect(cell == sliver.atomicCell && cell == sliver.neighbourCell)
            #expect(grid.cells[cell].layerCells == sliver.neighbourLayerCells)
        }
        // Elsewhere nothing changed; inside a former sliver the point gets the snapped tuple.
        var insideSlivers = 0
        for p in Self.randomPoints(3_000, seed: 23) + plain.report.slivers.map(\.location) {
            let cell = merged.locate(x: p.x, y: p.y)
            let expected = Self.tuple(own, p)
            guard cell >= 0 else { #expect(expected.allSatisfy { $0 < 0 }); continue }
            let old = before.locate(x: p.x, y: p.y)
            if plain.grid.cells[old].areaM2 < Self.sliverThreshold {
                insideSlivers += 1
                #expect(snapped.report.slivers.contains { $0.atomicCell == cell && $0.neighbourLayerCells == grid.cells[cell].layerCells })
            } else {
                #expect(grid.cells[cell].layerCells == expected, "point \(p)")
            }
        }
        #expect(insideSlivers >= plain.report.slivers.count)
    }

    @Test func refusesInvalidCellsAndDuplicateLayerNames() {
        var bad = F.police
        bad.cells[0].geometry = MultiPolygon([Polygon(exterior: F.ring([(0, 0), (100, 100), (100, 0), (0, 100)]))])
        do {
            _ = try GridMerger.merge(layers: [F.units, bad])
            Issue.record("merged an invalid cell")
        } catch {
            #expect("\(error)".contains("layer 警务, cell #0 P1 is invalid"))
        }
        #expect(throws: GeometryError.self) { try GridMerger.merge(layers: [F.police, F.police]) }
        #expect(throws: GeometryError.self) { try GridMerger.merge(layers: []) }
    }

    @Test func aSingleLayerMergesIntoItsOwnCells() throws {
        let result = try GridMerger.merge(layers: [F.communities])
        #expect(result.grid.cells.count == 4)
        #expect(Set(result.grid.cells.map { $0.layerCells[0] }) == [0, 1, 2, 3])
        #expect(result.report.slivers.isEmpty && result.report.droppedFaceCount == 0)
    }
}
