// The per-tile answer array and the blocked batch loop (PartitionLocator+Batch): both must give
// exactly the answers of the full per-point path and of the exhaustive reference.
import Testing
@testable import TwinIndex

private let blockCells = voronoiPartition(columns: 12, rows: 9, box: (0.0, 0.0, 1.2, 0.9), seed: 77)

@Test func pureTileAnswersEqualFullPathAndReference() throws {
    for options in [PartitionLocator.Options(tilesPerEdge: 0.5), .init(), .init(tilesPerEdge: 40)] {
        let locator = try makeLocator(blockCells, options: options)
        let storage = locator.storage
        let (minX, minY, maxX, maxY) = locator.extent
        let w = (maxX - minX) / Double(storage.columns), h = (maxY - minY) / Double(storage.rows)
        var pure = 0
        for r in 0 ..< storage.rows {
            for c in 0 ..< storage.columns {
                let t = r * storage.columns + c
                let answer = storage.answers[t]
                let record = storage.tiles[t], next = storage.tiles[t + 1]
                let hasEntries = record.sharedStart != next.sharedStart || record.newStart != next.newStart
                // The marker is exactly the tiles with edges.
                #expect((answer == PartitionLocatorStorage.mixedTile) == hasEntries, "tile \(t)")
                guard answer != PartitionLocatorStorage.mixedTile else { continue }
                pure += 1
                #expect(answer >= -1 && Int(answer) < locator.cellCount)
                let cx = minX + (Double(c) + 0.5) * w, cy = minY + (Double(r) + 0.5) * h
                #expect(Int(answer) == storage.locate(cx, cy, tile: t), "tile \(t)")
                #expect(Int(answer) == locator.locateExhaustively(x: cx, y: cy), "tile \(t)")
            }
        }
        #expect(pure == locator.statistics.pureTiles)
    }
}

@Test func blockedBatchEqualsPointByPointAtEveryBlockLength() throws {
    let locator = try makeLocator(blockCells)
    let block = PartitionLocatorStorage.batchBlock
    var rng = LocatorTestRandom(seed: 21)
    // Random points inside and around the extent, vertices (exact boundary points) and
    // non-finite values, interleaved so every block mixes pure, mixed and outside points.
    var xs: [Double] = [], ys: [Double] = []
    let vertices = blockCells.flatMap { $0[0] }
    for i in 0 ..< 3 * block + 7 {
        switch i % 7 {
        case 0: let v = vertices[Int(rng.next() % UInt64(vertices.count))]; xs.append(v.x); ys.append(v.y)
        case 1: xs.append(i % 2 == 0 ? .nan : .infinity); ys.append(0.4)
        case 2: xs.append(0.6); ys.append(-.infinity)
        default: xs.append(-0.1 + 1.4 * rng.unit()); ys.append(-0.1 + 1.1 * rng.unit())
        }
    }
    for count in [0, 1, 2, block - 1, block, block + 1, 2 * block + 3, xs.count] {
        let x = Array(xs.prefix(count)), y = Array(ys.prefix(count))
        let batch = try locator.locate(xs: x, ys: y)
        #expect(batch.count == count)
        for i in 0 ..< count {
            #expect(Int(batch[i]) == locator.locate(x: x[i], y: y[i]), "count \(count), point \(i)")
            #expect(Int(batch[i]) == locator.locateExhaustively(x: x[i], y: y[i]), "count \(count), point \(i)")
        }
    }
}

@Test func statisticsDescribeTheIndex() throws {
    let locator = try makeLocator(blockCells)
    let s = locator.statistics
    let storage = locator.storage
    #expect(s.columns == storage.columns && s.rows == storage.rows)
    #expect(s.pureTiles > 0 && s.pureTiles < s.columns * s.rows)
    // Every mixed tile scans at least its own entries.
    #expect(s.averageScanPerMixedTile >= 1)
    let minimum = (s.columns * s.rows) * (MemoryLayout<PartitionTile>.stride + 4) + s.entries * MemoryLayout<PartitionEntry>.stride
    #expect(s.indexBytes >= minimum)
}
