import Foundation
import Testing
import TwinGeo

/// `search`: the trigram index for long terms, the LIKE scan for 1–2-character terms, full-width
/// folding, Chinese numerals matching digits, time range and category filters, buildings and assets, and bad input.
@Suite struct SearchCommandTests {
    /// The event ids of a `--json` search.
    static func ids(_ r: TwinToolRunner.Result) throws -> [String] {
        #expect(r.status == 0, "\(r.stderr)")
        let hits = try #require(try AssetCommandTests.json(r.stdout)["hits"] as? [[String: Any]])
        return hits.compactMap { $0["id"] as? String }
    }

    @Test func keywordsUseTheIndexOrAScanAndFoldFullWidth() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try ImportEventsCommandTests.twin(in: dir)
        // ≥ 3 characters: FTS5 trigram, newest first.
        var r = try dir.run("search", "t.gpkg", "长寿路", "--kind", "event", "--json")
        #expect(try Self.ids(r) == ["E3", "E1"])
        #expect(try AssetCommandTests.json(r.stdout)["like_fallback"] as? Bool == false)
        // 2 characters: the LIKE scan over address, description and category.
        r = try dir.run("search", "t.gpkg", "积水", "--kind", "event", "--json")
        #expect(try Self.ids(r) == ["E3", "E1"])
        #expect(try AssetCommandTests.json(r.stdout)["like_fallback"] as? Bool == true)
        r = try dir.run("search", "t.gpkg", "燃气", "--kind", "event")
        #expect(r.stdout.hasPrefix("Events: 1 of 1 (newest first; 1–2-character terms matched by a scan)\n  E10  "), "\(r.stdout)")
        // Every term must match: a long and a short one.
        #expect(try Self.ids(dir.run("search", "t.gpkg", "长寿路 抽水", "--json")) == ["E3"])
        // Full-width digits in the data or in the keyword.
        #expect(try Self.ids(dir.run("search", "t.gpkg", "武宁路123", "--kind", "event", "--json")) == ["E2"])
        #expect(try Self.ids(dir.run("search", "t.gpkg", "长寿路５８８", "--kind", "event", "--json")) == ["E1"])
        // A keyword in no event: empty, exit 0.
        r = try dir.run("search", "t.gpkg", "不存在的地址", "--kind", "event")
        #expect(r.status == 0)
        #expect(r.stdout == "Events: 0 of 0\n")
        // LIKE wildcards in a keyword are literal.
        #expect(try Self.ids(dir.run("search", "t.gpkg", "%", "--kind", "event", "--json")) == [])
    }

    /// Chinese numerals before a unit match digits, in the keyword or in the data, for events
    /// (the folded address column) and buildings; the raw term still matches descriptions.
    @Test func chineseNumeralsMatchDigits() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try ImportEventsCommandTests.twin(in: dir, assets: true)
        try dir.write("more.csv", """
            id,time,lon,lat,crs,source,category,address,description
            N1,2025-06-02T08:00:00+08:00,121.405,31.242,wgs84,12345热线,积水,长寿路六百号,写成中文数字的门牌
            N2,2025-06-03T08:00:00+08:00,121.405,31.242,wgs84,12345热线,噪声扰民,"真北路 一〇八号",十二号楼夜间噪声

            """)
        #expect(try dir.run("import-events", "t.gpkg", "more.csv").status == 0)
        // Keyword in Chinese numerals, data in digits (E1: 长寿路588弄12号) and the reverse.
        #expect(try Self.ids(dir.run("search", "t.gpkg", "长寿路五百八十八弄", "--kind", "event", "--json")) == ["E1"])
        #expect(try Self.ids(dir.run("search", "t.gpkg", "五百八十八弄十二号", "--kind", "event", "--json")) == ["E1"])
        #expect(try Self.ids(dir.run("search", "t.gpkg", "长寿路600号", "--kind", "event", "--json")) == ["E3", "N1"])
        #expect(try Self.ids(dir.run("search", "t.gpkg", "真北路108号", "--kind", "event", "--json")) == ["N2"])
        // Numerals that are not before a unit are text; the description is searched as written.
        #expect(try Self.ids(dir.run("search", "t.gpkg", "十二号楼夜间", "--kind", "event", "--json")) == ["N2"])
        #expect(try Self.ids(dir.run("search", "t.gpkg", "长寿路五百", "--kind", "event", "--json")) == [])
        // Buildings: 测试路3弄7号 written in numerals.
        #expect(try Self.ids(dir.run("search", "t.gpkg", "测试路三弄七号", "--kind", "building", "--json")) == ["B1"])
    }

    @Test func timeRangeAndCategoryFilterEvents() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try ImportEventsCommandTests.twin(in: dir)
        // June in Shanghai time: E4 (06-20T10:00Z), E2, E1 (06-01T08:00+08:00); not E3 (07-01) or E10 (05-05).
        var r = try dir.run("search", "t.gpkg", "--from", "2025-06-01", "--to", "2025-06-30T23:59:59", "--json")
        #expect(try Self.ids(r) == ["E4", "E2", "E1"])
        // Only events are searched when a time range is given (buildings and assets have no time).
        #expect(try AssetCommandTests.json(r.stdout)["totals"] as? [String: Int] == ["event": 3])
        // Bounds are inclusive, to the second.
        #expect(try Self.ids(dir.run("search", "t.gpkg", "--from", "2025-06-01T08:00:00+08:00", "--to", "2025-06-01T00:00:00Z",
                                     "--json")) == ["E1"])
        #expect(try Self.ids(dir.run("search", "t.gpkg", "--from", "2025-06-01T08:00:01+08:00", "--to", "2025-06-10",
                                     "--json")) == [])
        #expect(try Self.ids(dir.run("search", "t.gpkg", "--category", "积水", "--json")) == ["E3", "E1"])
        #expect(try Self.ids(dir.run("search", "t.gpkg", "长寿路", "--category", "积水", "--to", "2025-06-30", "--json")) == ["E1"])
        r = try dir.run("search", "t.gpkg", "--category", "不存在")
        #expect(r.status == 0, "an unknown category is just empty")
        #expect(r.stdout == "Events: 0 of 0\n")
        // --limit caps the list, not the total.
        r = try dir.run("search", "t.gpkg", "--from", "2025-01-01", "--limit", "2")
        #expect(r.stdout.hasPrefix("Events: 2 of 5 (newest first)\n  E3  2025-07-01 "), "\(r.stdout)")
        #expect(r.stdout.split(separator: "\n").count == 3)
    }

    @Test func buildingsByAddressAndAssetsByIdOrName() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try ImportEventsCommandTests.twin(in: dir, assets: true)
        var r = try dir.run("search", "t.gpkg", "测试路3弄7号")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            Events: 0 of 0
            Buildings: 1 of 1
              B1  测试路3弄7号    121.4015,31.2415
            Assets: 0 of 0

            """)
        r = try dir.run("search", "t.gpkg", "C", "--kind", "asset", "--json")
        #expect(try Self.ids(r) == ["C1", "C2"])
        r = try dir.run("search", "t.gpkg", "南门", "--kind", "asset")
        #expect(r.stdout == "Assets: 1 of 1\n  C1  camera  南门  121.4015,31.2405\n", "\(r.stdout)")
        // The building is found by id through the asset search when buildings are not searched.
        #expect(try Self.ids(dir.run("search", "t.gpkg", "B1", "--kind", "asset", "--json")) == ["B1"])
        #expect(try Self.ids(dir.run("search", "t.gpkg", "B1", "--kind", "asset", "--kind", "building", "--json")) == ["B1"])
    }

    @Test func badInputIsRefusedWithItsReason() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try ImportEventsCommandTests.twin(in: dir)
        var r = try dir.run("search", "t.gpkg", "积水", "--from", "2025-06-02", "--to", "2025-06-01")
        #expect(r.status == 2)
        #expect(r.stderr.contains("--from 2025-06-02 is after --to 2025-06-01: the time range is empty"), "\(r.stderr)")
        for bad in ["2025-13-01", "2025-02-29", "yesterday", "2025-06-01T25:00", "2025-06-01T08:00+15:00"] {
            r = try dir.run("search", "t.gpkg", "积水", "--from", bad)
            #expect(r.status == 2, "--from \(bad)")
        }
        r = try dir.run("search", "t.gpkg")
        #expect(r.status == 2)
        r = try dir.run("search", "t.gpkg", "  ")
        #expect(r.status == 2)
        #expect(r.stderr.contains("give a keyword, or --from/--to/--category"))
        r = try dir.run("search", "t.gpkg", "积水", "--limit", "0")
        #expect(r.status == 2)
        r = try dir.run("search", "t.gpkg", "积水", "--kind", "everything")
        #expect(r.status == 2)
        r = try dir.run("search", "t.gpkg", String(repeating: "路", count: 300))
        #expect(r.status == 2)
        r = try dir.run("search", "t.gpkg", "积\u{1}水")
        #expect(r.status == 2)
        r = try dir.run("search", "missing.gpkg", "积水")
        #expect(r.status == 1)
        #expect(r.stderr.contains("missing.gpkg: no such file"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("missing.gpkg")))
        try dir.write("corrupt.gpkg", String(repeating: "这不是数据库", count: 200))
        r = try dir.run("search", "corrupt.gpkg", "积水")
        #expect(r.status == 1)
        #expect(r.stderr.contains("corrupt.gpkg: not an SQLite database"), "\(r.stderr)")
        // A truncated twin: SQLite's header survives, the pages do not.
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir.path("t.gpkg")))
        try whole.prefix(2048).write(to: URL(fileURLWithPath: dir.path("truncated.gpkg")))
        r = try dir.run("search", "truncated.gpkg", "积水")
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.hasPrefix("twin-tool: "), "\(r.stderr)")
    }

    @Test func eventTimesParseTheAcceptedFormsOnly() {
        let cst = 1_748_736_000 as Int64  // 2025-06-01T00:00:00Z
        let cases: [(String, Int64?)] = [
            ("2025-06-01", cst - 8 * 3600), ("2025-06-01T08:00", cst), ("2025-06-01 08:00:00", cst),
            ("2025-06-01T00:00:00Z", cst), ("2025-06-01T00:00:00.999Z", cst), ("2025-06-01T02:00:00+02:00", cst),
            ("2025-05-31T20:00:00-0400", cst), ("2025-06-01T05:00:00+05", cst), (" 2025-06-01T08:00:00+08:00 ", cst),
            ("2024-02-29", 1_709_136_000), ("1970-01-01T00:00:00Z", 0),
            ("2025-02-29", nil), ("2025-06-31", nil), ("2025-6-1", nil), ("2025-06-01T24:00", nil), ("2025-06-01T08:60", nil),
            ("2025-06-01T08:00:00+15:00", nil), ("2025-06-01T08:00:00.Z", nil), ("2025-06-01T", nil), ("2025-06-01Z", nil),
            ("２０２５-06-01", nil), ("", nil), ("0000-01-01", nil), ("2025-06-01T08:00:00+08:00x", nil),
        ]
        for (text, expected) in cases { #expect(EventTime.unixSeconds(text) == expected, "\(text)") }
        #expect(EventTime.utcText(cst) == "2025-06-01T00:00:00Z")
        #expect(EventTime.utcText(-1) == "1969-12-31T23:59:59Z")
    }
}
