import Foundation
import Testing
@testable import TwinGeo

/// The gazetteer import and the matcher, on the hand-made address book of ``AddressFixture``.
struct AddressGeocoderTests {
    let scratch: StoreScratch
    let geocoder: AddressGeocoder
    let result: AddressImportResult
    let path: String

    init() throws {
        scratch = try StoreScratch()
        (path, result) = try AddressFixture.twin(in: scratch)
        geocoder = try AddressGeocoder(twinPath: path)
    }

    @Test func importCounts() throws {
        #expect(result.roads == 5 && result.doorplates == 8 && result.communities == 1 && result.pois == 2 && result.aliases == 3)
        #expect(result.buildingDoorplates == 1 && result.buildingsCovered == 1 && result.buildingsWithoutAddress == 2)
        #expect(result.intersections == 4)
        #expect(result.rejects.isEmpty)
        let package = try GeoPackage.open(at: path)
        #expect(try package.rowCount(table: "address_doorplates") == 9)
        #expect(try package.rowCount(table: "address_intersections") == 4)
        // The gazetteer tables are GeoPackage feature tables with their R*Tree.
        for table in ["address_roads", "address_doorplates", "address_communities", "address_pois", "address_intersections"] {
            #expect(try package.database.scalar("SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = ?", [.text(table)])?.integerValue == 1)
            #expect(try package.database.scalar("SELECT count(*) FROM sqlite_master WHERE name = ?", [.text("rtree_\(table)_geom")])?.integerValue == 1)
        }
        // The building door-plate is at the footprint's centre; the file's A1 kept its entrance.
        let source = try package.database.rows("SELECT canonical_key, source FROM address_doorplates ORDER BY fid")
        #expect(source.last?[0].textValue == "长寿路588弄16号" && source.last?[1].textValue == "building")
        #expect(source[0][1].textValue == "address_book")
    }

    @Test func trigramIndexFindsFuzzyNames() throws {
        let package = try GeoPackage.open(at: path)
        let rows = try package.database.rows("SELECT name, kind, canonical FROM address_names_fts WHERE address_names_fts MATCH ? ORDER BY rank",
                                             [.text("两湾城")])
        #expect(Set(rows.compactMap { $0[0].textValue }) == ["中远两湾城", "两湾城", "中远两湾城5号门"])
        let road = try package.database.rows("SELECT canonical FROM address_names_fts WHERE address_names_fts MATCH ?", [.text("勃生路")])
        #expect(road.compactMap { $0[0].textValue } == ["长寿路"])
    }

    struct Case: Sendable, CustomStringConvertible {
        var text: String
        var level: AddressMatchLevel
        var canonical: String
        var lon: Double, lat: Double
        var score: Double
        var description: String { text }
    }

