import Foundation
import Testing
@testable import TwinGeo

/// `TwinBuilder`: versions and epochs, validation, dispatch rules, and atomic writes.
@Suite struct TwinBuilderTests {
    typealias F = GridFixture

    /// 警务 redrawn in March 2025: two cells split at x = 300 m.
    static let police2025 = GridLayer(name: "警务", kind: .department, cells: [
        GridCell(code: "P-west", name: "西区", geometry: F.rect(0, 0, 300, 1000)),
        GridCell(code: "P-east", name: "东区", geometry: F.rect(300, 0, 1000, 1000)),
    ])
    /// 绿容 as one cell for a season.
    static let greeningSummer = GridLayer(name: "绿容", kind: .department, cells: [
        GridCell(code: "G-all", geometry: F.rect(0, 0, 1000, 1000)),
    ])
    static let september2025 = Date(timeIntervalSince1970: 1_756_684_800)  // 2025-09-01T00:00:00Z

    @Test func reimportedLayersAddVersionsAndLocateFollowsTheDate() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("versions.gpkg")
        let builder = try TwinBuilder.create(at: path)
        #expect(try builder.importLayer(F.communities) == 1)
        #expect(try builder.importLayer(F.police) == 1)
        #expect(try builder.importLayer(F.greening) == 1)
        #expect(try builder.importLayer(Self.police2025, validFrom: TwinFixture.march2025) == 2)
        #expect(try builder.importLayer(Self.greeningSummer, validFrom: TwinFixture.march2025, validTo: Self.september2025) == 2)
        let report = try builder.merge()
        #expect(report.epochs.count == 3 && report.reports.allSatisfy { $0 != nil })

