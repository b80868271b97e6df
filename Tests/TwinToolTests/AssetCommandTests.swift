import Foundation
import Testing
import TwinGeo

/// `import-assets`, `nearest`, the asset fields of `locate` and the demo's asset step, run as the
/// built binary on a small hand-written twin (police and greening cells around 121.40°E 31.24°N).
@Suite struct AssetCommandTests {
    /// One building, B1 (测试路3弄7号), the square 121.401…121.402 × 31.241…31.242.
    static let buildings = CLIFixtures.collection([
        "{\"type\":\"Feature\",\"properties\":{\"id\":\"B1\",\"road\":\"测试路\",\"lane\":3,\"number\":7,\"floors\":6},"
            + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[121.401,31.241],[121.402,31.241],[121.402,31.242],"
            + "[121.401,31.242],[121.401,31.241]]]}}",
    ])

    /// C1 looks north over B1 (about 111 m away, range 200 m); C2, near the north-east, looks
    /// south 50 m only. Neither sees 121.415 31.245.
    static let cameras = """
        id,name,lon,lat,heading,fov,range_m,scenes,status
        C1,南门,121.4015,31.2405,0,90,200,治安防控,在线
        C2,北门,121.418,31.249,180,30,50,防汛防台;治安防控,在线

        """

    /// A twin with the two layers merged and, when `assets`, B1, C1 and C2 imported.
    static func twin(in dir: TempDirectory, assets: Bool = true) throws {
        try CLIFixtures.mergedTwin(in: dir)
        guard assets else { return }
        try dir.write("buildings.geojson", buildings)
        try dir.write("cameras.csv", cameras)
        #expect(try dir.run("import-assets", "t.gpkg", "--kind", "building", "buildings.geojson").status == 0)
        #expect(try dir.run("import-assets", "t.gpkg", "--kind", "camera", "cameras.csv").status == 0)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    @Test func importAssetsReportsCounts() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try CLIFixtures.mergedTwin(in: dir)
        try dir.write("buildings.geojson", Self.buildings)
        try dir.write("cameras.csv", Self.cameras)
        var r = try dir.run("import-assets", "t.gpkg", "--kind", "building", "buildings.geojson")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Imported 1 building(s) from buildings.geojson; rejected 0.\n")
        r = try dir.run("import-assets", "t.gpkg", "--kind", "camera", "cameras.csv")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Imported 2 camera(s) from cameras.csv; rejected 0.\n")
        // The same ids again are duplicates of the stored ones: refused, the twin unchanged.
        r = try dir.run("import-assets", "t.gpkg", "--kind", "camera", "cameras.csv")
        #expect(r.status == 1)
        r = try dir.run("nearest", "t.gpkg", "121.4015", "31.2405", "--kind", "camera", "--k", "10")
        #expect(r.stdout.split(separator: "\n").count == 2, "\(r.stdout)")
    }

