/// Builds the tile grid of a ``PartitionLocator``: merges shared edges, registers every edge in
/// the tiles it touches, and precomputes the answer of every pure tile.
enum PartitionIndexBuilder {
    /// A canonical edge, bit for bit: identical shared edges of two cells get the same key.
    private struct EdgeKey: Hashable {
        var lx: UInt64, ly: UInt64, ux: UInt64, uy: UInt64
    }

    static func build(rings: PartitionRings, options: PartitionLocator.Options) throws(LocatorError)
        -> PartitionLocatorStorage {
        // 1. Distinct edges in canonical order (lower y first; horizontal: lower x first). A
        //    shared edge is stored once with the XOR of its cells' codes: both cells flip their
        //    parity at it, so one crossing test serves both. Zero-length edges never cross and
        //    their point is an endpoint of a neighbouring edge, so they are dropped.
        var keyIndex: [EdgeKey: Int] = [:]
        var edgeCoords: [Double] = []
        var edgeCodes: [UInt32] = []
        var owners: [[Int32]] = []
        var minX = Double.infinity, minY = Double.infinity
        var maxX = -Double.infinity, maxY = -Double.infinity
        for cell in 0 ..< rings.cellCount {
            rings.forEachEdge(ofCell: cell) { ax0, ay0, bx0, by0 in
                // +0.0 folds -0.0 into 0.0 so equal coordinates give equal keys.
                let ax = ax0 + 0.0, ay = ay0 + 0.0, bx = bx0 + 0.0, by = by0 + 0.0
                minX = min(minX, ax); maxX = max(maxX, ax)
                minY = min(minY, ay); maxY = max(maxY, ay)
                if ax == bx && ay == by { return }
                let lowerFirst = ay < by || (ay == by && ax < bx)
                let (lx, ly, ux, uy) = lowerFirst ? (ax, ay, bx, by) : (bx, by, ax, ay)
                let key = EdgeKey(lx: lx.bitPattern, ly: ly.bitPattern, ux: ux.bitPattern, uy: uy.bitPattern)
                let code = UInt32(cell + 1)
                if let e = keyIndex[key] {
                    edgeCodes[e] ^= code
                    owners[e].append(Int32(cell))
                } else {
                    keyIndex[key] = edgeCodes.count
                    edgeCoords.append(contentsOf: [lx, ly, ux, uy])
                    edgeCodes.append(code)
                    owners.append([Int32(cell)])
                }
            }
        }
        let edgeCount = edgeCodes.count
        var edgeCellStart: [Int32] = [0]
        var edgeCells: [Int32] = []
        for var list in owners {
            list.sort()
            for (k, c) in list.enumerated() where k == 0 || list[k - 1] != c { edgeCells.append(c) }
            edgeCellStart.append(Int32(edgeCells.count))
        }

        // 2. Grid dimensions: about `tilesPerEdge` tiles per edge, shaped like the extent.
        //    Validated rings are non-collinear, so the extent has positive width and height.
        let width = maxX - minX, height = maxY - minY
        let cap = max(1, min(options.maxTiles, 1 << 26))
        // (A NaN or tiny setting becomes 0.01; an infinite one is capped like any other.)
        let perEdge = options.tilesPerEdge >= 0.01 ? options.tilesPerEdge : 0.01
        let target = Double(edgeCount) * perEdge
        let tileTarget = max(1, Int(min(target, Double(cap))))
        let columns = max(1, min(tileTarget, Int((Double(tileTarget) * width / height).squareRoot().rounded())))
        let rows = max(1, min(tileTarget / columns, cap / columns))
        let tileCount = columns * rows
        let tileWidth = width / Double(columns), tileHeight = height / Double(rows)
        let inverseWidth = Double(columns) / width, inverseHeight = Double(rows) / height
        // Margins: far above the rounding error of a query's tile index (a few ulps of the
        // coordinates), of the tile bounds and of the clipping below, so an edge within reach
        // of a point is always registered in the point's computed tile.
        let marginX = 1e-13 * (abs(minX) + abs(maxX)) + 1e-9 * tileWidth
        let marginY = 1e-13 * (abs(minY) + abs(maxY)) + 1e-9 * tileHeight

        func column(_ x: Double) -> Int {
            let c = ((x - minX) * inverseWidth).rounded(.down)
            return c < 0 ? 0 : (c >= Double(columns) ? columns - 1 : Int(c))
        }
        func row(_ y: Double) -> Int {
            let r = ((y - minY) * inverseHeight).rounded(.down)
            return r < 0 ? 0 : (r >= Double(rows) ? rows - 1 : Int(r))
        }
        /// Calls `body(tile, isFirstInRow)` for every tile whose margin-expanded box the edge touches.
        /// Within a row the tiles form a contiguous run of columns.
        func forEachTile(ofEdge e: Int, _ body: (Int, Bool) -> Void) {
            let lx = edgeCoords[4 * e], ly = edgeCoords[4 * e + 1]
            let ux = edgeCoords[4 * e + 2], uy = edgeCoords[4 * e + 3]
            let edgeMinX = min(lx, ux), edgeMaxX = max(lx, ux)
            let firstRow = max(0, row(ly - marginY) - 1), lastRow = min(rows - 1, row(uy + marginY) + 1)
            for r in firstRow ... lastRow {
                let bandLow = minY + Double(r) * tileHeight - marginY
                let bandHigh = minY + Double(r + 1) * tileHeight + marginY
                if uy < bandLow || ly > bandHigh { continue }
                var xa = edgeMinX, xb = edgeMaxX
                if ly < bandLow || uy > bandHigh {
                    // Only the part of the edge inside the band: x is linear in y along it.
                    // (Not horizontal here: a horizontal edge overlapping the band lies inside it.)
                    let slope = (ux - lx) / (uy - ly)
                    let x0 = lx + (max(ly, bandLow) - ly) * slope
                    let x1 = lx + (min(uy, bandHigh) - ly) * slope
                    xa = max(edgeMinX, min(x0, x1))
                    xb = min(edgeMaxX, max(x0, x1))
                }
                let firstColumn = max(0, column(xa - marginX) - 1)
                let lastColumn = min(columns - 1, column(xb + marginX) + 1)
                var first = true
                for c in firstColumn ... lastColumn {
                    let boxLow = minX + Double(c) * tileWidth - marginX
                    let boxHigh = minX + Double(c + 1) * tileWidth + marginX
                    if xb < boxLow || xa > boxHigh { continue }
                    body(r * columns + c, first)
                    first = false
                }
            }
        }

        // 3. Registration, two passes: count, then fill. Shared entries (edge also registered
        //    in the left neighbour) go to one array; new entries to another, in row-major tile
        //    order, so that the new entries of consecutive tiles of a row are contiguous.
        var sharedCount = [Int](repeating: 0, count: tileCount)
        var newCount = [Int](repeating: 0, count: tileCount)
        for e in 0 ..< edgeCount {
            forEachTile(ofEdge: e) { tile, first in
                if first { newCount[tile] += 1 } else { sharedCount[tile] += 1 }
            }
        }
        let totalShared = sharedCount.reduce(0, +), totalNew = newCount.reduce(0, +)
        guard totalShared < Int(UInt32.max), totalNew < Int(UInt32.max) else {
            throw .tooLarge(entries: totalShared + totalNew)
        }

        let tiles = UnsafeMutablePointer<PartitionTile>.allocate(capacity: tileCount + 1)
        let shared = UnsafeMutablePointer<PartitionEntry>.allocate(capacity: max(1, totalShared))
        let runs = UnsafeMutablePointer<PartitionEntry>.allocate(capacity: max(1, totalNew))
        let answers = UnsafeMutablePointer<Int32>.allocate(capacity: tileCount)
        answers.initialize(repeating: PartitionLocatorStorage.mixedTile, count: tileCount)
        var sharedCursor = [Int](repeating: 0, count: tileCount)
        var newCursor = [Int](repeating: 0, count: tileCount)
        var sharedOffset = 0, newOffset = 0, pureTiles = 0
        for t in 0 ... tileCount {
            // runEnd and code are set in step 4.
            tiles[t] = PartitionTile(sharedStart: UInt32(sharedOffset), newStart: UInt32(newOffset), runEnd: 0, code: 0)
            guard t < tileCount else { break }
            sharedCursor[t] = sharedOffset
            newCursor[t] = newOffset
            if sharedCount[t] + newCount[t] == 0 { pureTiles += 1 }
            sharedOffset += sharedCount[t]
            newOffset += newCount[t]
        }
        for e in 0 ..< edgeCount {
            let entry = PartitionEntry(lx: edgeCoords[4 * e], ly: edgeCoords[4 * e + 1],
                                       ux: edgeCoords[4 * e + 2], uy: edgeCoords[4 * e + 3],
                                       code: edgeCodes[e], edge: UInt32(e))
            forEachTile(ofEdge: e) { tile, first in
                if first {
                    (runs + newCursor[tile]).initialize(to: entry)
                    newCursor[tile] += 1
                } else {
                    (shared + sharedCursor[tile]).initialize(to: entry)
                    sharedCursor[tile] += 1
                }
            }
        }

        let storage = PartitionLocatorStorage(
            cellCount: rings.cellCount, extent: (minX, minY, maxX, maxY), columns: columns, rows: rows,
            tiles: tiles, answers: answers, shared: shared, sharedCount: totalShared, runs: runs, runCount: totalNew,
            edgeCellStart: edgeCellStart, edgeCells: edgeCells, pureTileCount: pureTiles, rings: rings)

        // 4. Each row east to west: an impure tile's run ends at the next pure tile east of it and
        //    takes that tile's answer; a pure tile's answer is the answer at its centre (membership
        //    is constant over a pure tile), evaluated from the tile east of it, already complete.
        //    The storage is not shared yet; these are the last writes to it.
        for r in 0 ..< rows {
            var pureCode: UInt32 = 0                              // none past the row's end
            var pureNewStart = tiles[(r + 1) * columns].newStart  // = the end of this row's new entries
            for c in stride(from: columns - 1, through: 0, by: -1) {
                let t = r * columns + c
                let isPure = sharedCount[t] + newCount[t] == 0
                guard isPure else {
                    tiles[t].runEnd = pureNewStart
                    tiles[t].code = pureCode
                    continue
                }
                let cx = minX + (Double(c) + 0.5) * tileWidth
                let cy = minY + (Double(r) + 0.5) * tileHeight
                var code: UInt32 = c + 1 < columns ? storage.answerCode(cx, cy, tile: t + 1) : 0
                if Int(code) > rings.cellCount {
                    // Overlapping cells scramble the XOR; fall back to the reference at this point.
                    code = UInt32(storage.locateExhaustively(cx, cy) + 1)
                }
                tiles[t].runEnd = tiles[t].newStart
                tiles[t].code = code
                // The pure tile's final answer, exactly what the full path gives: code - 1
                // (code 0: no cell; a pure tile has no edge for the closed-boundary fallback).
                answers[t] = Int32(code) - 1
                pureCode = code
                pureNewStart = tiles[t].newStart
            }
        }
        return storage
    }
}
