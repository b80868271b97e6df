import Foundation
@testable import TwinGeo

/// A small address book around 121.40°E 31.24°N, written as the agreed files, and a twin with it.
///
/// Roads: 长寿路 (E-W, y 31.240) and 中山北路 (E-W, y 31.248) cross 武宁路 (N-S, x 121.405) and
/// 常德路 (N-S, x 121.415); 真北路 (x 121.43) crosses nothing.
enum AddressFixture {
    static let roads = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"road_id":"R1","name":"长寿路"},"geometry":{"type":"LineString","coordinates":[[121.400,31.240],[121.410,31.240],[121.420,31.240]]}},
        {"type":"Feature","properties":{"road_id":"R2","name":"武宁路"},"geometry":{"type":"LineString","coordinates":[[121.405,31.235],[121.405,31.250]]}},
        {"type":"Feature","properties":{"road_id":"R3","name":"常德路"},"geometry":{"type":"MultiLineString","coordinates":[[[121.415,31.235],[121.415,31.242]],[[121.415,31.242],[121.415,31.250]]]}},
        {"type":"Feature","properties":{"road_id":"R4","name":"中山北路"},"geometry":{"type":"LineString","coordinates":[[121.400,31.248],[121.420,31.248]]}},
        {"type":"Feature","properties":{"road_id":"R5","name":"真北路"},"geometry":{"type":"LineString","coordinates":[[121.430,31.230],[121.430,31.240]]}}
        ]}
        """
    static let doorplates = """
        address_id,road,lane,sub_lane,number,building_id,community,town,lon,lat\r
        A1,长寿路,588,,12,B1,中远两湾城,长寿路街道,121.4100,31.2405\r
        A2,长寿路,588,,14,B2,中远两湾城,长寿路街道,121.4104,31.2407\r
        A3,长寿路,588,3,7,B3,中远两湾城,长寿路街道,121.4108,31.2409\r
        A4,长寿路,,,100,B4,,长寿路街道,121.4010,31.2398\r
        A5,长寿路,,,12A,B5,,长寿路街道,121.4020,31.2398\r
        A6,武宁路,,,8,B6,,长寿路街道,121.4048,31.2420\r
        A7,中山北路,588,,12,B7,,宜川路街道,121.4100,31.2482\r
        A8,真北路,,,5,B8,,真如镇街道,121.4302,31.2350\r

        """
    static let communities = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"中远两湾城","aliases":"两湾城|中远两湾","town":"长寿路街道"},"geometry":{"type":"Polygon","coordinates":[[[121.408,31.241],[121.412,31.241],[121.412,31.245],[121.408,31.245],[121.408,31.241]]]}}
        ]}
        """
    static let pois = """
        name,kind,lon,lat,community
        中远两湾城5号门,entrance,121.4095,31.2411,中远两湾城
        长寿路地铁站,metro,121.4060,31.2402,
        """
    static let aliases = """
        alias,canonical,kind
        劳勃生路,长寿路,road
        长寿,长寿路街道,town
        两湾,中远两湾城,community
        """

    /// Writes the files into `dir` and returns their paths.
    static func writeFiles(in dir: String, doorplates: String = doorplates, roads: String = roads) throws -> AddressBookFiles {
        let files = AddressBookFiles(roads: dir + "/roads.geojson", doorplates: dir + "/doorplates.csv",
                                     communities: dir + "/communities.geojson", pois: dir + "/pois.csv", aliases: dir + "/aliases.csv")
        try roads.write(toFile: files.roads, atomically: true, encoding: .utf8)
        try doorplates.write(toFile: files.doorplates, atomically: true, encoding: .utf8)
        try communities.write(toFile: files.communities!, atomically: true, encoding: .utf8)
        try pois.write(toFile: files.pois!, atomically: true, encoding: .utf8)
        try aliases.write(toFile: files.aliases!, atomically: true, encoding: .utf8)
        return files
    }

    /// A twin with two buildings (one whose address the file has, one it does not) and the
    /// address book.
    static func twin(in scratch: StoreScratch) throws -> (path: String, result: AddressImportResult) {
        let path = scratch.path("addresses.twin.gpkg")
        let builder = try TwinBuilder.create(at: path)
        func building(_ id: String, _ x: Double, _ y: Double, lane: Int?, number: Int?, road: String = "长寿路") -> Asset {
            .building(BuildingAsset(id: id, code: nil, footprint: .polygon(Polygon(exterior: squareRing(x, y, 0.0002))),
                                    road: road, lane: lane, number: number, block: nil, floors: 6, heightMetres: 18, use: "住宅"))
        }
        try builder.importAssets([
            building("B1", 121.4099, 31.2406, lane: 588, number: 12),                 // covered by the file (A1)
            building("B9", 121.4110, 31.2411, lane: 588, number: 16),                 // new door-plate 长寿路588弄16号
            building("B10", 121.4200, 31.2420, lane: nil, number: nil),               // no number
            building("B11", 121.4300, 31.2300, lane: nil, number: 3, road: "不存在路"), // unknown road
        ])
        let files = try writeFiles(in: scratch.url.path)
        let result = try builder.importAddresses(files)
        return (path, result)
    }
}
