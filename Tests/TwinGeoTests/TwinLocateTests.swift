import Dispatch
import Foundation
import Synchronization
import Testing
import TwinIndex
@testable import TwinGeo

/// `Twin.locate`: every layer through the merged grid, equal to each layer's own exact locator.
@Suite struct TwinLocateTests {
    typealias F = GridFixture

    @Test func everyLayerAnswersAsItsOwnLocatorOnRandomPoints() throws {
        let (_, twin) = try TwinFixture.sharedTwin()
        let own = try MergeTests.locators(F.allLayers)
        let points = MergeTests.randomPoints(3_000, seed: 5)
        let xs = points.map(\.x), ys = points.map(\.y)
        let batch = try twin.cellIndexes(xs: xs, ys: ys, concurrently: false)
        var outside = 0
        for (i, p) in points.enumerated() {
            let expected = MergeTests.tuple(own, p)
            #expect(batch.map { $0[i] } == expected, "point \(p)")
            let single = try twin.locate(lon: p.x, lat: p.y)
            #expect(single.cells.map { $0.map { Int32($0.index) } ?? -1 } == expected)
            if expected.allSatisfy({ $0 < 0 }) { outside += 1; #expect(single.isOutside) }
        }
        #expect(outside > 100)
    }

    @Test func withSnappedSliversOnlyPointsInsideSliversChangeCells() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("snapped.gpkg")
        let builder = try TwinBuilder.create(at: path)
        for layer in F.allLayers { try builder.importLayer(layer) }
        let options = MergeOptions(sliverAreaM2: MergeTests.sliverThreshold, snapSlivers: true)
        let report = try #require(try builder.merge(options: options).latest)
        #expect(!report.slivers.isEmpty && report.slivers.allSatisfy(\.snapped))
        let twin = try Twin.open(path)
        // The unsnapped overlay says which points lie in a sliver.
        let plain = try GridMerger.merge(layers: F.allLayers, options: MergeOptions(sliverAreaM2: MergeTests.sliverThreshold))
        let plainLocator = try plain.grid.makeLocator()
        let own = try MergeTests.locators(F.allLayers)
        var inSlivers = 0
        for p in MergeTests.randomPoints(3_000, seed: 19) + plain.report.slivers.map(\.location) {
            let answer = try twin.locate(lon: p.x, lat: p.y).cells.map { $0.map { Int32($0.index) } ?? -1 }
            let old = plainLocator.locate(x: p.x, y: p.y)
            if old >= 0, plain.grid.cells[old].areaM2 < MergeTests.sliverThreshold {
                inSlivers += 1
                // Inside a sliver: the tuple of the neighbour it was merged into.
                #expect(report.slivers.contains { $0.neighbourLayerCells == answer }, "point \(p) in a sliver")
            } else {
                #expect(answer == MergeTests.tuple(own, p), "point \(p)")
            }
        }
        #expect(inSlivers >= report.slivers.count)
    }

    @Test func aPointOnASharedBoundaryIsInExactlyOneCellOfEachLayer() throws {
        let (_, twin) = try TwinFixture.sharedTwin()
        let own = try MergeTests.locators(F.allLayers)
        for p in MergeTests.boundaryPoints(seed: 13) {
            let assignment = try twin.locate(lon: p.x, lat: p.y)
            #expect(assignment.cells.allSatisfy { $0 != nil }, "boundary point \(p) misses a layer")
            // The west and north outer edges go to the lowest-index cell through the point, an order
            // the half-open parity does not see (see MergeTests); everywhere else exactly one cell.
            guard p.x != F.c(0, 0).x, p.y != F.c(0, 1000).y else { continue }
            for (l, layer) in F.allLayers.enumerated() {
                let claiming = layer.cells.indices.filter { TwinFixture.halfOpenContains(layer.cells[$0].geometry, p) }
                #expect(claiming.count == 1, "layer \(layer.name): point \(p) claimed by \(claiming)")
                #expect(assignment.cells[l]?.index == claiming.first, "layer \(layer.name): point \(p)")
                #expect(assignment.cells[l]?.index == own[l].locate(x: p.x, y: p.y))
            }
        }
    }

    @Test func hierarchyChainAndDispatchRules() throws {
        let (_, twin) = try TwinFixture.sharedTwin()
        // Block (4, 1): east 镇, 居村 (1, 0), police P3 (x ≥ 666.7), greening south, governance Z1.
        let p = F.c(750, 250)
        let a = try twin.locate(lon: p.x, lat: p.y)
        #expect(a.hierarchy.map(\.kind) == [.subdistrict, .community, .unitGrid])
        #expect(a.subdistrict?.code == "310107101" && a.subdistrict?.name == "East 镇")
        #expect(a.community?.code == "310107101201")
        #expect(a.unitGrid?.code == F.unitCode(4, 1))
        #expect(a.managementArea == nil)
        #expect(a.cell(layer: "警务")?.code == "P3")
        #expect(a.responsibleCell(for: "治安")?.code == "P3")
        #expect(a.responsibleCell(for: "绿化")?.code == "G-south")
        #expect(a.responsibleCell(for: "市容") == a.unitGrid)
        #expect(a.responsibleCell(for: "no such category") == nil)
        #expect(twin.responsibleLayer(for: "矛盾纠纷") == "综治")
        // cellCode maps a batch index back to the code.
        let police = try #require(a.cell(layer: "警务"))
        #expect(twin.cellCode(layer: "警务", index: police.index) == "P3")
        #expect(twin.cellCode(layer: "警务", index: -1) == nil && twin.cellCode(layer: "nope", index: 0) == nil)
        #expect(twin.cellCode(layer: "警务", index: 3) == nil)
        // Outside: no cell anywhere, no responsible cell.
        let outside = F.c(-20, 500)
        let o = try twin.locate(lon: outside.x, lat: outside.y)
        #expect(o.isOutside && o.cells.allSatisfy { $0 == nil } && o.hierarchy.isEmpty && o.responsibleCell(for: "治安") == nil)
    }

