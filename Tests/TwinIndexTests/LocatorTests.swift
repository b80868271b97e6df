// The boundary rule on hand-made partitions: every expected answer is written out from the
// rule (west side of a shared edge, above a horizontal one, west-north-west at a vertex; the
// lowest-index cell on the outer boundary), and checked on both the fast path and the
// exhaustive reference.
import Testing
@testable import TwinIndex

/// Checks fast and exhaustive answers against `expected` for every (x, y, expected) case.
private func expectAnswers(_ locator: PartitionLocator, _ cases: [(Double, Double, Int)],
                           sourceLocation: SourceLocation = #_sourceLocation) {
    for (x, y, expected) in cases {
        #expect(locator.locate(x: x, y: y) == expected, "fast (\(x), \(y))", sourceLocation: sourceLocation)
        #expect(locator.locateExhaustively(x: x, y: y) == expected, "exhaustive (\(x), \(y))",
                sourceLocation: sourceLocation)
    }
}

/// Several grid resolutions, so points fall in pure tiles, impure tiles and long walks.
private let gridOptions: [PartitionLocator.Options] = [
    .init(tilesPerEdge: 0.01), .init(tilesPerEdge: 1), .init(), .init(tilesPerEdge: 64),
    .init(tilesPerEdge: .nan), .init(tilesPerEdge: .infinity, maxTiles: 5_000), .init(maxTiles: 0),
]

@Test func squareGridSharedEdgesAndVertices() throws {
    // 3 × 3 unit squares; cell = row * 3 + column.
    for options in gridOptions {
        let locator = try makeLocator(squareGrid(3, 3), options: options)
        expectAnswers(locator, [
            (0.5, 0.5, 0), (1.5, 0.5, 1), (2.5, 2.5, 8),       // interiors
            (1, 0.5, 0), (2, 1.5, 4),                          // vertical shared edge → west
            (0.5, 1, 3), (1.5, 2, 7),                          // horizontal shared edge → above
            (1, 1, 3), (2, 2, 7), (2, 1, 4),                   // shared vertex → west-north-west
            (1.5, 0, 1), (0.5, 0, 0),                          // bottom boundary: the cell above
            (3, 1.5, 5), (3, 0.5, 2),                          // right boundary: the cell to the west
            (0, 1.5, 3), (0, 0.5, 0), (0, 1, 0),               // left boundary: boundary rule, lowest
            (1.5, 3, 7), (1, 3, 6), (2, 3, 7),                 // top boundary: boundary rule, lowest
            (0, 0, 0), (3, 0, 2), (3, 3, 8), (0, 3, 6),        // the four corners
            (3, 1, 5), (1, 0, 0),                              // boundary vertices of shared edges
            (-0.1, 1, -1), (3.1, 1, -1), (1, -1e-12, -1), (1, 3 + 1e-12, -1), (-1e300, 0, -1),
        ])
    }
}

@Test func slopedSharedEdgeAndFanJunction() throws {
    // A square split by its diagonal: cell 0 below-right, cell 1 above-left of y = x.
    for options in gridOptions {
        let locator = try makeLocator([[[(0, 0), (2, 0), (2, 2)]], [[(0, 0), (2, 2), (0, 2)]]], options: options)
        expectAnswers(locator, [
            (1, 1, 1), (0.5, 0.5, 1), (1.5, 1.5, 1),  // on the sloped edge: its west side is cell 1
            (1, 0.5, 0), (0.5, 1, 1),
            (0, 0, 0), (2, 2, 0),                     // diagonal's ends: outside by the half-open rule,
                                                      // on both cells' boundaries → lowest, 0
            (2, 1, 0), (1, 2, 1), (1, 0, 0), (0, 1, 1),
        ])
    }
}

@Test func fanAroundCentreVertex() throws {
    // Six triangles around (0, 0); the vertex belongs to the triangle covering direction
    // west-north-west, i.e. the sector just above the negative x axis.
    var cells: [LocatorTestCell] = []
    let r = 4.0
    let spokes: [(Double, Double)] = [(r, 0), (2, 3), (-2, 3), (-r, 0), (-2, -3), (2, -3)]
    for k in 0 ..< 6 { cells.append([[(0, 0), spokes[k], spokes[(k + 1) % 6]]]) }
    for options in gridOptions {
        let locator = try makeLocator(cells, options: options)
        // Sector 2 spans from (-2, 3) to (-4, 0): it contains direction (−1, +ε).
        expectAnswers(locator, [
            (0, 0, 2), (1, 0, 0), (-1, 0, 2), (0, 1, 1), (1, 1.5, 1), (-1, -1.5, 3),
            (1.5, 0.1, 0), (1.5, -0.1, 5),
        ])
    }
}

