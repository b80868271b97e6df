import Foundation
import Testing
import TwinGeo
@testable import CTwin

/// The address geocoding entry points (`twin_geocoder_*`, `twin_geocode_*`) called from Swift on a
/// small address book built here: their answers equal ``AddressGeocoder``'s own, the C level and
/// reason numbers cover every Swift case once, the batch equals the single call across chunks
/// and threads, and each bad argument gets its status.

/// 长寿路 (E-W at 31.240) crossing 武宁路 (N-S at 121.405), door-plates on both.
private final class GeocoderFixture: @unchecked Sendable {
    static let shared = try! GeocoderFixture()  // a failure here is a broken fixture, not user input

    let directory: URL
    let path: String
    let plainPath: String
    let geocoder: AddressGeocoder

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctwin-geocoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("addresses.twin.gpkg").path
        plainPath = directory.appendingPathComponent("plain.twin.gpkg").path
        _ = try TwinBuilder.create(at: plainPath)
        var book = AddressBookRecords()
        book.roads = [
            AddressRoad(id: "R1", name: "长寿路", centreline: MultiLineString([LineString([Coordinate(121.400, 31.240),
                                                                                           Coordinate(121.420, 31.240)])])),
            AddressRoad(id: "R2", name: "武宁路", centreline: MultiLineString([LineString([Coordinate(121.405, 31.235),
                                                                                           Coordinate(121.405, 31.250)])])),
        ]
        book.doorplates = [
            AddressDoorplate(id: "A1", road: "长寿路", lane: 588, subLane: nil, number: 12, town: "长寿路街道",
                             point: Coordinate(121.4100, 31.2405)),
            AddressDoorplate(id: "A2", road: "长寿路", lane: 588, subLane: nil, number: 14, town: "长寿路街道",
                             point: Coordinate(121.4104, 31.2407)),
            AddressDoorplate(id: "A3", road: "武宁路", lane: nil, subLane: nil, number: 8, town: "长寿路街道",
                             point: Coordinate(121.4048, 31.2420)),
        ]
        let builder = try TwinBuilder.create(at: path)
        try builder.importAddresses(book)
        geocoder = try AddressGeocoder(twinPath: path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func open() throws -> OpaquePointer {
        var g: OpaquePointer?
        #expect(twinGeocoderOpen(path, &g) == 0)
        return try #require(g)
    }

    /// Texts of every outcome: door-plate, lane, road, intersection, a number or road that does
    /// not exist, and bad text.
    static let texts = ["长寿路588弄12号", "普陀区长寿路五百八十八弄十四号3楼", "长寿路５８８弄", "长寿路", "武宁路8号",
                        "长寿路与武宁路交叉口", "长寿路588弄99号", "长寿路777弄1号", "火星路1号", "", "，。！", String(repeating: "路", count: 10_000),
                        "长寿路\u{FFFD}588弄12号"]
}

/// One C geocode with every output.
private struct CResult: Equatable {
    var lon = -1.0, lat = -1.0, score = -1.0
    var level: Int32 = -1, reason: Int32 = -1
    var matched = ""
    var status: Int32 = -1

    static func == (a: CResult, b: CResult) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return same(a.lon, b.lon) && same(a.lat, b.lat) && a.score == b.score && a.level == b.level && a.reason == b.reason
            && a.matched == b.matched && a.status == b.status
    }
}

private func geocodeC(_ g: OpaquePointer?, _ text: String?) -> CResult {
    var lon = -1.0, lat = -1.0, score = -1.0
    var level: Int32 = -1, reason: Int32 = -1
    var buf = [CChar](repeating: 1, count: 256)
    var needed: UInt = 0
    let status: Int32
    if var text {
        status = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                twinGeocodeAddress(g, $0.baseAddress, UInt($0.count), &lon, &lat, &level, &score, &reason, &buf, 256, &needed)
            }
        }
    } else {
        status = twinGeocodeAddress(g, nil, 0, &lon, &lat, &level, &score, &reason, &buf, 256, &needed)
    }
    let matched = buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    return CResult(lon: lon, lat: lat, score: score, level: level, reason: reason, matched: matched, status: status)
}

