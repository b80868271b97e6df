import Foundation
import Testing
@testable import TwinGeo

/// The batch geocoder on the fixture twin (``TwinFixture``): every bad-row kind rejected with
/// its reason and line, rows in = out + rejected, input order kept, cells equal to
/// `Twin.locate` row by row (WGS84 and GCJ-02 rows), the same output for every chunking.
@Suite struct GeocodeTests {
    typealias F = GridFixture

    static let header = "id,lon,lat,crs,category,note"

    /// The good rows: positions spread over the fixture, every fifth in GCJ-02.
    static func goodRows(_ count: Int) -> [(id: String, lon: String, lat: String, crs: String, category: String)] {
        let categories = ["治安", "绿化", "矛盾纠纷", "市容", "无规则"]
        return (0 ..< count).map { i in
            let x = Double((i * 7919) % 1000) + 0.25, y = Double((i * 104_729 + 13) % 1000) + 0.25
            var p = F.c(x, y)
            let gcj = i % 5 == 0
            if gcj { p = GCJ02.fromWGS84(p) }
            return ("G\(i)", "\(p.x)", "\(p.y)", gcj ? "gcj02" : "wgs84", categories[i % categories.count])
        }
    }

    /// Bad rows and the reason and detail fragment each must get.
    static let badRows: [(text: String, reason: String)] = [
        ("B1,,31.232,wgs84,治安,empty lon", "missing_coordinate"),
        ("B2,abc,31.232,wgs84,治安,letters", "invalid_number"),
        ("B3,\"121,4012\",31.232,wgs84,治安,comma decimal", "invalid_number"),
        ("B4,121.4012,３１.２３２,wgs84,治安,full width", "invalid_number"),
        ("B5,0x79,31.232,wgs84,治安,hex", "invalid_number"),
        ("B6,31.232,121.4012,wgs84,治安,swapped", "out_of_range"),
        ("B7,NaN,31.232,wgs84,治安,nan", "non_finite"),
        ("B8,121.4012,inf,wgs84,治安,inf", "non_finite"),
        ("B9,1e400,31.232,wgs84,治安,overflow", "non_finite"),
        ("B10,121.4012,31.232", "column_count"),
        ("B11,121.4012,31.232,wgs84,治安,note,extra", "column_count"),
        ("B12,121.4012,31.232,mars,治安,unknown crs", "unknown_crs"),
        ("B13,121.40\"12,31.232,wgs84,治安,stray quote", "malformed_quote"),
        ("B14,121.4012,31.232,wgs84,\"治安\"x,text after quote", "malformed_quote"),
        ("B15,1.2.3,31.232,wgs84,治安,two dots", "invalid_number"),
        ("B16,181,31.232,wgs84,治安,lon range", "out_of_range"),
    ]

