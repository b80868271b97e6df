import Foundation
import Testing
@testable import TwinGeo

/// `BatchGeocoder` with an address column (``AddressColumnResolver``) on the address book of
/// ``AddressFixture`` and a two-cell layer split at 121.408°E: door-plate and intersection rows
/// placed and located, nonexistent addresses rejected with the matcher's reason, coordinates
/// winning when present and valid, address-only files, the missing-book and missing-column
/// refusals, the threshold, and the same output for every chunking.
@Suite struct GeocodeAddressTests {
    let scratch: StoreScratch
    let twinPath: String

    init() throws {
        scratch = try StoreScratch()
        (twinPath, _) = try AddressFixture.twin(in: scratch)
        let builder = try TwinBuilder.open(at: twinPath)
        try builder.importLayer(Self.layer)
        try builder.merge()
    }

    /// West cell W (121.39…121.408), east cell E (121.408…121.44), 31.22…31.26.
    static let layer = GridLayer(name: "police", kind: .department, cells: [
        GridCell(code: "W", name: "西", geometry: MultiPolygon([Polygon(exterior: rect(121.39, 31.22, 121.408, 31.26))])),
        GridCell(code: "E", name: "东", geometry: MultiPolygon([Polygon(exterior: rect(121.408, 31.22, 121.44, 31.26))])),
    ])

    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Coordinate] {
        [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)]
    }

    /// The mixed file: what each row must become (`nil` reason: output).
    static let mixed: [(row: String, reason: String?)] = [
        ("C1,121.401,31.2399,,coordinates only", nil),
        ("A1,,,普陀区长寿路街道长寿路588弄12号3楼,door-plate", nil),
        ("A2,,,长寿路与武宁路交叉口,intersection", nil),
        ("A3,,,长寿路9588弄12号,no such lane", "address_not_found"),
        ("A4,,,火星路1号,no such road", "address_not_found"),
        ("A5,abc,31.24,长寿路５８８弄１４号,bad coordinates and an address", nil),
        ("A6,abc,31.24,,bad coordinates and no address", "invalid_number"),
        ("A7, , ,  ,nothing", "missing_coordinate"),
        ("A8,121.4301,31.2351,长寿路588弄12号,coordinates win", nil),
        ("A9,,,\"长寿路588弄12号,3楼\",quoted address", nil),
        ("A10,,,。。。,only punctuation", "address_not_found"),
    ]

    func write(_ name: String, _ header: String, _ rows: [String]) throws -> String {
        let path = scratch.path(name)
        try (([header] + rows).joined(separator: "\r\n") + "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func readCSV(_ path: String) throws -> [[String]] {
        let reader = try CSVReader(path: path)
        var rows: [[String]] = []
        while let c = try reader.readChunk(maxRecords: 4096) { rows += (0 ..< c.count).map(c.fields) }
        return rows
    }

    func run(_ input: String, options: GeocodeOptions, addresses: AddressGeocoder? = nil,
             tag: String = "") throws -> (GeocodeSummary, [[String]], [[String]]) {
        let out = scratch.path("out\(tag).csv"), rej = scratch.path("rej\(tag).csv")
        let summary = try BatchGeocoder(twin: try Twin.open(twinPath), options: options, addresses: addresses)
            .run(input: input, output: out, rejects: rej)
        return (summary, try readCSV(out), try readCSV(rej))
    }

    static func addressOptions(chunkRows: Int = 65_536) -> GeocodeOptions {
        var options = GeocodeOptions()
        options.addressColumn = "address"
        options.chunkRows = chunkRows
        return options
    }

    @Test func mixedFilePlacesAddressRowsAndRejectsTheUnknown() throws {
        let input = try write("mixed.csv", "id,lon,lat,address,note", Self.mixed.map(\.row))
        let (summary, out, rejects) = try run(input, options: Self.addressOptions())
        #expect(summary.rowsIn == Self.mixed.count)
        #expect(summary.rowsIn == summary.rowsOut + summary.rowsRejected)
        #expect(out[0] == ["id", "lon", "lat", "address", "note", "police", "match_level", "match_score", "matched_address"])
        #expect(rejects[0] == ["id", "lon", "lat", "address", "note", "line", "reason", "detail"])
        let outByID = Dictionary(out.dropFirst().map { ($0[0], $0) }, uniquingKeysWith: { a, _ in a })
        let rejectByID = Dictionary(rejects.dropFirst().map { ($0[0], $0) }, uniquingKeysWith: { a, _ in a })
        for (k, (row, reason)) in Self.mixed.enumerated() {
            let id = String(row.prefix { $0 != "," })
            if let reason {
                #expect(rejectByID[id]?[6] == reason, "\(id): \(rejectByID[id] ?? [])")
                #expect(rejectByID[id]?[5] == "\(k + 2)", "\(id) line")
                #expect(outByID[id] == nil)
            } else {
                #expect(outByID[id] != nil, "\(id) missing from the output: \(rejectByID[id] ?? [])")
            }
        }
        // Door-plate: placed at its entrance (121.4100 → the east cell), full score.
        #expect(outByID["A1"]?[5...] == ["E", "doorplate", "1", "长寿路588弄12号"])
        #expect(outByID["A9"]?[5...] == ["E", "doorplate", "1", "长寿路588弄12号"])
        #expect(outByID["A5"]?[5...] == ["E", "doorplate", "1", "长寿路588弄14号"])
        // Intersection of 长寿路 (31.240) and 武宁路 (121.405): the west cell.
        let a2 = try #require(outByID["A2"])
        #expect(a2[5] == "W" && a2[6] == "intersection" && !a2[8].isEmpty)
        #expect(Double(a2[7]).map { $0 >= AddressGeocoder.defaultThreshold && $0 <= 1 } == true)
        // Coordinates win: the point on 真北路 stays (east), no match columns.
        #expect(outByID["A8"]?[5...] == ["E", "", "", ""])
        #expect(outByID["C1"]?[5...] == ["W", "", "", ""])
        // The matcher's reason (and candidate) in the detail.
        #expect(rejectByID["A3"]?[7].hasPrefix("address: noSuchLane") == true, "\(rejectByID["A3"] ?? [])")
        #expect(rejectByID["A4"]?[7] == "address: noSuchRoad", "\(rejectByID["A4"] ?? [])")
        #expect(rejectByID["A10"]?[7] == "address: onlyPunctuation", "\(rejectByID["A10"] ?? [])")
        // The coordinate problem is kept next to the address's when both fail.
        let twice = try write("twice.csv", "id,lon,lat,address", ["T,abc,31.24,火星路1号"])
        let (_, _, twiceRejects) = try run(twice, options: Self.addressOptions(), tag: "twice")
        #expect(twiceRejects.last?[5] == "address_not_found")
        #expect(twiceRejects.last?[6].hasPrefix("address: noSuchRoad; coordinates refused (invalid_number: lon ") == true,
                "\(twiceRejects)")
        #expect(rejectByID["A7"]?[7] == "no coordinates and the address column is empty")
        #expect(summary.reasons == ["address_not_found": 3, "invalid_number": 1, "missing_coordinate": 1])
    }

    /// The match columns equal what `AddressGeocoder.geocode` gives each text on its own.
    @Test func matchColumnsEqualTheSingleAddressAPI() throws {
        let texts = ["长寿路588弄12号", "长寿路588弄3支弄7号", "中远两湾城5号门", "中远两湾城", "长寿路588弄", "长寿路",
                     "长寿路12A号", "武宁路8号", "近长寿路武宁路口", "上海市普陀区 长寿路 五百八十八弄十四号", "真北路5号"]
        let input = try write("only.csv", "address", texts)
        let (summary, out, rejects) = try run(input, options: Self.addressOptions())
        #expect(out[0] == ["address", "police", "match_level", "match_score", "matched_address"], "no lon/lat columns needed")
        #expect(summary.rowsIn == texts.count && summary.rowsOut + summary.rowsRejected == texts.count)
        let geocoder = try AddressGeocoder(twinPath: twinPath)
        let twin = try Twin.open(twinPath)
        var outRows = Array(out.dropFirst()).makeIterator()
        for text in texts {
            let m = geocoder.geocode(text)
            if m.isMatch {
                guard let row = outRows.next() else { Issue.record("\(text): no output row"); continue }
                #expect(row[0] == text)
                #expect(row[2] == m.level.rawValue && Double(row[3]) == (m.score * 1000).rounded() / 1000 && row[4] == m.canonical,
                        "\(text): \(row) vs \(m)")
                let cell = try twin.locate(lon: m.lon, lat: m.lat).cell(layer: "police")?.code ?? ""
                #expect(row[1] == cell, "\(text)")
            } else {
                #expect(rejects.contains { $0[0] == text && $0[2] == "address_not_found" }, "\(text): \(m)")
            }
        }
        #expect(outRows.next() == nil)
    }

    @Test func thresholdDecidesAcceptance() throws {
        let input = try write("thr.csv", "id,address", ["D,长寿路588弄12号", "R,长寿路"])
        // Default: the door-plate (1) and the road (0.7) pass.
        var (summary, _, _) = try run(input, options: Self.addressOptions(), tag: "a")
        #expect(summary.rowsOut == 2)
        // 0.9 through the options: only the door-plate.
        var options = Self.addressOptions()
        options.addressThreshold = 0.9
        var rejects: [[String]]
        (summary, _, rejects) = try run(input, options: options, tag: "b")
        #expect(summary.rowsOut == 1 && rejects.count == 2 && rejects[1][0] == "R")
        let strict = try AddressGeocoder(twinPath: twinPath, threshold: 0.9)
        let road = strict.geocode("长寿路")
        let candidate = try #require(road.candidate)
        #expect(rejects[1][3] == "address_not_found")
        #expect(rejects[1][4] == "address: \(road.reason!.rawValue); best candidate 长寿路 (road, score "
                + AddressColumnResolver.scoreText(candidate.score) + ")", "\(rejects[1])")
        // A geocoder passed in brings its own threshold.
        (summary, _, _) = try run(input, options: options, addresses: try AddressGeocoder(twinPath: twinPath, threshold: 0.1), tag: "c")
        #expect(summary.rowsOut == 2)
    }

    @Test func everyChunkingGivesTheSameFiles() throws {
        let input = try write("chunks.csv", "id,lon,lat,address,note", Array(repeating: Self.mixed.map(\.row), count: 5).flatMap { $0 })
        let (_, out0, rej0) = try run(input, options: Self.addressOptions(), tag: "0")
        for (k, rows) in [1, 2, 7].enumerated() {
            let (_, out, rej) = try run(input, options: Self.addressOptions(chunkRows: rows), tag: "\(k + 1)")
            #expect(out == out0 && rej == rej0, "chunk rows \(rows)")
        }
    }

    @Test func refusalsBeforeWriting() throws {
        let input = try write("r.csv", "id,address", ["A,长寿路588弄12号"])
        let out = scratch.path("never.csv"), rej = scratch.path("never.rej.csv")
        // A wrong column name names the column and the header.
        var options = Self.addressOptions()
        options.addressColumn = "addr"
        #expect {
            try BatchGeocoder(twin: try Twin.open(twinPath), options: options).run(input: input, output: out, rejects: rej)
        } throws: { "\($0)".contains("no column \"addr\" (columns: id, address)") }
        // Only one of lon/lat present is a mistake, not an address-only file.
        let half = try write("half.csv", "id,lon,address", ["A,121.4,长寿路588弄12号"])
        #expect {
            try BatchGeocoder(twin: try Twin.open(twinPath), options: Self.addressOptions()).run(input: half, output: out, rejects: rej)
        } throws: { "\($0)".contains("no column \"lat\"") }
        // A twin without an address book: say how to get one.
        let bare = scratch.path("bare.gpkg")
        let bareBuilder = try TwinBuilder.create(at: bare)
        try bareBuilder.importLayer(Self.layer)
        try bareBuilder.merge()
        #expect {
            try BatchGeocoder(twin: try Twin.open(bare), options: Self.addressOptions()).run(input: input, output: out, rejects: rej)
        } throws: { "\($0)".contains("no address book") && "\($0)".contains("import-addresses") }
        #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: rej))
    }
}