private func expected(_ m: AddressMatch) -> CResult {
    CResult(lon: m.lon, lat: m.lat, score: m.score, level: CMatchCode.level(m.level), reason: CMatchCode.reason(m.reason),
            matched: m.canonical, status: 0)
}

private let argument = TwinErrorCode.argument.rawValue
private let buffer = TwinErrorCode.buffer.rawValue

/// The suite, by name for `swift test --filter CTwinGeocoderTests`.
struct CTwinGeocoderTests {
    @Test func levelAndReasonNumbersCoverEverySwiftCaseOnce() {
        #expect(Set(AddressMatchLevel.allCases.map(CMatchCode.level)).count == AddressMatchLevel.allCases.count)
        for level in AddressMatchLevel.allCases {
            let code = CMatchCode.level(level)
            #expect(CMatchCode.levels[Int(code)] == level)
            #expect(String(cString: twinMatchLevelString(code)) == level.rawValue)
        }
        #expect(CMatchCode.levels.count == AddressMatchLevel.allCases.count)
        #expect(CMatchCode.reason(nil) == 0)
        #expect(Set(AddressMatchReason.allCases.map(CMatchCode.reason)).count == AddressMatchReason.allCases.count)
        for reason in AddressMatchReason.allCases {
            let code = CMatchCode.reason(reason)
            #expect(code > 0 && CMatchCode.reasons[Int(code)] == reason)
            // The C names are the Swift names in snake case (invalidUTF8 → invalid_utf8).
            let snake = reason.rawValue.replacingOccurrences(of: "UTF8", with: "_utf8")
                .replacingOccurrences(of: "([a-z])([A-Z])", with: "$1_$2", options: .regularExpression).lowercased()
            #expect(String(cString: twinMatchReasonString(code)) == snake)
        }
        #expect(String(cString: twinMatchLevelString(Int32(CMatchCode.levels.count))) == "unknown")
        #expect(String(cString: twinMatchReasonString(-1)) == "unknown")
    }

    @Test func singleAddressEqualsAddressGeocoder() throws {
        let fixture = GeocoderFixture.shared
        let g = try fixture.open()
        defer { twinGeocoderClose(g) }
        for text in GeocoderFixture.texts {
            #expect(geocodeC(g, text) == expected(fixture.geocoder.geocode(text)), "\(text.prefix(40))")
        }
        #expect(geocodeC(g, "长寿路588弄12号").level == 1)
        #expect(geocodeC(g, "长寿路与武宁路交叉口").level == 5)
        // A 号 the lane does not have is never a neighbouring door-plate: the lane at most.
        let missing = geocodeC(g, "长寿路588弄99号")
        #expect(missing.level != 1 && missing.reason == CMatchCode.reason(.noSuchNumber))
        let noLane = geocodeC(g, "长寿路777弄1号")
        #expect(noLane.level == 0 && noLane.lon.isNaN && noLane.reason == CMatchCode.reason(.noSuchLane))
        #expect(geocodeC(g, nil) == expected(.none(.empty)))
    }

    @Test func batchEqualsSingleAcrossChunksAndThreads() throws {
        let fixture = GeocoderFixture.shared
        let g = try fixture.open()
        defer { twinGeocoderClose(g) }
        // More than two chunks, so the batch runs on several threads.
        let n = AddressGeocoder.batchChunk * 2 + 77
        let texts: [String?] = (0 ..< n).map { i in i % 97 == 5 ? nil : GeocoderFixture.texts[i % GeocoderFixture.texts.count] }
        let cStrings = texts.map { $0.flatMap { strdup($0) } }
        defer { cStrings.forEach { free($0) } }
        var lon = [Double](repeating: 0, count: n), lat = lon, score = lon
        var level = [Int32](repeating: -1, count: n), reason = level
        let pointers = cStrings.map { $0.map { UnsafePointer($0) } }
        #expect(pointers.withUnsafeBufferPointer { twinGeocodeBatch(g, $0.baseAddress, UInt(n), &lon, &lat, &level, &score, &reason) } == 0)
        for i in 0 ..< n {
            let want = expected(texts[i].map { fixture.geocoder.geocode($0) } ?? .none(.empty))
            let got = CResult(lon: lon[i], lat: lat[i], score: score[i], level: level[i], reason: reason[i], matched: want.matched, status: 0)
            #expect(got == want, "row \(i)")
        }
    }

