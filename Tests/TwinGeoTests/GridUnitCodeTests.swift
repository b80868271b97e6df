import Testing
import TwinGeo

@Suite struct GridUnitCodeTests {
    typealias F = GridFixture

    @Test func numbersUnitsWestToEastNorthToSouthWithinEach居村() throws {
        var units = F.units
        for i in units.cells.indices { units.cells[i].code = "" }
        let (layer, assigned) = try UnitCodeGenerator(rowHeightMetres: 150).assignCodes(units: units, communities: F.communities)
        #expect(assigned.count == 36)
        for i in 0 ..< 6 {
            for j in 0 ..< 6 { #expect(layer.cells[i * 6 + j].code == F.unitCode(i, j), "block \(i), \(j)") }
        }
        #expect(try GridValidator.validate(layer, parent: F.communities).isClean)
    }

    @Test func keepsValidCodesAndSkipsTheirSequenceNumbers() throws {
        var units = F.units
        for i in units.cells.indices { units.cells[i].code = "" }
        // The south-east block of the south-west 居村 already has sequence 001.
        units.cells[2 * 6 + 0].code = "310107001001001"
        // A code of another 居村 is not this cell's code: it is replaced.
        units.cells[0 * 6 + 2].code = "310107101202001"
        let (layer, assigned) = try UnitCodeGenerator().assignCodes(units: units, communities: F.communities)
        #expect(assigned.count == 35)
        #expect(layer.cells[2 * 6 + 0].code == "310107001001001")
        let southWest = [0, 1, 2].flatMap { i in [0, 1, 2].map { j in layer.cells[i * 6 + j].code } }
        #expect(Set(southWest).count == 9)
        #expect(southWest.sorted() == (1 ... 9).map { "310107001001" + "00\($0)" })
        // North row first, west first, skipping 001: (0,2) → 002, (1,2) → 003, (2,2) → 004, …
        #expect(layer.cells[0 * 6 + 2].code == "310107001001002")
        #expect(layer.cells[1 * 6 + 0].code == "310107001001009")
    }

    @Test func refusesAUnitOutsideEvery居村AndABad居村Code() {
        var units = F.units
        units.cells.append(GridCell(code: "", geometry: F.rect(1100, 0, 1200, 100)))
        #expect(throws: GeometryError.self) { try UnitCodeGenerator().assignCodes(units: units, communities: F.communities) }
        var communities = F.communities
        communities.cells[1].code = "3101070010"
        #expect(throws: CodeError.self) { try UnitCodeGenerator().assignCodes(units: F.units, communities: communities) }
    }
}