    @Test(arguments: [
        Case(text: "长寿路588弄12号", level: .doorplate, canonical: "长寿路588弄12号", lon: 121.4100, lat: 31.2405, score: 1),
        Case(text: "上海市普陀区长寿路街道长寿路五百八十八弄十二号3楼", level: .doorplate, canonical: "长寿路588弄12号", lon: 121.4100, lat: 31.2405, score: 1),
        Case(text: "长寿路５８８弄１２号", level: .doorplate, canonical: "长寿路588弄12号", lon: 121.4100, lat: 31.2405, score: 1),
        Case(text: "劳勃生路588弄12号", level: .doorplate, canonical: "长寿路588弄12号", lon: 121.4100, lat: 31.2405, score: 1),
        Case(text: "地址：长寿路588弄12号。", level: .doorplate, canonical: "长寿路588弄12号", lon: 121.4100, lat: 31.2405, score: 1),
        Case(text: "长寿路588弄12", level: .doorplate, canonical: "长寿路588弄12号", lon: 121.4100, lat: 31.2405, score: 0.95),
        Case(text: "长寿588弄12号", level: .doorplate, canonical: "长寿路588弄12号", lon: 121.4100, lat: 31.2405, score: 0.95),
        Case(text: "常寿路588弄12号", level: .doorplate, canonical: "长寿路588弄12号", lon: 121.4100, lat: 31.2405, score: 0.85),
        Case(text: "宜川路街道长寿路588弄12号", level: .doorplate, canonical: "长寿路588弄12号", lon: 121.4100, lat: 31.2405, score: 0.8),
        Case(text: "长寿路588弄12号对面", level: .doorplate, canonical: "长寿路588弄12号", lon: 121.4100, lat: 31.2405, score: 0.9),
        Case(text: "长寿路588弄3支弄7号", level: .doorplate, canonical: "长寿路588弄3支弄7号", lon: 121.4108, lat: 31.2409, score: 1),
        Case(text: "长寿路588弄7号", level: .doorplate, canonical: "长寿路588弄3支弄7号", lon: 121.4108, lat: 31.2409, score: 0.9),
        Case(text: "长寿路12a号", level: .doorplate, canonical: "长寿路12A号", lon: 121.4020, lat: 31.2398, score: 1),
        Case(text: "长寿路588弄16号", level: .doorplate, canonical: "长寿路588弄16号", lon: 121.4111, lat: 31.2412, score: 1),
        Case(text: "中山北路588弄12号", level: .doorplate, canonical: "中山北路588弄12号", lon: 121.4100, lat: 31.2482, score: 1),
        Case(text: "长寿路588弄", level: .lane, canonical: "长寿路588弄", lon: 121.410575, lat: 31.240825, score: 0.8),
        Case(text: "长寿路588弄99号", level: .lane, canonical: "长寿路588弄", lon: 121.410575, lat: 31.240825, score: 0.6),
        Case(text: "中远两湾城", level: .community, canonical: "中远两湾城", lon: 121.410, lat: 31.243, score: 0.85),
        Case(text: "普陀区长寿路街道两湾城", level: .community, canonical: "中远两湾城", lon: 121.410, lat: 31.243, score: 0.85),
        Case(text: "中远两湾城五号门", level: .poi, canonical: "中远两湾城5号门", lon: 121.4095, lat: 31.2411, score: 0.95),
        Case(text: "武宁路与长寿路交叉口", level: .intersection, canonical: "武宁路与长寿路交叉口", lon: 121.405, lat: 31.240, score: 0.9),
        Case(text: "长寿路武宁路口", level: .intersection, canonical: "武宁路与长寿路交叉口", lon: 121.405, lat: 31.240, score: 0.9),
        Case(text: "常德路和中山北路路口", level: .intersection, canonical: "中山北路与常德路交叉口", lon: 121.415, lat: 31.248, score: 0.9),
        Case(text: "常德路/长寿路", level: .intersection, canonical: "常德路与长寿路交叉口", lon: 121.415, lat: 31.240, score: 0.75),
        Case(text: "普陀区长寿路", level: .road, canonical: "长寿路", lon: 121.410, lat: 31.240, score: 0.7),
    ])
    func matches(_ c: Case) {
        let m = geocoder.geocode(c.text)
        #expect(m.level == c.level)
        #expect(m.canonical == c.canonical)
        #expect(abs(m.score - c.score) < 1e-9, "score \(m.score)")
        #expect(AddressGeometry.distanceMetres(Coordinate(m.lon, m.lat), Coordinate(c.lon, c.lat)) < 2, "at \(m.lon), \(m.lat)")
        let expectedReason: AddressMatchReason? = c.text == "长寿路588弄99号" ? .noSuchNumber : nil
        #expect(m.reason == expectedReason)
    }

    @Test(arguments: [
        ("长寿路9999号", AddressMatchReason.noSuchNumber, AddressMatchLevel.road),
        ("长寿路777弄5号", .noSuchLane, .road),
        ("长寿路588弄13号楼", nil, .lane),                    // 号楼 is a building in the lane, not the 号
        ("南京东路100号", .noSuchRoad, .none),
        ("中山南路588弄12号", .noSuchRoad, .none),              // one character from 中山北路, but a direction
        ("中山路588弄12号", .noSuchRoad, .none),
        ("真北路与长寿路交叉口", .noSuchIntersection, .none),
        ("长寿路街道", .unrecognised, .town),                   // a town alone is a candidate only
        ("哈哈哈", .unrecognised, .none),
        ("长寿路12号", .noSuchNumber, .road),                   // 12号 is in 弄 588, not on the road
    ] as [(String, AddressMatchReason?, AddressMatchLevel)])
    func noDoorplateIsGuessed(_ text: String, _ reason: AddressMatchReason?, _ candidateLevel: AddressMatchLevel) {
        let m = geocoder.geocode(text)
        if candidateLevel == .lane {
            #expect(m.level == .lane && m.canonical == "长寿路588弄")
            return
        }
        #expect(m.level == .none, "\(text): \(m)")
        #expect(m.lon.isNaN && m.lat.isNaN && m.score == 0 && m.canonical.isEmpty)
        #expect(m.reason == reason, "\(text)")
        #expect((m.candidate?.level ?? .none) == candidateLevel, "\(text)")
        #expect((m.candidate?.score ?? 0) < geocoder.threshold)
    }