        let twin = try Twin.open(path)
        #expect(twin.layerNames == ["居村", "警务", "绿容"])
        #expect(twin.epochs.map(\.layerVersions) == [
            ["居村": 1, "警务": 1, "绿容": 1], ["居村": 1, "警务": 2, "绿容": 2], ["居村": 1, "警务": 2, "绿容": 1],
        ])
        #expect(twin.epochs.map(\.validFrom) == [nil, TwinFixture.march2025, Self.september2025])
        #expect(twin.epochs.map(\.validTo) == [TwinFixture.march2025, Self.september2025, nil])
        let police = twin.layers[1]
        #expect(police.versions.map(\.cells) == [0 ..< 3, 3 ..< 5])
        #expect(police.cells.map(\.code) == ["P1", "P2", "P3", "P-west", "P-east"])

        let p = F.c(400, 200)
        let january = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
        let june = Date(timeIntervalSince1970: 1_748_736_000)     // 2025-06-01
        let old = try twin.locate(lon: p.x, lat: p.y, at: january)
        #expect(old.epoch == 0 && old.cell(layer: "警务")?.code == "P1" && old.cell(layer: "警务")?.version == 1)
        #expect(old.cell(layer: "绿容")?.code == "G-south")
        let new = try twin.locate(lon: p.x, lat: p.y, at: june)
        #expect(new.epoch == 1 && new.cell(layer: "警务")?.code == "P-east" && new.cell(layer: "警务")?.name == "东区")
        #expect(new.cell(layer: "警务")?.index == 4 && new.cell(layer: "绿容")?.code == "G-all")
        // The instant a version starts belongs to it; the summer version ends on 1 September.
        #expect(try twin.locate(lon: p.x, lat: p.y, at: TwinFixture.march2025).epoch == 1)
        let autumn = try twin.locate(lon: p.x, lat: p.y, at: Self.september2025)
        #expect(autumn.epoch == 2 && autumn.cell(layer: "绿容")?.code == "G-south" && autumn.cell(layer: "警务")?.code == "P-east")
        #expect(try twin.locate(lon: p.x, lat: p.y).epoch == 2)  // nil: the latest epoch
        #expect(try twin.epoch(at: january.addingTimeInterval(-1e9)).id == 0)

        // Batch answers use the same epoch choice and the shared index space.
        let batch = try twin.cellIndexes(xs: [p.x], ys: [p.y], at: january)
        #expect(batch == [[0], [0], [0]])
        #expect(try twin.cellIndexes(xs: [p.x], ys: [p.y], at: june) == [[0], [4], [2]])  // 绿容 v2's cell follows v1's two

        // Per-point times: each point in the grid of its own date; a NaN time is in no cell.
        let xs = [p.x, p.x, p.x, p.x], ys = [p.y, p.y, p.y, p.y]
        let times = [january.timeIntervalSince1970, june.timeIntervalSince1970, .nan, Self.september2025.timeIntervalSince1970]
        var communities: [Int32] = [7, 7, 7, 7], policeCells = communities, greening = communities
        try xs.withUnsafeBufferPointer { x in
            try ys.withUnsafeBufferPointer { y in
                try times.withUnsafeBufferPointer { t in
                    try communities.withUnsafeMutableBufferPointer { o0 in
                        try policeCells.withUnsafeMutableBufferPointer { o1 in
                            try greening.withUnsafeMutableBufferPointer { o2 in
                                try twin.cellIndexes(xs: x, ys: y, times: t, into: [o0, o1, o2])
                            }
                        }
                    }
                }
            }
        }
        #expect([communities, policeCells, greening] == [[0, 0, -1, 0], [0, 4, -1, 4], [0, 2, -1, 0]])
    }

    @Test func anInterruptedImportLeavesTheFileAsItWas() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("interrupted.gpkg")
        let builder = try TwinBuilder.create(at: path)
        try builder.importLayer(F.communities)
        try builder.merge()
        let before = try storeDump(builder.package.database)

        builder.failAfterRows = 2
        #expect { try builder.importLayer(F.units) } throws: { "\($0)".contains("injected failure after 2 rows") }
        #expect(try storeDump(builder.package.database) == before)

        // A cell the file cannot hold, deep in the layer: refused with its place, nothing written.
        builder.failAfterRows = nil
        var bad = F.police
        bad.cells[2].geometry.polygons[0].exterior[1].x = .nan
        #expect { try builder.importLayer(bad) } throws: { "\($0)".contains("layer 警务, cell #2 P3") }
        #expect(try storeDump(builder.package.database) == before)
        #expect(try SQLiteDatabase(path: path, mode: .readOnly).rows("PRAGMA integrity_check") == [["ok"]])

        // The builder is still usable, and the twin as it was still opens.
        _ = try Twin.open(path)
        #expect(try builder.importLayer(F.police) == 1)
        #expect(try builder.layerVersions().map(\.name) == ["居村", "警务"])
    }

    @Test func anInterruptedMergeLeavesTheFileAsItWas() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("merge.gpkg")
        let builder = try TwinBuilder.create(at: path)
        try builder.importLayer(F.communities)
        try builder.merge()
        try builder.importLayer(F.subdistricts)
        let before = try storeDump(builder.package.database)
        builder.failAfterRows = 3
        #expect { try builder.merge() } throws: { "\($0)".contains("injected failure") }
        #expect(try storeDump(builder.package.database) == before)
        // An invalid cell fails the merge before anything is written.
        builder.failAfterRows = nil
        var bowtie = F.police
        bowtie.cells[0].geometry = MultiPolygon([Polygon(exterior: F.ring([(0, 0), (100, 100), (100, 0), (0, 100)]))])
        try builder.importLayer(bowtie, validFrom: TwinFixture.march2025)
        let beforeBad = try storeDump(builder.package.database)
        #expect { try builder.merge() } throws: { "\($0)".contains("layer 警务, cell #0 P1 is invalid") }
        #expect(try storeDump(builder.package.database) == beforeBad)
    }

    @Test func validateReportsEveryLayerVersionAgainstItsParent() throws {
        let scratch = try StoreScratch()
        let builder = try TwinBuilder.create(at: scratch.path("validate.gpkg"))
        for layer in [F.subdistricts, F.communities, F.units, F.police] { try builder.importLayer(layer) }
        var overlapping = F.police
        overlapping.cells[0].geometry = F.rect(0, 0, 600, 1000)
        try builder.importLayer(overlapping, validFrom: TwinFixture.march2025)
        let reports = try builder.validate()
        #expect(reports.map(\.layer) == ["街镇", "居村", "单元网格", "警务 v1", "警务 v2"])
        #expect(reports.map(\.parentLayer) == [nil, nil, "居村", nil, nil])
        #expect(reports.prefix(4).allSatisfy { $0.isClean }, "\(reports)")
        #expect(reports[4].count(.overlap) == 1)
    }

    @Test func refusesBadImportsAndRules() throws {
        let scratch = try StoreScratch()
        let builder = try TwinBuilder.create(at: scratch.path("refuse.gpkg"))
        try builder.importLayer(F.police)
        try builder.setDispatchRules(["治安": "警务"])
        let before = try storeDump(builder.package.database)
        #expect { try builder.importLayer(GridLayer(name: "警务", kind: .community, cells: F.communities.cells)) } throws: {
            ($0 as? TwinQueryError)?.code == .argument && "\($0)".contains("was imported as department")
        }
        #expect { try builder.importLayer(GridLayer(name: "空", kind: .department)) } throws: { "\($0)".contains("has no cells") }
        #expect { try builder.importLayer(GridLayer(name: "", kind: .department, cells: F.police.cells)) } throws: { $0 is TwinQueryError }
        #expect { try builder.importLayer(F.greening, validFrom: Self.september2025, validTo: TwinFixture.march2025) } throws: {
            "\($0)".contains("validTo (2025-03-01T00:00:00.000Z) must be after validFrom (2025-09-01T00:00:00.000Z)")
        }
        #expect { try builder.setDispatchRules(["治安": "警务", "消防": "消防队"]) } throws: {
            ($0 as? TwinQueryError)?.code == .notFound && "\($0)".contains("消防 → 消防队")
        }
        #expect(try storeDump(builder.package.database) == before)
        #expect(try builder.dispatchRules() == ["治安": "警务"])
    }

    @Test func timesRoundTripAsISO8601() {
        #expect(TwinTime.format(0) == "1970-01-01T00:00:00.000Z")
        #expect(TwinTime.format(1_740_787_200_000) == "2025-03-01T00:00:00.000Z")
        #expect(TwinTime.format(-2_203_917_903_211) == "1900-02-28T16:34:56.789Z")
        #expect(TwinTime.parse("2025-03-01") == 1_740_787_200_000)
        #expect(TwinTime.parse("2025-03-01T00:00:00Z") == 1_740_787_200_000)
        #expect(TwinTime.parse("2025-03-01T00:00:00.5Z") == 1_740_787_200_500)
        #expect(TwinTime.parse("2024-02-29") != nil)
        for bad in ["2025-02-29", "2025-13-01", "2025-03-01T24:00:00Z", "2025-03-01T00:00:00", "2025-3-01", "", "2025-03-01T00:00:00.Z"] {
            #expect(TwinTime.parse(bad) == nil, "\(bad)")
        }
        var random = GridTestRandom(seed: 3)
        for _ in 0 ..< 2_000 {
            let ms = TwinTime.minimum + Int64(random.next() % UInt64(TwinTime.maximum - TwinTime.minimum))
            #expect(TwinTime.parse(TwinTime.format(ms)) == ms)
        }
    }
}
