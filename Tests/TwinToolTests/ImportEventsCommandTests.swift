import Foundation
import Testing
import TwinGeo

/// `import-events`: good rows stored with their cells, each bad row named by line and field,
/// duplicates refused, `--strict` all or nothing, and the file errors.
@Suite struct ImportEventsCommandTests {
    /// E1…E4 and E10 are good (E4 is outside both layers; E10 is GCJ-02 of 121.415 31.242);
    /// lines 6–10 are bad: no lon, 32 June, an unknown CRS, E1 again, too few fields.
    static var events: String {
        let gcj = GCJ02.fromWGS84(Coordinate(121.415, 31.242))
        return """
            id,time,lon,lat,crs,source,category,address,description
            E1,2025-06-01T08:00:00+08:00,121.405,31.242,wgs84,12345热线,积水,长寿路588弄12号,路面积水约20厘米
            E2,2025-06-15T12:30:00+08:00,121.415,31.248,wgs84,网格巡查,占道经营,武宁路１２３号,早市摊位占道
            E3,2025-07-01,121.405,31.247,,视频巡查,积水,长寿路600号,"地下通道积水, 需抽水"
            E4,2025-06-20T10:00:00Z,121.60,31.22,wgs84,网格巡查,噪声扰民,外区路1号,夜间施工噪声
            E5,2025-06-10T09:00:00+08:00,,31.242,wgs84,网格巡查,积水,长寿路1号,没有经度
            E6,2025-06-32T09:00:00+08:00,121.405,31.242,wgs84,网格巡查,积水,长寿路2号,坏日期
            E7,2025-06-10T09:00:00+08:00,121.405,31.242,mars,网格巡查,积水,长寿路3号,坏坐标系
            E1,2025-06-10T09:00:00+08:00,121.405,31.242,wgs84,网格巡查,积水,长寿路4号,重复
            E9,2025-06-10T09:00:00+08:00,121.405
            E10,2025-05-05T05:05:05+08:00,\(gcj.x),\(gcj.y),gcj02,传感器告警,燃气泄漏,曹杨路1号,燃气浓度超标

            """
    }

    /// A merged twin (police, greening) with ``events`` imported; returns the import's result.
    @discardableResult
    static func twin(in dir: TempDirectory, assets: Bool = false) throws -> TwinToolRunner.Result {
        if assets { try AssetCommandTests.twin(in: dir) } else { try CLIFixtures.mergedTwin(in: dir) }
        try dir.write("events.csv", events)
        return try dir.run("import-events", "t.gpkg", "events.csv")
    }

    @Test func goodRowsAreStoredAndEachBadRowIsNamed() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        let r = try Self.twin(in: dir)
        #expect(r.status == 1, "rejects make the exit code 1")
        #expect(r.stdout == """
            Imported 5 events from events.csv (1 outside every layer); rejected 5 of 10 rows.
              column_count        1
              duplicate_id        1
              invalid_time        1
              missing_coordinate  1
              unknown_crs         1

            """)
        for expected in ["events.csv:6, field \"lon\": lon is empty (missing_coordinate)",
                         "events.csv:7, field \"time\": \"2025-06-32T09:00:00+08:00\" is not an ISO 8601 time",
                         "events.csv:8, field \"crs\": \"mars\" is not a known CRS (unknown_crs)",
                         "events.csv:9, field \"id\": the event id E1 is already in the twin or earlier in the file (duplicate_id)",
                         "events.csv:10: the record has 3 fields, the header 9 (column_count)"] {
            #expect(r.stderr.contains(expected), "missing \(expected) in \(r.stderr)")
        }

        // The stored rows: cells at their positions, GCJ-02 converted back to WGS84.
        let s = try dir.run("search", "t.gpkg", "", "--from", "2025-01-01", "--json", "--limit", "100")
        #expect(s.status == 0, "\(s.stderr)")
        let hits = try #require(try AssetCommandTests.json(s.stdout)["hits"] as? [[String: Any]])
        #expect(hits.map { $0["id"] as? String } == ["E3", "E4", "E2", "E1", "E10"])
        let byID = Dictionary(uniqueKeysWithValues: hits.map { ($0["id"] as! String, $0) })
        #expect(byID["E1"]?["cells"] as? [String: String] == ["police": "JW-0001", "greening": "LR-0002"])
        #expect(byID["E2"]?["cells"] as? [String: String] == ["police": "JW-0002", "greening": "LR-0001"])
        #expect(byID["E4"]?["cells"] as? [String: String] == [:])
        #expect(byID["E10"]?["cells"] as? [String: String] == ["police": "JW-0002", "greening": "LR-0002"])
        let lon = try #require(byID["E10"]?["lon"] as? Double), lat = try #require(byID["E10"]?["lat"] as? Double)
        #expect(abs(lon - 121.415) < 1e-7 && abs(lat - 31.242) < 1e-7)
        #expect(byID["E3"]?["time"] as? String == "2025-07-01")
        #expect(byID["E3"]?["unix_seconds"] as? Int == 1_751_299_200)  // 2025-07-01T00:00+08:00
        #expect(byID["E3"]?["detail"] as? String == "地下通道积水, 需抽水")
    }

    @Test func importingTheSameFileAgainAddsNothing() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try Self.twin(in: dir)
        let r = try dir.run("import-events", "t.gpkg", "events.csv")
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("Imported 0 events from events.csv (0 outside every layer); rejected 10 of 10 rows.\n"))
        #expect(r.stdout.contains("  duplicate_id        6\n"), "\(r.stdout)")
    }

    @Test func strictRefusesTheWholeFileAtItsFirstBadRow() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try CLIFixtures.mergedTwin(in: dir)
        try dir.write("events.csv", Self.events)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.path("t.gpkg")))
        let r = try dir.run("import-events", "t.gpkg", "events.csv", "--strict")
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr.contains("events.csv:6, field \"lon\": lon is empty (missing_coordinate); --strict: nothing was imported"),
                "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("t.gpkg"))) == before, "a refused import changed the twin")
        let s = try dir.run("search", "t.gpkg", "积水")
        #expect(s.status == 0)
        #expect(s.stderr.contains("has no events table"))
    }

    @Test func fileProblemsAreDataErrorsAndSamePathsAUsageError() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try CLIFixtures.mergedTwin(in: dir)
        var r = try dir.run("import-events", "t.gpkg", "missing.csv")
        #expect(r.status == 1)
        #expect(r.stderr.contains("missing.csv"), "\(r.stderr)")
        try dir.write("notime.csv", "id,lon,lat\nE1,121.405,31.242\n")
        r = try dir.run("import-events", "t.gpkg", "notime.csv")
        #expect(r.status == 1)
        #expect(r.stderr.contains("notime.csv:1, field \"time\": the header has no column \"time\""), "\(r.stderr)")
        try dir.write("other.csv", "id,time,x,y\nE1,2025-01-01,121.405,31.242\n")
        r = try dir.run("import-events", "t.gpkg", "other.csv", "--lon-column", "x", "--lat-column", "y")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Imported 1 events from other.csv (0 outside every layer); rejected 0 of 1 rows.\n")
        r = try dir.run("import-events", "t.gpkg", "t.gpkg")
        #expect(r.status == 2)
        r = try dir.run("import-events", "nothere.gpkg", "other.csv")
        #expect(r.status == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.path("nothere.gpkg")), "a read created the twin")
        r = try dir.run("import-events", "t.gpkg", "other.csv", "--crs", "mars")
        #expect(r.status == 2)
    }
}