    @Test func importAssetsNamesTheLineAndFieldOfABadRow() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try CLIFixtures.mergedTwin(in: dir)
        try dir.write("cameras.csv", Self.cameras + "C3,坏,121.405,31.245,400,60,80,治安防控,在线\n")
        let r = try dir.run("import-assets", "t.gpkg", "--kind", "camera", "cameras.csv")
        #expect(r.status == 1)
        #expect(r.stdout == "Imported 2 camera(s) from cameras.csv; rejected 1.\n")
        // The header is line 1, C1 line 2, C2 line 3, the bad row line 4.
        let lines = r.stderr.split(separator: "\n")
        let reject = try #require(lines.first { $0.contains("cameras.csv:4") }, "\(r.stderr)")
        #expect(reject.contains("field \"heading\""), "\(reject)")
        #expect(reject.contains("400"), "\(reject)")
        // Lenient: the good rows are in the twin.
        let n = try dir.run("nearest", "t.gpkg", "121.405", "31.245", "--kind", "camera", "--json")
        let results = try #require(try Self.json(n.stdout)["results"] as? [[String: Any]])
        #expect(results.compactMap { $0["id"] as? String }.sorted() == ["C1", "C2"])
    }

    @Test func nearestPrintsJSONNearestFirst() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try Self.twin(in: dir)
        let r = try dir.run("nearest", "t.gpkg", "121.4015", "31.2405", "--kind", "camera", "--k", "5", "--json")
        #expect(r.status == 0, "\(r.stderr)")
        let o = try Self.json(r.stdout)
        #expect(o["kind"] as? String == "camera")
        #expect(o["k"] as? Int == 5)
        let results = try #require(o["results"] as? [[String: Any]])
        #expect(results.compactMap { $0["id"] as? String } == ["C1", "C2"])
        let distances = results.compactMap { $0["distance_m"] as? Double }
        #expect(distances.count == 2)
        #expect(distances.first == 0)
        // C2 is 0.0165° east (≈1,570 m) and 0.0085° north (≈943 m) of C1: about 1.83 km.
        #expect(abs(distances[1] - 1_832) < 20, "\(distances)")
        // The building is measured to its footprint: 0 inside.
        let b = try dir.run("nearest", "t.gpkg", "121.4015", "31.2415", "--kind", "building", "--json")
        let hits = try #require(try Self.json(b.stdout)["results"] as? [[String: Any]])
        #expect(hits.count == 1)
        #expect(hits.first?["id"] as? String == "B1")
        #expect(hits.first?["distance_m"] as? Double == 0)
    }

    @Test func locateShowsTheBuildingAndTheCamerasSeeingThePoint() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try Self.twin(in: dir)
        var r = try dir.run("locate", "t.gpkg", "121.4015", "31.2415")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "")
        var o = try Self.json(r.stdout)
        let building = try #require(o["building"] as? [String: Any], "\(r.stdout)")
        #expect(building["id"] as? String == "B1")
        #expect(building["address"] as? String == "测试路3弄7号")
        #expect(building["road"] as? String == "测试路")
        #expect(building["lane"] as? Int == 3)
        #expect(building["number"] as? Int == 7)
        #expect(building["block"] is NSNull)
        var cameras = try #require(o["cameras"] as? [[String: Any]])
        #expect(cameras.count == 1)
        #expect(cameras.first?["id"] as? String == "C1")
        #expect(cameras.first?["sees"] as? Bool == true)
        let d = try #require(cameras.first?["distance_m"] as? Double)
        #expect(abs(d - 111) < 2, "\(d)")

        // Outside the building and every view sector: no building, the nearest cameras unseen.
        r = try dir.run("locate", "t.gpkg", "121.415", "31.245")
        #expect(r.status == 0, "\(r.stderr)")
        o = try Self.json(r.stdout)
        #expect(o["building"] is NSNull)
        cameras = try #require(o["cameras"] as? [[String: Any]])
        #expect(cameras.compactMap { $0["id"] as? String } == ["C2", "C1"])
        #expect(cameras.allSatisfy { $0["sees"] as? Bool == false })
        let distances = cameras.compactMap { $0["distance_m"] as? Double }
        #expect(distances == distances.sorted() && distances.count == 2)
    }

    @Test func locateWithoutAssetsKeepsTheEmptyFields() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try Self.twin(in: dir, assets: false)
        let r = try dir.run("locate", "t.gpkg", "121.4015", "31.2415")
        #expect(r.status == 0, "\(r.stderr)")
        let o = try Self.json(r.stdout)
        #expect(o["building"] is NSNull)
        #expect((o["cameras"] as? [Any])?.isEmpty == true)
    }

    @Test func demoImportsTheSampleAssets() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        let r = try dir.run("demo", "--dir", "out", "--scale", "0.02", "--quiet")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "Assets"), "no Assets block in \(r.stdout)")
        #expect(lines[start + 1].split(separator: " ") == ["kind", "file", "imported", "rejected"])
        for (offset, (kind, file)) in [("building", "assets/buildings.geojson"), ("pipe", "assets/pipes.geojson"),
                                        ("camera", "assets/cameras.csv"), ("sensor", "assets/sensors.csv")].enumerated() {
            let fields = lines[start + 2 + offset].split(separator: " ").map(String.init)
            #expect(fields.count == 4 && fields[0] == kind && fields[1] == file, "\(fields)")
            let imported = Int(fields[2].replacingOccurrences(of: ",", with: "")) ?? 0
            #expect(imported > 0, "\(kind): \(fields)")
            #expect(fields.last == "0", "\(kind) rejects: \(fields)")
        }
        #expect(r.stdout.contains("\n  import assets "), "no timing row for the asset import")
        // The twin the demo wrote answers locate with its cameras.
        let cameras = try dir.run("nearest", "out/twin.gpkg", "121.40", "31.25", "--kind", "camera", "--k", "3", "--json")
        #expect((try Self.json(cameras.stdout)["results"] as? [Any])?.count == 3, "\(cameras.stdout)")
    }
}