@Test func enclaveFillsHole() throws {
    // Cell 0: [0,3]² with hole [1,2]²; cell 1 fills the hole exactly.
    let outer = square(0, 0, 3, 3), hole = square(1, 1, 2, 2)
    for options in gridOptions {
        let locator = try makeLocator([[outer, hole], [hole]], options: options)
        expectAnswers(locator, [
            (0.5, 0.5, 0), (1.5, 1.5, 1),
            (1, 1.5, 0),    // west side of the hole: west neighbour is cell 0
            (2, 1.5, 1),    // east side of the hole: west neighbour is cell 1
            (1.5, 2, 0),    // top of the hole: the cell above is 0
            (1.5, 1, 1),    // bottom of the hole: the cell above is 1
            (1, 1, 0), (2, 2, 0), (1, 2, 0), (2, 1, 1),  // hole corners, west-north-west
        ])
    }
}

@Test func multipolygonCell() throws {
    // Cell 0 = two squares [0,1]² and [2,3]×[0,1]; cell 1 = [1,2]×[0,1] between them.
    for options in gridOptions {
        let locator = try makeLocator([[square(0, 0, 1, 1), square(2, 0, 3, 1)], [square(1, 0, 2, 1)]],
                                      options: options)
        expectAnswers(locator, [
            (0.5, 0.5, 0), (2.5, 0.5, 0), (1.5, 0.5, 1),
            (1, 0.5, 0), (2, 0.5, 1), (3, 0.5, 0), (0, 0.5, 0),
            (1.5, 1, 1), (2.5, 1, 0), (2, 1, 0),  // top boundary; (2, 1) touches both → lowest
            (3.5, 0.5, -1),
        ])
    }
}

@Test func unfilledHoleIsAGap() throws {
    // Cell 0: [0,3]² with hole [1,2]² that no cell fills; cell 1 beside it.
    for options in gridOptions {
        let locator = try makeLocator([[square(0, 0, 3, 3), square(1, 1, 2, 2)], [square(3, 0, 4, 3)]],
                                      options: options)
        expectAnswers(locator, [
            (1.5, 1.5, -1),          // inside the gap
            (1, 1.5, 0),             // hole's west side: the cell to the west is 0
            (2, 1.5, 0),             // hole's east side: west is the gap → boundary rule → 0
            (1.5, 1, 0),             // hole's bottom: the gap above → boundary rule → 0
            (1.5, 2, 0),             // hole's top: cell 0 above
            (2, 1, 0), (1, 2, 0),
            (3, 1.5, 0), (3, 3, 0), (4, 3, 1), (3, 0, 0),
        ])
    }
}

@Test func nonFiniteAndFarQueriesAreNone() throws {
    let locator = try makeLocator(squareGrid(2, 2))
    for (x, y) in [(Double.nan, 0.5), (0.5, .nan), (.infinity, 0.5), (0.5, -.infinity),
                   (.nan, .nan), (.greatestFiniteMagnitude, 1), (-Double.leastNonzeroMagnitude, 0.5)] {
        #expect(locator.locate(x: x, y: y) == -1)
        #expect(locator.locateExhaustively(x: x, y: y) == -1)
    }
    let xs: [Double] = [.nan, 0.5, .infinity, 1.5], ys: [Double] = [0.5, 0.5, 0.5, .nan]
    #expect(try locator.locate(xs: xs, ys: ys) == [-1, 0, -1, -1])
    #expect(try locator.locateConcurrently(xs: xs, ys: ys) == [-1, 0, -1, -1])
}

@Test func overlappingCellsGiveValidDeterministicAnswers() throws {
    // Invalid input (overlaps) is not checked; answers must still be -1 or a real cell.
    let cells: [LocatorTestCell] = [[square(0, 0, 2, 2)], [square(1, 1, 3, 3)], [square(0.5, 0.5, 2.5, 2.5)]]
    let locator = try makeLocator(cells, options: .init(tilesPerEdge: 8))
    var rng = LocatorTestRandom(seed: 7)
    for _ in 0 ..< 2_000 {
        let x = rng.unit() * 3.5 - 0.25, y = rng.unit() * 3.5 - 0.25
        let a = locator.locate(x: x, y: y)
        #expect(a >= -1 && a < 3)
        #expect(locator.locate(x: x, y: y) == a)
    }
}