    @Test func badInputHasAnOutcomePerRow() {
        let texts = ["", "，。！？ （）【】", String(repeating: "长寿路", count: 3_334), "长寿路\u{1}588弄\u{7F}12号\t", "\u{200B}\u{FEFF}",
                     "长寿路588弄12号\u{FFFD}", String(repeating: "路", count: 512)]
        let reasons = texts.map { geocoder.geocode($0).reason }
        #expect(reasons == [.empty, .onlyPunctuation, .tooLong, nil, .onlyPunctuation, .invalidUTF8, .noSuchRoad])
        #expect(geocoder.geocode("长寿路\u{1}588弄\u{7F}12号\t").canonical == "长寿路588弄12号")
        #expect(geocoder.geocode(utf8: [0xE9, 0x95, 0xBF, 0xFF]).reason == .invalidUTF8)
        #expect(geocoder.geocode(utf8: Array("武宁路8号".utf8)).level == .doorplate)
        let batch = geocoder.geocode(batch: texts)
        #expect(batch.count == texts.count)
        #expect(batch.map(\.reason) == reasons)
    }

    @Test func batchEqualsSingleInOrderAcrossChunks() {
        let base = ["长寿路588弄12号", "武宁路与长寿路交叉口", "", "南京东路1号", "中远两湾城5号门", "长寿路588弄", "长寿路９９号"]
        let texts = (0..<(AddressGeocoder.batchChunk * 2 + 17)).map { base[$0 % base.count] + ($0 % 3 == 0 ? "" : " ") }
        let single = texts.map(geocoder.geocode)
        #expect(geocoder.geocode(batch: texts) == single)
        #expect(geocoder.geocode(batch: texts, concurrently: false) == single)
        #expect(geocoder.geocode(batch: [String]()) == [])
        #expect(geocoder.geocode(batch: texts[5..<40]) == Array(single[5..<40]))
    }

    @Test func thresholdDecidesAcceptance() throws {
        let lenient = try AddressGeocoder(twinPath: path, threshold: 0.3)
        let m = lenient.geocode("长寿路9999号")
        #expect(m.level == .road && m.reason == .noSuchNumber && abs(m.score - 0.4) < 1e-9)
        #expect(lenient.geocode("长寿路街道").level == .town)
        #expect(throws: FormatError.self) { try AddressGeocoder(twinPath: path, threshold: 1.5) }
    }

    @Test func twinWithoutAddressBookIsRefused() throws {
        let other = scratch.path("empty.twin.gpkg")
        _ = try TwinBuilder.create(at: other)
        let error = #expect(throws: FormatError.self) { try AddressGeocoder(twinPath: other) }
        #expect(error?.message.contains("no address book") == true)
        #expect(throws: StoreError.self) { try AddressGeocoder(twinPath: scratch.path("missing.gpkg")) }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("missing.gpkg")))
    }

    @Test func reimportReplacesTheBook() throws {
        let builder = try TwinBuilder.open(at: path)
        let files = try AddressFixture.writeFiles(in: scratch.url.path, doorplates: """
            address_id,road,lane,sub_lane,number,building_id,community,town,lon,lat
            A1,长寿路,588,,12,B1,,长寿路街道,121.4101,31.2405
            """)
        let second = try builder.importAddresses(files)
        #expect(second.doorplates == 1 && second.buildingDoorplates == 1)
        let g = try AddressGeocoder(twinPath: path)
        #expect(g.geocode("长寿路588弄14号").level == .lane)
        #expect(g.geocode("长寿路588弄16号").level == .doorplate)
    }
}
