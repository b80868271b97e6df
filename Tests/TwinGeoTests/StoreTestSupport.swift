import Foundation
import Testing
@testable import TwinGeo

/// A fresh temporary folder per test, removed when the value goes away.
final class StoreScratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("twingeo-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside the folder (nothing is created).
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The names of the files in the folder, sorted.
    func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
}

/// The whole file, for byte-for-byte comparisons.
func fileBytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

/// Every table's rows (schema included), as text: two files with equal dumps hold the same data.
func storeDump(_ database: SQLiteDatabase) throws -> [String] {
    var lines: [String] = []
    let objects = try database.rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    for object in objects { lines.append(object.map(\.description).joined(separator: " | ")) }
    for object in objects where object[0].textValue == "table" {
        guard let name = object[1].textValue, !(object[3].textValue ?? "").hasPrefix("CREATE VIRTUAL") else { continue }
        for row in try database.rows("SELECT * FROM \"\(name)\" ORDER BY rowid") {
            lines.append(name + ": " + row.map(\.description).joined(separator: " | "))
        }
    }
    return lines
}

/// A square ring with corner (x, y) and side `side`, closed, counter-clockwise.
func squareRing(_ x: Double, _ y: Double, _ side: Double) -> [Coordinate] {
    [Coordinate(x, y), Coordinate(x + side, y), Coordinate(x + side, y + side), Coordinate(x, y + side), Coordinate(x, y)]
}

/// Sample geometries in Shanghai, awkward doubles included.
enum StoreSamples {
    static let cellA = Geometry.multiPolygon(MultiPolygon([
        Polygon(exterior: squareRing(121.40, 31.20, 0.01), holes: [squareRing(121.402, 31.202, 0.001).reversed()]),
        Polygon(exterior: squareRing(121.42, 31.20, 0.005)),
    ]))
    static let cellB = Geometry.multiPolygon(MultiPolygon([
        Polygon(exterior: [Coordinate(121.1 + 0.2, 31.0 + 1e-12), Coordinate(121.5, 31.0), Coordinate(121.5, 31.3),
                           Coordinate(121.1 + 0.2, 31.0 + 1e-12)]),
    ]))
    static let emptyCell = Geometry.multiPolygon(MultiPolygon([]))
    static let camera = Geometry.point(Point(121.4737, 31.2304))
    static let pipe = Geometry.lineString(LineString([Coordinate(121.45, 31.22), Coordinate(121.46, 31.225), Coordinate(121.47, 31.221)]))
    static let building = Geometry.polygon(Polygon(exterior: squareRing(121.43, 31.21, 0.0003)))
    static let emptyPoint = Geometry.point(.empty)
}
