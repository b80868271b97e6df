import Foundation
import Testing
@testable import TwinGeo

/// Runtime updates against brute force, and persistence through the twin file.
@Suite struct AssetStoreTests {
    @Test func updatesAreVisibleAtOnceAndEqualBruteForce() throws {
        let f = AssetFixture(seed: 31, count: 400)
        var catalog = try f.catalog()
        var cameras = Dictionary(uniqueKeysWithValues: f.cameras.map { ($0.id, $0) })
        var r = OracleRandom(seed: 32)
        for step in 0..<600 {
            switch step % 3 {
            case 0:
                let cam = CameraAsset(id: "N\(step)", location: AssetFixture.at(r.uniform(-1000, 1000), r.uniform(-1000, 1000)),
                                      heading: r.uniform(0, 360), fieldOfView: r.uniform(20, 360), rangeMetres: r.uniform(0, 150))
                try catalog.add(.camera(cam)); cameras[cam.id] = cam
            case 1:
                let id = cameras.keys.sorted()[r.int(0...(cameras.count - 1))]
                let to = AssetFixture.at(r.uniform(-1000, 1000), r.uniform(-1000, 1000))
                try catalog.move(.camera, id: id, to: to); cameras[id]!.location = to
            default:
                let id = cameras.keys.sorted()[r.int(0...(cameras.count - 1))]
                try catalog.retire(.camera, id: id); cameras[id] = nil
            }
        }
        let bf = try AssetBruteForce()
        #expect(catalog.count(.camera) == cameras.count)
        for q in AssetFixture.queryPoints(seed: 33, count: 60) {
            let m = try bf.p(q)
            let all = try cameras.values.map { c -> (id: String, distance: Double) in
                let p = try bf.p(c.location); return (c.id, hypot(p.x - m.x, p.y - m.y))
            }
            expectSameHits(try catalog.assets(.camera, within: 120, of: q), all.filter { $0.distance <= 120 }, "within after updates")
            let nearest = try catalog.nearestCameras(to: q, k: 8).map(\.distanceMetres)
            let want = all.map(\.distance).sorted().prefix(8)
            #expect(zip(nearest, want).allSatisfy { abs($0 - $1) < 1e-6 })
            let seeing = try cameras.values.filter { try bf.sees($0, m) }.map { c -> (id: String, distance: Double) in
                let p = try bf.p(c.location); return (c.id, hypot(p.x - m.x, p.y - m.y))
            }
            expectSameHits(try catalog.camerasSeeing(q), seeing, "seeing after updates")
        }
        // Refused updates leave the catalog as it was.
        let before = catalog.count(.camera)
        #expect(throws: AssetError.self) { try catalog.retire(.camera, id: "missing") }
        #expect(throws: AssetError.self) { try catalog.add(.camera(cameras.values.first!)) }
        var bad = cameras.values.first!
        bad.heading = 720
        #expect(throws: AssetError.self) { try catalog.update(.camera(bad)) }
        #expect(catalog.camera(id: bad.id) == cameras[bad.id] && catalog.count(.camera) == before)
    }

    @Test func twinFileRoundTripAndTransactionalUpdates() throws {
        let dir = try assetTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/t.twin.gpkg"
        let f = AssetFixture(seed: 41, count: 120)
        let builder = try TwinBuilder.create(at: path)
        try builder.importAssets(f.buildings.map(Asset.building) + f.pipes.map(Asset.pipe)
                                 + f.cameras.map(Asset.camera) + f.sensors.map(Asset.sensor))
        // A duplicate import is refused whole.
        #expect(throws: AssetError.self) { try builder.importAssets([.camera(f.cameras[0])]) }

        let loaded = try AssetCatalog.load(from: path)
        #expect(loaded.assets(.building) == f.buildings.map(Asset.building))
        #expect(loaded.assets(.pipe) == f.pipes.map(Asset.pipe))
        #expect(loaded.assets(.camera) == f.cameras.map(Asset.camera))
        #expect(loaded.assets(.sensor) == f.sensors.map(Asset.sensor))
        let q = AssetFixture.at(10, 20)
        #expect(try loaded.nearestCameras(to: q, k: 5) == (try f.catalog().nearestCameras(to: q, k: 5)))

        let store = try AssetStore.open(at: path)
        try store.move(.camera, id: f.cameras[0].id, to: q)
        try store.retire(.sensor, id: f.sensors[0].id)
        let extra = SensorAsset(id: "S-new", type: "noise", location: q, status: "正常", lastReading: "2025-06-01T08:00:00+08:00")
        try store.add(.sensor(extra))
        #expect(try store.catalog.nearestCameras(to: q, k: 1).first == AssetHit(id: f.cameras[0].id, distanceMetres: 0))

        // A failed update leaves the file and the catalog as they were.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        store.failBeforeCommit = true
        #expect(throws: AssetError.self) { try store.retire(.camera, id: f.cameras[1].id) }
        #expect(store.catalog.camera(id: f.cameras[1].id) != nil)
        store.failBeforeCommit = false
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)

        let reloaded = try AssetCatalog.load(from: path)
        #expect(reloaded.camera(id: f.cameras[0].id)?.location == q)
        #expect(reloaded.sensor(id: f.sensors[0].id) == nil)
        #expect(reloaded.sensor(id: "S-new") == extra)
        #expect(reloaded.count(.camera) == f.cameras.count)
        // The tables are GeoPackage feature tables with R*Tree indexes.
        let package = try GeoPackage.open(at: path)
        #expect(try Set(package.tableNames(dataType: .features)).isSuperset(of: AssetKind.allCases.map(\.tableName)))
    }
}