    /// Writes a CSV: good rows with the bad rows spread among them, an outside-the-district
    /// row, a note with an embedded newline, and the unterminated quote last.
    static func writeInput(goodCount: Int) throws -> (path: String, lines: [String: Int], bad: [String: String]) {
        var text = header + "\r\n"
        var line = 2
        var lines: [String: Int] = [:], bad: [String: String] = [:]
        let good = goodRows(goodCount)
        var badIndex = 0
        for (i, g) in good.enumerated() {
            let note = i == 3 ? "\"two\nlines\"" : "n\(i)"
            text += "\(g.id),\(g.lon),\(g.lat),\(g.crs),\(g.category),\(note)\r\n"
            lines[g.id] = line
            line += i == 3 ? 2 : 1
            if i % 3 == 1, badIndex < badRows.count {
                let b = badRows[badIndex]
                badIndex += 1
                text += b.text + "\r\n"
                let id = String(b.text.prefix { $0 != "," })
                lines[id] = line
                bad[id] = b.reason
                line += 1
            }
        }
        precondition(badIndex == badRows.count, "too few good rows to place every bad row")
        let outside = F.c(5000, 5000)
        text += "OUT,\(outside.x),\(outside.y),,治安,far east\r\n"
        lines["OUT"] = line
        line += 1
        text += "LAST,121.4,31.23,wgs84,治安,\"never closed\r\nmore text\r\n"
        lines["LAST"] = line
        bad["LAST"] = "unterminated_quote"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, lines, bad)
    }

    static func readAll(_ path: String, strict: Bool = true) throws -> [[String]] {
        let reader = try CSVReader(path: path)
        var rows: [[String]] = []
        while let c = try reader.readChunk(maxRecords: 4096) {
            for r in 0 ..< c.count {
                #expect(!strict || c.issue(r) == nil, "output \(path) record at line \(c.line(r)) is malformed")
                rows.append(c.fields(r))
            }
        }
        return rows
    }

    static func run(_ input: String, chunkRows: Int = 65_536, blockSize: Int = 1 << 18, concurrent: Bool = true)
        throws -> (summary: GeocodeSummary, out: [[String]], rejects: [[String]]) {
        let twin = try TwinFixture.sharedTwin().twin
        var options = GeocodeOptions(crsColumn: "crs")
        options.chunkRows = chunkRows
        options.blockSize = blockSize
        options.concurrent = concurrent
        let out = input + ".out.csv", rej = input + ".rej.csv"
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: rej)
        }
        let summary = try BatchGeocoder(twin: twin, options: options).run(input: input, output: out, rejects: rej)
        return (summary, try readAll(out), try readAll(rej))
    }

    @Test func everyBadRowIsRejectedWithReasonAndLine() throws {
        let input = try Self.writeInput(goodCount: 60)
        defer { try? FileManager.default.removeItem(atPath: input.path) }
        let (summary, out, rejects) = try Self.run(input.path)
        #expect(rejects[0] == Self.header.split(separator: ",").map(String.init) + ["line", "reason", "detail"])
        let rows = rejects.dropFirst()
        #expect(rows.count == input.bad.count)
        for row in rows {
            #expect(row.count == 6 + 3, "rejects rows have the header's columns + line, reason, detail")
            let id = row[0]
            #expect(row[7] == input.bad[id], "reason of \(id): \(row[8])")
            #expect(Int(row[6]) == input.lines[id], "line of \(id)")
        }
        #expect(rows.first { $0[0] == "B11" }?[8].contains("extra: extra") == true)
        #expect(rows.first { $0[0] == "B3" }?[8].contains("comma decimal") == true)
        #expect(rows.first { $0[0] == "B4" }?[8].contains("full-width") == true)
        #expect(rows.first { $0[0] == "B5" }?[8].contains("hexadecimal") == true)
        #expect(summary.rowsIn == 60 + Self.badRows.count + 2)
        #expect(summary.rowsIn == summary.rowsOut + summary.rowsRejected)
        #expect(summary.rowsOut == out.count - 1)
        #expect(summary.rowsRejected == rows.count)
        #expect(summary.reasons.values.reduce(0, +) == summary.rowsRejected)
        #expect(summary.reasons["non_finite"] == 3)
    }

    @Test func outputKeepsInputOrderAndCellsEqualLocate() throws {
        let input = try Self.writeInput(goodCount: 60)
        defer { try? FileManager.default.removeItem(atPath: input.path) }
        let (summary, out, _) = try Self.run(input.path)
        let twin = try TwinFixture.sharedTwin().twin
        let columns = out[0]
        #expect(Array(columns.prefix(6)) == Self.header.split(separator: ",").map(String.init))
        #expect(Array(columns[6 ..< 6 + twin.layerNames.count]) == twin.layerNames)
        #expect(columns.suffix(4) == ["jiezhen_code", "jucun_code", "responsible_layer", "responsible_cell"])
        let ids = out.dropFirst().map { $0[0] }
        #expect(ids == Self.goodRows(60).map(\.id) + ["OUT"], "output in input order, outside row not rejected")
        #expect(out[4][5] == "two\nlines")
        var located = 0
        for row in out.dropFirst() {
            let crs = row[3].isEmpty ? CRS.wgs84 : CRS(name: row[3])!
            let a = try twin.locate(lon: Double(row[1])!, lat: Double(row[2])!, crs: crs)
            for (l, name) in twin.layerNames.enumerated() {
                #expect(row[6 + l] == (a.cell(layer: name)?.code ?? ""), "row \(row[0]) layer \(name)")
            }
            #expect(row[columns.count - 4] == (a.subdistrict?.code ?? ""))
            #expect(row[columns.count - 3] == (a.community?.code ?? ""))
            #expect(row[columns.count - 2] == (twin.responsibleLayer(for: row[4]) ?? ""))
            #expect(row[columns.count - 1] == (a.responsibleCell(for: row[4])?.code ?? ""))
            if !a.isOutside { located += 1 }
        }
        #expect(located > 40, "most rows fall inside the fixture")
        #expect(summary.rowsOutside == summary.rowsOut - located)
        #expect(out.last?[6] == "", "the row outside the district has empty cells")
    }

    @Test func gcj02RowsAreLocatedAfterConversion() throws {
        let input = try Self.writeInput(goodCount: 60)
        defer { try? FileManager.default.removeItem(atPath: input.path) }
        let (_, out, _) = try Self.run(input.path)
        let twin = try TwinFixture.sharedTwin().twin
        let unit = 6 + twin.layerNames.firstIndex(of: "单元网格")!
        var checked = 0
        for row in out.dropFirst() where row[3] == "gcj02" {
            let truth = GCJ02.toWGS84(Coordinate(Double(row[1])!, Double(row[2])!))
            let expected = try twin.locate(lon: truth.x, lat: truth.y).unitGrid?.code ?? ""
            #expect(row[unit] == expected)
            // Read as WGS84 the GCJ-02 text lands ~500 m away: the conversion matters.
            if !expected.isEmpty { checked += 1 }
        }
        #expect(checked >= 5)
    }

    @Test func everyChunkingGivesTheSameFiles() throws {
        let input = try Self.writeInput(goodCount: 60)
        defer { try? FileManager.default.removeItem(atPath: input.path) }
        let reference = try Self.run(input.path)
        for (chunk, block, concurrent) in [(1, 5, true), (3, 17, false), (7, 64, true), (1000, 1, true)] {
            let other = try Self.run(input.path, chunkRows: chunk, blockSize: block, concurrent: concurrent)
            #expect(other.out == reference.out, "chunk \(chunk), block \(block)")
            #expect(other.rejects == reference.rejects, "chunk \(chunk), block \(block)")
            #expect(other.summary.rowsIn == reference.summary.rowsIn)
        }
    }

    @Test func missingColumnAndSamePathsAreRefusedBeforeWriting() throws {
        let input = try Self.writeInput(goodCount: 60)
        defer { try? FileManager.default.removeItem(atPath: input.path) }
        let twin = try TwinFixture.sharedTwin()
        let out = input.path + ".never.csv"
        #expect(throws: FormatError.self) {
            _ = try BatchGeocoder(twin: twin.twin, options: GeocodeOptions(lonColumn: "x"))
                .run(input: input.path, output: out, rejects: out + ".rej")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(throws: TwinQueryError.self) {
            _ = try BatchGeocoder(twin: twin.twin).run(input: input.path, output: input.path, rejects: out)
        }
        #expect(throws: TwinQueryError.self) {
            _ = try BatchGeocoder(twin: twin.twin).run(input: input.path, output: twin.path, rejects: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func strictNumberRule() {
        func parse(_ s: String) -> Result<Double, GeocodeReject> {
            let bytes = Array(s.utf8)
            return bytes.withUnsafeBufferPointer { CoordinateFieldParser.parse($0, 0 ..< bytes.count) }
        }
        let good: [(String, Double)] = [("121.4", 121.4), (" -31.5 ", -31.5), ("+1e2", 100), (".5", 0.5), ("5.", 5),
                                        ("121.35070000000001", 121.35070000000001)]
        for (text, value) in good {
            #expect((try? parse(text).get()) == value, "\(text)")
        }
        let bad: [(String, GeocodeRejectReason)] = [
            ("", .missingCoordinate), ("  ", .missingCoordinate), ("abc", .invalidNumber), ("121,4", .invalidNumber),
            ("１２１.４", .invalidNumber), ("0x79", .invalidNumber), ("nan", .nonFinite), ("-Infinity", .nonFinite),
            ("1e400", .nonFinite), ("1e", .invalidNumber), ("--1", .invalidNumber), (".", .invalidNumber),
            ("1_000", .invalidNumber), ("١٢", .invalidNumber),
        ]
        for (text, reason) in bad {
            if case .failure(let reject) = parse(text) { #expect(reject.reason == reason, "\(text)") }
            else { Issue.record("\(text) must be rejected") }
        }
    }

    @Test func transformRoundTripKeepsFullPrecision() throws {
        let input = try Self.writeInput(goodCount: 60)
        defer { try? FileManager.default.removeItem(atPath: input.path) }
        let a = input.path + ".gcj.csv", b = input.path + ".back.csv", rej = input.path + ".trej.csv"
        defer { for p in [a, b, rej, a + ".rej"] { try? FileManager.default.removeItem(atPath: p) } }
        let first = try BatchCoordinateTransformer(from: .wgs84, to: .gcj02).run(input: input.path, output: a, rejects: rej)
        let second = try BatchCoordinateTransformer(from: .gcj02, to: .wgs84).run(input: a, output: b, rejects: a + ".rej")
        #expect(first.rowsIn == first.rowsOut + first.rowsRejected)
        #expect(second.rowsRejected == 0)
        let original = try Self.readAll(input.path, strict: false).dropFirst().filter { $0.count == 6 }
        let back = try Self.readAll(b).dropFirst()
        let originalById = Dictionary(original.map { ($0[0], $0) }, uniquingKeysWith: { x, _ in x })
        var compared = 0
        for row in back {
            guard let o = originalById[row[0]] else { continue }
            #expect(abs(Double(row[1])! - Double(o[1])!) < 1e-9 && abs(Double(row[2])! - Double(o[2])!) < 1e-9, "\(row[0])")
            #expect(Array(row[3...]) == Array(o[3...]))
            compared += 1
        }
        #expect(compared == back.count && compared >= 61)
    }

    // MARK: Epoch by row time

    /// 警务 redrawn from 1 March 2025: two cells split at x = 300 m (version 2).
    static let policeMarch2025 = GridLayer(name: "警务", kind: .department, cells: [
        GridCell(code: "P-west", name: "西区", geometry: F.rect(0, 0, 300, 1000)),
        GridCell(code: "P-east", name: "东区", geometry: F.rect(300, 0, 1000, 1000)),
    ])

    /// A twin with two versions of 警务 (the fixture's, then ``policeMarch2025``), written once.
    static let versionedTwin: Result<(path: String, twin: Twin), any Error> = Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("geocode-versions-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: GeocodeTests.versionedDirectory) }
        versionedDirectory = directory
        let path = directory + "/versions.gpkg"
        let builder = try TwinBuilder.create(at: path)
        try builder.importLayer(F.communities)
        try builder.importLayer(F.police)
        try builder.importLayer(Self.policeMarch2025, validFrom: TwinFixture.march2025)
        try builder.merge()
        return (path, try Twin.open(path))
    }
    nonisolated(unsafe) static var versionedDirectory = ""

    /// Each row is located in the grids in force at its own time (the instant a version starts
    /// belongs to it, offsets are honoured); unusable times are rejected with the reason; without
    /// `timeColumn` every row is in the latest grids and the time column is plain data.
    @Test func timeColumnLocatesEachRowInTheGridOfItsDate() throws {
        let twin = try Self.versionedTwin.get().twin
        let p = F.c(400, 200)  // P1 in the fixture's 警务, P-east from March 2025
        let rows: [(id: String, time: String, police: String?, reason: String?)] = [
            ("jan", "2025-01-15T10:00:00+08:00", "P1", nil),
            ("lastSecond", "2025-03-01T07:59:59+08:00", "P1", nil),   // 2025-02-28T23:59:59Z
            ("firstSecond", "2025-03-01T08:00:00+08:00", "P-east", nil), // 2025-03-01T00:00:00Z
            ("utc", "2025-02-28T23:59:59.999Z", "P1", nil),
            ("dateOnly", "2025-03-01", "P-east", nil),
            ("space", "2025-06-01 09:30+0800", "P-east", nil),
            ("empty", "", nil, "invalid_time"),
            ("noOffset", "2025-06-01T09:30:00", nil, "invalid_time"),
            ("feb30", "2025-02-30", nil, "invalid_time"),
            ("hour24", "2025-06-01T24:00:00Z", nil, "invalid_time"),
            ("words", "yesterday", nil, "invalid_time"),
        ]
        var text = "id,time,lon,lat\n"
        for row in rows { text += "\(row.id),\(row.time),\(p.x),\(p.y)\n" }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("timed-\(UUID().uuidString).csv").path
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let out = input + ".out.csv", rej = input + ".rej.csv"
        defer { for f in [input, out, rej] { try? FileManager.default.removeItem(atPath: f) } }

        var options = GeocodeOptions(timeColumn: "time")
        options.chunkRows = 3  // epochs switch inside and across chunks
        let summary = try BatchGeocoder(twin: twin, options: options).run(input: input, output: out, rejects: rej)
        #expect(summary.rowsIn == rows.count && summary.rowsIn == summary.rowsOut + summary.rowsRejected)
        #expect(summary.reasons == ["invalid_time": 5])
        let output = try Self.readAll(out), rejects = try Self.readAll(rej)
        let police = try #require(output[0].firstIndex(of: "警务"))
        let cells = Dictionary(uniqueKeysWithValues: output.dropFirst().map { ($0[0], $0[police]) })
        let reasons = Dictionary(uniqueKeysWithValues: rejects.dropFirst().map { ($0[0], ($0[5], $0[6])) })
        for row in rows {
            if let expected = row.police {
                #expect(cells[row.id] == expected, "\(row.id)")
            } else {
                #expect(reasons[row.id]?.0 == row.reason, "\(row.id)")
                #expect(reasons[row.id]?.1.hasPrefix("time ") == true, "the detail names the column: \(reasons[row.id]?.1 ?? "")")
            }
        }
        #expect(reasons["noOffset"]?.1.contains("has no UTC offset") == true)
        #expect(reasons["feb30"]?.1.contains("is not a calendar date") == true)
        #expect(reasons["empty"]?.1 == "time is empty")

        // Without a time column: the latest grids for every row, no time rejects.
        let latest = try BatchGeocoder(twin: twin).run(input: input, output: out, rejects: rej)
        #expect(latest.rowsRejected == 0)
        #expect(try Self.readAll(out).dropFirst().allSatisfy { $0[police] == "P-east" })

        // A time column that is not in the header is refused before anything is written.
        try? FileManager.default.removeItem(atPath: out)
        #expect(throws: FormatError.self) {
            _ = try BatchGeocoder(twin: twin, options: GeocodeOptions(timeColumn: "when")).run(input: input, output: out, rejects: rej)
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func eventTimeRule() {
        func seconds(_ s: String) -> Double? {
            let bytes = Array(s.utf8)
            return bytes.withUnsafeBufferPointer { try? EventTimeParser.parse($0, 0 ..< bytes.count).get() }
        }
        #expect(seconds("1970-01-01") == 0)
        #expect(seconds(" 1970-01-01T00:00:00Z ") == 0)
        #expect(seconds("1970-01-01T08:00:00+08:00") == 0)
        #expect(seconds("1970-01-01T08:00+0800") == 0)
        #expect(seconds("1970-01-01t00:00:00z") == 0)
        #expect(seconds("1969-12-31T19:00:00-05") == 0)
        #expect(seconds("2000-02-29T12:00:00.25Z") == 951_825_600.25)
        #expect(seconds("2025-01-04T12:55:03+08:00") == 1_735_966_503)
        #expect(seconds("0001-01-01") == -62_135_596_800)
        for bad in ["", "2001-02-29", "2025-13-01", "2025-1-01", "2025-01-01T", "2025-01-01T12", "2025-01-01T12:00:60Z",
                    "2025-01-01T12:00:00", "2025-01-01T12:00:00+19:00", "2025-01-01T12:00:00Zx", "0000-01-01",
                    "2025-01-01T12:00:00.Z", "1735966503", "2025/01/01"] {
            #expect(seconds(bad) == nil, "\(bad)")
        }
    }
}
