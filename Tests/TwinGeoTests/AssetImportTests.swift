import Foundation
import Testing
@testable import TwinGeo

/// Importing assets from GeoJSON and CSV: lenient (rejects named by row/feature and field, the
/// rest imported) and strict (all or nothing).
@Suite struct AssetImportTests {
    static let camerasCSV = """
        id,code,name,lon,lat,heading,fov,range_m,scenes,status
        C1,3101070216000001,长寿路口,121.40,31.24,350,40,80,道路交通;治安防控,在线
        C2,,"Name, with comma",121.401,31.241,10,360,0,,在线
        C3,,,121.402,31.242,400,40,80,,在线
        C4,,,121.403,31.243,10,40,-5,,在线
        C5,,,121.404,31.244,10,0,50,,在线
        C1,,,121.405,31.245,10,40,50,,在线
        C7,31010702160000,,121.406,31.246,10,40,50,,在线
        C8,,,0x79,31.247,10,40,50,,在线
        C9,,,121.408,nan,10,40,50,,在线
        C10,,,"121,409",31.248,10,40,50,,在线
        C11,,,121.41,31.25,10,40,50

        """

    @Test func lenientCSVImportCollectsRejectsNamingLineAndField() throws {
        let result = try AssetImporter.readCSV(bytes: Array(Self.camerasCSV.utf8), name: "cameras.csv", kind: .camera)
        #expect(result.assets.map(\.id) == ["C1", "C2"])
        guard case .camera(let c1) = result.assets[0], case .camera(let c2) = result.assets[1] else { Issue.record("not cameras"); return }
        #expect(c1.scenes == ["道路交通", "治安防控"] && c1.heading == 350 && c1.code == "3101070216000001")
        #expect(c2.name == "Name, with comma" && c2.rangeMetres == 0 && c2.fieldOfView == 360)
        let byLine = Dictionary(uniqueKeysWithValues: result.rejects.map { ($0.location.line!, $0) })
        #expect(result.rejects.count == 9)
        #expect(byLine[4]?.location.field == "heading" && byLine[4]!.reason.contains("400"))
        #expect(byLine[5]?.location.field == "range_m")
        #expect(byLine[6]?.location.field == "fov")
        #expect(byLine[7]?.reason.contains("duplicate id C1 (first at cameras.csv:2)") == true)
        #expect(byLine[8]?.location.field == "code")
        #expect(byLine[9]?.location.field == "lon" && byLine[9]!.reason.contains("0x79"))
        #expect(byLine[10]?.location.field == "lat")
        #expect(byLine[11]?.location.field == "lon")
        #expect(byLine[12]?.reason.contains("8 fields") == true)
        #expect(byLine[4]!.description.hasPrefix("cameras.csv:4, field \"heading\": "))
        #expect(result.recordCount == 11)
    }