    @Test func batchFormsAgreeAndRefuseBadArguments() throws {
        let (_, twin) = try TwinFixture.sharedTwin()
        var points = MergeTests.randomPoints(20_000, seed: 9)  // over one concurrent chunk
        points[3] = Coordinate(.nan, 31.2)
        points[4] = Coordinate(121.4, .infinity)
        let xs = points.map(\.x), ys = points.map(\.y)
        let serial = try twin.cellIndexes(xs: xs, ys: ys, concurrently: false)
        let concurrent = try twin.cellIndexes(xs: xs, ys: ys, concurrently: true)
        #expect(serial == concurrent)
        #expect(serial.allSatisfy { $0[3] == -1 && $0[4] == -1 })

        var atomic = [Int32](repeating: 7, count: xs.count)
        var atomicConcurrent = atomic
        var police = [Int32](repeating: 7, count: xs.count)
        try xs.withUnsafeBufferPointer { x in
            try ys.withUnsafeBufferPointer { y in
                try atomic.withUnsafeMutableBufferPointer { try twin.locate(xs: x, ys: y, atomicInto: $0) }
                try atomicConcurrent.withUnsafeMutableBufferPointer { try twin.locateConcurrently(xs: x, ys: y, atomicInto: $0) }
                try police.withUnsafeMutableBufferPointer { try twin.cellIndexes(layer: "警务", xs: x, ys: y, into: $0) }
                // Bad arguments: nothing written, a clear error.
                var short = [Int32](repeating: 7, count: 10)
                short.withUnsafeMutableBufferPointer { out in
                    #expect { try twin.locate(xs: x, ys: y, atomicInto: out) } throws: { ($0 as? TwinQueryError)?.code == .argument }
                    #expect { try twin.cellIndexes(layer: "消防", xs: x, ys: y, into: out) } throws: {
                        ($0 as? TwinQueryError)?.code == .notFound && "\($0)".contains("警务")
                    }
                    #expect { try twin.cellIndexes(xs: x, ys: y, into: [out]) } throws: { "\($0)".contains("1 result buffers for 6 layers") }
                }
                #expect(short == [Int32](repeating: 7, count: 10))
            }
        }
        #expect(atomic == atomicConcurrent)
        #expect(police == serial[3])
        let epoch = try twin.epoch(at: nil).id
        for l in 0 ..< 6 {
            #expect(atomic.map { twin.cellIndex(atomic: $0, layer: l, epoch: epoch) } == serial[l])
        }
        #expect(twin.cellIndex(atomic: 0, layer: 6, epoch: epoch) == -1 && twin.cellIndex(atomic: 0, layer: 0, epoch: 1) == -1)
        #expect { try twin.cellIndexes(xs: [1, 2], ys: [1]) } throws: { $0 is TwinQueryError }
        #expect { try twin.locate(lon: .nan, lat: 31) } throws: { ($0 as? TwinQueryError)?.code == .argument }
    }

    @Test func positionsInOtherCRSsAreConverted() throws {
        let (_, twin) = try TwinFixture.sharedTwin()
        let points = MergeTests.randomPoints(2_000, seed: 17)
        let xs = points.map(\.x), ys = points.map(\.y)
        let expected = try twin.cellIndexes(xs: xs, ys: ys)
        // The same places as Chinese web maps (GCJ-02) and in the GK zone projection (EPSG:4549).
        for crs in [CRS.gcj02, .epsg(4549)] {
            var cx = xs, cy = ys
            try CoordinateTransform(from: .wgs84, to: crs).transform(xs: &cx, ys: &cy)
            cx[0] = .nan  // a bad position is -1, the others still answer
            let converted = try twin.cellIndexes(xs: cx, ys: cy, crs: crs)
            #expect(converted.allSatisfy { $0[0] == -1 })
            var differing = 0
            for l in 0 ..< 6 { for i in 1 ..< xs.count where converted[l][i] != expected[l][i] { differing += 1 } }
            // Round trips are good to ~1e-9°: only a point within 0.1 mm of a boundary could move.
            #expect(differing == 0, "\(crs): \(differing) answers differ")
            let a = try twin.locate(lon: cx[1], lat: cy[1], crs: crs)
            #expect(a.cells.map { $0.map { Int32($0.index) } ?? -1 } == (0 ..< 6).map { expected[$0][1] })
        }
        #expect(throws: CRSError.self) { try twin.locate(lon: 1, lat: 1, crs: .epsg(999_999)) }
    }

    @Test func oneTwinServesManyThreadsAtOnce() throws {
        let (_, twin) = try TwinFixture.sharedTwin()
        let points = MergeTests.randomPoints(400, seed: 31)
        let expected = try points.map { try twin.locate(lon: $0.x, lat: $0.y) }
        let xs = points.map(\.x), ys = points.map(\.y)
        let expectedBatch = try twin.cellIndexes(xs: xs, ys: ys, concurrently: false)
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { k in
            var bad = 0
            for i in points.indices {
                let j = (i + 53 * k) % points.count  // each thread in its own order
                if (try? twin.locate(lon: points[j].x, lat: points[j].y)) != expected[j] { bad += 1 }
            }
            if (try? twin.cellIndexes(xs: xs, ys: ys, concurrently: k % 2 == 0)) != expectedBatch { bad += 1 }
            failures.withLock { $0 += bad }
        }
        #expect(failures.withLock { $0 } == 0)
    }
}
