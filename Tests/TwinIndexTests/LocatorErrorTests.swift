// Bad input to the builder and to the batch calls: a thrown LocatorError naming the place.
import Testing
@testable import TwinIndex

@Test func emptyPartitionIsRefused() {
    #expect(throws: LocatorError.emptyPartition) { try PartitionLocator.Builder().finish() }
}

@Test func badRingsNameCellRingAndVertex() throws {
    var builder = PartitionLocator.Builder()
    try builder.addCell(rings: [[0, 0, 1, 0, 1, 1]])
    let cases: [([[Double]], LocatorError)] = [
        ([], .cellWithoutRings(cell: 1)),
        ([[0, 0, 1, 0, 1]], .oddCoordinateCount(cell: 1, ring: 0, count: 5)),
        ([[0, 0, 1, 0, 1, 1], [0, 0, 1, 1]], .tooFewDistinctPoints(cell: 1, ring: 1, distinct: 2)),
        ([[0, 0, 1, 0, 0, 0, 1, 0]], .tooFewDistinctPoints(cell: 1, ring: 0, distinct: 2)),
        ([[0, 0, 1, .nan, 1, 1]], .nonFiniteCoordinate(cell: 1, ring: 0, vertex: 1)),
        ([[0, 0, 1, 0, .infinity, 1]], .nonFiniteCoordinate(cell: 1, ring: 0, vertex: 2)),
        ([[0, 0, 1, 0, 1e200, 1]], .coordinateOutOfRange(cell: 1, ring: 0, vertex: 2, value: 1e200)),
        ([[0, 0, 1, 1e-200, 1, 1]], .coordinateOutOfRange(cell: 1, ring: 0, vertex: 1, value: 1e-200)),
        ([[0, 0, 1, 1, 2, 2, 3, 3]], .zeroAreaRing(cell: 1, ring: 0)),
        ([[0, 0, 1, 0, 1, 1], [0, 0, 0.1, 0.1, 0.3, 0.3, 0, 0]], .zeroAreaRing(cell: 1, ring: 1)),
    ]
    for (rings, expected) in cases {
        #expect(throws: expected) { try builder.addCell(rings: rings) }
        #expect(builder.cellCount == 1, "a refused cell leaves the builder unchanged")
    }
    #expect(LocatorError.zeroAreaRing(cell: 3, ring: 1).description.contains("cell 3, ring 1"))
    #expect(LocatorError.nonFiniteCoordinate(cell: 2, ring: 0, vertex: 5).description.contains("vertex 5"))
    // Near-collinear but not collinear: accepted (the exact predicate sees the tiny area).
    try builder.addCell(rings: [[0, 0, 1, 1, 2, 2.0.nextUp]])
    #expect(try builder.finish().cellCount == 2)
}

@Test func batchSizeMismatchIsAnError() throws {
    let locator = try makeLocator(squareGrid(2, 2))
    #expect(throws: LocatorError.batchSizeMismatch(xs: 2, ys: 1, results: 2)) {
        _ = try locator.locate(xs: [0.5, 1.5], ys: [0.5])
    }
    let xs = [0.5, 1.5], ys = [0.5, 0.5]
    var out = [Int32](repeating: 0, count: 3)
    #expect(throws: LocatorError.batchSizeMismatch(xs: 2, ys: 2, results: 3)) {
        try xs.withUnsafeBufferPointer { x in
            try ys.withUnsafeBufferPointer { y in
                try out.withUnsafeMutableBufferPointer { o in try locator.locateConcurrently(xs: x, ys: y, into: o) }
            }
        }
    }
    #expect(out == [0, 0, 0], "nothing written on error")
    #expect(try locator.locate(xs: [], ys: []) == [])
}