    @Test func geocoderArgumentsAreRefused() throws {
        let fixture = GeocoderFixture.shared
        var g: OpaquePointer? = OpaquePointer(bitPattern: 1)
        #expect(twinGeocoderOpen(nil, &g) == argument && g == nil)
        #expect(twinGeocoderOpen(fixture.path, nil) == argument)
        #expect(twinGeocoderOpen(fixture.directory.appendingPathComponent("none.gpkg").path, &g) == TwinErrorCode.io.rawValue)
        #expect(twinGeocoderOpen(fixture.plainPath, &g) == TwinErrorCode.format.rawValue && g == nil)
        #expect(String(cString: twinGeocoderErrmsg(nil)).contains("address book"))
        twinGeocoderClose(nil)

        let h = try fixture.open()
        defer { twinGeocoderClose(h) }
        var lon = 0.0, lat = 0.0, score = 0.0
        var level: Int32 = 0, reason: Int32 = 0
        var needed: UInt = 0
        #expect(twinGeocodeAddress(nil, "长寿路", 0, &lon, &lat, &level, nil, nil, nil, 0, nil) == argument)
        #expect(twinGeocodeAddress(h, "长寿路", 0, nil, &lat, &level, nil, nil, nil, 0, nil) == argument)
        #expect(twinGeocodeAddress(h, "长寿路", 0, &lon, nil, &level, nil, nil, nil, 0, nil) == argument)
        #expect(twinGeocodeAddress(h, "长寿路", 0, &lon, &lat, nil, nil, nil, nil, 0, nil) == argument)
        #expect(twinGeocodeAddress(h, nil, 3, &lon, &lat, &level, nil, nil, nil, 0, nil) == argument)
        #expect(twinGeocodeAddress(h, "长寿路", 0, &lon, &lat, &level, nil, nil, nil, 8, nil) == argument)
        #expect(twinGeocodeAddress(h, "长寿路", UInt.max, &lon, &lat, &level, nil, nil, nil, 0, nil) == argument)
        #expect(String(cString: twinGeocoderErrmsg(h)).contains("twin_geocode_address"))

        // Sizing without a buffer is TWIN_OK; a short buffer is TWIN_ERR_BUFFER with "" and the rest written.
        #expect(twinGeocodeAddress(h, "长寿路588弄12号", 0, &lon, &lat, &level, &score, &reason, nil, 0, &needed) == 0)
        #expect(needed == UInt("长寿路588弄12号".utf8.count + 1))
        var small = [CChar](repeating: 65, count: 4)
        level = -1
        #expect(twinGeocodeAddress(h, "长寿路588弄12号", 0, &lon, &lat, &level, &score, &reason, &small, 4, &needed) == buffer)
        #expect(small[0] == 0 && level == 1 && lon == 121.41)

        var xs = [Double](repeating: 0, count: 1), ys = xs, outLevel = [Int32](repeating: 9, count: 1)
        let one: [UnsafePointer<CChar>?] = [nil]
        #expect(twinGeocodeBatch(nil, one, 1, &xs, &ys, &outLevel, nil, nil) == argument)
        #expect(twinGeocodeBatch(h, nil, 1, &xs, &ys, &outLevel, nil, nil) == argument)
        #expect(twinGeocodeBatch(h, one, 1, nil, &ys, &outLevel, nil, nil) == argument)
        #expect(twinGeocodeBatch(h, one, 1, &xs, nil, &outLevel, nil, nil) == argument)
        #expect(twinGeocodeBatch(h, one, 1, &xs, &ys, nil, nil, nil) == argument)
        #expect(twinGeocodeBatch(h, nil, 0, nil, nil, nil, nil, nil) == 0)
        #expect(twinGeocodeBatch(h, one, 1, &xs, &ys, &outLevel, nil, nil) == 0 && outLevel[0] == 0 && xs[0].isNaN)
    }
}
