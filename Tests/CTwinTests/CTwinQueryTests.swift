import Foundation
import Testing
import TwinGeo
@testable import CTwin

/// The entry points added for as-of locates, layer selection, the single-point fast path and the
/// asset queries, called from Swift on a small twin built here: their answers equal TwinGeo's own
/// (`Twin.locate`, `AssetCatalog`), and each bad argument gets its status.

/// A 2 km × 2 km district at 121.40°E 31.23°N: layer "police" (two cells, west | east), layer
/// "greening" (one cell, then from 2025-03-01 a second version split north | south), and a few
/// assets of every kind.
private final class QueryFixture: @unchecked Sendable {
    static let shared = try! QueryFixture()  // a failure here is a broken fixture, not user input

    static let lon0 = 121.40, lat0 = 31.23, size = 0.02
    static let march2025 = 1_740_787_200.0  // 2025-03-01T00:00:00Z
    let directory: URL
    let path: String
    let twin: Twin
    let catalog: AssetCatalog

    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> MultiPolygon {
        let ring = [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)]
        return MultiPolygon([Polygon(exterior: ring)])
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctwin-query-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("query.twin.gpkg").path
        let (x0, y0, s) = (Self.lon0, Self.lat0, Self.size)
        let builder = try TwinBuilder.create(at: path)
        try builder.importLayer(GridLayer(name: "police", kind: .department, cells: [
            GridCell(code: "P-west", geometry: Self.rect(x0, y0, x0 + s / 2, y0 + s)),
            GridCell(code: "P-east", geometry: Self.rect(x0 + s / 2, y0, x0 + s, y0 + s)),
        ]))
        try builder.importLayer(GridLayer(name: "greening", kind: .department, cells: [
            GridCell(code: "G-all", geometry: Self.rect(x0, y0, x0 + s, y0 + s)),
        ]))
        try builder.importLayer(GridLayer(name: "greening", kind: .department, cells: [
            GridCell(code: "G-south", geometry: Self.rect(x0, y0, x0 + s, y0 + s / 2)),
            GridCell(code: "G-north", geometry: Self.rect(x0, y0 + s / 2, x0 + s, y0 + s)),
        ]), validFrom: Date(timeIntervalSince1970: Self.march2025))
        _ = try builder.merge()
        let line = { (a: Coordinate, b: Coordinate) in Geometry.lineString(LineString([a, b])) }
        let mid = Coordinate(x0 + s / 2, y0 + s / 2)
        try builder.importAssets([
            .building(BuildingAsset(id: "B1", footprint: .multiPolygon(Self.rect(mid.x - 0.001, mid.y - 0.001, mid.x + 0.001, mid.y + 0.001)),
                                    use: "residential")),
            .pipe(PipeAsset(id: "W1", path: line(Coordinate(x0, mid.y), Coordinate(x0 + s, mid.y)), network: .waterSupply)),
            .pipe(PipeAsset(id: "G1", path: line(Coordinate(mid.x, y0), Coordinate(mid.x, y0 + s)), network: .gas)),
            .pipe(PipeAsset(id: "D1", path: line(Coordinate(x0, y0 + 0.001), Coordinate(x0 + s, y0 + 0.001)), network: .drainage)),
            .camera(CameraAsset(id: "C-north", name: "north gate", location: Coordinate(mid.x, mid.y + 0.002), heading: 180,
                                fieldOfView: 90, rangeMetres: 400)),
            .camera(CameraAsset(id: "C-east", location: Coordinate(mid.x + 0.003, mid.y), heading: 270, fieldOfView: 60,
                                rangeMetres: 500)),
            .camera(CameraAsset(id: "C-away", location: Coordinate(x0 + 0.001, y0 + 0.001), heading: 45, fieldOfView: 30,
                                rangeMetres: 50)),
            .sensor(SensorAsset(id: "S1", type: "water_level", location: Coordinate(mid.x + 0.0005, mid.y))),
            .sensor(SensorAsset(id: "S2", type: "smoke", location: Coordinate(x0 + 0.001, y0 + 0.001))),
        ])
        twin = try Twin.open(path)
        catalog = try AssetCatalog.load(twinAt: path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func open() throws -> OpaquePointer {
        var t: OpaquePointer?
        #expect(twinOpen(path, &t) == 0)
        return try #require(t)
    }

    func openAssets() throws -> OpaquePointer {
        var a: OpaquePointer?
        #expect(twinAssetsOpen(path, &a) == 0)
        return try #require(a)
    }
}

/// The NUL-terminated text in a C buffer.
private func text(_ buf: [CChar]) -> String {
    buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

private let argument = TwinErrorCode.argument.rawValue
private let buffer = TwinErrorCode.buffer.rawValue

@Test func singlePointLocateEqualsTwinLocateEverywhereIncludingEdges() throws {
    let f = QueryFixture.shared
    let t = try f.open()
    defer { twinClose(t) }
    var cells = [Int32](repeating: 99, count: 4)
    // A lattice through the shared edges and the outer boundary, and a margin outside.
    for i in -2 ... 22 {
        for j in -2 ... 22 {
            let lon = QueryFixture.lon0 + Double(i) * QueryFixture.size / 20
            let lat = QueryFixture.lat0 + Double(j) * QueryFixture.size / 20
            #expect(twinLocate(t, lon, lat, nil, &cells, 4) == 0)
            let want = try f.twin.locate(lon: lon, lat: lat)
            #expect(Array(cells.prefix(2)) == want.cells.map { Int32($0?.index ?? -1) })
            #expect(cells[2] == 99, "slots beyond the layer count are left alone")
        }
    }
    #expect(twinLocate(t, .nan, 31.24, "WGS84", &cells, 2) == 0 && cells.prefix(2).allSatisfy { $0 == -1 })
    #expect(twinLocate(t, 121.41, 31.24, nil, &cells, 1) == buffer)
}

@Test func asOfLocatesFollowTheVersionDates() throws {
    let f = QueryFixture.shared
    let t = try f.open()
    defer { twinClose(t) }
    let (lon, lat) = (QueryFixture.lon0 + 0.002, QueryFixture.lat0 + 0.002)  // south-west
    var cells = [Int32](repeating: 0, count: 2)
    #expect(twinLocateAt(t, lon, lat, nil, QueryFixture.march2025 - 0.001, &cells, 2) == 0)
    #expect(f.twin.layers[1].cells[Int(cells[1])].code == "G-all")
    #expect(twinLocateAt(t, lon, lat, nil, QueryFixture.march2025, &cells, 2) == 0)
    #expect(f.twin.layers[1].cells[Int(cells[1])].code == "G-south")
    #expect(twinLocate(t, lon, lat, nil, &cells, 2) == 0 && f.twin.layers[1].cells[Int(cells[1])].code == "G-south")
    #expect(twinLocateAt(t, lon, lat, nil, .nan, &cells, 2) == argument)
    #expect(String(cString: twinErrmsg(t)).contains("twin_locate_at"))
    #expect(twinLocateAt(t, lon, lat, nil, 3e11, &cells, 2) == argument)  // year ~11,500

    // Batch: one instant, and one instant per point (a bad one answers -1).
    var xs = [lon, lon, lon, lon], ys = [lat, lat, lat, lat]
    let times = [QueryFixture.march2025 - 86_400, QueryFixture.march2025, .nan, -1e300]
    var out = [Int32](repeating: 7, count: 8)
    #expect(twinLocateSelect(t, &xs, &ys, 4, nil, times, 4, nil, 0, &out, 8) == 0)
    let greening = out[4...].map { $0 < 0 ? "-" : f.twin.layers[1].cells[Int($0)].code }
    #expect(greening == ["G-all", "G-south", "-", "-"])
    #expect(out[2] == -1 && out[3] == -1 && out[0] >= 0)
    #expect(twinLocateBatchAt(t, &xs, &ys, 4, nil, QueryFixture.march2025 - 1, &out, 8) == 0)
    #expect(out[4...].allSatisfy { f.twin.layers[1].cells[Int($0)].code == "G-all" })
    // The per-point form equals TwinGeo's own per-point batch.
    var police = [Int32](repeating: 0, count: 4), greens = [Int32](repeating: 0, count: 4)
    try xs.withUnsafeBufferPointer { x in
        try ys.withUnsafeBufferPointer { y in
            try times.withUnsafeBufferPointer { tm in
                try police.withUnsafeMutableBufferPointer { w0 in
                    try greens.withUnsafeMutableBufferPointer { w1 in
                        try f.twin.cellIndexes(xs: x, ys: y, times: tm, into: [w0, w1])
                    }
                }
            }
        }
    }
    #expect(twinLocateSelect(t, &xs, &ys, 4, nil, times, 4, nil, 0, &out, 8) == 0)
    #expect(Array(out) == police + greens)
}

@Test func layerSelectionWritesTheChosenLayersInTheirOrder() throws {
    let f = QueryFixture.shared
    let t = try f.open()
    defer { twinClose(t) }
    var xs = (0 ..< 50).map { QueryFixture.lon0 - 0.001 + Double($0) * 0.00045 }
    var ys = (0 ..< 50).map { QueryFixture.lat0 - 0.001 + Double($0) * 0.00045 }
    var all = [Int32](repeating: 0, count: 100), picked = [Int32](repeating: 0, count: 150)
    #expect(twinLocateBatch(t, &xs, &ys, 50, nil, &all, 100) == 0)
    let layers: [UInt] = [1, 0, 1]
    #expect(twinLocateSelect(t, &xs, &ys, 50, nil, nil, 0, layers, 3, &picked, 150) == 0)
    #expect(Array(picked[0 ..< 50]) == Array(all[50 ..< 100]) && Array(picked[50 ..< 100]) == Array(all[0 ..< 50]))
    #expect(Array(picked[100 ..< 150]) == Array(all[50 ..< 100]))
    #expect(twinLocateSelect(t, &xs, &ys, 50, nil, nil, 0, [2], 1, &picked, 150) == TwinErrorCode.notFound.rawValue)
    #expect(twinLocateSelect(t, &xs, &ys, 50, nil, nil, 0, layers, 3, &picked, 149) == buffer)
    #expect(twinLocateSelect(t, &xs, &ys, 50, nil, nil, 0, nil, 3, &picked, 150) == argument)
    #expect(twinLocateSelect(t, &xs, &ys, 50, nil, [0, 1], 2, nil, 0, &picked, 150) == argument)
    #expect(String(cString: twinErrmsg(t)).contains("n_times is 2"))
    #expect(twinLocateSelect(t, nil, nil, 0, nil, nil, 0, nil, 0, nil, 0) == 0)
}

@Test func assetQueriesEqualTheCatalogsAnswers() throws {
    let f = QueryFixture.shared
    let a = try f.openAssets()
    defer { twinAssetsClose(a) }
    let mid = Coordinate(QueryFixture.lon0 + QueryFixture.size / 2 + 0.0003, QueryFixture.lat0 + QueryFixture.size / 2 - 0.0004)
    var count: UInt = 0
    func ids(_ kind: Int32, _ slots: ArraySlice<Int32>) -> [String] {
        slots.map { f.catalog.id(CAssetKind.kinds[Int(kind)], slot: Int($0)) ?? "?" }
    }
    for (c, kind) in CAssetKind.kinds.enumerated() {
        var slots = [Int32](repeating: -9, count: 3), distances = [Double](repeating: 0, count: 3)
        #expect(twinAssetsNearest(a, Int32(c), mid.x, mid.y, nil, .infinity, &slots, &distances, 3, &count) == 0)
        let want = try f.catalog.nearest(kind, to: mid, k: 3)
        #expect(ids(Int32(c), slots.prefix(Int(count))) == want.map(\.id))
        #expect(Array(distances.prefix(Int(count))) == want.map(\.distanceMetres))
        #expect(twinAssetsCount(a, Int32(c), &count) == 0 && Int(count) == f.catalog.count(kind))
    }
    var slots = [Int32](repeating: -9, count: 8), distances = [Double](repeating: 0, count: 8)
    #expect(twinAssetsCamerasSeeing(a, mid.x, mid.y, "wgs84", &slots, &distances, 8, &count) == 0)
    let seeing = try f.catalog.camerasSeeing(mid)
    #expect(count == 2 && ids(2, slots.prefix(2)) == seeing.map(\.id))
    #expect(twinAssetsCamerasSeeing(a, mid.x, mid.y, nil, &slots, nil, 1, &count) == buffer && count == 2)

    // The pit: 100 m around the middle, crossing the water and gas pipes, 5 m clearance.
    let (x, y, h) = (QueryFixture.lon0 + QueryFixture.size / 2, QueryFixture.lat0 + QueryFixture.size / 2, 0.0005)
    var lon = [x - h, x + h, x + h, x - h], lat = [y - h, y - h, y + h, y + h]
    var lengths = [Double](repeating: 0, count: 8), networks = [Double](repeating: -1, count: 6)
    #expect(twinAssetsExcavation(a, &lon, &lat, 4, nil, 5, &slots, &distances, &lengths, 8, &count, &networks, 6) == 0)
    let ring = zip(lon + [lon[0]], lat + [lat[0]]).map { Coordinate($0, $1) }
    let report = try f.catalog.excavationCheck(.polygon(Polygon(exterior: ring)), clearanceMetres: 5)
    #expect(ids(1, slots.prefix(Int(count))) == report.pipes.map(\.id))
    #expect(Array(lengths.prefix(Int(count))) == report.pipes.map(\.lengthInsideMetres))
    #expect(networks == CAssetKind.networks.map { report.lengthByNetwork[$0] ?? 0 })
    #expect(networks[0] > 0 && networks[2] > 0 && networks[1] == 0)

    // Types: a pipe's network, a sensor's type, a building's use, a camera's name.
    var buf = [CChar](repeating: 0, count: 32)
    let w1 = try #require(f.catalog.slot(.pipe, id: "W1"))
    #expect(twinAssetType(a, 1, Int32(w1), &buf, 32, nil) == 0 && text(buf) == "water_supply")
    #expect(twinAssetType(a, 0, 0, &buf, 32, nil) == 0 && text(buf) == "residential")
    let north = try #require(f.catalog.slot(.camera, id: "C-north"))
    #expect(twinAssetType(a, 2, Int32(north), &buf, 32, nil) == 0 && text(buf) == "north gate")
    #expect(twinAssetID(a, 2, Int32(north), &buf, 32, nil) == 0 && text(buf) == "C-north")
}

@Test func assetArgumentsAreCheckedBeforeAnyWork() throws {
    let f = QueryFixture.shared
    let a = try f.openAssets()
    defer { twinAssetsClose(a) }
    var count: UInt = 5
    var slots = [Int32](repeating: 0, count: 4)
    #expect(twinAssetsNearest(nil, 0, 121.41, 31.24, nil, .infinity, &slots, nil, 4, &count) == argument)
    #expect(String(cString: twinAssetsErrmsg(nil)).contains("assets handle is NULL"))
    #expect(twinAssetsNearest(a, 4, 121.41, 31.24, nil, .infinity, &slots, nil, 4, &count) == argument)
    #expect(String(cString: twinAssetsErrmsg(a)).contains("kind 4"))
    #expect(twinAssetsNearest(a, 0, .nan, 31.24, nil, .infinity, &slots, nil, 4, &count) == argument)
    #expect(twinAssetsNearest(a, 0, 121.41, 31.24, nil, -.infinity, &slots, nil, 4, &count) == argument)
    #expect(twinAssetsNearest(a, 0, 121.41, 31.24, "plate carree", .infinity, &slots, nil, 4, &count)
            == TwinErrorCode.crs.rawValue)
    #expect(twinAssetsNearest(a, 0, 121.41, 31.24, nil, .infinity, nil, nil, 0, &count) == 0 && count == 0)
    #expect(twinAssetID(a, 3, 2, nil, 0, nil) == TwinErrorCode.notFound.rawValue)
    var lon = [121.41, 121.42, 121.42], lat = [31.24, 31.24, 31.25]
    #expect(twinAssetsExcavation(a, &lon, &lat, 2, nil, 0, &slots, nil, nil, 4, &count, nil, 0)
            == TwinErrorCode.geometry.rawValue)
    lat[1] = .infinity
    #expect(twinAssetsExcavation(a, &lon, &lat, 3, nil, 0, &slots, nil, nil, 4, &count, nil, 0) == argument)
    #expect(String(cString: twinAssetsErrmsg(a)).contains("vertex 1"))
    var missing: OpaquePointer? = OpaquePointer(bitPattern: 0x10)
    #expect(twinAssetsOpen(f.directory.appendingPathComponent("none.gpkg").path, &missing) == TwinErrorCode.io.rawValue)
    #expect(missing == nil)
    twinAssetsClose(nil)
}