    @Test func strictCSVImportRefusesEverythingNamingTheFirstBadRow() throws {
        #expect {
            try AssetImporter.readCSV(bytes: Array(Self.camerasCSV.utf8), name: "cameras.csv", kind: .camera,
                                      options: AssetImportOptions(strict: true))
        } throws: { error in
            let e = error as? AssetError
            return e?.location?.line == 4 && e?.location?.file == "cameras.csv" && e?.location?.field == "heading"
        }
        // A clean file passes strict mode whole.
        let clean = Self.camerasCSV.split(separator: "\n").prefix(3).joined(separator: "\r\n")
        let ok = try AssetImporter.readCSV(bytes: Array(clean.utf8), name: "c.csv", kind: .camera, options: AssetImportOptions(strict: true))
        #expect(ok.assets.count == 2 && ok.rejects.isEmpty)
    }

    @Test func csvFileProblemsAreErrors() throws {
        #expect(throws: FormatError.self) {
            try AssetImporter.readCSV(bytes: Array("id,lon,lat\nS1,\"121.4,31.2\n".utf8), name: "s.csv", kind: .sensor)
        }
        #expect(throws: FormatError.self) {
            try AssetImporter.readCSV(bytes: Array("id,x,y\nS1,121.4,31.2\n".utf8), name: "s.csv", kind: .sensor)
        }
        // Custom columns and a CRS: GCJ-02 positions are converted to WGS84.
        let gcj = GCJ02.fromWGS84(Coordinate(121.4, 31.24))
        let r = try AssetImporter.readCSV(bytes: Array("id,type,x,y\nS1,smoke,\(gcj.x),\(gcj.y)\n".utf8), name: "s.csv", kind: .sensor,
                                          options: AssetImportOptions(crs: .gcj02, lonColumn: "x", latColumn: "y"))
        guard case .sensor(let s) = r.assets.first else { Issue.record("no sensor"); return }
        #expect(abs(s.location.x - 121.4) < 1e-8 && abs(s.location.y - 31.24) < 1e-8)
    }

    static let buildingsGeoJSON = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","id":"B1","properties":{"road":"长寿路","lane":12,"number":3,"block":2,"floors":6,"height":18.5,"use":"住宅","code":"3101070501000001"},
         "geometry":{"type":"Polygon","coordinates":[[[121.40,31.24],[121.4003,31.24],[121.4003,31.2402],[121.40,31.2402],[121.40,31.24]]]}},
        {"type":"Feature","properties":{"id":"B2","kind":"tower"},"geometry":{"type":"Polygon","coordinates":[[[121.41,31.24],[121.4103,31.24],[121.4103,31.2402],[121.41,31.24]]]}},
        {"type":"Feature","properties":{"id":"B3"},"geometry":null},
        {"type":"Feature","properties":{"id":"B4","kind":"camera"},"geometry":{"type":"Polygon","coordinates":[[[121.41,31.24],[121.4103,31.24],[121.4103,31.2402],[121.41,31.24]]]}},
        {"type":"Feature","properties":{"id":"B5","floors":2.5},"geometry":{"type":"Polygon","coordinates":[[[121.41,31.24],[121.4103,31.24],[121.4103,31.2402],[121.41,31.24]]]}},
        {"type":"Feature","properties":{"id":"B6"},"geometry":{"type":"Point","coordinates":[121.41,31.24]}},
        {"type":"Feature","properties":{"id":"B1"},"geometry":{"type":"Polygon","coordinates":[[[121.41,31.24],[121.4103,31.24],[121.4103,31.2402],[121.41,31.24]]]}}
        ]}
        """

    @Test func geoJSONImportNamesTheFeature() throws {
        let result = try AssetImporter.readGeoJSON(bytes: Array(Self.buildingsGeoJSON.utf8), name: "b.geojson", kind: .building)
        #expect(result.assets.map(\.id) == ["B1"])
        guard case .building(let b) = result.assets[0] else { Issue.record("not a building"); return }
        #expect(b.address == "长寿路12弄3号2幢" && b.floors == 6 && b.heightMetres == 18.5)
        let byFeature = Dictionary(uniqueKeysWithValues: result.rejects.map { ($0.location.feature!, $0) })
        #expect(byFeature.keys.sorted() == [1, 2, 3, 4, 5, 6])
        #expect(byFeature[1]!.reason.contains("unknown asset kind \"tower\""))
        #expect(byFeature[2]!.location.field == "geometry")
        #expect(byFeature[3]!.reason.contains("not a building"))
        #expect(byFeature[4]!.location.field == "floors")
        #expect(byFeature[5]!.reason.contains("Polygon or MultiPolygon"))
        #expect(byFeature[6]!.reason.contains("duplicate id B1"))
        #expect(byFeature[6]!.description.hasPrefix("b.geojson, feature 6, field \"id\""))
        #expect {
            try AssetImporter.readGeoJSON(bytes: Array(Self.buildingsGeoJSON.utf8), name: "b.geojson", kind: .building,
                                          options: AssetImportOptions(strict: true))
        } throws: { ($0 as? AssetError)?.location?.feature == 1 }
    }

    @Test func geoJSONCRSIsHonouredOrContradictionRefused() throws {
        let text = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}},"features":[
            {"type":"Feature","properties":{"id":"S1","type":"noise"},"geometry":{"type":"Point","coordinates":[538000,3456000]}}]}
            """
        let r = try AssetImporter.readGeoJSON(bytes: Array(text.utf8), name: "s.geojson", kind: .sensor)
        let expected = try CoordinateTransform(from: .epsg(4549), to: .wgs84).transform(Coordinate(538000, 3456000))
        guard case .sensor(let s) = r.assets.first else { Issue.record("no sensor"); return }
        #expect(abs(s.location.x - expected.x) < 1e-12 && abs(s.location.y - expected.y) < 1e-12)
        #expect(throws: CRSError.self) {
            try AssetImporter.readGeoJSON(bytes: Array(text.utf8), name: "s.geojson", kind: .sensor, options: AssetImportOptions(crs: .gcj02))
        }
    }
}

/// The sample district's asset files (samples/fixture/assets, written by TwinSamples) import
/// without a reject, and a twin built from them answers queries.
@Suite struct AssetSampleFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../samples/fixture/assets").standardizedFileURL.path

    @Test func sampleFilesImportWithoutRejects() throws {
        let dir = try assetTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try TwinBuilder.create(at: dir + "/t.twin.gpkg")
        var counts: [AssetKind: Int] = [:]
        for (file, kind) in [("buildings.geojson", AssetKind.building), ("pipes.geojson", .pipe), ("cameras.csv", .camera)] {
            let result = try builder.importAssets(path: Self.folder + "/" + file, kind: kind)
            #expect(result.rejects.isEmpty, "\(file): \(result.rejects.prefix(3))")
            #expect(!result.assets.isEmpty)
            counts[kind] = result.assets.count
        }
        // The GeoJSON copy of the cameras holds the same cameras: importing it again is refused whole.
        #expect(throws: AssetError.self) { try builder.importAssets(path: Self.folder + "/cameras.geojson", kind: .camera) }
        let catalog = try AssetCatalog.load(from: dir + "/t.twin.gpkg")
        #expect(catalog.count(.building) == counts[.building] && catalog.count(.camera) == counts[.camera])
        guard case .camera(let first)? = catalog.assets(.camera).first else { Issue.record("no camera"); return }
        #expect(try catalog.nearestCameras(to: first.location, k: 1).first?.id == first.id)
        #expect(try catalog.camerasSeeing(first.location).contains { $0.id == first.id })
    }
}
